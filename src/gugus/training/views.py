"""Training pages: the list of events, the organiser's dashboard with its actions, the kab/kota
office's nominations, the committee's check-in by QR code, a participant's record, the
participant's own page with their QR code, certificates and JP transcript, and the public
verification of a certificate."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from gugus.core import clock
from gugus.core.access import CHANGE, VIEW, access, actor_for, can, visible
from gugus.core.errors import DomainError, FieldErrors, Forbidden
from gugus.core.pagination import paginate
from gugus.core.uploads import PDF, stored_file_response
from gugus.core.views import (
    act,
    attachment,
    flash_refusal,
    not_found_on_refusal,
    partial_or_page,
    submit_form,
)
from gugus.directory.models import Person
from gugus.directory.selectors import region_choices
from gugus.directory.services import search_key
from gugus.training import certificates, documents, selectors, services
from gugus.training.forms import (
    CascadeForm,
    EvaluationForm,
    EventForm,
    FacilitatorForm,
    MentoringVisitForm,
    QuotaForm,
)
from gugus.training.models import Certificate, Event, Material, Mentoring, Participant, Session
from gugus.training.policies import ACT, CHECK_IN, NOMINATE, nominating_regencies
from gugus.training.transcript import transcript, years_with_records
from gugus.training.workflow import EVENT


@login_required
def training_list(request):
    actor = actor_for(request.user)
    return render(
        request,
        "training/event_list.html",
        {
            "events": visible(request.user, Event).select_related("office").order_by("-starts_on"),
            "can_create": actor.is_office,
            "takes_part": bool(actor.person_id),
        },
    )


@login_required
@not_found_on_refusal
def training_create(request):
    if not actor_for(request.user).is_office:
        raise Forbidden()
    form = EventForm(
        request.POST or None,
        regions=region_choices(actor=request.user),
        events=[e for e in visible(request.user, Event) if can(request.user, CHANGE, e)],
    )
    event = submit_form(
        request,
        form,
        lambda data: services.event_create(
            actor=request.user, data=form.service_data(), venues=form.venue_rows()
        ),
        {"province": "region", "regency": "region", "name": "venues", "capacity": "venues"},
    )
    if event:
        messages.success(request, _("The event was saved as a draft."))
        return redirect("training_detail", pk=event.pk)
    return render(request, "training/event_form.html", {"form": form})


def _person_by_nuptk(request, field="nuptk") -> Person:
    nuptk = request.POST.get(field, "").strip()
    person = visible(request.user, Person).filter(nuptk=nuptk).first() if nuptk else None
    if person is None:
        raise FieldErrors([(field, _("No one in your scope has NUPTK %(n)s.") % {"n": nuptk})])
    return person


def _participant(request, event, action=VIEW) -> Participant:
    return access(
        request.user, Participant, action, pk=request.POST.get("participant") or 0, event=event
    )


def _nominate(request, event):
    return services.nominate(
        actor=request.user,
        event=event,
        person=_person_by_nuptk(request),
        reason=request.POST.get("reason", ""),
    )


def _replace(request, event):
    return services.participant_replace(
        actor=request.user,
        participant=_participant(request, event),
        person=_person_by_nuptk(request),
        reason=request.POST.get("reason", ""),
    )


def _quotas(request, event):
    form = QuotaForm(request.POST)
    if not form.is_valid():
        raise FieldErrors([(f, e[0]) for f, e in form.errors.items()])
    seats = {k: v for k, v in form.cleaned_data.items() if v is not None}
    return services.quotas_set(actor=request.user, event=event, seats=seats)


def _facilitator(request, event):
    return services.facilitator_add(
        actor=request.user,
        event=event,
        person=_person_by_nuptk(request),
        kind=request.POST.get("kind", ""),
    )


# Each button of the event page: the service it calls (the services check permissions).
ACTIONS = {
    "quotas": _quotas,
    "nominate": _nominate,
    "replace": _replace,
    "withdraw": lambda r, e: services.participant_withdraw(
        actor=r.user, participant=_participant(r, e), reason=r.POST.get("reason", "")
    ),
    "venue": lambda r, e: services.venue_add(
        actor=r.user, event=e, data={k: r.POST.get(k, "") for k in ("name", "capacity")}
    ),
    "seat": lambda r, e: services.venues_assign(actor=r.user, event=e),
    "facilitator": _facilitator,
    "material": lambda r, e: services.material_add(
        actor=r.user, event=e, title=r.POST.get("title", ""), upload=r.FILES.get("file")
    ),
    "certificates": lambda r, e: certificates.batch_request(actor=r.user, event=e),
    **{
        step: (lambda s: lambda r, e: services.event_step(actor=r.user, event=e, step=s))(step)
        for step in EVENT.steps
    },
}


@login_required
@not_found_on_refusal
def training_detail(request, pk):
    event = access(request.user, Event, pk=pk)
    actor = actor_for(request.user)
    regencies = nominating_regencies(actor, event)
    runs = regencies is None
    nominates = can(request.user, NOMINATE, event)
    rows = selectors.quota_fill(event, regencies)
    participants = (
        visible(request.user, Participant)
        .filter(event=event)
        .select_related("person", "school", "regency", "venue")
        .order_by("regency_id", "level_group", "status", "id")
    )
    if request.GET.get("q"):
        participants = participants.filter(
            person__name_search__contains=search_key(request.GET["q"])
        )
    page = paginate(participants, request.GET.get("page", 1), 50)
    results = selectors.completions(event, page.items) if runs or nominates else {}
    return render(
        request,
        "training/event_detail.html",
        {
            "event": event,
            "facilitators": event.facilitators.select_related("person"),
            "runs": runs,
            "nominates": nominates,
            "committee": can(request.user, CHECK_IN, event),
            "steps": EVENT.steps_from(event.status) if runs else [],
            "quota_table": selectors.quota_table(rows),
            "totals": selectors.quota_totals(rows),
            "participants": [(p, results.get(p.pk)) for p in page.items],
            "participants_page": page,
            "overview": selectors.overview(event, regencies),
            "sessions": selectors.session_attendance(event) if runs else [],
            "evaluation": selectors.evaluation_summary(event) if runs else None,
            "reach": selectors.cascade_reach(event, regencies),
            "batch": event.batches.first() if runs else None,
            "quota_form": QuotaForm(initial=selectors.usual_seats(rows)),
            "facilitator_form": FacilitatorForm(),
            "tandem_gaps": selectors.tandem_gaps(event) if runs else [],
        },
    )


@login_required
@require_POST
@not_found_on_refusal
def training_action(request, pk):
    event = access(request.user, Event, pk=pk)
    if not (can(request.user, CHANGE, event) or can(request.user, NOMINATE, event)):
        raise Forbidden()
    action = ACTIONS.get(request.POST.get("action", ""))
    if action is not None:
        act(request, lambda: action(request, event), _("Saved."))
    return redirect("training_detail", pk=event.pk)


@login_required
@not_found_on_refusal
def participants_xlsx(request, pk):
    event = access(request.user, Event, pk=pk)
    if not (can(request.user, CHANGE, event) or can(request.user, NOMINATE, event)):
        raise Forbidden()
    document = documents.participants_document(request.user, event)
    return attachment(document.body, document.filename, document.content_type)


@login_required
@not_found_on_refusal
def certificate_progress(request, pk):
    """The certificate batch's progress, polled by the event page."""
    event = access(request.user, Event, CHANGE, pk=pk)
    return render(request, "training/_batch.html", {"event": event, "batch": event.batches.first()})


