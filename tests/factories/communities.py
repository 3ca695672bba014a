"""Factories of working groups and their members."""

import factory

from gugus.communities.models import Membership, WorkingGroup


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
