"""Factories of working groups and their members."""

import factory

from gugus.communities.models import Membership, WorkingGroup
from gugus.communities.rules import governing_ministry


class GroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkingGroup

    kind = "kkg"
    name = factory.Sequence(lambda n: f"KKG Gugus {n}")
    jenjang = "sd"
    regency_id = "34.71"
    province_id = "34"
    status = "active"
    ministry = factory.LazyAttribute(lambda o: _governing(o))


def _governing(stub) -> str:
    """The ministry the group's type, level and subject give it, as the service derives."""
    subject = getattr(stub, "subject", None)
    subject_id = getattr(stub, "subject_id", None) or getattr(subject, "pk", None)
    return governing_ministry(
        WorkingGroup(kind=stub.kind, jenjang=stub.jenjang, subject_id=subject_id)
    )


def member(group, person):
    return Membership.objects.create(group=group, person=person, started_on="2025-01-01")
