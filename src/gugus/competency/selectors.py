"""Reads for the competency maps, a group's competency page and a member's own results."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext_lazy

from gugus.communities.models import WorkingGroup
from gugus.competency import rollups, tracks
from gugus.competency.models import Result, Rollup, UkgEvent
from gugus.competency.policies import SMALL_CELL, sees_individual_results
from gugus.core.access import visible
from gugus.directory.models import Province, Regency, School

COMPONENT_LABELS = {
    "total": gettext_lazy("Total score"),
    "pedagogik": gettext_lazy("Pedagogical (pedagogik)"),
    "profesional": gettext_lazy("Professional (profesional)"),
}


def events() -> QuerySet:
    return UkgEvent.objects.order_by("year", "code")


def latest_event() -> UkgEvent | None:
    """The most recent event with maps (an EXISTS on the national cell, not a join over
    every rollup)."""
    national = Rollup.objects.filter(event=OuterRef("pk"), level=Rollup.Level.NASIONAL)
    return UkgEvent.objects.filter(Exists(national)).order_by("-year").first()


def event_for(code: str) -> UkgEvent | None:
    """The event a map asks for by code; without a code, the latest with maps."""
    if code:
        return UkgEvent.objects.filter(code=code).first()
    return latest_event()


def component_for(value: str) -> str:
    """The score component a map asks for; the total when it names none."""
    return value if value in rollups.COMPONENTS else "total"


@dataclass
class Place:
    level: str
    key: str
    name: str
    parent: Place | None = None


def place_for(code: str) -> Place:
    """The nation, a province ("34") or a kab/kota ("34.71")."""
    nation = Place(Rollup.Level.NASIONAL, "", "Indonesia")
    if not code:
        return nation
    if "." in code:
        regency = Regency.objects.select_related("province").filter(code=code).first()
        if regency:
            province = Place(
                Rollup.Level.PROVINSI, regency.province_id, regency.province.name, nation
            )
            return Place(Rollup.Level.KABKOTA, regency.code, regency.name, province)
    else:
        province = Province.objects.filter(code=code).first()
        if province:
            return Place(Rollup.Level.PROVINSI, province.code, province.name, nation)
    return nation


def cell(event, level, key, component="total", subject="", jenjang="") -> Rollup | None:
    return Rollup.objects.filter(
        event=event, level=level, key=key, component=component, subject=subject, jenjang=jenjang
    ).first()


def children(user, event, place: Place, component="total", subject="", jenjang=""):
    """The places (or schools and groups) inside `place`, weakest first: who needs help."""
    if place.level == Rollup.Level.NASIONAL:
        level, names = Rollup.Level.PROVINSI, dict(Province.objects.values_list("code", "name"))
    elif place.level == Rollup.Level.PROVINSI:
        level = Rollup.Level.KABKOTA
        names = dict(Regency.objects.filter(province_id=place.key).values_list("code", "name"))
    else:
        return _inside_regency(user, event, place, component)
    rows = Rollup.objects.filter(
        event=event,
        level=level,
        key__in=list(names),
        component=component,
        subject=subject,
        jenjang=jenjang,
    ).order_by("mean", "key")
    return [(r, names[r.key], {"wilayah": r.key}) for r in rows]


def counts_only(user, rollup: Rollup | None, *, province_id, regency_id) -> Rollup | None:
    """A school's or group's rollup as the user may see it: with fewer than SMALL_CELL
    teachers, only the count for those who may not see the individual results (a mean of
    three teachers, beside one's own score, gives the others away)."""
    if rollup is None or rollup.n >= SMALL_CELL:
        return rollup
    if sees_individual_results(
        user, level=rollup.level, key=rollup.key, province_id=province_id, regency_id=regency_id
    ):
        return rollup
    rollup.mean = rollup.median = rollup.below_pass = rollup.below_target = None
    rollup.bins, rollup.tracks, rollup.counts_only = [], {}, True
    return rollup


def _inside_regency(user, event, place, component):
    schools = dict(visible(user, School).filter(regency_id=place.key).values_list("pk", "name"))
    groups = dict(
        visible(user, WorkingGroup).filter(regency_id=place.key).values_list("pk", "name")
    )
    rows = []
    for level, names in ((Rollup.Level.KELOMPOK, groups), (Rollup.Level.SEKOLAH, schools)):
        for r in Rollup.objects.filter(
            event=event,
            level=level,
            key__in=[str(k) for k in names],
            component=component,
            subject="",
            jenjang="",
        ).order_by("mean", "key")[:200]:
            r = counts_only(user, r, province_id=place.parent.key, regency_id=place.key)
            rows.append((r, names[int(r.key)], {"kelompok": r.key} if level == "kelompok" else {}))
    # Rows shown as counts only go last, by name: their order would rank their means.
    rows.sort(key=lambda row: (row[0].mean is None, row[0].mean or 0, row[1]))
    return rows


def group_cell(user, group: WorkingGroup, event) -> Rollup | None:
    """The group's own figures in the event, as `counts_only` lets the user see them."""
    cell_ = cell(event, Rollup.Level.KELOMPOK, str(group.pk)) if event else None
    return counts_only(user, cell_, province_id=group.province_id, regency_id=group.regency_id)


def trend(level, key, component="total") -> list[Rollup]:
    return list(
        Rollup.objects.filter(level=level, key=key, component=component, subject="", jenjang="")
        .select_related("event")
        .order_by("event__year")
    )


def subjects_in(event, place: Place) -> list[str]:
    return list(
        Rollup.objects.filter(event=event, level=place.level, key=place.key, component="total")
        .exclude(subject="")
        .values_list("subject", flat=True)
        .order_by("subject")
    )


def member_results(user, group: WorkingGroup, event) -> list[tuple]:
    """Each current member's result in the event, with the recommended track."""
    results = (
        visible(user, Result)
        .filter(
            event=event,
            person__memberships__group=group,
            person__memberships__ended_on__isnull=True,
        )
        .select_related("person", "subject")
        .order_by("total")
    )
    return [(r, tracks.recommend(r)) for r in results]


def own_results(person) -> list[tuple]:
    results = Result.objects.filter(person=person).select_related("event", "subject")
    return [(r, tracks.recommend(r)) for r in results.order_by("-event__year")]
