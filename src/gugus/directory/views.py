"""Directory pages. Thin: read through selectors, write through services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gugus.core.access import CHANGE, DELETE, access, actor_for, can, visible
from gugus.core.errors import DomainError
from gugus.core.imports import IMPORTERS, import_file, template_csv
from gugus.core.models import ImportRun
from gugus.core.pagination import paginate
from gugus.core.sheets import XLSX_TYPE, CsvWriter
from gugus.core.uploads import stored_file_response
from gugus.core.views import attachment, not_found_on_refusal, partial_or_page, submit_form
from gugus.directory import exports, selectors, services
from gugus.directory.forms import (
    CorrectionForm,
    DecisionForm,
    ImportForm,
    PersonFilterForm,
    PersonForm,
    SchoolFilterForm,
    SchoolForm,
)
from gugus.directory.models import CorrectionRequest, Person, School


@login_required
def school_list(request):
    form = SchoolFilterForm(
        request.GET or None, regions=selectors.region_choices(actor=request.user)
    )
    filters = form.cleaned_data if form.is_valid() else {}
    qs = selectors.school_list(
        actor=request.user,
        search=filters.get("q", ""),
        province=filters.get("province", ""),
        regency=filters.get("regency", ""),
        jenjang=filters.get("jenjang", ""),
        status=filters.get("status", ""),
    )
    page = paginate(qs, request.GET.get("page"), 25)
    return render(
        request,
        partial_or_page(request, "directory/school_list.html", "directory/_school_rows.html"),
        {"form": form, "page": page, "can_create": actor_for(request.user).is_office},
    )


@login_required
@not_found_on_refusal
def school_detail(request, npsn):
    school = access(request.user, School, npsn=npsn)
    people = selectors.person_list(actor=request.user, school=school.pk)
    page = paginate(people, request.GET.get("page"), 25)
    return render(
        request,
        "directory/school_detail.html",
        {"school": school, "page": page, "can_change": can(request.user, CHANGE, school)},
    )


def _school_form_view(request, school=None):
    initial = {}
    if school:
        initial = {
            "npsn": school.npsn,
            "name": school.name,
            "jenjang": school.jenjang,
            "status": school.status,
            "district": school.district_id,
            "address": school.address,
        }
    form = SchoolForm(request.POST or None, initial=initial)
    saved = submit_form(
        request,
        form,
        lambda data: (
            services.school_update(actor=request.user, school=school, data=data)
            if school
            else services.school_create(actor=request.user, data=data)
        ),
    )
    if saved:
        messages.success(request, _("The school has been saved."))
        return redirect("school_detail", npsn=saved.npsn)
    return render(request, "directory/school_form.html", {"form": form, "school": school})


@login_required
def school_create(request):
    if not actor_for(request.user).is_office:
        raise Http404()
    return _school_form_view(request)


@login_required
@not_found_on_refusal
def school_update(request, npsn):
    school = access(request.user, School, CHANGE, npsn=npsn)
    return _school_form_view(request, school)


def _filtered_people(request):
    """The people list's filter form and the queryset it selects (list page and export)."""
    form = PersonFilterForm(
        request.GET or None, regions=selectors.region_choices(actor=request.user)
    )
    filters = form.cleaned_data if form.is_valid() else {}
    qs = selectors.person_list(
        actor=request.user,
        **{k: filters.get(k, "") for k in ("province", "regency", "position", "gender", "subject")},
        search=filters.get("q", ""),
    )
    return form, filters, qs


def _confirm_delete(request, obj, delete, *, done_message, back_url, done_url):
    """GET asks "are you sure?", POST deletes through the service."""
    if request.method == "POST":
        try:
            delete()
        except DomainError as e:
            messages.error(request, str(e.message))
            return redirect(back_url)
        messages.success(request, done_message)
        return redirect(done_url)
    return render(request, "directory/confirm_delete.html", {"object": obj, "back_url": back_url})


