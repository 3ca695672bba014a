"""The one scoping layer: who may see and change what.

Every page, API endpoint, export and admin list asks this module. A role assignment
carries a scope (nation, province, kab/kota, school or working group); each model
registers a policy that turns an actor's grants into a queryset filter (`visible`) and a
yes/no answer for an action on one object (`can`). Single objects are fetched with
`access`, which answers the same `NotFound` for a missing and for a forbidden object.
"""

from __future__ import annotations

import abc
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Model, Q, QuerySet

from gugus.core.errors import Forbidden, NotFound
from gugus.core.roles import OFFICE_ROLES, ScopeLevel

VIEW = "view"
CHANGE = "change"
DELETE = "delete"
CREATE = "create"


@dataclass(frozen=True)
class Grant:
    role: str
    level: str
    province_id: str | None = None
    regency_id: str | None = None
    school_id: int | None = None
    group_id: int | None = None


@dataclass(frozen=True)
class Actor:
    """The acting user as the scoping layer sees it: grants plus their own person record."""

    user: Any
    grants: tuple[Grant, ...] = ()
    person_id: int | None = None
    is_superuser: bool = False
    _cache: dict = field(default_factory=dict, compare=False, repr=False)

    @property
    def is_authenticated(self) -> bool:
        return self.user is not None and self.user.is_authenticated

    def grants_for(self, roles) -> list[Grant]:
        return [g for g in self.grants if g.role in roles]

    @property
    def is_office(self) -> bool:
        return self.is_superuser or bool(self.grants_for(OFFICE_ROLES))


def actor_for(user: Any) -> Actor:
    """Build (once per request/user object) the actor for a Django user."""
    if isinstance(user, Actor):
        return user
    if user is None or not getattr(user, "is_authenticated", False):
        return Actor(user=None)
    cached = getattr(user, "_gugus_actor", None)
    if cached is not None:
        return cached
    grants = tuple(
        Grant(
            role=a.role,
            level=a.scope_level,
            province_id=a.province_id,
            regency_id=a.regency_id,
            school_id=a.school_id,
            group_id=a.group_id,
        )
        for a in user.role_assignments.filter(revoked_at__isnull=True)
    )
    actor = Actor(
        user=user,
        grants=grants,
        person_id=getattr(user, "person_id", None),
        is_superuser=bool(user.is_superuser),
    )
    user._gugus_actor = actor
    return actor


def user_of(actor: Any) -> Any:
    """The Django user behind an actor or user argument."""
    return actor.user if isinstance(actor, Actor) else actor


def region_q(
    grants: list[Grant],
    *,
    province: str | None,
    regency: str | None,
    school: str | None = None,
    include_school_grants: bool = True,
) -> Q | None:
    """A filter covering the regions (and schools) of the given grants.

    Returns None for "everything" (a national grant) and an always-false Q when no grant
    applies, so callers can combine the result with other conditions.
    """
    q = Q(pk__in=[])
    for g in grants:
        if g.level == ScopeLevel.NASIONAL:
            return None
        if g.level == ScopeLevel.PROVINSI and province:
            q |= Q(**{province: g.province_id})
        elif g.level == ScopeLevel.KABKOTA and regency:
            q |= Q(**{regency: g.regency_id})
        elif g.level == ScopeLevel.SEKOLAH and school and include_school_grants:
            q |= Q(**{school: g.school_id})
    return q


def grant_covers(g: Grant, *, province_id, regency_id, school_id=None) -> bool:
    if g.level == ScopeLevel.NASIONAL:
        return True
    if g.level == ScopeLevel.PROVINSI:
        return province_id is not None and g.province_id == province_id
    if g.level == ScopeLevel.KABKOTA:
        return regency_id is not None and g.regency_id == regency_id
    if g.level == ScopeLevel.SEKOLAH:
        return school_id is not None and g.school_id == school_id
    return False


def any_of(*qs: Q | None) -> Q | None:
    """OR together filters where None means "everything"."""
    result = Q(pk__in=[])
    for q in qs:
        if q is None:
            return None
        result |= q
    return result


def office_covers(actor: Actor, *, province_id, regency_id) -> bool:
    """Whether one of the actor's office grants covers a place (the right to change data)."""
    return actor.is_superuser or any(
        grant_covers(g, province_id=province_id, regency_id=regency_id)
        for g in actor.grants_for(OFFICE_ROLES)
    )


class Policy(abc.ABC):
    """Base policy: a subclass gives `visible_q` (a filter, None for all) and `can`."""

    model: type[Model]

    @abc.abstractmethod
    def visible_q(self, actor: Actor) -> Q | None:
        """The filter selecting what the actor may see; None means everything."""

    @abc.abstractmethod
    def can(self, actor: Actor, action: str, obj: Model) -> bool:
        """Whether the actor may perform `action` on `obj`."""

    def change_q(self, actor: Actor) -> Q | None:
        """The filter selecting what the actor may change in bulk (None for everything);
        bulk writers (imports) use it where they cannot ask `can` row by row. Nothing,
        unless the model's policy opens bulk writes: a new bulk path fails closed."""
        return Q(pk__in=[])

    def can_view(self, actor: Actor, obj: Model) -> bool:
        return obj.pk is not None and self.visible(actor).filter(pk=obj.pk).exists()

    def visible(self, actor: Actor, queryset: QuerySet | None = None) -> QuerySet:
        qs = queryset if queryset is not None else self.model._default_manager.all()
        if not actor.is_authenticated:
            return qs.none()
        if actor.is_superuser:
            return qs
        q = self.visible_q(actor)
        return qs if q is None else qs.filter(q)


_policies: dict[type[Model], Policy] = {}


def register(policy_class: type[Policy]) -> type[Policy]:
    _policies[policy_class.model] = policy_class()
    return policy_class


def policy_for(model: type[Model]) -> Policy:
    try:
        return _policies[model]
    except KeyError:
        raise LookupError(f"No access policy registered for {model.__name__}") from None


def visible(user: Any, model: type[Model], queryset: QuerySet | None = None) -> QuerySet:
    """Everything of `model` the user may see."""
    return policy_for(model).visible(actor_for(user), queryset)


def changeable(user: Any, model: type[Model]) -> QuerySet | None:
    """Everything of `model` the user may change, or None when that is everything."""
    actor = actor_for(user)
    qs = policy_for(model).model._default_manager.all()
    if not actor.is_authenticated:
        return qs.none()
    if actor.is_superuser:
        return None
    q = policy_for(model).change_q(actor)
    return None if q is None else qs.filter(q)


def can(user: Any, action: str, obj: Model) -> bool:
    actor = actor_for(user)
    if not actor.is_authenticated:
        return False
    if actor.is_superuser:
        return True
    return policy_for(type(obj)).can(actor, action, obj)


def access(user: Any, model: type[Model], action: str = VIEW, queryset=None, **lookup) -> Model:
    """Fetch one object the user may see; raise NotFound alike for missing and hidden.

    When `action` is not VIEW and the user may see but not change the object, raise
    Forbidden: the object's existence is no secret to someone who can already see it.
    """
    obj = visible(user, model, queryset).filter(**lookup).first()
    if obj is None:
        raise NotFound()
    if action != VIEW and not can(user, action, obj):
        raise Forbidden()
    return obj


def require(user: Any, action: str, obj: Model) -> None:
    """Refuse an action on an object (used by services before every write)."""
    if not can(user, action, obj):
        if action == CREATE or can(user, VIEW, obj):
            raise Forbidden()
        raise NotFound()
