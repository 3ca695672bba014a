"""Grant pages. Thin: read through selectors, write through services; every POSTed
button goes through one dispatch per object so each refusal is flashed the same way."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gugus.communities.models import WorkingGroup
from gugus.core.access import CHANGE, access, actor_for, can
from gugus.core.cleaning import region_of_code
from gugus.core.errors import DomainError, Forbidden, NotFound
from gugus.core.roles import ScopeLevel
from gugus.core.sheets import XLSX_TYPE
from gugus.core.uploads import stored_file_response
from gugus.core.views import act, attachment, flash_refusal, not_found_on_refusal
from gugus.directory.selectors import region_choices
from gugus.grants import checks, money, reports, selectors, services
from gugus.grants.inoni import TEMPLATE_COUNTS
from gugus.grants.models import (
    BudgetLine,
    FundReturn,
    GrantProgramme,
    Proposal,
    Spending,
)
from gugus.grants.workflow import EDITABLE, GRANT_STATES, PROGRAMME, PROPOSAL

KINDS = WorkingGroup.Kind


@login_required
def programme_list(request):
    return render(
        request,
        "grants/programme_list.html",
        {
            "programmes": selectors.programmes_for(request.user),
            "awaiting": selectors.awaiting(request.user),
            "can_create": actor_for(request.user).is_office,
        },
    )


@login_required
@not_found_on_refusal
def programme_create(request):
    if not actor_for(request.user).is_office:
        raise Forbidden()
    errors: list[dict] = []
    if request.method == "POST":
        post = request.POST
        kinds = [
            {
                "kind": k,
                "amount": post.get(f"amount_{k}"),
                "in_count": post.get(f"in_{k}"),
                "on_count": post.get(f"on_{k}"),
            }
            for k in KINDS.values
            if post.get(f"amount_{k}", "").strip()
        ]
        data = {
            **{
                k: post.get(k, "")
                for k in (
                    "name",
                    "apply_from",
                    "apply_until",
                    "period_start",
                    "period_end",
                    "budget_ceiling",
                    "quota",
                )
            },
            **region_of_code(post.get("region")),
            "required_documents": [
                d.strip() for d in post.get("required_documents", "").splitlines() if d.strip()
            ],
        }
        try:
            programme = services.programme_create(actor=request.user, data=data, kinds=kinds)
        except DomainError as e:
            errors = e.details or [{"field": e.field or "", "message": str(e.message)}]
        else:
            messages.success(request, _("The programme was saved as a draft."))
            return redirect("programme_detail", pk=programme.pk)
    return render(
        request,
        "grants/programme_form.html",
        {
            "errors": errors,
            "post": request.POST,
            "regions": region_choices(actor=request.user),
            "kinds": [(k, label, *TEMPLATE_COUNTS[k]) for k, label in KINDS.choices],
        },
    )


@login_required
@not_found_on_refusal
def programme_detail(request, pk):
    programme = access(request.user, GrantProgramme, pk=pk)
    manage = can(request.user, CHANGE, programme)
    proposals = selectors.proposals_for(request.user, programme)
    return render(
        request,
        "grants/programme_detail.html",
        {
            "programme": programme,
            "manage": manage,
            "kinds": programme.kinds.all(),
            "proposals": proposals.exclude(status=Proposal.Status.DRAFT),
            "counts": selectors.status_counts(programme, request.user),
            "statuses": Proposal.Status,
            "transitions": [(s.name, s.doing) for s in PROGRAMME.steps_from(programme.status)]
            if manage
            else [],
            "mine": selectors.chaired_eligibility(request.user, programme),
            "funded_total": selectors.funded_total(programme),
            "sustainability": selectors.sustainability(programme),
            "problems": selectors.learning_problems(programme),
        },
    )


PROGRAMME_ACTIONS = {
    "select": lambda r, p: services.programme_select(actor=r.user, programme=p),
    "decide": lambda r, p: services.programme_decide(
        actor=r.user,
        programme=p,
        number=r.POST.get("decision_number", ""),
        date=r.POST.get("decision_date", ""),
    ),
    **{
        action: (
            lambda a: (
                lambda r, p: services.programme_transition(actor=r.user, programme=p, action=a)
            )
        )(action)
        for action in PROGRAMME.steps
    },
}


@login_required
@require_POST
@not_found_on_refusal
def programme_action(request, pk):
    programme = access(request.user, GrantProgramme, CHANGE, pk=pk)
    action = PROGRAMME_ACTIONS.get(request.POST.get("action", ""))
    if action:
        act(request, lambda: action(request, programme), _("Saved."))
    return redirect("programme_detail", pk=programme.pk)


@login_required
@not_found_on_refusal
def decision_export(request, pk, fmt):
    programme = access(request.user, GrantProgramme, pk=pk)
    return _download(
        fmt,
        lambda: reports.decision_pdf(programme),
        lambda: reports.decision_xlsx(programme),
        f"sk-bantuan-{programme.pk}",
    )


def _download(fmt, pdf, xlsx, filename) -> HttpResponse:
    """A generated document as PDF or XLSX; any other format is a missing page."""
    if fmt not in ("pdf", "xlsx"):
        raise Http404()
    body, ctype = (pdf(), reports.PDF_TYPE) if fmt == "pdf" else (xlsx(), XLSX_TYPE)
    return attachment(body, f"{filename}.{fmt}", ctype)


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
    return {
        "prepare": can(user, "prepare", proposal),
        "spend": can(user, "spend", proposal),
        "review": proposal.status == Proposal.Status.SUBMITTED and can(user, "review", proposal),
        "verify_report": can(user, "verify_report", proposal),
        "manage": can(user, "manage", proposal),
    }


@login_required
@not_found_on_refusal
def proposal_detail(request, pk):
    proposal = access(
        request.user,
        Proposal,
        queryset=Proposal.objects.select_related("programme", "group", "group__regency"),
        pk=pk,
    )
    editable = proposal.status in EDITABLE
    funded = proposal.status in GRANT_STATES
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
            "editable": editable,
            "funded": funded,
            "plan": plan,
            "lines": proposal.budget.select_related("planned"),
            "categories": BudgetLine.Category.choices,
            "reviews": proposal.reviews.select_related("reviewer").order_by("at"),
            "gaps": gaps["submission"],
            "report_gaps": gaps["report"],
            "totals": money.totals(proposal),
            "members": proposal.group.memberships.filter(ended_on__isnull=True)
            .select_related("person")
            .order_by("person__name"),
            "participant_ids": set(proposal.participants.values_list("pk", flat=True)),
            "level_labels": dict(ScopeLevel.choices),
            "text_fields": [
                (f, Proposal._meta.get_field(f).verbose_name, getattr(proposal, f))
                for f in checks.TEXT_FIELDS
            ],
        },
    )


@login_required
@not_found_on_refusal
def proposal_money(request, pk):
    proposal = access(request.user, Proposal, pk=pk)
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
            "totals": money.totals(proposal),
            "taxes": Spending.Tax.choices,
        },
    )


def _line(request, proposal, name="line"):
    return proposal.budget.filter(pk=request.POST.get(name) or 0).first()


def _item(request, proposal):
    return proposal.plan.filter(pk=request.POST.get("item") or 0).first()


def _plan_rows(post) -> list[dict]:
    seqs = post.getlist("seq")
    fields = services.PLAN_FIELDS
    columns = {f: post.getlist(f) for f in fields}
    return [
        {"seq": seq, **{f: columns[f][i] for f in fields if i < len(columns[f])}}
        for i, seq in enumerate(seqs)
    ]


def _missing_line():
    raise DomainError(_("Choose a line of this grant."), field="line")


def _missing_item():
    raise DomainError(_("Choose an activity of this plan."), field="item")


# Each button: the workflow step it takes (whose permission the actor needs, else the
# page's 404) and the service call.
PROPOSAL_ACTIONS = {
    "update": (
        "edit",
        lambda r, p: services.proposal_update(actor=r.user, proposal=p, data=r.POST),
    ),
    "plan": (
        "edit",
        lambda r, p: services.plan_update(actor=r.user, proposal=p, rows=_plan_rows(r.POST)),
    ),
    "participants": (
        "edit",
        lambda r, p: services.participants_set(
            actor=r.user, proposal=p, person_ids=r.POST.getlist("participants")
        ),
    ),
    "line_add": (
        "edit",
        lambda r, p: services.budget_line_add(actor=r.user, proposal=p, data=r.POST),
    ),
    "line_remove": (
        "edit",
        lambda r, p: services.budget_line_remove(actor=r.user, line=_line(r, p) or _missing_line()),
    ),
    "submit": ("submit", lambda r, p: services.proposal_submit(actor=r.user, proposal=p)),
    "withdraw": ("withdraw", lambda r, p: services.proposal_withdraw(actor=r.user, proposal=p)),
    "review": (
        "review",
        lambda r, p: services.proposal_review(
            actor=r.user,
            proposal=p,
            decision=r.POST.get("decision", ""),
            comment=r.POST.get("comment", ""),
            score=r.POST.get("score"),
        ),
    ),
    "disburse": (
        "disburse",
        lambda r, p: services.disburse(
            actor=r.user,
            proposal=p,
            amount=r.POST.get("amount"),
            date=r.POST.get("date"),
            reference=r.POST.get("reference", ""),
        ),
    ),
    "realise": (
        "realise",
        lambda r, p: services.plan_item_realise(
            actor=r.user,
            item=_item(r, p) or _missing_item(),
            place=r.POST.get("place", ""),
            online_link=r.POST.get("online_link", ""),
        ),
    ),
    "outcome": (
        "outcome",
        lambda r, p: services.plan_item_outcome(
            actor=r.user,
            item=_item(r, p) or _missing_item(),
            students_change=r.POST.get("students_change", ""),
        ),
    ),
    "report": (
        "report",
        lambda r, p: services.report_submit(
            actor=r.user, proposal=p, outcomes=r.POST.get("outcomes", "")
        ),
    ),
    "report_verify": (
        "report_verify",
        lambda r, p: services.report_verify(
            actor=r.user,
            proposal=p,
            decision=r.POST.get("decision", ""),
            comment=r.POST.get("comment", ""),
        ),
    ),
    "report_approve": (
        "report_approve",
        lambda r, p: services.report_approve(
            actor=r.user,
            proposal=p,
            decision=r.POST.get("decision", ""),
            comment=r.POST.get("comment", ""),
        ),
    ),
    "spend": (
        "spend",
        lambda r, p: money.spending_record(
            actor=r.user,
            line=_line(r, p) or _missing_line(),
            data=r.POST,
            receipt=r.FILES.get("receipt"),
        ),
    ),
    "reallocate": (
        "reallocate",
        lambda r, p: money.reallocation_record(
            actor=r.user,
            proposal=p,
            from_line=r.POST.get("from_line") or 0,
            to_line=r.POST.get("to_line") or 0,
            amount=r.POST.get("amount"),
            reason=r.POST.get("reason", ""),
        ),
    ),
    "return": (
        "return",
        lambda r, p: money.funds_return_record(
            actor=r.user, proposal=p, data=r.POST, proof=r.FILES.get("proof")
        ),
    ),
}
MONEY_STEPS = {"spend", "reallocate", "return"}


@login_required
@require_POST
@not_found_on_refusal
def proposal_action(request, pk):
    step, action = PROPOSAL_ACTIONS.get(request.POST.get("action", ""), ("edit", None))
    proposal = access(
        request.user,
        Proposal,
        PROPOSAL.permission(step),
        queryset=Proposal.objects.select_related("group", "programme"),
        pk=pk,
    )
    if action:
        act(request, lambda: action(request, proposal), _("Saved."))
    target = "proposal_money" if step in MONEY_STEPS else "proposal_detail"
    return redirect(target, pk=proposal.pk)


@login_required
@not_found_on_refusal
def lpj_export(request, pk, fmt):
    proposal = access(request.user, Proposal, pk=pk)
    if proposal.status not in GRANT_STATES:
        raise Http404()
    return _download(
        fmt,
        lambda: reports.lpj_pdf(proposal),
        lambda: reports.lpj_xlsx(proposal),
        f"lpj-{proposal.pk}",
    )


@login_required
@not_found_on_refusal
def receipt_file(request, pk):
    spending = access(request.user, Spending, pk=pk)
    return stored_file_response(spending.receipt, download_name=f"nota-{spending.pk}")


@login_required
@not_found_on_refusal
def return_proof_file(request, pk):
    back = access(request.user, FundReturn, pk=pk)
    return stored_file_response(back.proof, download_name=f"bukti-pengembalian-{back.pk}")
