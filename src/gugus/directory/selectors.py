"""Reads of the directory, always through the scoping layer."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from gugus.core.access import actor_for, office_covers, policy_for, visible
from gugus.core.errors import DomainError
from gugus.core.pagination import capped_count
from gugus.core.roles import OFFICE_RULES, ScopeLevel
from gugus.directory.models import (
    CorrectionRequest,
    District,
    Office,
    Person,
    Province,
    Regency,
    School,
)
from gugus.directory.services import search_key


def school_list(
    *,
    actor,
    search: str = "",
    province: str = "",
    regency: str = "",
    jenjang: str = "",
    status: str = "",
    ministry: str = "",
) -> QuerySet[School]:
    qs = visible(actor, School).select_related("regency", "district")
    if province:
        qs = qs.filter(province_id=province)
    if regency:
        qs = qs.filter(regency_id=regency)
    if jenjang:
        qs = qs.filter(jenjang=jenjang)
    if status:
        qs = qs.filter(status=status)
    if ministry:
        qs = qs.filter(ministry=ministry)
    search = (search or "").strip()
    if search.isdigit() or (search[:1] in "PKpk" and search[1:].isdigit() and search[1:]):
        qs = qs.filter(npsn__startswith=search.upper())
    elif search:
        qs = qs.filter(name__icontains=search)
    return qs.order_by("name", "id")


def person_list(
    *,
    actor,
    search: str = "",
    province: str = "",
    regency: str = "",
    school: int | str | None = None,
    position: str = "",
    gender: str = "",
    subject: str = "",
) -> QuerySet[Person]:
    """People in scope. A digit search matches NUPTK/NIP (see `identifier_search_q`),
    text matches the start of any word of the name (accent- and case-insensitive)."""
    qs = visible(actor, Person).select_related("school", "regency")
    if province:
        qs = qs.filter(province_id=province)
    if regency:
        qs = qs.filter(regency_id=regency)
    if school:
        qs = qs.filter(school_id=school)
    if position:
        qs = qs.filter(position=position)
    if gender:
        qs = qs.filter(gender=gender)
    if subject:
        qs = qs.filter(subjects__code=subject)
    search = (search or "").strip()
    if search.isdigit():
        qs = qs.filter(identifier_search_q(actor, search))
    elif search:
        key = search_key(search)
        qs = qs.filter(Q(name_search__startswith=key) | Q(name_search__contains=" " + key))
    return qs.order_by("name_search", "id")


def person_detail(person: Person) -> Person:
    return (
        Person.objects.select_related("school", "regency", "province")
        .prefetch_related("subjects")
        .get(pk=person.pk)
    )


def correction_list(*, actor, status: str = "") -> QuerySet[CorrectionRequest]:
    qs = visible(actor, CorrectionRequest).select_related("person", "requested_by")
    if status:
        qs = qs.filter(status=status)
    return qs


def region_choices(*, actor) -> dict:
    """Provinces and kab/kota offered in filters: those the actor's grants reach."""
    a = actor_for(actor)
    provinces = Province.objects.all()
    regencies = Regency.objects.all()
    if not (a.is_superuser or any(g.level == ScopeLevel.NASIONAL for g in a.grants)):
        province_ids = {g.province_id for g in a.grants if g.level == ScopeLevel.PROVINSI}
        regency_ids = {g.regency_id for g in a.grants if g.level == ScopeLevel.KABKOTA}
        provinces = provinces.filter(Q(code__in=province_ids) | Q(regencies__code__in=regency_ids))
        regencies = regencies.filter(Q(province_id__in=province_ids) | Q(code__in=regency_ids))
    return {"provinces": provinces.distinct(), "regencies": regencies}


def shows_identifiers(actor, person: Person) -> bool:
    """NUPTK/NIP are personal data: shown in full to the person and to the offices that
    keep their record, masked for everyone else (DOMAIN.md §8)."""
    a = actor_for(actor)
    return a.person_id == person.pk or office_covers(
        a, province_id=person.province_id, regency_id=person.regency_id
    )


def mask(value: str | None) -> str | None:
    """Only the last three digits: a NIP's first 15 carry the birth date, the appointment
    and the gender, so any more would tell them."""
    if not value:
        return value
    return "•" * (len(value) - 3) + value[-3:]


def identifier_search_q(actor, digits: str) -> Q:
    """People matching a typed NUPTK/NIP. Prefixes match only among people whose
    identifiers the actor sees in full; elsewhere the whole identifier must be typed, so
    masked identifiers cannot be recovered digit by digit (`?q=32710`, `?q=32711`, ...)."""
    exact = Q(nuptk=digits) | Q(nip=digits)
    prefix = Q(nuptk__startswith=digits) | Q(nip__startswith=digits)
    a = actor_for(actor)
    if a.is_superuser:
        return prefix
    shown = policy_for(Person).change_q(a)
    if shown is None:
        return prefix
    own = Q(pk=a.person_id) if a.person_id else Q(pk__in=[])
    return exact | (prefix & (shown | own))


def person_by_identifier(actor, *identifiers, field: str = "identifier") -> Person:
    """The person in the actor's scope whose NUPTK or NIP is one of the typed values (the
    whole identifier, never a prefix): how a page, the API and an import name a member or
    an officer. Outside the scope reads exactly like unknown."""
    values = [v.strip() for v in identifiers if v and v.strip()]
    person = (
        visible(actor, Person).filter(Q(nuptk__in=values) | Q(nip__in=values)).first()
        if values
        else None
    )
    if person is None:
        raise DomainError(
            _("Nobody in your scope has this NUPTK or NIP."), code="unknown_person", field=field
        )
    return person


def office_list(*, ministry: str = "", province: str = "", regency: str = "") -> QuerySet[Office]:
    qs = Office.objects.prefetch_related("serves").order_by("kind", "name", "id")
    if ministry:
        qs = qs.filter(kind__in=[k for k, r in OFFICE_RULES.items() if r.ministry == ministry])
    if province:
        qs = qs.filter(Q(province_id=province) | Q(serves=province)).distinct()
    if regency:
        qs = qs.filter(regency_id=regency)
    return qs


def districts_of(regency_code: str) -> QuerySet[District]:
    return District.objects.filter(regency_id=regency_code)


def scope_summary(*, actor) -> dict:
    """Schools and people within the actor's scope for the home page, counted as their
    lists count them (up to COUNT_CAP): a national office would otherwise count millions
    on every visit, and its dashboard holds the exact figures."""
    schools, schools_capped = capped_count(visible(actor, School))
    people, people_capped = capped_count(visible(actor, Person))
    return {
        "schools": schools,
        "schools_is_capped": schools_capped,
        "people": people,
        "people_is_capped": people_capped,
    }