@login_required
@not_found_on_refusal
def session_checkin(request, pk):
    """The committee's check-in page: a phone's camera reads the participant's QR code
    (or the code is typed), or the participant is ticked on the list."""
    session = access(request.user, Session, pk=pk)
    event = session.event
    if not can(request.user, CHECK_IN, event):
        raise Forbidden()
    result = None
    if request.method == "POST":
        participant = None
        if request.POST.get("participant"):
            participant = access(
                request.user, Participant, pk=request.POST["participant"], event=event
            )
        try:
            checkin, new = services.check_in(
                actor=request.user,
                session=session,
                token=request.POST.get("token", ""),
                participant=participant,
            )
            result = {"ok": True, "name": checkin.participant.person.name, "new": new}
        except DomainError as e:
            result = {"ok": False, "message": e.message}
        if request.headers.get("HX-Request") != "true":
            if result["ok"]:
                messages.success(request, _("%(name)s is checked in.") % result)
            else:
                flash_refusal(request, DomainError(result["message"]))
            return redirect("training_checkin", pk=session.pk)
    checked = set(session.checkins.values_list("participant_id", flat=True))
    people = selectors.current(event).select_related("person", "school").order_by("person__name")
    return render(
        request,
        partial_or_page(request, "training/checkin.html", "training/_checkin_result.html"),
        {
            "session": session,
            "event": event,
            "result": result,
            "today": session.date == clock.today(),
            "people": [(p, p.pk in checked) for p in people],
            "checked": len(checked),
        },
    )


def _mine(request, participant) -> bool:
    person_id = actor_for(request.user).person_id
    return bool(person_id) and participant.person_id == person_id


@login_required
@not_found_on_refusal
def participant_detail(request, pk):
    participant = access(request.user, Participant, pk=pk)
    event = participant.event
    person_id = actor_for(request.user).person_id
    mentorings = list(participant.mentorings.select_related("mentor").prefetch_related("visits"))
    certificate = Certificate.objects.filter(participant=participant).first()
    return render(
        request,
        "training/participant_detail.html",
        {
            "participant": participant,
            "event": event,
            "result": selectors.completions(event, [participant]).get(participant.pk),
            "runs": can(request.user, CHANGE, event),
            "committee": can(request.user, CHECK_IN, participant),
            "mine": _mine(request, participant),
            "mentorings": mentorings,
            "my_mentoring": next((m for m in mentorings if m.mentor_id == person_id), None),
            "cascades": participant.cascades.prefetch_related("schools"),
            "certificate": certificate,
            "evaluated": hasattr(participant, "evaluation"),
            "evaluation_form": EvaluationForm(),
            "cascade_form": CascadeForm(),
            "visit_form": MentoringVisitForm(),
        },
    )


