"""Factories of accounts: users and users holding a role."""

import factory

from gugus.accounts.models import RoleAssignment, User
from gugus.accounts.services import scope_level_for


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
