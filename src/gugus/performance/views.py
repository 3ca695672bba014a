"""Performance pages: my semester (and, for a head, my teachers by step), the plan with
every action one tap away, the observation form that keeps what was typed on the device,
and the export toward e-Kinerja. Every button is a service call (and an API endpoint)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from gugus.core.access import CHANGE, access, actor_for, can
from gugus.core.errors import Conflict, DomainError, Forbidden
from gugus.core.pagination import paginate
from gugus.core.roles import OVERSIGHT_ROLES, Role
from gugus.core.views import attachment, flash_refusal, not_found_on_refusal, saved
from gugus.directory.models import Person
from gugus.performance import rules, selectors, services
from gugus.performance.documents import ekinerja_document, record_document
from gugus.performance.models import (
    Cycle,
    Expectation,
    ObservationRating,
    Period,
    Plan,
    PointItem,
    PracticeIndicator,
    RubricIndicator,
    Stage,
)
from gugus.performance.policies import SUPERVISE

PLANS = Plan.objects.select_related("person", "school", "period", "practice")


@login_required
def semester(request):
    """A semester (the current one unless another is chosen): my plan and its next step,
    the plans I supervise with their next action, and for those who oversee schools,
    completion by school and the export."""
    current = services.period_for()
    period = Period.objects.filter(pk=request.GET.get("semester") or 0).first() or current
    person = getattr(request.user, "person", None)
    mine = Plan.objects.filter(period=period, person=person).first() if person else None
    actor = actor_for(request.user)
    oversees = bool(actor.grants_for([r for r in OVERSIGHT_ROLES if r != Role.KEPALA_SEKOLAH]))
    where = dict(selectors.POSITIONS)
    supervised = paginate(selectors.supervised(request.user, period), request.GET.get("page"), 50)
    rows = [
        (p, where[selectors.position_of(p)], *selectors.next_step(request.user, p))
        for p in supervised.items
        if can(request.user, SUPERVISE, p)
    ]
    schools = selectors.completion(request.user, period) if oversees else []
    # The schools furthest behind first, a page at a time.
    completion = paginate(schools, request.GET.get("sekolah"), 50)
    selectors.with_positions(request.user, period, completion.items)
    return render(
        request,
        "performance/semester.html",
        {
            "period": period,
            "periods": Period.objects.order_by("-year", "-half")[:6],
            "current": current,
            "mine": mine,
            "mine_step": selectors.next_step(request.user, mine) if mine else None,
            "can_open": bool(person and person.school_id) and period == current,
            "rows": rows,
            "supervised": supervised,
            "completion": completion,
            "positions": [p for p in selectors.POSITIONS if p[0] != "assessed"],
            "distribution": selectors.predikat_distribution(request.user, period),
            "predikat_labels": dict(Plan._meta.get_field("predikat").choices),
            "windows": [
                (str(label), getattr(period, opens), getattr(period, closes))
                for label, opens, closes in services.WINDOWS.values()
            ],
        },
    )


@login_required
@require_POST
@not_found_on_refusal
def plan_open(request):
    person = access(request.user, Person, pk=getattr(request.user, "person_id", None) or 0)
    try:
        plan = services.plan_open(actor=request.user, person=person)
    except DomainError as e:
        flash_refusal(request, e)
        return redirect("semester")
    return redirect("plan_detail", pk=plan.pk)


def _plan_items(post) -> list[dict]:
    codes = post.getlist("item")
    details = post.getlist("detail")
    return [
        {"item": code, "detail": details[n] if n < len(details) else ""}
        for n, code in enumerate(codes)
        if code
    ]


def _stage(request, plan):
    return Stage.objects.get(cycle=plan.cycle, kind=int(request.POST.get("kind") or 0))


ACTIONS = {
    "save": lambda r, p: services.plan_save(
        actor=r.user,
        plan=p,
        data={
            "practice": r.POST.get("practice", ""),
            "duties": r.POST.get("duties", ""),
            "behaviour": r.POST.get("behaviour", ""),
            "items": _plan_items(r.POST),
        },
        version=r.POST.get("version"),
    ),
    "submit": lambda r, p: services.plan_submit(
        actor=r.user, plan=p, version=r.POST.get("version")
    ),
    "agree": lambda r, p: services.plan_review(
        actor=r.user,
        plan=p,
        agree=True,
        comments=r.POST.get("comments", ""),
        version=r.POST.get("version"),
    ),
    "return": lambda r, p: services.plan_review(
        actor=r.user,
        plan=p,
        agree=False,
        comments=r.POST.get("comments", ""),
        version=r.POST.get("version"),
    ),
    "stage": lambda r, p: services.stage_record(
        actor=r.user,
        stage=_stage(r, p),
        data={
            "date": r.POST.get("date", ""),
            "participants": r.POST.get("participants", ""),
            "notes": r.POST.get("notes", ""),
            "done": r.POST.get("done") == "1",
        },
        version=r.POST.get("version"),
    ),
    "aspects": lambda r, p: services.cycle_rate(
        actor=r.user,
        cycle=p.cycle,
        reflect=r.POST.get("reflect"),
        learn=r.POST.get("learn"),
        change=r.POST.get("change"),
        version=r.POST.get("version"),
    ),
    "assess": lambda r, p: services.plan_assess(
        actor=r.user,
        plan=p,
        work_results=r.POST.get("work_results", ""),
        work_behaviour=r.POST.get("work_behaviour", ""),
        version=r.POST.get("version"),
    ),
}


# What each button asks of its user: the plan's own person, or the superior (either for
# a stage, which both write).
NEEDS = {
    "agree": (SUPERVISE,),
    "return": (SUPERVISE,),
    "aspects": (SUPERVISE,),
    "assess": (SUPERVISE,),
    "stage": (CHANGE, SUPERVISE),
}


STAGE_FIELDS = {
    "notes": _lazy("notes"),
    "date": _lazy("date"),
    "participants": _lazy("participants"),
}


def field_label(field: str, plan: Plan) -> str:
    """A conflict's field as the page names it ("Observasi kinerja · catatan" for
    stage2_notes, the indicator's name for indicator12); the API keeps the codes."""
    if field.startswith("stage") and "_" in field:
        kind, _sep, name = field.removeprefix("stage").partition("_")
        if kind.isdigit() and name in STAGE_FIELDS:
            return f"{Stage.Kind(int(kind)).label} · {STAGE_FIELDS[name]}"
    if field.startswith("indicator") and field.removeprefix("indicator").isdigit():
        indicator = RubricIndicator.objects.filter(pk=int(field.removeprefix("indicator"))).first()
        if indicator:
            return indicator.name
    names = {f.name: f.verbose_name for f in Plan._meta.fields + Cycle._meta.fields}
    return str(names.get(field, field))


