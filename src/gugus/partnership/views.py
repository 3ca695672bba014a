"""Partnership pages: the cohorts, a new cohort, and the cohort page whose every button
is a service call (and an API endpoint)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gugus.core.access import CHANGE, access, actor_for, can, visible
from gugus.core.errors import FieldErrors, Forbidden
from gugus.core.views import act, attachment, not_found_on_refusal, submit_form
from gugus.directory.models import Person
from gugus.directory.selectors import region_choices
from gugus.partnership import selectors, services
from gugus.partnership.documents import cohort_document, visit_document
from gugus.partnership.effect import partner_effect
from gugus.partnership.forms import ActionPlanForm, CohortForm, RundownItemForm
from gugus.partnership.models import ActionPlan, Cohort, Pair, Participant, RundownItem, Visit
from gugus.partnership.policies import NOTE


@login_required
def cohort_list(request):
    return render(
        request,
        "partnership/cohort_list.html",
        {
            "cohorts": visible(request.user, Cohort)
            .select_related("event")
            .order_by("-year", "name"),
            "can_create": actor_for(request.user).is_office,
            "takes_part": Participant.objects.filter(
                person_id=getattr(request.user, "person_id", None) or 0
            ).exists(),
        },
    )


@login_required
@not_found_on_refusal
def cohort_create(request):
    if not actor_for(request.user).is_office:
        raise Forbidden()
    form = CohortForm(request.POST or None, regions=region_choices(actor=request.user))
    cohort = submit_form(
        request,
        form,
        lambda data: services.cohort_create(
            actor=request.user, data=form.service_data(), tiers=form.tiers_data()
        ),
        {"province": "region", "regency": "region", "tiers": "tier1_name"},
    )
    if cohort:
        messages.success(request, _("The cohort was saved as a draft."))
        return redirect("cohort_detail", pk=cohort.pk)
    return render(request, "partnership/cohort_form.html", {"form": form})


@login_required
@not_found_on_refusal
def cohort_detail(request, pk):
    cohort = access(request.user, Cohort, pk=pk)
    manage = can(request.user, CHANGE, cohort)
    later = selectors.later_events(cohort)
    chosen = next(
        (e for e in later if e.code == request.GET.get("ukg")), later[-1] if later else None
    )
    return render(
        request,
        "partnership/cohort_detail.html",
        {
            "cohort": cohort,
            "manage": manage,
            "editable": manage and cohort.status in services.EDITABLE,
            "later_events": later,
            "later": chosen,
            "effects": partner_effect(cohort, chosen) if manage and chosen else [],
            "visits": selectors.visit_calendar(
                request.user, cohort, request.GET.get("kunjungan", 1)
            ),
            "plans": selectors.action_plan_progress(cohort) if manage else None,
            "selection": selectors.selection_counts(cohort) if manage else [],
            "pair_map": selectors.pair_map(request.user, cohort),
        }
        | selectors.cohort_page(
            request.user,
            cohort,
            teachers=request.GET.get("teachers", ""),
            page_number=request.GET.get("page", 1),
            pairs_page_number=request.GET.get("pasangan", 1),
        ),
    )


@login_required
@not_found_on_refusal
def cohort_export(request, pk):
    """The cohort's pairs, teachers, visits and action plans as one workbook."""
    document = cohort_document(request.user, access(request.user, Cohort, pk=pk))
    return attachment(document.body, document.filename, document.content_type)


def _pair(request, cohort):
    return access(request.user, Pair, CHANGE, pk=request.POST.get("pair") or 0, cohort=cohort)


def _add_participant(request, cohort):
    nuptk = request.POST.get("nuptk", "").strip()
    person = visible(request.user, Person).filter(nuptk=nuptk).first() if nuptk else None
    if person is None:
        raise FieldErrors(
            [("nuptk", _("No teacher in your scope has NUPTK %(n)s.") % {"n": nuptk})]
        )
    return services.participant_add(
        actor=request.user,
        cohort=cohort,
        person=person,
        rank=int(request.POST.get("tier") or 0),
        reason=request.POST.get("reason", ""),
    )


def _participant(request, cohort):
    return access(
        request.user, Participant, CHANGE, pk=request.POST.get("participant") or 0, cohort=cohort
    )


ACTIONS = {
    "select": lambda r, c: services.cohort_select(actor=r.user, cohort=c),
    "match": lambda r, c: services.cohort_match(actor=r.user, cohort=c),
    "lock": lambda r, c: services.pair_lock(actor=r.user, pair=_pair(r, c), locked=True),
    "unlock": lambda r, c: services.pair_lock(actor=r.user, pair=_pair(r, c), locked=False),
    "exclude_pair": lambda r, c: services.pair_exclude(
        actor=r.user, pair=_pair(r, c), reason=r.POST.get("reason", "")
    ),
    "exclude_participant": lambda r, c: services.participant_exclude(
        actor=r.user, participant=_participant(r, c), reason=r.POST.get("reason", "")
    ),
    "add_participant": _add_participant,
    "plan_visits": lambda r, c: services.visits_plan(
        actor=r.user,
        cohort=c,
        return_start=r.POST.get("return_start", ""),
        return_days=r.POST.get("return_days", ""),
    ),
}


@login_required
@require_POST
@not_found_on_refusal
def cohort_action(request, pk):
    cohort = access(request.user, Cohort, CHANGE, pk=pk)
    action = ACTIONS.get(request.POST.get("action", ""))
    if action is not None:
        act(request, lambda: action(request, cohort), _("Saved."))
    return redirect("cohort_detail", pk=cohort.pk)


