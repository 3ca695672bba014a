"""Dashboard pages. Thin: the place and who may open it, then the selectors."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from gugus.communities.models import WorkingGroup
from gugus.core import clock
from gugus.core.access import access, visible
from gugus.core.pagination import capped_count, paginate
from gugus.core.roles import Ministry
from gugus.core.uploads import PDF, XLSX, stored_file_response
from gugus.core.views import attachment, not_found_on_refusal, saved, submit_form
from gugus.directory.models import School
from gugus.insights import local, measures, reports, selectors, services, tables
from gugus.insights.forms import ReportForm
from gugus.insights.models import Report


def _place_or_404(request, scope):
    place = selectors.place_for(scope)
    if place is None or not selectors.sees_place(request.user, place):
        raise Http404
    return place


def _year(request) -> int | None:
    text = request.GET.get("tahun", "")
    return int(text) if text.isdigit() and 2000 <= int(text) <= 2100 else None


@login_required
def dashboard_home(request):
    scope = selectors.home_scope(request.user)
    if scope is None:
        raise Http404
    return redirect("insights_region", scope)


@login_required
def region(request, scope):
    place = _place_or_404(request, scope)
    data = selectors.dashboard(
        request.user,
        place,
        year=_year(request),
        today_year=clock.today().year,
        shown=request.GET.get("peta", ""),
    )
    return render(request, "insights/region.html", data)


@login_required
def records(request, scope, measure):
    place = _place_or_404(request, scope)
    if measure not in measures.MEASURES:
        raise Http404
    ministry = request.GET.get("kementerian", "")
    if ministry not in Ministry.values:
        ministry = None
    qs = measures.records(
        measure,
        province=place.province_id,
        regency=place.regency_id,
        ministry=ministry,
        period=request.GET.get("periode", ""),
    )
    page = paginate(
        visible(request.user, qs.model, qs).select_related().order_by("pk"),
        request.GET.get("page"),
        50,
    )
    # The figure counts every record; the list shows those the user may open, and says
    # how many the figure holds (up to the lists' cap: the nation's records are millions),
    # so the difference is never a mystery.
    behind, behind_is_capped = capped_count(qs)
    return render(
        request,
        "insights/records.html",
        {
            "place": place,
            "measure": measure,
            "label": tables.measure_label(measure),
            "ministry": Ministry(ministry).label if ministry else None,
            "period": request.GET.get("periode", ""),
            "page": page,
            "behind": behind,
            "behind_is_capped": behind_is_capped,
            "rows": [(str(obj), tables.link_of(obj)) for obj in page.items],
            "back": reverse("insights_region", args=[place.scope]),
        },
    )


@login_required
def region_table(request, scope, fmt):
    place = _place_or_404(request, scope)
    data = selectors.dashboard(
        request.user,
        place,
        year=_year(request),
        today_year=clock.today().year,
        shown=request.GET.get("peta", ""),
    )
    return attachment(*tables.figures_file(data, fmt))


@login_required
@not_found_on_refusal
def group(request, pk):
    return _local(request, access(request.user, WorkingGroup, pk=pk), local.group_dashboard)


@login_required
@not_found_on_refusal
def school(request, npsn):
    return _local(request, access(request.user, School, npsn=npsn), local.school_dashboard)


def _local(request, found, dashboard):
    data = dashboard(found, year=_year(request) or clock.today().year)
    trail = _trail(request.user, found.province_id, found.regency_id)
    return render(request, "insights/local.html", {**data, "name": found.name, "trail": trail})


def _trail(user, province_id, regency_id):
    """The regions above (a school's or group's), as far as the user may open their
    dashboards."""
    places = [selectors.place_for("N")]
    if province_id:
        places.append(selectors.place_for(f"P:{province_id}"))
    if regency_id:
        places.append(selectors.place_for(f"K:{regency_id}"))
    return [(p.scope, p.name) for p in places if p and selectors.sees_place(user, p)]


@login_required
def impact_view(request, scope):
    place = _place_or_404(request, scope)
    return render(request, "insights/impact.html", selectors.impact_page(place, request.GET))


@login_required
def report_list(request, scope):
    place = _place_or_404(request, scope)
    form = ReportForm(
        request.POST or None,
        initial={"kind": Report.Kind.MONTHLY, "period": reports.last_period(Report.Kind.MONTHLY)},
    )
    made = submit_form(
        request,
        form,
        lambda data: services.request_report(
            actor=request.user, scope=place.scope, kind=data["kind"], period=data["period"]
        ),
    )
    if made:
        saved(request, _("The report is being written; it appears below when ready."))
        return redirect("insights_reports", place.scope)
    listed = visible(request.user, Report).filter(scope=place.scope)[:24]
    return render(
        request,
        "insights/reports.html",
        {"place": place, "form": form, "reports": listed},
    )


@login_required
@not_found_on_refusal
def report_status(request, pk):
    report = access(request.user, Report, pk=pk)
    return render(request, "insights/_report.html", {"report": report})


@login_required
@not_found_on_refusal
def report_file(request, pk, fmt):
    report = access(request.user, Report, pk=pk)
    stored = {"pdf": report.pdf, "xlsx": report.xlsx}.get(fmt)
    if stored is None or report.status != Report.Status.DONE:
        raise Http404
    return stored_file_response(
        stored,
        download_name=f"laporan-{report.kind}-{report.period}-{report.scope.replace(':', '-')}",
        inline=False,
        written_as=PDF if fmt == "pdf" else XLSX,
    )
