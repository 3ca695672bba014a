"""Grant pages. Thin: read through selectors, write through services; every POSTed
button goes through one dispatch per object: a button with fields has its form (a refusal
shows the page again with what was typed), a bare button flashes its refusal."""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gugus.communities.models import WorkingGroup
from gugus.core.access import CHANGE, access, actor_for, can
from gugus.core.errors import DomainError, Forbidden, NotFound
from gugus.core.pagination import paginate
from gugus.core.roles import ScopeLevel
from gugus.core.uploads import stored_file_response
from gugus.core.views import act, attachment, flash_refusal, not_found_on_refusal, submit_form
from gugus.directory.selectors import region_choices
from gugus.grants import checks, money, reports, selection, selectors, services
from gugus.grants.forms import (
    BackgroundForm,
    DecisionForm,
    DisburseForm,
    LineForm,
    ParticipantsForm,
    PlanFormSet,
    ProgrammeForm,
    ReallocateForm,
    ReportDecisionForm,
    ReportForm,
    ReturnForm,
    ReviewForm,
    SpendForm,
    TaxDepositForm,
    plan_rows,
)
from gugus.grants.models import (
    FundReturn,
    GrantProgramme,
    Proposal,
    Spending,
    TaxDeposit,
)
from gugus.grants.workflow import EDITABLE, GRANT_STATES, PROGRAMME, PROPOSAL

KINDS = WorkingGroup.Kind


@login_required
def programme_list(request):
    page = paginate(selectors.programmes_for(request.user), request.GET.get("page"), 25)
    selectors.with_proposal_counts(page.items)
    return render(
        request,
        "grants/programme_list.html",
        {
            "programmes": page,
            "awaiting": selectors.awaiting(request.user),
            "can_create": actor_for(request.user).is_office,
        },
    )


@login_required
@not_found_on_refusal
def programme_create(request):
    if not actor_for(request.user).is_office:
        raise Forbidden()
    form = ProgrammeForm(request.POST or None, regions=region_choices(actor=request.user))
    programme = submit_form(
        request,
        form,
        lambda data: services.programme_create(
            actor=request.user, data=form.service_data(), kinds=form.kinds_data()
        ),
        {"province": "region", "regency": "region"},
    )
    if programme:
        messages.success(request, _("The programme was saved as a draft."))
        return redirect("programme_detail", pk=programme.pk)
    return render(request, "grants/programme_form.html", {"form": form})


@login_required
@not_found_on_refusal
def programme_detail(request, pk):
    programme = access(request.user, GrantProgramme, pk=pk)
    return _programme_page(request, programme)


def _programme_page(request, programme, bound=None):
    """The programme page; `bound` is a form the user sent that a service refused, shown
    again with what was typed (a disbursement keyed by its proposal, or the decision)."""
    bound = bound or {}
    manage = can(request.user, CHANGE, programme)
    proposals = list(
        selectors.proposals_for(request.user, programme).exclude(status=Proposal.Status.DRAFT)
    )
    if manage:
        for p in proposals:
            p.disburse_form = bound.get(("disburse", p.pk)) or DisburseForm(proposal=p)
    return render(
        request,
        "grants/programme_detail.html",
        {
            "programme": programme,
            "weighting": selection.weighting(programme),
            "manage": manage,
            "kinds": programme.kinds.all(),
            "proposals": proposals,
            "counts": selectors.status_counts(programme, request.user),
            "statuses": Proposal.Status,
            "transitions": [(s.name, s.button) for s in PROGRAMME.steps_from(programme.status)]
            if manage
            else [],
            "decision_form": bound.get("decide") or DecisionForm(),
            "mine": selectors.chaired_eligibility(request.user, programme),
            "funded_total": selectors.funded_total(programme),
            "sustainability": selectors.sustainability(programme),
            "problems": selectors.learning_problems(programme),
        },
    )


