import itertools

import factory

from gugus.accounts.models import RoleAssignment, User
from gugus.accounts.services import scope_level_for
from gugus.communities.models import Membership, WorkingGroup
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


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.PostGenerationMethodCall("set_password", "rahasia-123")

    @factory.post_generation
    def saved(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class GroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkingGroup

    kind = "kkg"
    name = factory.Sequence(lambda n: f"KKG Gugus {n}")
    jenjang = "sd"
    regency_id = "34.71"
    province_id = "34"
    status = "active"


def member(group, person):
    return Membership.objects.create(group=group, person=person, started_on="2025-01-01")


def user_with_role(role, *, person=None, **scope):
    """A user holding one role; scope targets as keyword arguments (school=, regency=, ...)."""
    user = UserFactory(person=person, is_staff=role.startswith("admin"))
    level = scope_level_for(
        **{
            k: scope.get(k) or scope.get(f"{k}_id")
            for k in ("province", "regency", "school", "group")
        }
    )
    RoleAssignment.objects.create(user=user, role=role, scope_level=level, **scope)
    return user


def teacher(school, *, subject="guru-kelas", **kwargs):
    """A teacher at `school` teaching `subject`."""
    person = PersonFactory(school=school, ministry=school.ministry, **kwargs)
    if subject:
        person.subjects.add(subject)
    return person
