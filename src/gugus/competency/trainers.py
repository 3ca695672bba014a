"""Who trains a working group (seed 001): its national instructors first; where it has
none, the recommended member, confirmed or overridden by an office.

The recommended member has the highest total in the group's most recent UKG event among
the members teaching the group's subject (MGMP) at its level. Ties go to the higher
profesional score, then the higher pedagogik score, then the person listed first in the
directory (lowest id) so the choice is always the same. When even that member is below the
event's target, they are still the group's most competent member and are recommended,
with the reason saying how far below the target they are and that the group needs a
trainer from outside, so the office sees it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.template.defaultfilters import floatformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gugus.communities.models import Membership, WorkingGroup
from gugus.competency.models import Result, TrainerChoice
from gugus.core import audit
from gugus.core.access import require, user_of, visible
from gugus.core.errors import DomainError
from gugus.directory.models import Person

KIND_LABELS = {
    "in": gettext_lazy("National instructor"),
    "confirmed": gettext_lazy("Chosen by the office"),
    "override": gettext_lazy("Chosen by the office, not the recommended member"),
    "recommended": gettext_lazy("Recommended"),
}


@dataclass(frozen=True)
class Trainer:
    person: Person
    kind: str  # "in", "confirmed", "override", "recommended"
    reason: str

    @property
    def label(self) -> str:
        return str(KIND_LABELS[self.kind])


def _members(group: WorkingGroup):
    return Membership.objects.filter(group=group, ended_on__isnull=True).values("person_id")


def recommended(group: WorkingGroup, viewer=None) -> tuple[Person | None, str]:
    """The member the rule recommends, with the reason (or why there is none). The
    reason quotes the member's scores only to a `viewer` who may see that result (None:
    the rule itself, e.g. in the audit)."""
    results = Result.objects.filter(person_id__in=_members(group))
    if group.subject_id:
        results = results.filter(subject_id=group.subject_id)
    latest = results.order_by("-event__year").values_list("event_id", flat=True).first()
    if latest is None:
        return None, _("No UKG results for the members yet.")
    best = (
        results.filter(event_id=latest)
        .select_related("person", "event")
        .order_by("-total", "-profesional", "-pedagogik", "person_id")
        .first()
    )
    event, target = best.event, floatformat(best.event.target, -2)
    shows_scores = viewer is None or visible(viewer, Result).filter(pk=best.pk).exists()
    if best.total < event.target:
        if not shows_scores:
            return best.person, _(
                "Highest score in %(event)s among the members, below the target %(target)s: "
                "the group needs a trainer from outside."
            ) % {"event": event.name, "target": target}
        return best.person, _(
            "Highest score in %(event)s among the members (%(total)s), %(gap)s below the "
            "target %(target)s: the group needs a trainer from outside."
        ) % {
            "event": event.name,
            "total": floatformat(best.total, 2),
            "gap": floatformat(event.target - best.total, 2),
            "target": target,
        }
    if not shows_scores:
        return best.person, _("Highest score in %(event)s among the members.") % {
            "event": event.name
        }
    return best.person, _(
        "Highest score in %(event)s among the members (%(total)s; profesional %(prof)s)."
    ) % {
        "event": event.name,
        "total": floatformat(best.total, 2),
        "prof": floatformat(best.profesional, 2),
    }


def trainers_for(group: WorkingGroup, viewer=None) -> list[Trainer]:
    instructors = Person.objects.filter(
        pk__in=_members(group), is_instruktur_nasional=True
    ).order_by("name")
    if instructors:
        return [Trainer(p, "in", _("National instructor (IN).")) for p in instructors]
    choice = (
        TrainerChoice.objects.filter(group=group, ended_at__isnull=True)
        .select_related("person")
        .first()
    )
    if choice:
        return [Trainer(choice.person, choice.kind, choice.reason)]
    person, reason = recommended(group, viewer)
    return [Trainer(person, "recommended", reason)] if person else []


@transaction.atomic
def trainer_choose(*, actor, group: WorkingGroup, person_id, reason: str = "", source="web"):
    """An office confirms the recommendation or names another current member (an override
    needs a reason); the choice replaces the previous one and is audited."""
    require(actor, "manage_trainer", group)
    member = str(person_id or "")
    membership = (
        Membership.objects.filter(
            group=group, person_id=int(member) if member.isdigit() else 0, ended_on__isnull=True
        )
        .select_related("person")
        .first()
    )
    if membership is None:
        raise DomainError(_("The trainer must be a member of the group."), field="person")
    person = membership.person
    suggested, _why = recommended(group)
    kind = "confirmed" if suggested and suggested.pk == person.pk else "override"
    if kind == "override" and not reason.strip():
        raise DomainError(_("Say why this member rather than the recommended one."), field="reason")
    previous = TrainerChoice.objects.filter(group=group, ended_at__isnull=True).first()
    if previous:
        previous.end()
    choice = TrainerChoice.objects.create(
        group=group,
        person=person,
        kind=kind,
        reason=reason.strip() or _("Confirmed the recommendation."),
        chosen_by=user_of(actor),
    )
    audit.record(
        actor=actor,
        action=f"trainer_{kind}",
        obj=choice,
        source=source,
        changes={
            "person": [previous.person_id if previous else None, person.pk],
            "recommended": [None, suggested.pk if suggested else None],
            "reason": [None, choice.reason],
        },
        province_id=group.province_id,
        regency_id=group.regency_id or "",
    )
    return choice
