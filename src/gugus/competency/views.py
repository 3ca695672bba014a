"""Competency pages: UKG imports (upload, progress, error report)."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render

from gugus.competency import services
from gugus.competency.forms import UkgUploadForm
from gugus.competency.models import UkgImport
from gugus.core.access import access, actor_for
from gugus.core.views import not_found_on_refusal, submit_form


@login_required
def ukg_upload(request):
    if not actor_for(request.user).is_office:
        raise Http404()
    form = UkgUploadForm(request.POST or None, request.FILES or None)

    def save(data):
        event = data["event"] or services.event_for(data["new_event"], data["new_year"])
        upload = data["file"]
        return services.ukg_import_start(
            actor=request.user,
            event=event,
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
    template = (
        "competency/_job.html" if request.headers.get("HX-Request") else "competency/job.html"
    )
    issues = job.issues.order_by("row", "id")[:200] if job.error_count else []
    return render(request, template, {"job": job, "issues": issues})


@login_required
@not_found_on_refusal
def ukg_error_report(request, pk):
    job = access(request.user, UkgImport, pk=pk)
    if not job.error_report:
        raise Http404()
    return FileResponse(
        job.error_report.open("rb"),
        as_attachment=True,
        filename=f"laporan-galat-ukg-{job.pk}.csv",
        content_type="text/csv",
    )
