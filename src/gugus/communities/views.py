"""Working-group pages. Thin: read through selectors, write through services."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gugus.communities import activeness, exports, selectors, services
from gugus.communities.forms import (
    ActivityForm,
    EvidenceForm,
    GroupFilterForm,
    GroupForm,
    MemberAddForm,
    OfficerForm,
    TransitionForm,
)
from gugus.communities.models import (
    Activity,
    Evidence,
    Membership,
    Officer,
    WorkingGroup,
)
from gugus.communities.workflow import GROUP
from gugus.core import charts, clock
from gugus.core.access import CHANGE, access, actor_for, can
from gugus.core.errors import DomainError
from gugus.core.pagination import paginate
from gugus.core.sheets import XLSX_TYPE
from gugus.core.uploads import stored_file_response
from gugus.core.views import (
    act,
    attachment,
    flash_refusal,
    not_found_on_refusal,
    partial_or_page,
    saved,
    submit_form,
)
from gugus.directory.selectors import person_by_identifier, region_choices


def _filters(request):
    form = GroupFilterForm(request.GET or None, regions=region_choices(actor=request.user))
    filters = form.cleaned_data if form.is_valid() else {}
    qs = selectors.group_list(
        actor=request.user,
        search=filters.get("q", ""),
        **{
            k: filters.get(k, "")
            for k in ("province", "regency", "kind", "jenjang", "subject", "status", "level")
        },
    )
    return form, filters, qs


@login_required
def group_list(request):
    form, _filters_used, qs = _filters(request)
    page = paginate(qs, request.GET.get("page"), 25)
    template = partial_or_page(
        request, "communities/group_list.html", "communities/_group_rows.html"
    )
    return render(
        request,
        template,
        {
            "form": form,
            "page": page,
            "can_create": actor_for(request.user).is_office,
            "query": request.GET.urlencode(),
            "levels": activeness.LEVEL_LABELS,
        },
    )


@login_required
def group_export(request):
    _form, _used, qs = _filters(request)
    return attachment(exports.groups_xlsx(qs), "kelompok-kerja.xlsx", XLSX_TYPE)


@login_required
def group_create(request):
    if not actor_for(request.user).is_office:
        raise Http404()
    form = GroupForm(request.POST or None)
    group = submit_form(
        request,
        form,
        lambda data: services.group_create(actor=request.user, data=form.service_data()),
    )
    if group:
        messages.success(request, _("The group has been registered as a draft."))
        return redirect("group_detail", pk=group.pk)
    return render(request, "communities/group_form.html", {"form": form, "group": None})


@login_required
@not_found_on_refusal
def group_update(request, pk):
    group = access(request.user, WorkingGroup, CHANGE, pk=pk)
    related = ("province", "regency", "subject", "school")
    initial = {
        **{f: getattr(group, f) for f in services.GROUP_FIELDS if f not in related},
        "regency": group.regency_id or "",
        "province": group.province_id,
        "subject": group.subject_id or "",
        "school": group.school.npsn if group.school_id else "",
    }
    form = GroupForm(request.POST or None, request.FILES or None, initial=initial)
    updated = submit_form(
        request,
        form,
        lambda data: services.group_update(
            actor=request.user, group=group, data=form.service_data(), files=form.files_data()
        ),
    )
    if updated:
        messages.success(request, _("The data has been saved."))
        return redirect("group_detail", pk=group.pk)
    return render(request, "communities/group_form.html", {"form": form, "group": group})


@login_required
@not_found_on_refusal
def group_detail(request, pk):
    group = access(
        request.user,
        WorkingGroup,
        pk=pk,
        queryset=WorkingGroup.objects.select_related("regency", "province", "subject", "school"),
    )
    manage = can(request.user, CHANGE, group)
    steps = [s for s in GROUP.steps_from(group.status) if can(request.user, s.permission, group)]
    today = clock.today()
    month = _month_param(request.GET.get("bulan"), today)
    activities = list(selectors.group_activities(group)[:60])
    summary = selectors.group_summary(group)
    in_month = selectors.group_activities(group).filter(
        date__year=month.year, date__month=month.month
    )
    return render(
        request,
        "communities/group_detail.html",
        {
            "group": group,
            "manage": manage,
            "steps": steps,
            "members": selectors.current_members(group),
            "past_members": selectors.past_members(group)[:50],
            "officers": selectors.current_officers(group),
            "summary": summary,
            "activeness_chart": charts.activeness(
                [
                    (date_format(s.month, "M"), date_format(s.month, "F Y"), s.score, s.level)
                    for s in summary["snapshots"]
                ],
                label=_("Activeness score over the last 12 months"),
            ),
            "gaps": services.submission_gaps(group) if group.status == "draft" else [],
            "upcoming": [a for a in activities if a.date >= today and a.status == "planned"],
            "past": [a for a in activities if a.date < today or a.status != "planned"],
            "calendar": selectors.month_grid(in_month, month.year, month.month),
            "month": month,
            "previous_month": activeness.add_months(month, -1),
            "weekdays": [datetime.date(2024, 1, 1) + datetime.timedelta(days=i) for i in range(7)],
            "next_month": activeness.add_months(month, 1),
            "today": today,
            "level_labels": activeness.LEVEL_LABELS,
            "member_form": MemberAddForm(),
            "officer_form": OfficerForm(),
        },
    )


@login_required
@require_POST
@not_found_on_refusal
def group_transition(request, pk):
    form = TransitionForm(request.POST)
    action = request.POST.get("action") if form.is_valid() else CHANGE
    group = access(request.user, WorkingGroup, action, pk=pk)
    if form.is_valid():
        act(
            request,
            lambda: services.group_transition(
                actor=request.user,
                group=group,
                action=form.cleaned_data["action"],
                note=form.cleaned_data["note"],
            ),
            _("The status has been changed."),
        )
    return redirect("group_detail", pk=group.pk)


def _month_param(value, today: datetime.date) -> datetime.date:
    """The calendar month asked for as ?bulan=YYYY-MM, else the current one."""
    try:
        year, month = (int(part) for part in (value or "").split("-"))
        return datetime.date(year, month, 1)
    except ValueError:
        return today.replace(day=1)


@login_required
@require_POST
@not_found_on_refusal
def member_add(request, pk):
    group = access(request.user, WorkingGroup, CHANGE, pk=pk)
    form = MemberAddForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        act(
            request,
            lambda: services.membership_add(
                actor=request.user,
                group=group,
                person=person_by_identifier(request.user, data["identifier"]),
                started_on=data["started_on"],
            ),
            _("The member has joined the group."),
        )
    return redirect("group_detail", pk=group.pk)


@login_required
@require_POST
@not_found_on_refusal
def member_end(request, pk):
    membership = access(request.user, Membership, CHANGE, pk=pk)
    act(
        request,
        lambda: services.membership_end(actor=request.user, membership=membership),
        _("The membership has ended."),
    )
    return redirect("group_detail", pk=membership.group_id)


@login_required
@require_POST
@not_found_on_refusal
def officer_appoint(request, pk):
    group = access(request.user, WorkingGroup, CHANGE, pk=pk)
    form = OfficerForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        act(
            request,
            lambda: services.officer_appoint(
                actor=request.user,
                group=group,
                person=person_by_identifier(request.user, data["identifier"]),
                position=data["position"],
                section=data["section"],
            ),
            _("The officer has been appointed."),
        )
    return redirect("group_detail", pk=group.pk)


@login_required
@require_POST
@not_found_on_refusal
def officer_end(request, pk):
    officer = access(request.user, Officer, CHANGE, pk=pk)
    act(
        request,
        lambda: services.officer_end(actor=request.user, officer=officer),
        _("The office has ended."),
    )
    return redirect("group_detail", pk=officer.group_id)


def _activity_form_view(request, group, activity=None):
    initial = {}
    if activity:
        initial = {f: getattr(activity, f) for f in services.ACTIVITY_FIELDS}
        initial["reflects_on"] = activity.reflects_on_id or ""
        initial["facilitators"] = [p.pk for p in activity.facilitators.all()]
    form = ActivityForm(request.POST or None, group=group, initial=initial)

    def save(data):
        people = data["facilitators"]
        if activity:
            return services.activity_update(
                actor=request.user, activity=activity, data=form.service_data(), facilitators=people
            )
        return services.activity_create(
            actor=request.user, group=group, data=form.service_data(), facilitators=people
        )

    draft_key = f"activity-{group.pk}-{activity.pk if activity else 'new'}"
    done = submit_form(request, form, save, {"facilitator_ids": "facilitators"})
    if done:
        saved(request, _("The activity has been saved."), draft=draft_key)
        return redirect("activity_detail", pk=done.pk)
    return render(
        request,
        "communities/activity_form.html",
        {"form": form, "group": group, "activity": activity, "draft_key": draft_key},
    )


@login_required
@not_found_on_refusal
def activity_create(request, pk):
    group = access(request.user, WorkingGroup, CHANGE, pk=pk)
    return _activity_form_view(request, group)


@login_required
@not_found_on_refusal
def activity_update(request, pk):
    activity = access(request.user, Activity, CHANGE, pk=pk)
    return _activity_form_view(request, activity.group, activity)


@login_required
@not_found_on_refusal
def activity_detail(request, pk):
    """The activity with its attendance list, taken on a phone in the room."""
    activity = access(
        request.user,
        Activity,
        pk=pk,
        queryset=Activity.objects.select_related("group", "reflects_on"),
    )
    manage = can(request.user, CHANGE, activity)
    draft_key = f"attendance-{activity.pk}"
    if request.method == "POST":
        if not manage:
            raise Http404()
        statuses = {
            int(k.removeprefix("p-")): v
            for k, v in request.POST.items()
            if k.startswith("p-") and v
        }
        try:
            services.attendance_record(actor=request.user, activity=activity, statuses=statuses)
        except DomainError as e:
            flash_refusal(request, e)
        else:
            saved(request, _("Attendance has been saved."), draft=draft_key)
            return redirect("activity_detail", pk=activity.pk)
    rows = selectors.activity_attendance(activity)
    return render(
        request,
        "communities/activity_detail.html",
        {
            "activity": activity,
            "group": activity.group,
            "manage": manage,
            "rows": rows,
            "present": sum(1 for _p, s in rows if s == "hadir"),
            "evidence": activity.evidence.all(),
            "evidence_form": EvidenceForm(),
            "draft_key": draft_key,
            "attendance_refusal": services.attendance_refusal(activity),
            "facilitators": activity.facilitators.all(),
        },
    )


@login_required
@require_POST
@not_found_on_refusal
def activity_status(request, pk):
    activity = access(request.user, Activity, CHANGE, pk=pk)
    act(
        request,
        lambda: services.activity_set_status(
            actor=request.user, activity=activity, status=request.POST.get("status", "")
        ),
        _("The status has been changed."),
    )
    return redirect("activity_detail", pk=activity.pk)


@login_required
@require_POST
@not_found_on_refusal
def evidence_upload(request, pk):
    activity = access(request.user, Activity, CHANGE, pk=pk)
    form = EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        act(
            request,
            lambda: services.evidence_add(
                actor=request.user,
                activity=activity,
                upload=form.cleaned_data["file"],
                kind=form.cleaned_data["kind"],
            ),
            _("The evidence has been uploaded."),
        )
    else:
        for errors in form.errors.values():
            for e in errors:
                messages.error(request, e)
    return redirect("activity_detail", pk=activity.pk)


@login_required
@not_found_on_refusal
def evidence_download(request, pk):
    evidence = access(request.user, Evidence, pk=pk)
    return stored_file_response(evidence.file, download_name=f"bukti-kegiatan-{evidence.pk}")


@login_required
@not_found_on_refusal
def group_document(request, pk, document):
    """The founding decree or the statutes, for whoever may see the group."""
    stored, name = selectors.group_document(access(request.user, WorkingGroup, pk=pk), document)
    return stored_file_response(stored, download_name=name)


@login_required
@not_found_on_refusal
def attendance_export(request, pk):
    group = access(request.user, WorkingGroup, pk=pk)
    body = exports.attendance_xlsx(actor=request.user, group=group)
    return attachment(body, f"kehadiran-{group.pk}.xlsx", XLSX_TYPE)


@login_required
def my_groups(request):
    actor = actor_for(request.user)
    return render(
        request,
        "communities/my_groups.html",
        {
            "memberships": selectors.my_groups(actor=actor),
            "attendance": selectors.my_attendance(actor=actor),
        },
    )


@login_required
def region_activeness(request):
    """Which groups need activation, per kab/kota of the office's region."""
    if not actor_for(request.user).is_office:
        raise Http404()
    regions = region_choices(actor=request.user)
    province, regency = request.GET.get("province", ""), request.GET.get("regency", "")
    data = selectors.region_activeness(actor=request.user, province=province, regency=regency)
    page = paginate(data["needing"], request.GET.get("page"), 25)
    return render(
        request,
        "communities/region_activeness.html",
        {
            **data,
            "page": page,
            "regions": regions,
            "province": province,
            "regency": regency,
            "level_labels": activeness.LEVEL_LABELS,
            "year": clock.today().year,
        },
    )