@login_required
@not_found_on_refusal
def school_delete(request, npsn):
    school = access(request.user, School, DELETE, npsn=npsn)
    return _confirm_delete(
        request,
        school,
        lambda: services.school_delete(actor=request.user, school=school),
        done_message=_("The school has been deleted."),
        back_url=reverse("school_detail", args=[school.npsn]),
        done_url=reverse("school_list"),
    )


@login_required
@not_found_on_refusal
def person_delete(request, pk):
    person = access(request.user, Person, DELETE, pk=pk)
    return _confirm_delete(
        request,
        person,
        lambda: services.person_delete(actor=request.user, person=person),
        done_message=_("The record has been deleted."),
        back_url=reverse("person_detail", args=[person.pk]),
        done_url=reverse("person_list"),
    )


@login_required
def person_list(request):
    form, _filters, qs = _filtered_people(request)
    page = paginate(qs, request.GET.get("page"), 25)
    actor = actor_for(request.user)
    rows = [
        (p, p.nuptk if selectors.shows_identifiers(actor, p) else selectors.mask(p.nuptk))
        for p in page.items
    ]
    return render(
        request,
        partial_or_page(request, "directory/person_list.html", "directory/_person_rows.html"),
        {
            "form": form,
            "page": page,
            "rows": rows,
            "can_create": actor.is_office,
            "query": request.GET.urlencode(),
        },
    )


@login_required
def person_export(request):
    """XLSX of the filtered list; identifiers masked unless the office asks for them."""
    _form, filters, qs = _filtered_people(request)
    content = exports.people_xlsx(
        actor=request.user,
        queryset=qs,
        unmasked=request.GET.get("unmasked") == "1",
        filters=filters,
    )
    return attachment(content, "ptk.xlsx", XLSX_TYPE)


@login_required
@not_found_on_refusal
def person_detail(request, pk):
    person = selectors.person_detail(access(request.user, Person, pk=pk))
    return render(
        request,
        "directory/person_detail.html",
        {
            "person": person,
            "full_ids": selectors.shows_identifiers(request.user, person),
            "can_change": can(request.user, CHANGE, person),
            "nip_masked": selectors.mask(person.nip),
            "nuptk_masked": selectors.mask(person.nuptk),
        },
    )


def _person_initial(person: Person) -> dict:
    return {
        "name": person.name,
        "nuptk": person.nuptk,
        "nip": person.nip,
        "gender": person.gender,
        "birth_date": person.birth_date,
        "position": person.position,
        "is_instruktur_nasional": person.is_instruktur_nasional,
        "is_narasumber": person.is_narasumber,
        "school": person.school.npsn if person.school_id else "",
        "regency": person.regency_id,
        "ministry": person.ministry,
        "subjects": [s.code for s in person.subjects.all()],
    }


def _person_form_view(request, person=None):
    form = PersonForm(request.POST or None, initial=_person_initial(person) if person else {})
    saved = submit_form(
        request,
        form,
        lambda data: (
            services.person_update(actor=request.user, person=person, data=data)
            if person
            else services.person_create(actor=request.user, data=data)
        ),
    )
    if saved:
        messages.success(request, _("The data has been saved."))
        return redirect("person_detail", pk=saved.pk)
    return render(request, "directory/person_form.html", {"form": form, "person": person})


@login_required
def person_create(request):
    if not actor_for(request.user).is_office:
        raise Http404()
    return _person_form_view(request)


@login_required
@not_found_on_refusal
def person_update(request, pk):
    person = access(request.user, Person, CHANGE, pk=pk)
    return _person_form_view(request, person)


@login_required
def my_data(request):
    """A person's own record, with their correction requests."""
    person = None
    if request.user.person_id:
        person = selectors.person_detail(request.user.person)
    corrections = CorrectionRequest.objects.filter(requested_by=request.user)
    return render(request, "directory/my_data.html", {"person": person, "corrections": corrections})


