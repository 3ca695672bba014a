"""Factories of the directory: schools, people, teachers."""

import itertools

import factory

from gugus.directory.models import District, Person, School
from gugus.directory.services import search_key

_npsn = itertools.count(10_000_001)
_nuptk = itertools.count(1_000_000_000_000_001)


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = School

    npsn = factory.LazyFunction(lambda: str(next(_npsn)))
    name = factory.Sequence(lambda n: f"SD Negeri {n} Contoh")
    jenjang = "sd"
    ministry = "kemendikbud"
    status = "negeri"
    district = factory.LazyFunction(lambda: District.objects.get(code="34.71.01"))
    regency = factory.LazyAttribute(lambda o: o.district.regency)
    province = factory.LazyAttribute(lambda o: o.district.regency.province)


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    name = factory.Sequence(lambda n: f"Guru Contoh {n}")
    name_search = factory.LazyAttribute(lambda o: search_key(o.name))
    nuptk = factory.LazyFunction(lambda: str(next(_nuptk)))
    gender = "P"
    position = "guru"
    school = factory.SubFactory(SchoolFactory)
    regency = factory.LazyAttribute(lambda o: o.school.regency)
    province = factory.LazyAttribute(lambda o: o.school.province)


def teacher(school, *, subject="guru-kelas", **kwargs):
    """A teacher at `school` teaching `subject`."""
    person = PersonFactory(school=school, ministry=school.ministry, **kwargs)
    if subject:
        person.subjects.add(subject)
    return person
