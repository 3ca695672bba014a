"""Competency pages: maps per region and group, a member's own results, trainers, and
UKG imports (upload, progress, error report)."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gugus.communities.models import WorkingGroup
from gugus.communities.selectors import current_members
from gugus.competency import exports, selectors, services, tracks, trainers
from gugus.competency.forms import UkgUploadForm
from gugus.competency.models import UkgImport
from gugus.core import charts
from gugus.core.access import access, actor_for, can
from gugus.core.sheets import XLSX_TYPE
from gugus.core.uploads import CSV_REPORT, stored_file_response
from gugus.core.views import act, attachment, not_found_on_refusal, partial_or_page, submit_form
from gugus.directory.services import personal_data_read


@login_required
def ukg_upload(request):
    if not actor_for(request.user).is_office:
        raise Http404()
    form = UkgUploadForm(request.POST or None, request.FILES or None)

    def save(data):
        upload = data["file"]
        return services.ukg_import_start(
            actor=request.user,
            event=data["event"].code if data["event"] else data["new_event"],
            year=None if data["event"] else data["new_year"],
            upload=upload,
            filename=upload.name,
            mode=data["mode"],
        )

    job = submit_form(request, form, save)
    if job:
        return redirect("ukg_import_detail", pk=job.pk)
    jobs = UkgImport.objects.filter(user=request.user).select_related("event")[:20]
    return render(request, "competency/upload.html", {"form": form, "jobs": jobs})


@login_required
@not_found_on_refusal
def ukg_import_detail(request, pk):
    job = access(request.user, UkgImport, pk=pk)
    template = partial_or_page(request, "competency/job.html", "competency/_job.html")
    issues = job.issues.all()[:200] if job.error_count else []
    return render(request, template, {"job": job, "issues": issues})


@login_required
@not_found_on_refusal
def ukg_error_report(request, pk):
    job = access(request.user, UkgImport, pk=pk)
    if not job.error_report:
        raise Http404()
    personal_data_read(
        actor=request.user, what="ukg_error_report", rows=job.error_count, filters={"job": pk}
    )
    return stored_file_response(
        job.error_report, download_name=f"laporan-galat-ukg-{job.pk}", written_as=CSV_REPORT
    )


def _map_context(request):
    event = selectors.event_for(request.GET.get("ukg", ""))
    place = selectors.place_for(request.GET.get("wilayah", ""))
    component = selectors.component_for(request.GET.get("komponen", ""))
    subject = request.GET.get("mapel", "")
    jenjang = request.GET.get("jenjang", "")
    return event, place, component, subject, jenjang


def _histogram(cell, event):
    if cell is None or not cell.bins:
        return None
    return charts.histogram(
        cell.bins,
        pass_mark=event.pass_mark,
        target=event.target,
        label=_("Distribution of scores"),
    )


@login_required
def competency_map(request):
    event, place, component, subject, jenjang = _map_context(request)
    context = {"event": event, "place": place, "component": component, "events": selectors.events()}
    if event:
        here = selectors.cell(event, place.level, place.key, component, subject, jenjang)
        overall = selectors.cell(event, place.level, place.key)
        parts = [
            (name, selectors.cell(event, place.level, place.key, name))
            for name in ("pedagogik", "profesional")
        ]
        trend_points = [
            (r.event.name, r.mean) for r in selectors.trend(place.level, place.key, component)
        ]
        context.update(
            {
                "cell": here,
                "overall": overall,
                "parts": parts,
                "histogram": _histogram(here, event),
                "components_chart": charts.component_bars(
                    [
                        (selectors.COMPONENT_LABELS[name], part.mean)
                        for name, part in parts
                        if part and part.mean is not None
                    ],
                    pass_mark=event.pass_mark,
                    target=event.target,
                    label=_("Pedagogical and professional means"),
                ),
                "trend": charts.trend(
                    trend_points,
                    pass_mark=event.pass_mark,
                    target=event.target,
                    label=_("Mean score per UKG"),
                )
                if len(trend_points) > 1
                else None,
                "children": selectors.children(
                    request.user, event, place, component, subject, jenjang
                ),
                "subjects": selectors.subjects_in(event, place),
                "subject": subject,
                "jenjang": jenjang,
                "track_labels": tracks.TRACKS,
                "components": selectors.COMPONENT_LABELS,
            }
        )
    return render(request, "competency/map.html", context)


@login_required
def competency_map_export(request):
    event, place, component, subject, jenjang = _map_context(request)
    if not event:
        raise Http404()
    rows = selectors.children(request.user, event, place, component, subject, jenjang)
    body = exports.map_xlsx(event, place, component, rows)
    return attachment(body, f"kompetensi-{place.key or 'id'}.xlsx", XLSX_TYPE)


@login_required
@not_found_on_refusal
def group_competency(request, pk):
    group = access(request.user, WorkingGroup, pk=pk)
    event = selectors.latest_event()
    cell = selectors.group_cell(request.user, group, event)
    return render(
        request,
        "competency/group.html",
        {
            "group": group,
            "event": event,
            "cell": cell,
            "histogram": _histogram(cell, event),
            "members": selectors.member_results(request.user, group, event) if event else [],
            "trainers": trainers.trainers_for(group, viewer=request.user),
            "recommended": trainers.recommended(group, viewer=request.user),
            "may_choose": can(request.user, "manage_trainer", group),
            "member_people": current_members(group),
            "track_labels": tracks.TRACKS,
        },
    )


@login_required
@require_POST
@not_found_on_refusal
def trainer_choose(request, pk):
    group = access(request.user, WorkingGroup, "manage_trainer", pk=pk)
    act(
        request,
        lambda: trainers.trainer_choose(
            actor=request.user,
            group=group,
            person_id=request.POST.get("person"),
            reason=request.POST.get("reason", ""),
        ),
        _("The trainer was saved."),
    )
    return redirect("group_competency", pk=group.pk)


@login_required
def my_results(request):
    person = request.user.person
    return render(
        request,
        "competency/mine.html",
        {"results": selectors.own_results(person) if person else []},
    )