@login_required
def correction_create(request):
    if not request.user.person_id:
        raise Http404()
    person = selectors.person_detail(request.user.person)
    form = CorrectionForm(
        request.POST or None, request.FILES or None, initial=_person_initial(person)
    )
    saved = submit_form(
        request,
        form,
        lambda data: services.correction_request_create(
            actor=request.user,
            person=person,
            reason=data["reason"],
            evidence=data.get("evidence"),
            changes={k: v for k, v in data.items() if k not in ("reason", "evidence")},
        ),
    )
    if saved:
        messages.success(request, _("Your request has been sent to the education office."))
        return redirect("my_data")
    return render(request, "directory/correction_form.html", {"form": form, "person": person})


@login_required
def correction_list(request):
    status = request.GET.get("status", "pending")
    qs = selectors.correction_list(actor=request.user, status=status)
    page = paginate(qs, request.GET.get("page"), 25)
    return render(
        request,
        "directory/correction_list.html",
        {"page": page, "status": status, "statuses": CorrectionRequest.Status},
    )


@login_required
@not_found_on_refusal
def correction_detail(request, pk):
    correction = access(request.user, CorrectionRequest, pk=pk)
    may_decide = can(request.user, CHANGE, correction) and (
        correction.status == CorrectionRequest.Status.PENDING
    )
    form = DecisionForm(request.POST or None) if may_decide else None
    if request.method == "POST" and form is None:
        raise Http404()
    decided = form and submit_form(
        request,
        form,
        lambda data: services.correction_request_decide(
            actor=request.user, request=correction, approve=data["approve"], note=data["note"]
        ),
        field_map={"decision_note": "note"},
    )
    if decided:
        messages.success(request, _("The decision has been recorded."))
        return redirect("correction_detail", pk=correction.pk)
    person = correction.person
    current = services.audit.snapshot(person, services.CORRECTABLE_FIELDS)
    rows = [(field, current.get(field), value) for field, value in correction.changes.items()]
    return render(
        request,
        "directory/correction_detail.html",
        {"correction": correction, "form": form, "rows": rows},
    )


@login_required
@not_found_on_refusal
def correction_evidence(request, pk):
    """Evidence is personal data: served only to those who may see the request."""
    correction = access(request.user, CorrectionRequest, pk=pk)
    services.personal_data_read(
        actor=request.user, what="correction_evidence", rows=1, filters={"request": pk}
    )
    return stored_file_response(
        correction.evidence, download_name=f"bukti-koreksi-{correction.pk}", inline=False
    )


@login_required
@require_POST
@not_found_on_refusal
def correction_withdraw(request, pk):
    correction = access(request.user, CorrectionRequest, "withdraw", pk=pk)
    try:
        services.correction_request_withdraw(actor=request.user, request=correction)
    except DomainError as e:
        messages.error(request, str(e.message))
    return redirect("my_data")


@login_required
def import_upload(request):
    if not actor_for(request.user).is_office:
        raise Http404()
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        run = import_file(
            actor=request.user, kind=form.cleaned_data["kind"], file=upload, filename=upload.name
        )
        return redirect("import_detail", pk=run.pk)
    runs = visible(request.user, ImportRun)[:20]
    return render(
        request,
        "directory/import_upload.html",
        {"form": form, "runs": runs, "importers": IMPORTERS.values()},
    )


@login_required
@not_found_on_refusal
def import_detail(request, pk):
    run = access(request.user, ImportRun, pk=pk)
    return render(request, "directory/import_detail.html", {"run": run, "errors": run.errors[:500]})


@login_required
@not_found_on_refusal
def import_report(request, pk):
    run = access(request.user, ImportRun, pk=pk)
    services.personal_data_read(
        actor=request.user, what="import_report", rows=len(run.errors), filters={"run": pk}
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="laporan-impor-{run.pk}.csv"'
    response.write("\ufeff")
    writer = CsvWriter(response)
    writer.writerow([_("row"), _("column"), _("reason")])
    for e in run.errors:
        writer.writerow([e["row"], e["column"], e["message"]])
    return response


def import_template(request, kind):
    """An empty file with the expected header, to fill in a spreadsheet program."""
    template = template_csv(kind)
    if template is None:
        raise Http404()
    filename, header = template
    return attachment(header, filename, "text/csv; charset=utf-8")
