from django import forms
from django.utils.translation import gettext_lazy as _

from gugus.communities import activeness
from gugus.communities.models import Activity, Evidence, Officer, WorkingGroup
from gugus.directory.forms import EMPTY
from gugus.directory.models import Jenjang, Subject


class GroupFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    province = forms.ChoiceField(label=_("Province"), required=False)
    regency = forms.ChoiceField(label=_("District/city"), required=False)
    kind = forms.ChoiceField(
        label=_("Type"), required=False, choices=EMPTY + list(WorkingGroup.Kind.choices)
    )
    jenjang = forms.ChoiceField(
        label=_("Level"), required=False, choices=EMPTY + list(Jenjang.choices)
    )
    subject = forms.ChoiceField(label=_("Subject"), required=False)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=EMPTY + list(WorkingGroup.Status.choices)
    )
    level = forms.ChoiceField(
        label=_("Activeness"), required=False, choices=EMPTY + list(activeness.LEVEL_LABELS.items())
    )

    def __init__(self, *args, regions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["province"].choices = EMPTY + [(p.code, p.name) for p in regions["provinces"]]
        self.fields["regency"].choices = EMPTY + [(r.code, r.name) for r in regions["regencies"]]
        self.fields["subject"].choices = EMPTY + list(Subject.objects.values_list("code", "name"))


class GroupForm(forms.Form):
    kind = forms.ChoiceField(label=_("Type"), choices=WorkingGroup.Kind.choices)
    name = forms.CharField(label=_("Name"), max_length=200)
    regency = forms.CharField(
        label=_("District/city code"),
        max_length=5,
        required=False,
        help_text=_("For example 34.71. Leave empty for a province-wide group."),
    )
    province = forms.CharField(label=_("Province code"), max_length=2, required=False)
    jenjang = forms.ChoiceField(
        label=_("Level"), choices=EMPTY + list(Jenjang.choices), required=False
    )
    subject = forms.ChoiceField(label=_("Subject"), required=False)
    kombel_mode = forms.ChoiceField(
        label=_("Learning community kind"),
        required=False,
        choices=EMPTY + list(WorkingGroup.KombelMode.choices),
    )
    school = forms.CharField(
        label=_("School NPSN (in-school learning community)"), max_length=8, required=False
    )
    decree_number = forms.CharField(label=_("Decree (SK) number"), max_length=100, required=False)
    decree_date = forms.DateField(
        label=_("Decree date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    decree_office = forms.CharField(label=_("Issuing office"), max_length=200, required=False)
    decree_file = forms.FileField(label=_("Decree (PDF)"), required=False)
    statutes_file = forms.FileField(label=_("Statutes (AD/ART, PDF)"), required=False)
    programme_start_year = forms.IntegerField(label=_("Work programme from (year)"), required=False)
    programme_end_year = forms.IntegerField(label=_("Work programme until (year)"), required=False)
    programme_summary = forms.CharField(
        label=_("Work programme"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subject"].choices = EMPTY + list(Subject.objects.values_list("code", "name"))

    def service_data(self) -> dict:
        return {
            k: v for k, v in self.cleaned_data.items() if k not in ("decree_file", "statutes_file")
        }

    def files_data(self) -> dict:
        return {k: self.cleaned_data.get(k) for k in ("decree_file", "statutes_file")}


class TransitionForm(forms.Form):
    action = forms.ChoiceField(
        choices=[(a, a) for a in ("submit", "return", "verify", "activate", "suspend", "dissolve")],
        widget=forms.HiddenInput,
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class MemberAddForm(forms.Form):
    identifier = forms.CharField(label=_("NUPTK or NIP of the new member"), max_length=18)
    started_on = forms.DateField(
        label=_("Member from"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


class OfficerForm(forms.Form):
    identifier = forms.CharField(label=_("NUPTK or NIP"), max_length=18)
    position = forms.ChoiceField(label=_("Position"), choices=Officer.Position.choices)
    section = forms.CharField(
        label=_("Section (for a section head)"), max_length=100, required=False
    )


class ActivityForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Activity.Kind.choices)
    topic = forms.CharField(label=_("Topic"), max_length=200)
    date = forms.DateField(
        label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    duration_jp = forms.IntegerField(
        label=_("Duration (JP, 45 minutes)"), min_value=1, max_value=40, initial=2
    )
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    online_link = forms.CharField(label=_("Online link"), max_length=200, required=False)
    facilitators = forms.MultipleChoiceField(label=_("Facilitators from the group"), required=False)
    external_facilitators = forms.CharField(
        label=_("Other resource persons"), max_length=300, required=False
    )
    learning_problem = forms.CharField(
        label=_("Which learning problem of the students does it address?"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    reflects_on = forms.ChoiceField(label=_("Reflects on (On session)"), required=False)
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, group, **kwargs):
        super().__init__(*args, **kwargs)
        members = group.memberships.filter(ended_on__isnull=True).select_related("person")
        self.fields["facilitators"].choices = [(m.person_id, m.person.name) for m in members]
        self.fields["reflects_on"].choices = EMPTY + [
            (a.pk, f"{a.date:%d-%m-%Y} {a.topic}")
            for a in group.activities.filter(kind=Activity.Kind.ON).order_by("-date")[:50]
        ]

    def service_data(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "facilitators"}


class EvidenceForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Evidence.Kind.choices)
    file = forms.FileField(label=_("File (photo, PDF or document, max. 10 MB)"))