# The device-kept draft each form clears once saved.
DRAFTS = {
    "save": lambda r, p: f"plan-{p.pk}",
    "stage": lambda r, p: f"stage-{_stage(r, p).pk}",
}


@login_required
@not_found_on_refusal
def plan_detail(request, pk):
    """The plan with the action its reader takes next: write and send it, agree or return
    it, run the stages in order, rate the cycle, assess."""
    plan = access(request.user, Plan, pk=pk, queryset=PLANS)
    if request.method == "POST":
        name = request.POST.get("action", "")
        action = ACTIONS.get(name)
        needs = NEEDS.get(name, (CHANGE,))
        if not any(can(request.user, n, plan) for n in needs):
            raise Forbidden()
        if action is not None:
            try:
                action(request, plan)
            except Conflict as e:
                messages.error(request, str(e.message))
                for d in e.details:
                    messages.warning(
                        request,
                        _("%(field)s — saved: %(saved)s; yours: %(yours)s")
                        % {
                            "field": field_label(d["field"], plan),
                            "saved": d["saved"] or "—",
                            "yours": d["yours"] or "—",
                        },
                    )
            except DomainError as e:
                flash_refusal(request, e)
            else:
                # the server has what the form kept on the device: let the device forget it
                saved(
                    request, _("Saved."), draft=DRAFTS.get(name, lambda r, p: None)(request, plan)
                )
        return redirect("plan_detail", pk=plan.pk)
    cycle = Cycle.objects.filter(plan=plan).select_related("rubric").first()
    stages = list(cycle.stages.order_by("kind")) if cycle else []
    current = next((s for s in stages if s.done_at is None), None)
    mine = can(request.user, CHANGE, plan)
    superior = can(request.user, SUPERVISE, plan)
    return render(
        request,
        "performance/plan_detail.html",
        {
            "plan": plan,
            "cycle": cycle,
            "stages": stages,
            "current": current,
            "current_refusal": services.stage_refusal(current) if current else None,
            "mine": mine,
            "superior": superior,
            "editable": mine and plan.status in (Plan.Status.DRAFT, Plan.Status.RETURNED),
            "items": list(plan.items.select_related("item")),
            "catalogue": PointItem.objects.all(),
            "practices": PracticeIndicator.objects.all(),
            "points": services.plan_points(plan),
            "min_points": rules.MIN_POINTS,
            "step": selectors.next_step(request.user, plan),
            "expectations": Expectation.choices,
            "aspects": Cycle.Aspect.choices,
            "plan_window": services.window_refusal(plan.period, "plan"),
            "run_window": services.window_refusal(plan.period, "run"),
            "assess_window": services.window_refusal(plan.period, "assess"),
            "evidence": selectors.evidence_for(plan) if mine or superior else [],
            "item_names": dict(PointItem.objects.values_list("code", "name")),
            "quota": selectors.quota_warning(plan) if superior and cycle else None,
        },
    )