PROGRAMME_ACTIONS = {
    "select": lambda r, p, data: services.programme_select(actor=r.user, programme=p),
    "decide": lambda r, p, data: services.programme_decide(
        actor=r.user, programme=p, number=data["decision_number"], date=data["decision_date"]
    ),
    **{
        action: (
            lambda a: (
                lambda r, p, data: services.programme_transition(
                    actor=r.user, programme=p, action=a
                )
            )
        )(action)
        for action in PROGRAMME.steps
    },
}
PROGRAMME_FORMS = {"decide": DecisionForm}


@login_required
@require_POST
@not_found_on_refusal
def programme_action(request, pk):
    programme = access(request.user, GrantProgramme, CHANGE, pk=pk)
    name = request.POST.get("action", "")
    action = PROGRAMME_ACTIONS.get(name)
    if action is None:
        return redirect("programme_detail", pk=programme.pk)
    form = PROGRAMME_FORMS[name](request.POST) if name in PROGRAMME_FORMS else None
    if form is None:
        act(request, lambda: action(request, programme, {}), _("Saved."))
        return redirect("programme_detail", pk=programme.pk)
    if submit_form(request, form, lambda data: action(request, programme, data) or True):
        messages.success(request, _("Saved."))
        return redirect("programme_detail", pk=programme.pk)
    return _programme_page(request, programme, {name: form})


@login_required
@not_found_on_refusal
def decision_export(request, pk, fmt):
    programme = access(request.user, GrantProgramme, pk=pk)
    return _download(reports.decision_document(programme, fmt))


def _download(document) -> HttpResponse:
    return attachment(document.body, document.filename, document.content_type)


@login_required
@require_POST
@not_found_on_refusal
def proposal_start(request, pk, group_pk):
    programme = access(request.user, GrantProgramme, pk=pk)
    group = access(request.user, WorkingGroup, pk=group_pk)
    try:
        proposal = services.proposal_start(actor=request.user, programme=programme, group=group)
    except (Forbidden, NotFound):
        raise
    except DomainError as e:
        flash_refusal(request, e)
        return redirect("programme_detail", pk=programme.pk)
    messages.success(request, _("The proposal was started from the programme's template."))
    return redirect("proposal_detail", pk=proposal.pk)


def _permissions(user, proposal) -> dict:
    """What the page may offer this user: each permission of the proposal's workflow; the
    review form only while the status is one a review is taken from."""
    may = {
        permission: can(user, permission, proposal)
        for permission in ("prepare", "spend", "review", "verify_report", "manage")
    }
    may["review"] = may["review"] and proposal.status in PROPOSAL.sources("review")
    return may


@login_required
@not_found_on_refusal
def proposal_detail(request, pk):
    proposal = access(
        request.user,
        Proposal,
        queryset=Proposal.objects.select_related("programme", "group", "group__regency"),
        pk=pk,
    )
    return _proposal_page(request, proposal)


DETAIL_FORMS = (
    BackgroundForm,
    PlanFormSet,
    ParticipantsForm,
    LineForm,
    ReviewForm,
    ReportForm,
    ReportDecisionForm,
)
MONEY_FORMS = (SpendForm, ReallocateForm, ReturnForm, TaxDepositForm)


def _forms(proposal, classes, bound) -> dict:
    """The page's forms by key: the one the user sent (refused, with what was typed) and
    fresh ones for the rest."""
    return {
        cls.key.replace("-", "_"): bound if isinstance(bound, cls) else cls(proposal=proposal)
        for cls in classes
    }


def _proposal_page(request, proposal, bound=None):
    gaps = selectors.proposal_gaps(proposal)
    plan = list(
        proposal.plan.select_related("practises", "reflects_on", "activity").order_by("seq")
    )
    return render(
        request,
        "grants/proposal_detail.html",
        {
            "proposal": proposal,
            "programme": proposal.programme,
            "may": _permissions(request.user, proposal),
            "editable": proposal.status in EDITABLE,
            "funded": proposal.status in GRANT_STATES,
            "plan": plan,
            "lines": proposal.budget.select_related("planned"),
            "reviews": proposal.reviews.select_related("reviewer").order_by("at"),
            "gaps": gaps["submission"],
            "report_gaps": gaps["report"],
            "totals": money.totals(proposal),
            "participant_count": proposal.participants.count(),
            "level_labels": dict(ScopeLevel.choices),
            "text_fields": [
                (Proposal._meta.get_field(f).verbose_name, getattr(proposal, f))
                for f in checks.TEXT_FIELDS
            ],
            "forms": _forms(proposal, DETAIL_FORMS, bound),
        },
    )


