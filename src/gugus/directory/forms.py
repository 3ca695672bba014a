from django import forms
from django.utils.translation import gettext_lazy as _

from gugus.core.imports import importer_choices
from gugus.directory.models import Gender, Jenjang, Ministry, Position, School, Subject

EMPTY = [("", "—")]


class SchoolFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    province = forms.ChoiceField(label=_("Province"), required=False)
    regency = forms.ChoiceField(label=_("District/city"), required=False)
    jenjang = forms.ChoiceField(
        label=_("Level"), required=False, choices=EMPTY + list(Jenjang.choices)
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=EMPTY + list(School.Status.choices)
    )

    def __init__(self, *args, regions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["province"].choices = EMPTY + [(p.code, p.name) for p in regions["provinces"]]
        self.fields["regency"].choices = EMPTY + [(r.code, r.name) for r in regions["regencies"]]


class PersonFilterForm(SchoolFilterForm):
    position = forms.ChoiceField(
        label=_("Position"), required=False, choices=EMPTY + list(Position.choices)
    )
    gender = forms.ChoiceField(
        label=_("Gender"), required=False, choices=EMPTY + list(Gender.choices)
    )
    subject = forms.ChoiceField(label=_("Subject"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["jenjang"], self.fields["status"]
        self.fields["subject"].choices = EMPTY + list(Subject.objects.values_list("code", "name"))


class SchoolForm(forms.Form):
    npsn = forms.CharField(label="NPSN", max_length=8)
    name = forms.CharField(label=_("Name"), max_length=200)
    jenjang = forms.ChoiceField(label=_("Level"), choices=Jenjang.choices)
    status = forms.ChoiceField(label=_("Status"), choices=School.Status.choices)
    district = forms.CharField(
        label=_("Sub-district code (kecamatan)"),
        max_length=8,
        help_text=_("For example 34.71.01 — see the region list."),
    )
    address = forms.CharField(label=_("Address"), max_length=255, required=False)


class PersonForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150)
    nuptk = forms.CharField(label="NUPTK", max_length=16, required=False)
    nip = forms.CharField(label="NIP", max_length=18, required=False)
    gender = forms.ChoiceField(
        label=_("Gender"),
        choices=EMPTY + list(Gender.choices),
        required=False,
        help_text=_("Taken from the NIP when empty."),
    )
    birth_date = forms.DateField(
        label=_("Birth date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    position = forms.ChoiceField(label=_("Position"), choices=Position.choices)
    is_instruktur_nasional = forms.BooleanField(label=_("National instructor (IN)"), required=False)
    is_narasumber = forms.BooleanField(label=_("Resource person (narasumber)"), required=False)
    school = forms.CharField(label=_("School NPSN"), max_length=8, required=False)
    ministry = forms.ChoiceField(
        label=_("Ministry"),
        choices=EMPTY + list(Ministry.choices),
        required=False,
        help_text=_("Follows the school; choose only for people without a school."),
    )
    regency = forms.CharField(
        label=_("District/city code"),
        max_length=5,
        required=False,
        help_text=_("Only for people without a school, e.g. 34.71."),
    )
    subjects = forms.MultipleChoiceField(
        label=_("Subjects taught"), required=False, widget=forms.SelectMultiple(attrs={"size": 6})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subjects"].choices = list(Subject.objects.values_list("code", "name"))


class CorrectionForm(PersonForm):
    """What the person believes is right, plus why and the evidence."""

    reason = forms.CharField(
        label=_("Why is the current data wrong?"), widget=forms.Textarea(attrs={"rows": 3})
    )
    evidence = forms.FileField(label=_("Evidence (PDF or photo, max. 5 MB)"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("position", "is_instruktur_nasional", "is_narasumber", "regency", "ministry"):
            del self.fields[name]


class DecisionForm(forms.Form):
    approve = forms.TypedChoiceField(
        label=_("Decision"),
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
        choices=[("1", _("Approve and apply the change")), ("0", _("Refuse"))],
    )
    note = forms.CharField(
        label=_("Note to the requester"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label=_("What does the file hold?"), choices=importer_choices)
    file = forms.FileField(label=_("File (.csv or .xlsx)"))