VISITS = Visit.objects.select_related(
    "cohort", "host__person", "host__tier", "host__school", "partner__person", "school", "regency"
)


@login_required
@not_found_on_refusal
def visit_detail(request, pk):
    """A visit: its teachers, the rundown day by day (editable by the host and the office),
    attendance per day, observation notes, and the report and rundown to download."""
    visit = access(request.user, Visit, pk=pk, queryset=VISITS)
    manage = can(request.user, CHANGE, visit)
    return render(
        request,
        "partnership/visit_detail.html",
        {
            "visit": visit,
            "cohort": visit.cohort,
            "manage": manage,
            "may_note": can(request.user, NOTE, visit),
            "item_form": RundownItemForm(visit=visit),
        }
        | selectors.visit_page(request.user, visit),
    )


def _item(request, visit):
    return access(request.user, RundownItem, CHANGE, pk=request.POST.get("item") or 0, visit=visit)


VISIT_ACTIONS = {
    "add_item": lambda r, v: services.rundown_item_save(actor=r.user, visit=v, data=r.POST),
    "delete_item": lambda r, v: services.rundown_item_delete(actor=r.user, item=_item(r, v)),
    "note": lambda r, v: services.observation_add(
        actor=r.user,
        visit=v,
        day=r.POST.get("day"),
        observed=r.POST.get("observed"),
        text=r.POST.get("text"),
    ),
    "update": lambda r, v: services.visit_update(
        actor=r.user,
        visit=v,
        data={k: r.POST[k] for k in ("start", "summary") if k in r.POST},
    ),
}


@login_required
@require_POST
@not_found_on_refusal
def visit_action(request, pk):
    name = request.POST.get("action", "")
    visit = access(request.user, Visit, NOTE if name == "note" else CHANGE, pk=pk)
    action = VISIT_ACTIONS.get(name)
    if action is not None:
        act(request, lambda: action(request, visit), _("Saved."))
    return redirect("visit_detail", pk=visit.pk)


RUNDOWN_FIELDS = ("day", "starts", "ends", "activity", "detail", "place")


@login_required
@not_found_on_refusal
def rundown_item_edit(request, pk):
    item = access(request.user, RundownItem, CHANGE, pk=pk)
    visit = item.visit
    initial = {
        f: getattr(item, f) for f in ("day", "starts", "ends", "activity", "detail", "place")
    }
    form = RundownItemForm(request.POST or None, visit=visit, initial=initial)
    saved = submit_form(
        request,
        form,
        lambda data: services.rundown_item_save(
            actor=request.user, visit=visit, data=data, item=item
        ),
    )
    if saved:
        messages.success(request, _("Saved."))
        return redirect("visit_detail", pk=visit.pk)
    return render(
        request, "partnership/rundown_item_form.html", {"form": form, "visit": visit, "item": item}
    )


@login_required
@not_found_on_refusal
def visit_attendance(request, pk, day):
    """One day's attendance of a visit, taken on a phone."""
    visit = access(request.user, Visit, CHANGE, pk=pk, queryset=VISITS)
    if not 1 <= day <= visit.days:
        raise Http404()
    if request.method == "POST":
        statuses = {
            k.removeprefix("p-"): v for k, v in request.POST.items() if k.startswith("p-") and v
        }
        if act(
            request,
            lambda: services.visit_attendance_record(
                actor=request.user, visit=visit, day=day, statuses=statuses
            ),
            _("Attendance has been saved."),
        ):
            return redirect("visit_detail", pk=visit.pk)
    return render(
        request,
        "partnership/visit_attendance.html",
        {
            "visit": visit,
            "day": day,
            "date": visit.date_of(day),
            "rows": selectors.visit_attendance_rows(visit, day),
            "refusal": services.attendance_too_early(visit, day),
        },
    )


@login_required
@not_found_on_refusal
def visit_download(request, pk, fmt):
    visit = access(request.user, Visit, pk=pk, queryset=VISITS)
    document = visit_document(request.user, visit, fmt)
    return attachment(document.body, document.filename, document.content_type)


@login_required
def my_partnership(request):
    """A teacher's own partnership: their host or partners, schedule, rundown and plan."""
    rows = selectors.my_partnerships(request.user)
    for row in rows:
        plan = row["plan"]
        row["plan_form"] = ActionPlanForm(
            initial={f: getattr(plan, f) for f in ("goal", "steps", "indicator", "due")}
            if plan
            else None
        )
        row["write_refusal"] = services.action_plan_refusal(row["me"]) if row["host"] else None
        row["report_refusal"] = (
            services.action_plan_refusal(row["me"], report=True) if plan else None
        )
    return render(request, "partnership/my_partnership.html", {"rows": rows})


@login_required
@require_POST
@not_found_on_refusal
def action_plan(request, pk):
    participant = access(request.user, Participant, pk=pk)
    plan = ActionPlan.objects.filter(participant=participant).first()
    if not can(request.user, CHANGE, plan or ActionPlan(participant=participant)):
        raise Forbidden()
    if request.POST.get("action") == "report" and plan:
        act(
            request,
            lambda: services.action_plan_report(
                actor=request.user, plan=plan, report=request.POST.get("report", "")
            ),
            _("The report on your action plan has been saved."),
        )
    else:
        act(
            request,
            lambda: services.action_plan_save(
                actor=request.user, participant=participant, data=request.POST
            ),
            _("Your action plan has been saved."),
        )
    return redirect("my_partnership")