@login_required
@not_found_on_refusal
def proposal_money(request, pk):
    proposal = access(request.user, Proposal, pk=pk)
    return _money_page(request, proposal)


def _money_page(request, proposal, bound=None):
    spending = Spending.objects.filter(line__proposal=proposal).select_related("line")
    return render(
        request,
        "grants/proposal_money.html",
        {
            "proposal": proposal,
            "may": _permissions(request.user, proposal),
            "open": proposal.status in PROPOSAL.sources("spend"),
            "lines": proposal.budget.select_related("planned"),
            "spending": spending.order_by("-date", "-id"),
            "reallocations": proposal.reallocations.select_related("from_line", "to_line"),
            "returns": proposal.returns.all(),
            "taxes": money.tax_lines(proposal),
            "tax_deposits": proposal.tax_deposits.all(),
            "totals": money.totals(proposal),
            "forms": _forms(proposal, MONEY_FORMS, bound),
        },
    )


def _line(request, proposal, name="line"):
    return proposal.budget.filter(pk=request.POST.get(name) or 0).first()


def _item(request, proposal):
    return proposal.plan.filter(pk=request.POST.get("item") or 0).first()


def _missing_line():
    raise DomainError(_("Choose a line of this grant."), field="line")


def _missing_item():
    raise DomainError(_("Choose an activity of this plan."), field="item")


def _decision(request) -> str:
    """Review forms carry the decision on the button pressed."""
    return request.POST.get("decision", "")


@dataclass(frozen=True)
class Button:
    """A proposal button: the workflow step it takes (whose permission the actor needs,
    else the page's 404), the service call, and the form that carries its fields (shown
    again with what was typed when the service refuses)."""

    step: str
    call: Callable
    form: type | None = None  # a ProposalForm or the plan's formset
    page: str = "detail"  # where the form lives: detail, money or programme


