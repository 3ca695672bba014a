"""Grant endpoints: programmes, proposals and their review, money, report, sustainability."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Literal

from django.utils.translation import gettext as _
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile

from gugus.communities.models import WorkingGroup
from gugus.core.access import access
from gugus.core.apitypes import (
    DOCUMENT_TYPES,
    BodyIn,
    Id,
    Int,
    PageOut,
    PageQuery,
    Rupiah,
    file_response,
    one_of,
    page_out,
)
from gugus.core.errors import DomainError
from gugus.core.roles import Ministry
from gugus.core.uploads import stored_file_response
from gugus.core.views import attachment
from gugus.grants import money, reports, selectors, services
from gugus.grants.models import (
    BudgetLine,
    FundReturn,
    GrantProgramme,
    PlannedActivity,
    Proposal,
    Review,
    Spending,
    TaxDeposit,
)
from gugus.grants.workflow import PROGRAMME

router = Router(tags=["grants"])


class KindOut(Schema):
    kind: str
    amount: Rupiah
    in_count: Int
    on_count: Int


class ProgrammeOut(Schema):
    id: Int
    name: str
    ministry: str
    year: Int
    province_code: str | None = Field(alias="province_id")
    regency_code: str | None = Field(alias="regency_id")
    status: str
    apply_from: datetime.date
    apply_until: datetime.date
    period_start: datetime.date
    period_end: datetime.date
    budget_ceiling: Rupiah
    quota: Int
    required_documents: list[str]
    review_weight: Decimal
    activeness_weight: Decimal
    favour_activation: bool
    decision_number: str
    decision_date: datetime.date | None
    kinds: list[KindOut]

    @staticmethod
    def resolve_kinds(obj):
        return list(obj.kinds.all())


class KindIn(BodyIn):
    kind: one_of(WorkingGroup.Kind)
    amount: Rupiah
    in_count: Int | None = Field(None, description="defaults to the technical guidelines")
    on_count: Int | None = None


class ProgrammeIn(BodyIn):
    name: str
    ministry: one_of(Ministry) | None = Field(
        None, description="the ministry whose groups it funds; empty: the office's own"
    )
    province_code: str | None = Field(None, description="empty for a national programme")
    regency_code: str | None = None
    apply_from: datetime.date
    apply_until: datetime.date
    period_start: datetime.date
    period_end: datetime.date
    budget_ceiling: Rupiah
    quota: Int
    required_documents: list[str] = []
    review_weight: Decimal = Field(
        Decimal("0.6"), ge=0, le=1, description="selection: the reviewers' mean counts this much"
    )
    activeness_weight: Decimal = Field(
        Decimal("0.4"), ge=0, le=1, description="selection: activeness counts this much"
    )
    favour_activation: bool = Field(
        False, description="count 100 minus activeness, so less active groups rank higher"
    )
    kinds: list[KindIn]


class ActionIn(BodyIn):
    action: one_of(PROGRAMME.steps)


class ProgrammeDecisionIn(BodyIn):
    number: str
    date: datetime.date


class RankedOut(Schema):
    proposal_id: Int
    group: str
    rank: Int
    score: Decimal
    selected: bool
    note: str


class ProposalSummary(Schema):
    id: Int
    group_id: Int
    group: str
    status: str
    review_level: str
    amount: Rupiah
    score: Decimal | None
    rank: Int | None
    selection_note: str

    @staticmethod
    def resolve_group(obj):
        return obj.group.name


class PlanItemOut(Schema):
    id: Int
    ref: str
    seq: Int
    kind: str
    date: datetime.date | None
    topic: str
    facilitator: str
    learning_problem: str
    expected_output: str
    practises: Int | None
    reflects_on: Int | None
    activity_id: Int | None
    students_change: str

    @staticmethod
    def resolve_practises(obj):
        return obj.practises.seq if obj.practises_id else None

    @staticmethod
    def resolve_reflects_on(obj):
        return obj.reflects_on.seq if obj.reflects_on_id else None


class LineOut(Schema):
    id: Int
    activity: Int | None
    category: str
    description: str
    planned_amount: Rupiah
    amount: Rupiah
    spent: Rupiah

    @staticmethod
    def resolve_activity(obj):
        return obj.planned.seq if obj.planned_id else None


class ReviewOut(Schema):
    stage: str
    level: str
    decision: str
    score: Int | None
    comment: str
    at: datetime.datetime


class TotalsOut(Schema):
    planned: Rupiah
    disbursed: Rupiah
    spent: Rupiah
    tax: Rupiah
    returned: Rupiah
    balance: Rupiah


class ProposalOut(ProposalSummary):
    programme_id: Int
    background_current: str
    background_expected: str
    background_solution: str
    goals: str
    sustainability_plan: str
    participant_ids: list[int]
    plan: list[PlanItemOut]
    budget: list[LineOut]
    reviews: list[ReviewOut]
    totals: TotalsOut
    disbursed_on: datetime.date | None
    outcomes: str
    gaps: list[str]

    @staticmethod
    def resolve_participant_ids(obj):
        return list(obj.participants.values_list("pk", flat=True))

    @staticmethod
    def resolve_plan(obj):
        return list(obj.plan.select_related("practises", "reflects_on").order_by("seq"))

    @staticmethod
    def resolve_budget(obj):
        return list(obj.budget.select_related("planned"))

    @staticmethod
    def resolve_reviews(obj):
        return list(obj.reviews.all())

    @staticmethod
    def resolve_totals(obj):
        t = money.totals(obj)
        return {**t.__dict__, "balance": t.balance}

    @staticmethod
    def resolve_gaps(obj):
        gaps = selectors.proposal_gaps(obj)
        return [m for _f, m in gaps["submission"] + gaps["report"]]


class ProposalPatch(BodyIn):
    background_current: str | None = None
    background_expected: str | None = None
    background_solution: str | None = None
    goals: str | None = None
    sustainability_plan: str | None = None
    participant_ids: list[int] | None = None


class PlanRowIn(BodyIn):
    seq: Int
    kind: str | None = None
    date: datetime.date | None = None
    topic: str | None = None
    facilitator: str | None = None
    learning_problem: str | None = None
    expected_output: str | None = None
    practises: Int | None = Field(None, description="number of the In it practises (On)")
    reflects_on: Int | None = Field(None, description="number of the On it reflects on (In)")


class LineIn(BodyIn):
    activity: Int | None = Field(None, description="activity number; empty for the whole grant")
    category: one_of(BudgetLine.Category)
    description: str
    amount: Rupiah


class ReviewIn(BodyIn):
    decision: one_of(Review.Decision)
    score: Int | None = Field(None, description="0-100, with an approval")
    comment: str = ""


class ReportDecisionIn(BodyIn):
    decision: one_of(Review.Decision)
    comment: str = ""


class DisbursementIn(BodyIn):
    amount: Rupiah
    date: datetime.date
    reference: str


class StartIn(BodyIn):
    group_id: Int


class SpendingOut(Schema):
    id: Int
    line_id: Int
    date: datetime.date
    description: str
    amount: Rupiah
    tax_kind: str
    tax_amount: Rupiah


class ReallocationIn(BodyIn):
    from_line: Int
    to_line: Int
    amount: Rupiah
    reason: str


class ReportIn(BodyIn):
    outcomes: str = ""


class EligibilityOut(Schema):
    programme_id: Int
    programme: str
    eligible: bool
    reasons: list[str]


class ShareOut(Schema):
    groups: Int
    active: Int
    percent: Int | None


class SustainabilityOut(Schema):
    months_after: Int
    month: datetime.date
    measured: bool
    funded: ShareOut
    unfunded: ShareOut


def _proposal(request, proposal_id) -> Proposal:
    return access(
        request.auth,
        Proposal,
        queryset=Proposal.objects.select_related("group", "programme"),
        pk=proposal_id,
    )


@router.get("/programmes", response=PageOut[ProgrammeOut])
def programme_list(request, q: Query[PageQuery]):
    rows = selectors.programmes_for(request.auth).prefetch_related("kinds")
    return page_out(request, rows, q.page, q.page_size)


@router.post("/programmes", response={201: ProgrammeOut})
def programme_create(request, payload: ProgrammeIn):
    data = payload.dict(exclude={"kinds"})
    data["province"] = data.pop("province_code") or ""
    data["regency"] = data.pop("regency_code") or ""
    data["ministry"] = data["ministry"] or ""
    programme = services.programme_create(
        actor=request.auth,
        data=data,
        kinds=[k.dict() for k in payload.kinds],
        source="api",
    )
    return Status(201, programme)


@router.get("/programmes/{programme_id}", response=ProgrammeOut)
def programme_detail(request, programme_id: Id):
    return access(request.auth, GrantProgramme, pk=programme_id)


@router.post("/programmes/{programme_id}/transitions", response=ProgrammeOut)
def programme_transition(request, programme_id: Id, payload: ActionIn):
    programme = access(request.auth, GrantProgramme, pk=programme_id)
    return services.programme_transition(
        actor=request.auth, programme=programme, action=payload.action, source="api"
    )


@router.post("/programmes/{programme_id}/selection", response=list[RankedOut])
def programme_select(request, programme_id: Id):
    programme = access(request.auth, GrantProgramme, pk=programme_id)
    ranked = services.programme_select(actor=request.auth, programme=programme, source="api")
    return [
        {
            "proposal_id": r.proposal.pk,
            "group": r.proposal.group.name,
            "rank": r.rank,
            "score": r.score,
            "selected": r.selected,
            "note": r.note,
        }
        for r in ranked
    ]


@router.post("/programmes/{programme_id}/decision", response=ProgrammeOut)
def programme_decide(request, programme_id: Id, payload: ProgrammeDecisionIn):
    programme = access(request.auth, GrantProgramme, pk=programme_id)
    return services.programme_decide(
        actor=request.auth,
        programme=programme,
        number=payload.number,
        date=payload.date,
        source="api",
    )


@router.get("/programmes/{programme_id}/proposals", response=PageOut[ProposalSummary])
def proposal_list(request, programme_id: Id, q: Query[PageQuery]):
    programme = access(request.auth, GrantProgramme, pk=programme_id)
    rows = selectors.proposals_for(request.auth, programme)
    return page_out(request, rows, q.page, q.page_size)


@router.post("/programmes/{programme_id}/proposals", response={201: ProposalOut})
def proposal_start(request, programme_id: Id, payload: StartIn):
    programme = access(request.auth, GrantProgramme, pk=programme_id)
    group = access(request.auth, WorkingGroup, pk=payload.group_id)
    return Status(
        201,
        services.proposal_start(actor=request.auth, programme=programme, group=group, source="api"),
    )


@router.get("/programmes/{programme_id}/sustainability", response=PageOut[SustainabilityOut])
def programme_sustainability(request, programme_id: Id, q: Query[PageQuery]):
    programme = access(request.auth, GrantProgramme, pk=programme_id)
    rows = [
        {
            "months_after": row.months_after,
            "month": row.month,
            "measured": row.measured,
            "funded": {**row.funded.__dict__, "percent": row.funded.percent},
            "unfunded": {**row.unfunded.__dict__, "percent": row.unfunded.percent},
        }
        for row in selectors.sustainability(programme)
    ]
    return page_out(request, rows, q.page, q.page_size)


@router.get("/groups/{group_id}/grant-eligibility", response=PageOut[EligibilityOut])
def group_eligibility(request, group_id: Id, q: Query[PageQuery]):
    """For each programme open now that funds this group's type in its region: whether
    the group may apply and every reason it may not."""
    group = access(request.auth, WorkingGroup, pk=group_id)
    rows = [
        {
            "programme_id": e.programme.pk,
            "programme": e.programme.name,
            "eligible": e.eligible,
            "reasons": e.reasons,
        }
        for e in selectors.group_eligibility(group)
    ]
    return page_out(request, rows, q.page, q.page_size)


@router.get("/proposals/{proposal_id}", response=ProposalOut)
def proposal_detail(request, proposal_id: Id):
    return _proposal(request, proposal_id)


@router.patch("/proposals/{proposal_id}", response=ProposalOut)
def proposal_update(request, proposal_id: Id, payload: ProposalPatch):
    proposal = _proposal(request, proposal_id)
    data = payload.dict(exclude_unset=True)
    people = data.pop("participant_ids", None)
    services.proposal_update(actor=request.auth, proposal=proposal, data=data, source="api")
    if people is not None:
        services.participants_set(
            actor=request.auth, proposal=proposal, person_ids=people, source="api"
        )
    return _proposal(request, proposal_id)


@router.put("/proposals/{proposal_id}/plan", response=ProposalOut)
def plan_update(request, proposal_id: Id, payload: list[PlanRowIn]):
    """Replace the plan: one row for every activity of the programme's template, each
    row whole (a field left out is emptied; the kind stays the template's unless given).
    To change a few fields, send the plan as GET returned it with those changed."""
    proposal = _proposal(request, proposal_id)
    expected = set(proposal.plan.values_list("seq", flat=True))
    if {row.seq for row in payload} != expected or len(payload) != len(expected):
        raise DomainError(
            _("Send one row for each activity of the plan (%(seqs)s).")
            % {"seqs": ", ".join(str(n) for n in sorted(expected))},
            code="incomplete_plan",
            field="plan",
        )
    rows = [
        {k: "" if v is None else v for k, v in row.dict().items() if k != "kind" or v}
        for row in payload
    ]
    services.plan_update(actor=request.auth, proposal=proposal, rows=rows, source="api")
    return _proposal(request, proposal_id)


@router.post("/proposals/{proposal_id}/budget", response={201: LineOut})
def budget_line_add(request, proposal_id: Id, payload: LineIn):
    proposal = _proposal(request, proposal_id)
    data = payload.dict()
    data["planned"] = data.pop("activity") or ""
    return Status(
        201,
        services.budget_line_add(actor=request.auth, proposal=proposal, data=data, source="api"),
    )


@router.delete("/budget-lines/{line_id}", response={204: None})
def budget_line_remove(request, line_id: Id):
    line = access(request.auth, BudgetLine, pk=line_id)
    services.budget_line_remove(actor=request.auth, line=line, source="api")
    return Status(204, None)


@router.post("/proposals/{proposal_id}/submission", response=ProposalOut)
def proposal_submit(request, proposal_id: Id):
    proposal = _proposal(request, proposal_id)
    return services.proposal_submit(actor=request.auth, proposal=proposal, source="api")


@router.post("/proposals/{proposal_id}/withdrawal", response=ProposalOut)
def proposal_withdraw(request, proposal_id: Id):
    proposal = _proposal(request, proposal_id)
    return services.proposal_withdraw(actor=request.auth, proposal=proposal, source="api")


@router.post("/proposals/{proposal_id}/reviews", response=ProposalOut)
def proposal_review(request, proposal_id: Id, payload: ReviewIn):
    proposal = _proposal(request, proposal_id)
    return services.proposal_review(
        actor=request.auth,
        proposal=proposal,
        decision=payload.decision,
        score=payload.score,
        comment=payload.comment,
        source="api",
    )


@router.post("/proposals/{proposal_id}/disbursement", response=ProposalOut)
def proposal_disburse(request, proposal_id: Id, payload: DisbursementIn):
    proposal = _proposal(request, proposal_id)
    return services.disburse(
        actor=request.auth,
        proposal=proposal,
        amount=payload.amount,
        date=payload.date,
        reference=payload.reference,
        source="api",
    )


@router.get("/proposals/{proposal_id}/spending", response=PageOut[SpendingOut])
def spending_list(request, proposal_id: Id, q: Query[PageQuery]):
    proposal = _proposal(request, proposal_id)
    rows = Spending.objects.filter(line__proposal=proposal).order_by("date", "id")
    return page_out(request, rows, q.page, q.page_size)


@router.post("/proposals/{proposal_id}/spending", response={201: SpendingOut})
def spending_record(
    request,
    proposal_id: Int,
    line_id: Form[int],
    date: Form[datetime.date],
    description: Form[str],
    amount: Form[Rupiah],
    receipt: File[UploadedFile],
    tax_kind: Form[one_of(Spending.Tax)] = "",
    tax_amount: Form[int] = 0,
):
    """Multipart: the receipt (photo or PDF) travels with the entry."""
    proposal = _proposal(request, proposal_id)
    line = access(request.auth, BudgetLine, queryset=proposal.budget.all(), pk=line_id)
    spending = money.spending_record(
        actor=request.auth,
        line=line,
        data={
            "date": date,
            "description": description,
            "amount": amount,
            "tax_kind": tax_kind,
            "tax_amount": tax_amount,
        },
        receipt=receipt,
        source="api",
    )
    return Status(201, spending)


@router.post("/proposals/{proposal_id}/reallocations", response=ProposalOut)
def reallocation_record(request, proposal_id: Id, payload: ReallocationIn):
    proposal = _proposal(request, proposal_id)
    money.reallocation_record(
        actor=request.auth,
        proposal=proposal,
        from_line=payload.from_line,
        to_line=payload.to_line,
        amount=payload.amount,
        reason=payload.reason,
        source="api",
    )
    return _proposal(request, proposal_id)


@router.post("/proposals/{proposal_id}/returns", response=ProposalOut)
def funds_return_record(
    request,
    proposal_id: Int,
    amount: Form[Rupiah],
    date: Form[datetime.date],
    reference: Form[str],
    proof: File[UploadedFile],
):
    proposal = _proposal(request, proposal_id)
    money.funds_return_record(
        actor=request.auth,
        proposal=proposal,
        data={"amount": amount, "date": date, "reference": reference},
        proof=proof,
        source="api",
    )
    return _proposal(request, proposal_id)


@router.post("/proposals/{proposal_id}/report", response=ProposalOut)
def report_submit(request, proposal_id: Id, payload: ReportIn):
    proposal = _proposal(request, proposal_id)
    return services.report_submit(
        actor=request.auth, proposal=proposal, outcomes=payload.outcomes, source="api"
    )


@router.post("/proposals/{proposal_id}/report/verification", response=ProposalOut)
def report_verify(request, proposal_id: Id, payload: ReportDecisionIn):
    proposal = _proposal(request, proposal_id)
    return services.report_verify(
        actor=request.auth,
        proposal=proposal,
        decision=payload.decision,
        comment=payload.comment,
        source="api",
    )


@router.post("/proposals/{proposal_id}/report/approval", response=ProposalOut)
def report_approve(request, proposal_id: Id, payload: ReportDecisionIn):
    proposal = _proposal(request, proposal_id)
    return services.report_approve(
        actor=request.auth,
        proposal=proposal,
        decision=payload.decision,
        comment=payload.comment,
        source="api",
    )


class RealisationIn(BodyIn):
    place: str = Field("", description="where the In meets (a place or an online link)")
    online_link: str = ""


class OutcomeIn(BodyIn):
    students_change: str = Field(description="what changed for students after the activity")


def _item(request, item_id) -> PlannedActivity:
    return access(
        request.auth,
        PlannedActivity,
        queryset=PlannedActivity.objects.select_related("proposal", "practises", "reflects_on"),
        pk=item_id,
    )


@router.post("/plan-items/{item_id}/realisation", response=PlanItemOut)
def plan_item_realise(request, item_id: Id, payload: RealisationIn):
    """Put a planned activity on the group's calendar (the page's "Put on the calendar");
    attendance and evidence are then recorded on `activity_id` under /activities."""
    item = _item(request, item_id)
    services.plan_item_realise(
        actor=request.auth,
        item=item,
        place=payload.place,
        online_link=payload.online_link,
        source="api",
    )
    return _item(request, item_id)


@router.put("/plan-items/{item_id}/outcome", response=PlanItemOut)
def plan_item_outcome(request, item_id: Id, payload: OutcomeIn):
    item = _item(request, item_id)
    services.plan_item_outcome(
        actor=request.auth, item=item, students_change=payload.students_change, source="api"
    )
    return _item(request, item_id)


def _download(document):
    return attachment(document.body, document.filename, document.content_type)


@router.get("/proposals/{proposal_id}/lpj.{fmt}", **file_response("The LPJ", DOCUMENT_TYPES))
def lpj_download(request, proposal_id: Id, fmt: Literal["pdf", "xlsx"]):
    """The accountability report (LPJ) as the page gives it: PDF or XLSX."""
    return _download(reports.lpj_document(_proposal(request, proposal_id), fmt))


@router.get(
    "/programmes/{programme_id}/decision.{fmt}",
    **file_response("The decision (SK) list", DOCUMENT_TYPES),
)
def decision_download(request, programme_id: Id, fmt: Literal["pdf", "xlsx"]):
    """The decision (SK) list of funded groups: PDF or XLSX."""
    programme = access(request.auth, GrantProgramme, pk=programme_id)
    return _download(reports.decision_document(programme, fmt))


@router.get("/spending/{spending_id}/receipt", **file_response("The receipt"))
def receipt_download(request, spending_id: Id):
    spending = access(request.auth, Spending, pk=spending_id)
    return stored_file_response(spending.receipt, download_name=f"nota-{spending.pk}")


class TaxLineOut(Schema):
    tax_kind: str = Field(alias="kind")
    label: str
    withheld: Rupiah
    deposited: Rupiah
    owed: Rupiah


class TaxDepositOut(Schema):
    id: Int
    tax_kind: str
    amount: Rupiah
    date: datetime.date
    reference: str


class TaxesOut(Schema):
    taxes: list[TaxLineOut]
    deposits: list[TaxDepositOut]


@router.get("/proposals/{proposal_id}/taxes", response=TaxesOut)
def tax_overview(request, proposal_id: Id):
    """Per tax, what was withheld from spending and what was deposited (as the LPJ lists)."""
    proposal = _proposal(request, proposal_id)
    return {"taxes": money.tax_lines(proposal), "deposits": list(proposal.tax_deposits.all())}


@router.post("/proposals/{proposal_id}/tax-deposits", response={201: TaxDepositOut})
def tax_deposit_record(
    request,
    proposal_id: Id,
    tax_kind: Form[one_of([k for k in Spending.Tax.values if k])],
    amount: Form[Rupiah],
    date: Form[datetime.date],
    reference: Form[str],
    proof: File[UploadedFile],
):
    """The NTPN (16 letters and digits) or the billing code (15 digits), with its proof."""
    proposal = _proposal(request, proposal_id)
    deposit = money.tax_deposit_record(
        actor=request.auth,
        proposal=proposal,
        data={"tax_kind": tax_kind, "amount": amount, "date": date, "reference": reference},
        proof=proof,
        source="api",
    )
    return Status(201, deposit)


@router.get("/tax-deposits/{deposit_id}/proof", **file_response("The proof of a tax deposit"))
def tax_proof_download(request, deposit_id: Id):
    deposit = access(request.auth, TaxDeposit, pk=deposit_id)
    return stored_file_response(deposit.proof, download_name=f"bukti-setor-pajak-{deposit.pk}")


@router.get("/returns/{return_id}/proof", **file_response("The deposit proof"))
def return_proof_download(request, return_id: Id):
    back = access(request.auth, FundReturn, pk=return_id)
    return stored_file_response(back.proof, download_name=f"bukti-pengembalian-{back.pk}")