def _scores(request, participant):
    return services.scores_record(
        actor=request.user,
        participant=participant,
        data={k: request.POST.get(k, "") for k in ("pre_score", "post_score")},
    )


def _mentor(request, participant):
    return services.mentor_assign(
        actor=request.user, participant=participant, mentor=_person_by_nuptk(request)
    )


def _mentoring_visit(request, participant):
    mentoring = access(
        request.user, Mentoring, pk=request.POST.get("mentoring") or 0, participant=participant
    )
    return services.mentoring_visit_record(
        actor=request.user, mentoring=mentoring, data=request.POST.dict()
    )


def _revoke(request, participant):
    certificate = access(request.user, Certificate, participant=participant)
    return certificates.revoke(
        actor=request.user, certificate=certificate, reason=request.POST.get("reason", "")
    )


PARTICIPANT_ACTIONS = {
    "register": lambda r, p: services.participant_register(actor=r.user, participant=p),
    "scores": _scores,
    "mentor": _mentor,
    "mentoring_visit": _mentoring_visit,
    "evaluation": lambda r, p: services.evaluation_submit(
        actor=r.user, participant=p, data=r.POST.dict()
    ),
    "cascade": lambda r, p: services.cascade_record(
        actor=r.user, participant=p, data=r.POST.dict(), upload=r.FILES.get("evidence")
    ),
    "certificate": lambda r, p: certificates.issue(actor=r.user, participant=p),
    "revoke": _revoke,
}


@login_required
@require_POST
@not_found_on_refusal
def participant_action(request, pk):
    participant = access(request.user, Participant, ACT, pk=pk)
    action = PARTICIPANT_ACTIONS.get(request.POST.get("action", ""))
    if action is not None:
        act(request, lambda: action(request, participant), _("Saved."))
    return redirect("training_participant", pk=participant.pk)


@login_required
def office_nominations(request):
    """A kab/kota office's nominations: every event it nominates for, with its seats,
    nominees, open seats and late ones in its own kab/kota."""
    actor = actor_for(request.user)
    events = {}
    for event in visible(request.user, Event).filter(quotas__isnull=False).distinct():
        regencies = nominating_regencies(actor, event)
        if regencies is None or regencies:
            events[event] = regencies
    fills = selectors.quota_fills({event.pk: regencies for event, regencies in events.items()})
    rows = [(event, selectors.quota_totals(fills[event.pk])) for event in events]
    rows.sort(key=lambda row: row[0].starts_on, reverse=True)
    return render(request, "training/nominations.html", {"rows": rows})


@login_required
def my_training(request):
    """The participant's own page: events with the check-in QR code, certificates, and
    the year's JP transcript."""
    person_id = actor_for(request.user).person_id
    if not person_id:
        return render(request, "training/mine.html", {"trainings": [], "years": []})
    trainings = list(selectors.my_trainings(person_id))
    year = _year(request)
    return render(
        request,
        "training/mine.html",
        {
            "trainings": [
                (
                    p,
                    certificates.qr_svg_data_uri(p.checkin_token)
                    if p.status == "nominated"
                    else None,
                )
                for p in trainings
            ],
            "person_id": person_id,
            "transcript": transcript(person_id, year),
            "years": sorted(
                set(years_with_records(person_id)) | {clock.today().year}, reverse=True
            ),
        },
    )


def _year(request) -> int:
    text = request.GET.get("tahun", "")
    return int(text) if text.isdigit() and 1990 <= int(text) <= 2100 else clock.today().year


@login_required
@not_found_on_refusal
def person_transcript(request, pk):
    person = access(request.user, Person, pk=pk)
    year = _year(request)
    return render(
        request,
        "training/transcript.html",
        {
            "person": person,
            "transcript": transcript(person.pk, year),
            "years": sorted(
                set(years_with_records(person.pk)) | {clock.today().year}, reverse=True
            ),
        },
    )


@login_required
@not_found_on_refusal
def person_transcript_pdf(request, pk):
    person = access(request.user, Person, pk=pk)
    document = documents.transcript_document(person, _year(request))
    return attachment(document.body, document.filename, document.content_type)


@require_GET
def certificate_verify(request, token):
    """Public, without login: shows only whether the certificate is genuine (or revoked),
    the holder's name, the event and its dates."""
    response = render(request, "training/verify.html", {"result": selectors.verify(token[:64])})
    response["X-Robots-Tag"] = "noindex"
    response["Referrer-Policy"] = "no-referrer"
    return response


@login_required
@not_found_on_refusal
def material_file(request, pk):
    material = access(request.user, Material, pk=pk)
    return stored_file_response(material.file, download_name=f"materi-{material.pk}")


@login_required
@not_found_on_refusal
def certificate_pdf(request, pk):
    certificate = access(request.user, Certificate, pk=pk)
    if certificate.revoked_at:
        raise Http404()
    if not certificate.file:
        certificates.write_pdf(certificate)
    return stored_file_response(
        certificate.file, download_name=documents.certificate_name(certificate), written_as=PDF
    )