PROPOSAL_ACTIONS = {
    "update": Button(
        "edit",
        lambda r, p, d: services.proposal_update(actor=r.user, proposal=p, data=d),
        BackgroundForm,
    ),
    "plan": Button(
        "edit",
        lambda r, p, d: services.plan_update(actor=r.user, proposal=p, rows=plan_rows(d)),
        PlanFormSet,
    ),
    "participants": Button(
        "edit",
        lambda r, p, d: services.participants_set(
            actor=r.user, proposal=p, person_ids=d["participants"]
        ),
        ParticipantsForm,
    ),
    "line_add": Button(
        "edit",
        lambda r, p, d: services.budget_line_add(actor=r.user, proposal=p, data=d),
        LineForm,
    ),
    "line_remove": Button(
        "edit",
        lambda r, p, d: services.budget_line_remove(
            actor=r.user, line=_line(r, p) or _missing_line()
        ),
    ),
    "submit": Button("submit", lambda r, p, d: services.proposal_submit(actor=r.user, proposal=p)),
    "withdraw": Button(
        "withdraw", lambda r, p, d: services.proposal_withdraw(actor=r.user, proposal=p)
    ),
    "review": Button(
        "review",
        lambda r, p, d: services.proposal_review(
            actor=r.user, proposal=p, decision=_decision(r), comment=d["comment"], score=d["score"]
        ),
        ReviewForm,
    ),
    "disburse": Button(
        "disburse",
        lambda r, p, d: services.disburse(
            actor=r.user, proposal=p, amount=d["amount"], date=d["date"], reference=d["reference"]
        ),
        DisburseForm,
        "programme",
    ),
    "realise": Button(
        "realise",
        lambda r, p, d: services.plan_item_realise(
            actor=r.user,
            item=_item(r, p) or _missing_item(),
            place=r.POST.get("place", ""),
            online_link=r.POST.get("online_link", ""),
        ),
    ),
    "outcome": Button(
        "outcome",
        lambda r, p, d: services.plan_item_outcome(
            actor=r.user,
            item=_item(r, p) or _missing_item(),
            students_change=r.POST.get("students_change", ""),
        ),
    ),
    "report": Button(
        "report",
        lambda r, p, d: services.report_submit(actor=r.user, proposal=p, outcomes=d["outcomes"]),
        ReportForm,
    ),
    "report_verify": Button(
        "report_verify",
        lambda r, p, d: services.report_verify(
            actor=r.user, proposal=p, decision=_decision(r), comment=d["comment"]
        ),
        ReportDecisionForm,
    ),
    "report_approve": Button(
        "report_approve",
        lambda r, p, d: services.report_approve(
            actor=r.user, proposal=p, decision=_decision(r), comment=d["comment"]
        ),
        ReportDecisionForm,
    ),
    "spend": Button(
        "spend",
        lambda r, p, d: money.spending_record(
            actor=r.user,
            line=p.budget.filter(pk=d["line"]).first() or _missing_line(),
            data=d,
            receipt=d["receipt"],
        ),
        SpendForm,
        "money",
    ),
    "reallocate": Button(
        "reallocate",
        lambda r, p, d: money.reallocation_record(
            actor=r.user,
            proposal=p,
            from_line=d["from_line"],
            to_line=d["to_line"],
            amount=d["amount"],
            reason=d["reason"],
        ),
        ReallocateForm,
        "money",
    ),
    "return": Button(
        "return",
        lambda r, p, d: money.funds_return_record(
            actor=r.user, proposal=p, data=d, proof=d["proof"]
        ),
        ReturnForm,
        "money",
    ),
    "deposit_tax": Button(
        "deposit_tax",
        lambda r, p, d: money.tax_deposit_record(
            actor=r.user, proposal=p, data=d, proof=d["proof"]
        ),
        TaxDepositForm,
        "money",
    ),
}
PAGES = {"detail": "proposal_detail", "money": "proposal_money"}


@login_required
@require_POST
@not_found_on_refusal
def proposal_action(request, pk):
    button = PROPOSAL_ACTIONS.get(request.POST.get("action", ""))
    proposal = access(
        request.user,
        Proposal,
        PROPOSAL.permission(button.step if button else "edit"),
        queryset=Proposal.objects.select_related("group", "programme"),
        pk=pk,
    )
    if button is None:
        return redirect("proposal_detail", pk=proposal.pk)
    if button.form is None:
        act(request, lambda: button.call(request, proposal, {}), _("Saved."))
        return redirect(PAGES[button.page], pk=proposal.pk)
    form = button.form(request.POST, request.FILES, proposal=proposal)
    if submit_form(request, form, lambda data: button.call(request, proposal, data) or True):
        messages.success(request, _("Saved."))
        target = "proposal_detail" if button.page == "programme" else PAGES[button.page]
        return redirect(target, pk=proposal.pk)
    if button.page == "programme":
        return _programme_page(request, proposal.programme, {("disburse", proposal.pk): form})
    page = _money_page if button.page == "money" else _proposal_page
    return page(request, proposal, form)


@login_required
@not_found_on_refusal
def lpj_export(request, pk, fmt):
    proposal = access(request.user, Proposal, pk=pk)
    return _download(reports.lpj_document(proposal, fmt))


@login_required
@not_found_on_refusal
def receipt_file(request, pk):
    spending = access(request.user, Spending, pk=pk)
    return stored_file_response(spending.receipt, download_name=f"nota-{spending.pk}")


@login_required
@not_found_on_refusal
def tax_proof_file(request, pk):
    deposit = access(request.user, TaxDeposit, pk=pk)
    return stored_file_response(deposit.proof, download_name=f"bukti-setor-pajak-{deposit.pk}")


@login_required
@not_found_on_refusal
def return_proof_file(request, pk):
    back = access(request.user, FundReturn, pk=pk)
    return stored_file_response(back.proof, download_name=f"bukti-pengembalian-{back.pk}")
