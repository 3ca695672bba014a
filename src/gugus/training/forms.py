"""Forms of the training pages; the services clean and check everything again."""

from django import forms
from django.utils.translation import gettext_lazy as _

from gugus.core.roles import Ministry
from gugus.directory.models import Position
from gugus.training.models import Event, Facilitator
from gugus.training.rules import LevelGroup

DATE = {"widget": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}


class EventForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Event.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    topic = forms.CharField(label=_("Topic"), max_length=200, required=False)
    phase = forms.IntegerField(label=_("Phase"), required=False, min_value=1, max_value=20)
    ministry = forms.ChoiceField(
        label=_("Ministry"), required=False, choices=[("", _("My office's")), *Ministry.choices]
    )
    region = forms.ChoiceField(label=_("Participants come from"), required=False)
    starts_on = forms.DateField(label=_("First day"), **DATE)
    ends_on = forms.DateField(label=_("Last day"), **DATE)
    nominations_close = forms.DateField(label=_("Nominations close on"), required=False, **DATE)
    mode = forms.ChoiceField(label=_("Mode"), choices=Event.Mode.choices)
    capacity = forms.IntegerField(label=_("Capacity (participants)"), min_value=1)
    jp = forms.IntegerField(label=_("Hours of lessons (JP)"), min_value=1)
    positions = forms.MultipleChoiceField(
        label=_("Who may take part"),
        choices=Position.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    level_groups = forms.MultipleChoiceField(
        label=_("Level groups"),
        choices=LevelGroup.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Quotas are set per kab/kota and level group; none: open to every level."),
    )
    min_attendance = forms.IntegerField(
        label=_("Attendance needed to complete (%)"), initial=80, min_value=1, max_value=100
    )
    pass_score = forms.DecimalField(
        label=_("Post-test pass score"), required=False, min_value=0, max_value=100
    )
    certificate_prefix = forms.CharField(
        label=_("Certificate number prefix"), max_length=30, help_text=_("For example BBGP-JATIM.")
    )
    follows = forms.ChoiceField(label=_("Follows (for mentoring after a training)"), required=False)
    venues = forms.CharField(
        label=_("Venues"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line: name; capacity (for example: Hotel Santika; 120)."),
    )

    def __init__(self, *args, regions, events=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["follows"].choices = [("", "—"), *((e.pk, e.title) for e in events)]
        self.fields["region"].choices = [
            ("", _("National")),
            (_("Province"), [(p.code, p.name) for p in regions["provinces"]]),
            (_("District/city"), [(r.code, r.name) for r in regions["regencies"]]),
        ]

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        region = data.pop("region") or ""
        data["regency"] = region if "." in region else ""
        data["province"] = "" if "." in region else region
        data.pop("venues")
        return {k: "" if v is None else v for k, v in data.items()}

    def venue_rows(self) -> list[dict]:
        rows = []
        for line in (self.cleaned_data.get("venues") or "").splitlines():
            if line.strip():
                name, _sep, capacity = line.rpartition(";")
                rows.append({"name": name.strip() or capacity.strip(), "capacity": capacity})
        return rows


class QuotaForm(forms.Form):
    paud_slb = forms.IntegerField(label="PAUD/SLB", required=False, min_value=0)
    sd = forms.IntegerField(label="SD/MI", required=False, min_value=0)
    smp = forms.IntegerField(label="SMP/MTs", required=False, min_value=0)
    sma = forms.IntegerField(label="SMA/SMK/MA", required=False, min_value=0)


class FacilitatorForm(forms.Form):
    nuptk = forms.CharField(label=_("NUPTK"), max_length=16)
    kind = forms.ChoiceField(label=_("As"), choices=Facilitator.Kind.choices)


class EvaluationForm(forms.Form):
    MARKS = [(str(n), str(n)) for n in range(1, 6)]
    content = forms.ChoiceField(label=_("Content"), choices=MARKS, widget=forms.RadioSelect)
    facilitators = forms.ChoiceField(
        label=_("Facilitators"), choices=MARKS, widget=forms.RadioSelect
    )
    organisation = forms.ChoiceField(
        label=_("Organisation"), choices=MARKS, widget=forms.RadioSelect
    )
    usefulness = forms.ChoiceField(
        label=_("Usefulness for my school"), choices=MARKS, widget=forms.RadioSelect
    )
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea)


class CascadeForm(forms.Form):
    date = forms.DateField(label=_("Date"), **DATE)
    title = forms.CharField(label=_("What was shared"), max_length=200)
    schools = forms.CharField(
        label=_("Schools reached (NPSN)"), help_text=_("Separated by commas.")
    )
    teachers = forms.IntegerField(label=_("Teachers reached"), min_value=1)
    evidence = forms.FileField(label=_("Evidence (photo or PDF)"), required=False)


class MentoringVisitForm(forms.Form):
    date = forms.DateField(label=_("Date"), **DATE)
    minutes = forms.IntegerField(label=_("Duration (minutes)"), min_value=15, initial=120)
    notes = forms.CharField(label=_("What you saw"), widget=forms.Textarea)
    applied = forms.CharField(
        label=_("What the participant applied in their school"),
        required=False,
        widget=forms.Textarea,
    )