@login_required
@not_found_on_refusal
def observation(request, pk):
    """The superior's observation form, made for a phone in the classroom: what is typed
    stays on the device until the server has it, and is sent when the network returns."""
    plan = access(request.user, Plan, SUPERVISE, pk=pk, queryset=PLANS)
    cycle = Cycle.objects.select_related("rubric").get(plan=plan)
    conflict = None
    if request.method == "POST":
        ratings = {
            r.indicator_id: {
                "rating": request.POST.get(f"rating-{r.indicator_id}", ""),
                "evidence": request.POST.get(f"evidence-{r.indicator_id}", ""),
            }
            for r in cycle.ratings.all()
        }
        try:
            services.observation_save(
                actor=request.user,
                cycle=cycle,
                ratings=ratings,
                recommendation=request.POST.get("recommendation", ""),
                version=request.POST.get("version"),
            )
        except Conflict as e:
            conflict = e
        except DomainError as e:
            flash_refusal(request, e)
        else:
            saved(request, _("The observation has been saved."), draft=f"observation-{cycle.pk}")
            return redirect("plan_detail", pk=plan.pk)
        cycle.refresh_from_db()
    rows = list(cycle.ratings.select_related("indicator").order_by("indicator__position"))
    return render(
        request,
        "performance/observation.html",
        {
            "plan": plan,
            "cycle": cycle,
            "rows": rows,
            "choices": ObservationRating.Rating.choices,
            "conflict": conflict,
            "conflict_rows": [
                (field_label(d["field"], plan), d["saved"], d["yours"])
                for d in (conflict.details if conflict else [])
            ],
            "labels": dict(ObservationRating.Rating.choices),
            "draft_key": f"observation-{cycle.pk}",
        },
    )


@login_required
@not_found_on_refusal
def ekinerja(request, pk, fmt):
    period = access(request.user, Period, pk=pk)
    document = ekinerja_document(request.user, period, fmt)
    return attachment(document.body, document.filename, document.content_type)


@login_required
@not_found_on_refusal
def plan_record(request, pk):
    """The person's semester record as PDF: plan, cycle, observation and assessment."""
    plan = access(request.user, Plan, pk=pk, queryset=PLANS)
    document = record_document(plan)
    return attachment(document.body, document.filename, document.content_type)
