"""Test factories, one module per app; the names every test imports are gathered here."""

from tests.factories.accounts import UserFactory, user_with_role
from tests.factories.communities import GroupFactory, member
from tests.factories.directory import PersonFactory, SchoolFactory, teacher

__all__ = [
    "GroupFactory",
    "PersonFactory",
    "SchoolFactory",
    "UserFactory",
    "member",
    "teacher",
    "user_with_role",
]
