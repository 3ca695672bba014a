"""The dashboards of one working group and one school: counted live from that group's or
school's own rows (indexed by group or school), so their cost follows the group or the
school, never the nation. Same sections as a region's, where they apply."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.urls import reverse
from django.utils.translation import gettext as _

from gugus.communities import activeness
from gugus.communities.models import Activity, Attendance, Membership, WorkingGroup
from gugus.competency.models import Rollup, UkgEvent
from gugus.core import clock
from gugus.directory.models import Person, School
from gugus.grants.models import BudgetLine, PlannedActivity, Proposal
from gugus.insights.indicators import format_value
from gugus.insights.measures import FUNDED, TEACHERS
from gugus.performance.models import Plan
from gugus.training.models import Cascade, Certificate
from gugus.training.models import Participant as Trainee


def _row(label, value, kind="count", href=""):
    return {"label": label, "text": format_value(value, kind), "value": value, "href": href}


def _share(top, bottom):
    return Decimal(top) / Decimal(bottom) if bottom else None


def _ukg(level: str, key: str):
    event = (
        UkgEvent.objects.filter(rollups__level=level, rollups__key=key).order_by("-year").first()
    )
    if event is None:
        return None, None
    cell = Rollup.objects.filter(
        event=event, level=level, key=key, subject="", jenjang="", component="total"
    ).first()
    return event, cell


def group_dashboard(group: WorkingGroup, *, year: int) -> dict:
    members = Membership.objects.filter(group=group, ended_on__isnull=True)
    held = Activity.objects.filter(group=group, status=Activity.Status.HELD, date__year=year)
    attendance = Attendance.objects.filter(activity__in=held).aggregate(
        present=Count("id", filter=Q(status=Attendance.Status.PRESENT)), all=Count("id")
    )
    upcoming = Activity.objects.filter(
        group=group, status=Activity.Status.PLANNED, date__gte=clock.today()
    ).count()
    people = members.values("person_id")
    page = reverse("group_detail", args=[group.pk])
    sections = [
        (
            _("Working group"),
            [
                _row(
                    _("Current members"),
                    members.count(),
                    href=reverse("group_detail", args=[group.pk]),
                ),
                _row(_("Activities held"), held.count(), href=page),
                _row(_("Activities planned ahead"), upcoming, href=page),
                _row(
                    _("Attendance at activities held"),
                    _share(attendance["present"], attendance["all"]),
                    "share",
                ),
                _row(_("Activeness score"), group.activeness_score, "count", page),
            ],
        ),
        (_("Working-group grants"), _grant_rows(group, year)),
        (_("Training and cascading"), _training_rows(Q(person__in=people), year)),
    ]
    event, cell = _ukg("kelompok", str(group.pk))
    if cell:
        href = reverse("group_competency", args=[group.pk])
        sections.append(
            (
                _("Competency (UKG)") + f" · {event.name}",
                [
                    _row(_("UKG results"), cell.n, href=href),
                    _row(_("UKG average"), cell.mean, "score", href),
                    _row(
                        _("Share below the target"),
                        _share(cell.below_target, cell.n),
                        "share",
                        href,
                    ),
                ],
            )
        )
    return {
        "group": group,
        "level": activeness.LEVEL_LABELS.get(group.activeness_level, _("Not measured")),
        "sections": sections,
        "year": year,
    }


def _grant_rows(group, year):
    proposals = Proposal.objects.filter(group=group, programme__year=year)
    funded = proposals.filter(status__in=FUNDED)
    money = funded.aggregate(committed=Sum("amount"), disbursed=Sum("disbursed_amount"))
    accounted = BudgetLine.objects.filter(proposal__in=funded).aggregate(s=Sum("spent"))["s"]
    planned = PlannedActivity.objects.filter(proposal__in=funded)
    sessions = planned.aggregate(
        planned=Count("id"), held=Count("id", filter=Q(activity__status=Activity.Status.HELD))
    )
    first = proposals.order_by("-id").first()
    href = reverse("proposal_detail", args=[first.pk]) if first else ""
    money_href = reverse("proposal_money", args=[first.pk]) if first else ""
    return [
        _row(
            _("Proposals sent"),
            proposals.exclude(status__in=("draft", "withdrawn")).count(),
            href=href,
        ),
        _row(_("Funds committed"), money["committed"] or 0, "rupiah", href),
        _row(_("Funds disbursed"), money["disbursed"] or 0, "rupiah", money_href),
        _row(_("Funds accounted for"), accounted or 0, "rupiah", money_href),
        _row(
            _("In-On-In sessions held"),
            _share(sessions["held"], sessions["planned"]),
            "share",
            href,
        ),
    ]


def _training_rows(people_q: Q, year: int):
    nominated = Trainee.objects.filter(
        people_q, status=Trainee.Status.NOMINATED, event__starts_on__year=year
    )
    certified = Certificate.objects.filter(
        revoked_at__isnull=True, participant__in=nominated.values("id")
    ).count()
    cascades = Cascade.objects.filter(participant__in=nominated.values("id"))
    return [
        _row(_("Nominated for training"), nominated.count()),
        _row(_("Participants completed"), _share(certified, nominated.count()), "share"),
        _row(_("Cascading activities"), cascades.count()),
        _row(_("Teachers reached by cascading"), cascades.aggregate(t=Sum("teachers"))["t"] or 0),
    ]


def school_dashboard(school: School, *, year: int) -> dict:
    staff = Person.objects.filter(school=school)
    teachers = staff.filter(position__in=TEACHERS).count()
    plans = Plan.objects.filter(school=school, period__year=year)
    by_status = dict(plans.order_by().values_list("status").annotate(n=Count("id")))
    attended = Attendance.objects.filter(
        person__school=school,
        status=Attendance.Status.PRESENT,
        activity__status=Activity.Status.HELD,
        activity__date__year=year,
    ).count()
    reached = Cascade.objects.filter(schools=school, participant__event__starts_on__year=year)
    sections = [
        (
            _("Schools and educators"),
            [
                _row(_("Teachers"), teachers, href=reverse("school_detail", args=[school.npsn])),
                _row(
                    _("Teachers in a working group"),
                    Membership.objects.filter(person__school=school, ended_on__isnull=True)
                    .values("person")
                    .distinct()
                    .count(),
                ),
                _row(_("Group activities attended"), attended),
            ],
        ),
        (
            _("Performance management"),
            [
                _row(_("Performance plans"), sum(by_status.values())),
                _row(
                    _("Share assessed"),
                    _share(by_status.get("assessed", 0), sum(by_status.values())),
                    "share",
                ),
            ],
        ),
        (_("Training and cascading"), _training_rows(Q(person__school=school), year)),
        (
            _("Reached by cascading"),
            [_row(_("Cascading activities at this school"), reached.count())],
        ),
    ]
    event, cell = _ukg("sekolah", str(school.pk))
    if cell:
        sections.append(
            (
                _("Competency (UKG)") + f" · {event.name}",
                [
                    _row(_("UKG results"), cell.n),
                    _row(_("UKG average"), cell.mean, "score"),
                    _row(_("Share below the target"), _share(cell.below_target, cell.n), "share"),
                ],
            )
        )
    return {"school": school, "sections": sections, "year": year}
