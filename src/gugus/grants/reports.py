"""Documents generated from the records: the accountability report (LPJ) of one grant
and the decision (SK) list of a programme, as PDF (WeasyPrint) and XLSX."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from gugus.communities.models import Evidence, Officer
from gugus.core.documents import PDF_TYPE, Document, render_pdf
from gugus.core.errors import NotFound
from gugus.core.sheets import XLSX_TYPE, XlsxWriter
from gugus.grants import money
from gugus.grants.models import GrantProgramme, PlannedActivity, Proposal, Review, Spending
from gugus.grants.workflow import GRANT_STATES

FORMATS = ("pdf", "xlsx")
IMAGE_EVIDENCE = {"foto", "observasi", "karya"}


@dataclass
class ActivityReport:
    item: PlannedActivity
    present: int = 0
    excused: int = 0
    absent: int = 0
    evidence: list = field(default_factory=list)
    photos: list = field(default_factory=list)


@dataclass
class LineReport:
    line: object
    spending: list


def lpj_context(proposal: Proposal) -> dict:
    """Everything the report shows, read once."""
    group = proposal.group
    plan = list(proposal.plan.select_related("activity").prefetch_related("activity__evidence"))
    reports = []
    for item in plan:
        report = ActivityReport(item=item)
        if item.activity_id:
            counts = item.activity.attendance.aggregate(
                present=Count("id", filter=Q(status="hadir")),
                excused=Count("id", filter=Q(status="izin")),
                absent=Count("id", filter=Q(status="absen")),
            )
            report.present, report.excused, report.absent = (
                counts["present"],
                counts["excused"],
                counts["absent"],
            )
            report.evidence = list(item.activity.evidence.all())
            report.photos = [
                e
                for e in report.evidence
                if e.kind in IMAGE_EVIDENCE
                and e.file.name.lower().endswith((".jpg", ".jpeg", ".png", ".webp"))
            ]
        reports.append(report)
    by_line = defaultdict(list)
    for s in Spending.objects.filter(line__proposal=proposal).order_by("date", "id"):
        by_line[s.line_id].append(s)
    lines = [
        LineReport(line=line, spending=by_line[line.pk])
        for line in proposal.budget.select_related("planned")
    ]
    officers = {
        o.position: o.person
        for o in Officer.objects.filter(group=group, ended_on__isnull=True).select_related("person")
    }
    reviews = list(
        proposal.reviews.filter(stage=Review.Stage.REPORT, decision=Review.Decision.APPROVE)
        .select_related("reviewer__person")
        .order_by("at")
    )
    return {
        "proposal": proposal,
        "programme": proposal.programme,
        "group": group,
        "activities": reports,
        "lines": lines,
        "totals": money.totals(proposal),
        "returns": list(proposal.returns.all()),
        "taxes": money.tax_lines(proposal),
        "tax_deposits": list(proposal.tax_deposits.all()),
        "ketua": officers.get(Officer.Position.KETUA),
        "bendahara": officers.get(Officer.Position.BENDAHARA),
        "verified": next((r for r in reviews if r.level == "pengawas"), None),
        "approved": next((r for r in reviews if r.level == "kantor"), None),
        "participants": proposal.participants.count(),
        "generated": timezone.localtime(),
        "evidence_kinds": dict(Evidence.Kind.choices),
    }


def lpj_pdf(proposal: Proposal) -> bytes:
    return render_pdf("grants/lpj_pdf.html", lpj_context(proposal))


def lpj_xlsx(proposal: Proposal) -> bytes:
    ctx = lpj_context(proposal)
    totals = ctx["totals"]
    book = XlsxWriter()
    summary = book.sheet(_("Summary"))
    for row in (
        (_("Working group"), proposal.group.name),
        (_("Programme"), proposal.programme.name),
        (_("Decision (SK)"), proposal.programme.decision_number),
        (_("Disbursed (Rp)"), totals.disbursed),
        (_("Spent (Rp)"), totals.spent),
        (_("Tax withheld (Rp)"), totals.tax),
        (_("Returned (Rp)"), totals.returned),
        (_("Balance (Rp)"), totals.balance),
        (_("What changed for students"), proposal.outcomes),
    ):
        summary.append(list(row))
    sheet = book.sheet(_("Activities"))
    sheet.append(
        [
            _("No."),
            _("Kind"),
            _("Date"),
            _("Topic"),
            _("Facilitator"),
            _("Students' learning problem"),
            _("Present"),
            _("Evidence"),
            _("What changed for students"),
        ]
    )
    for r in ctx["activities"]:
        item = r.item
        sheet.append(
            [
                item.seq,
                item.get_kind_display(),
                (item.activity.date if item.activity_id else item.date),
                item.topic,
                item.facilitator,
                item.learning_problem,
                r.present,
                len(r.evidence),
                item.students_change,
            ]
        )
    sheet = book.sheet(_("Finance"))
    sheet.append(
        [
            _("Activity"),
            _("Category"),
            _("Description"),
            _("Planned (Rp)"),
            _("Available (Rp)"),
            _("Spent (Rp)"),
            _("Remaining (Rp)"),
        ]
    )
    for lr in ctx["lines"]:
        line = lr.line
        sheet.append(
            [
                line.planned.ref if line.planned_id else _("Whole grant"),
                line.get_category_display(),
                line.description,
                line.planned_amount,
                line.amount,
                line.spent,
                line.remaining,
            ]
        )
    sheet = book.sheet(_("Spending"))
    sheet.append(
        [_("Date"), _("Budget line"), _("Description"), _("Amount (Rp)"), _("Tax"), _("Tax (Rp)")]
    )
    for lr in ctx["lines"]:
        for s in lr.spending:
            sheet.append(
                [
                    s.date,
                    lr.line.description,
                    s.description,
                    s.amount,
                    s.get_tax_kind_display(),
                    s.tax_amount,
                ]
            )
    sheet = book.sheet(_("Returned funds"))
    sheet.append([_("Date"), _("Deposit reference (NTPN)"), _("Amount (Rp)")])
    for back in ctx["returns"]:
        sheet.append([back.date, back.reference, back.amount])
    sheet = book.sheet(_("Tax"))
    sheet.append([_("Tax"), _("Withheld (Rp)"), _("Deposited (Rp)"), _("Still to deposit (Rp)")])
    for tax in ctx["taxes"]:
        sheet.append([tax.label, tax.withheld, tax.deposited, tax.owed])
    sheet.append([])
    sheet.append([_("Deposit date"), _("Tax"), _("NTPN or billing code"), _("Amount (Rp)")])
    for deposit in ctx["tax_deposits"]:
        sheet.append(
            [deposit.date, deposit.get_tax_kind_display(), deposit.reference, deposit.amount]
        )
    return book.bytes()


def decision_rows(programme: GrantProgramme) -> list[Proposal]:
    return list(
        programme.proposals.filter(status__in=DECIDED)
        .select_related("group", "group__regency", "group__province")
        .order_by("rank", "group__name")
    )


DECIDED = [
    Proposal.Status.SELECTED,
    Proposal.Status.FUNDED,
    Proposal.Status.REPORTED,
    Proposal.Status.REPORT_VERIFIED,
    Proposal.Status.CLOSED,
]


def decision_pdf(programme: GrantProgramme) -> bytes:
    rows = decision_rows(programme)
    return render_pdf(
        "grants/decision_pdf.html",
        {
            "programme": programme,
            "rows": rows,
            "total": sum(p.amount for p in rows),
            "generated": timezone.localtime(),
        },
    )


def decision_xlsx(programme: GrantProgramme) -> bytes:
    book = XlsxWriter()
    sheet = book.sheet(_("Decision list"))
    sheet.append([programme.name, programme.decision_number, programme.decision_date])
    sheet.append(
        [
            _("No."),
            _("Working group"),
            _("Type"),
            _("District/city"),
            _("Province"),
            _("Score"),
            _("Amount (Rp)"),
        ]
    )
    for n, p in enumerate(decision_rows(programme), start=1):
        g = p.group
        sheet.append(
            [
                n,
                g.name,
                g.get_kind_display(),
                g.regency.name if g.regency_id else "",
                g.province.name,
                p.score,
                p.amount,
            ]
        )
    return book.bytes()


def _document(fmt: str, pdf, xlsx, name: str) -> Document:
    if fmt not in FORMATS:
        raise NotFound()
    if fmt == "pdf":
        return Document(pdf(), f"{name}.pdf", PDF_TYPE)
    return Document(xlsx(), f"{name}.xlsx", XLSX_TYPE)


def lpj_document(proposal: Proposal, fmt: str) -> Document:
    """The LPJ as PDF or XLSX, for the page and the API alike: only a grant (money was
    paid) has one."""
    if proposal.status not in GRANT_STATES:
        raise NotFound()
    return _document(
        fmt, lambda: lpj_pdf(proposal), lambda: lpj_xlsx(proposal), f"lpj-{proposal.pk}"
    )


def decision_document(programme: GrantProgramme, fmt: str) -> Document:
    return _document(
        fmt,
        lambda: decision_pdf(programme),
        lambda: decision_xlsx(programme),
        f"sk-bantuan-{programme.pk}",
    )
