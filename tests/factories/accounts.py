"""Factories of accounts: users and users holding a role."""

import factory

from gugus.accounts.models import RoleAssignment, User
from gugus.accounts.services import scope_level_for
from gugus.core.roles import OFFICE_BOUND_ROLES, Ministry
from gugus.directory.models import Province, Regency, School
from gugus.directory.offices import office_of


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


def _office_for(ministry, scope):
    """The office of `ministry` for a scope: its place's Dinas or Kantor Kemenag (a
    supervisor's school or kab/kota belongs to the kab/kota office)."""
    school = scope.get("school") or (
        School.objects.get(pk=scope["school_id"]) if scope.get("school_id") else None
    )
    regency = scope.get("regency") or (
        Regency.objects.get(pk=scope["regency_id"]) if scope.get("regency_id") else None
    )
    province = scope.get("province") or (
        Province.objects.get(pk=scope["province_id"]) if scope.get("province_id") else None
    )
    if school is not None:
        return office_of(ministry or school.ministry, regency=school.regency)
    return office_of(ministry or Ministry.KEMENDIKBUD, province=province, regency=regency)


def user_with_role(role, *, person=None, office=None, ministry=None, **scope):
    """A user holding one role; scope targets as keyword arguments (school=, regency=, ...).
    Administrators and supervisors act for the office of their place: a Dinas unless
    `ministry` (or `office`) says otherwise."""
    user = UserFactory(person=person, is_staff=role.startswith("admin"))
    level = scope_level_for(
        **{
            k: scope.get(k) or scope.get(f"{k}_id")
            for k in ("province", "regency", "school", "group")
        }
    )
    if role in OFFICE_BOUND_ROLES and office is None:
        office = _office_for(ministry, scope)
    RoleAssignment.objects.create(user=user, role=role, scope_level=level, office=office, **scope)
    return user
