"""The one scoping layer: who may see and change what.

Every page, API endpoint, export and admin list asks this module. A role assignment
carries a scope (nation, province, kab/kota, school or working group) and, for offices
and supervisors, the ministry of the office it belongs to; each model
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
    # The ministry an office or supervisor acts for; None where the scope alone decides.
    ministry: str | None = None
    # False for an office that oversees without keeping the registry (BBGP/BGP).
    governs: bool = True

    def serves(self, ministry: str | None) -> bool:
        return ministry is None or self.ministry is None or self.ministry == ministry


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
        grant
        for a in user.role_assignments.filter(revoked_at__isnull=True)
        .select_related("office")
        .prefetch_related("office__serves")
        for grant in _grants_of(a)
    )
    actor = Actor(
        user=user,
        grants=grants,
        person_id=getattr(user, "person_id", None),
        is_superuser=bool(user.is_superuser),
    )
    user._gugus_actor = actor
    return actor


def _grants_of(assignment) -> list[Grant]:
    """The grants one assignment gives: a BBGP/BGP administrator one per province served."""
    office = assignment.office
    base = Grant(
        role=assignment.role,
        level=assignment.scope_level,
        province_id=assignment.province_id,
        regency_id=assignment.regency_id,
        school_id=assignment.school_id,
        group_id=assignment.group_id,
        ministry=office.ministry if office else None,
        governs=office.governs if office else True,
    )
    if office is None or assignment.scope_level != ScopeLevel.PROVINSI:
        return [base]
    return [
        Grant(**{**base.__dict__, "province_id": province_id})
        for province_id in office.provinces_served()
    ]


def acting_ministry(actor: Actor) -> str | None:
    """The one ministry an actor's offices act for; None when they span both (or none)."""
    ministries = {g.ministry for g in actor.grants_for(OFFICE_ROLES)}
    return ministries.pop() if len(ministries) == 1 else None


def user_of(actor: Any) -> Any:
    """The Django user behind an actor or user argument."""
    return actor.user if isinstance(actor, Actor) else actor


def region_q(
    grants: list[Grant],
    *,
    province: str | None,
    regency: str | None,
    school: str | None = None,
    ministry: str | None = None,
    include_school_grants: bool = True,
) -> Q | None:
    """A filter covering the regions (and schools) of the given grants; with `ministry`
    (the path of the rows' ministry), a grant acting for one ministry covers only its rows.

    Returns None for "everything" (a national grant of no ministry) and an always-false Q
    when no grant applies, so callers can combine the result with other conditions.
    """
    q = Q(pk__in=[])
    for g in grants:
        same = Q(**{ministry: g.ministry}) if ministry and g.ministry else Q()
        if g.level == ScopeLevel.NASIONAL:
            if not same:
                return None
            q |= same
        elif g.level == ScopeLevel.PROVINSI and province:
            q |= Q(**{province: g.province_id}) & same
        elif g.level == ScopeLevel.KABKOTA and regency:
            q |= Q(**{regency: g.regency_id}) & same
        elif g.level == ScopeLevel.SEKOLAH and school and include_school_grants:
            q |= Q(**{school: g.school_id}) & same
    return q


def grant_covers(g: Grant, *, province_id, regency_id, school_id=None, ministry=None) -> bool:
    """Whether a grant covers a place (and, given the record's ministry, acts for it)."""
    if not g.serves(ministry):
        return False
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


def office_covers(
    actor: Actor, *, province_id, regency_id, ministry=None, governing: bool = False
) -> bool:
    """Whether one of the actor's office grants covers a place for the record's ministry
    (the right to change data); `governing` asks for an office that keeps the registry."""
    return actor.is_superuser or any(
        grant_covers(g, province_id=province_id, regency_id=regency_id, ministry=ministry)
        and (g.governs or not governing)
        for g in actor.grants_for(OFFICE_ROLES)
    )


def overlap_q(actor: Actor, prefix: str = "") -> Q | None:
    """Programmes with a region and a ministry (a cohort, a training event) whose region
    overlaps an office grant of the actor of the same ministry: what an office sees."""
    q = Q(pk__in=[])
    for g in actor.grants_for(OFFICE_ROLES):
        same = Q(**{f"{prefix}ministry": g.ministry}) if g.ministry else Q()
        national = Q(**{f"{prefix}province__isnull": True, f"{prefix}regency__isnull": True})
        if g.level == ScopeLevel.NASIONAL:
            if not same:
                return None
            q |= same
        elif g.level == ScopeLevel.PROVINSI:
            q |= same & (
                national
                | Q(**{f"{prefix}province_id": g.province_id})
                | Q(**{f"{prefix}regency__province_id": g.province_id})
            )
        elif g.level == ScopeLevel.KABKOTA:
            province = g.regency_id.split(".")[0]
            q |= same & (
                national
                | Q(**{f"{prefix}province_id": province, f"{prefix}regency__isnull": True})
                | Q(**{f"{prefix}regency_id": g.regency_id})
            )
    return q


def whole_region_q(actor: Actor, prefix: str = "") -> Q | None:
    """The filter form of `covers_whole_region`: the programmes the actor's offices run."""
    if actor.is_superuser:
        return None
    q = Q(pk__in=[])
    for g in actor.grants_for(OFFICE_ROLES):
        same = Q(**{f"{prefix}ministry": g.ministry}) if g.ministry else Q()
        if g.level == ScopeLevel.NASIONAL:
            if not same:
                return None
            q |= same
        elif g.level == ScopeLevel.PROVINSI:
            q |= same & (
                Q(**{f"{prefix}province_id": g.province_id})
                | Q(**{f"{prefix}regency__province_id": g.province_id})
            )
        elif g.level == ScopeLevel.KABKOTA:
            q |= same & Q(**{f"{prefix}regency_id": g.regency_id})
    return q


def covers_whole_region(actor: Actor, obj) -> bool:
    """Whether an office of the programme's ministry covers its whole region (a national
    programme needs a national office): who runs a cohort or a training event."""
    if actor.is_superuser:
        return True
    province = obj.province_id or (obj.regency_id.split(".")[0] if obj.regency_id else None)
    for g in actor.grants_for(OFFICE_ROLES):
        if not g.serves(obj.ministry):
            continue
        if g.level == ScopeLevel.NASIONAL:
            return True
        if g.level == ScopeLevel.PROVINSI and province and g.province_id == province:
            return True
        if g.level == ScopeLevel.KABKOTA and obj.regency_id and obj.regency_id == g.regency_id:
            return True
    return False


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
    # __class__, not type(): a lazy request.user (django-otp wraps it) reads as its model.
    return policy_for(obj.__class__).can(actor, action, obj)


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
