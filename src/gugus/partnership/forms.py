"""Forms of the partnership pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from gugus.competency.models import UkgEvent
from gugus.core.cleaning import region_of_code
from gugus.core.roles import Ministry
from gugus.directory.models import Jenjang, Subject
from gugus.partnership.models import RundownItem

# The subjects of the partnership as seed 003 ran it (DOMAIN.md §5), offered first.
PARTNERSHIP_SUBJECTS = ["bahasa-indonesia", "bahasa-inggris", "matematika", "ipa"]
TIER_ROWS = 3


class CohortForm(forms.Form):
    """A cohort and up to three tiers, highest first (leave the third empty for 1 : 2)."""

    name = forms.CharField(label=_("Name"), max_length=200)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    ministry = forms.ChoiceField(
        label=_("Ministry"), required=False, choices=[("", _("My office's")), *Ministry.choices]
    )
    region = forms.ChoiceField(label=_("Region"), required=False)
    event = forms.ChoiceField(label=_("UKG the teachers are chosen by"))
    subjects = forms.MultipleChoiceField(label=_("Subjects"), widget=forms.CheckboxSelectMultiple)
    levels = forms.MultipleChoiceField(
        label=_("Levels"), choices=Jenjang.choices, widget=forms.CheckboxSelectMultiple
    )
    host_regions = forms.CharField(
        label=_("Host regions"),
        required=False,
        help_text=_("Province or kab/kota codes, separated by commas (for example 34.71)."),
    )
    partner_regions = forms.CharField(
        label=_("Partner regions"),
        required=False,
        help_text=_("Where the partners come from; empty: anywhere."),
    )
    gap_weight = forms.CharField(label=_("Weight of the competency gap"), initial="1", max_length=6)
    travel_weight = forms.CharField(
        label=_("Weight of travel (per km)"), initial="0,02", max_length=6
    )
    ojl_start = forms.DateField(
        label=_("On Job Learning from"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    ojl_days = forms.IntegerField(label=_("On Job Learning days"), initial=7, min_value=1)

    def __init__(self, *args, regions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [
            ("", _("National")),
            (_("Province"), [(p.code, p.name) for p in regions["provinces"]]),
            (_("District/city"), [(r.code, r.name) for r in regions["regencies"]]),
        ]
        self.fields["event"].choices = list(UkgEvent.objects.values_list("code", "name"))
        subjects = dict(Subject.objects.values_list("code", "name"))
        first = [(c, subjects[c]) for c in PARTNERSHIP_SUBJECTS if c in subjects]
        self.fields["subjects"].choices = first + sorted(
            (c, n) for c, n in subjects.items() if c not in PARTNERSHIP_SUBJECTS
        )
        for n in range(1, TIER_ROWS + 1):
            self.fields[f"tier{n}_name"] = forms.CharField(
                label=_("Tier %(n)d") % {"n": n}, required=n < 3, max_length=60
            )
            self.fields[f"tier{n}_min"] = forms.CharField(
                label=_("lowest score"), required=False, max_length=6
            )
            self.fields[f"tier{n}_max"] = forms.CharField(
                label=_("highest score"), required=False, max_length=6
            )
            self.fields[f"tier{n}_mentees"] = forms.CharField(
                label=_("partners per teacher"), required=False, max_length=3
            )
            self.fields[f"tier{n}_share"] = forms.CharField(
                label=_("share of the teachers (%)"), required=False, max_length=3
            )
        self.initial.setdefault("tier1_name", "Guru Mitra 1")
        self.initial.setdefault("tier1_min", "70")
        self.initial.setdefault("tier1_mentees", "2")
        self.initial.setdefault("tier2_name", "Guru Mitra 2")
        self.initial.setdefault("tier2_max", "55")

    @property
    def cohort_fields(self):
        return [self[n] for n in self.base_fields]

    @property
    def tier_rows(self):
        return [
            [self[f"tier{n}_{part}"] for part in ("name", "min", "max", "share", "mentees")]
            for n in range(1, TIER_ROWS + 1)
        ]

    def service_data(self) -> dict:
        data = self.cleaned_data
        return {
            **{name: data[name] for name in self.base_fields if name != "region"},
            **region_of_code(data["region"]),
        }

    def tiers_data(self) -> list[dict]:
        data = self.cleaned_data
        rows = []
        for n in range(1, TIER_ROWS + 1):
            row = {
                "name": data[f"tier{n}_name"],
                "min_score": data[f"tier{n}_min"],
                "max_score": data[f"tier{n}_max"],
                "mentees": data[f"tier{n}_mentees"],
                "share": data[f"tier{n}_share"],
            }
            if any(row.values()):
                rows.append(row)
        return rows


class RundownItemForm(forms.Form):
    """A session of a visit's rundown."""

    day = forms.TypedChoiceField(label=_("Day"), coerce=int)
    starts = forms.TimeField(label=_("From"), widget=forms.TimeInput(attrs={"type": "time"}))
    ends = forms.TimeField(label=_("Until"), widget=forms.TimeInput(attrs={"type": "time"}))
    activity = forms.ChoiceField(label=_("Activity"), choices=RundownItem.Activity.choices)
    detail = forms.CharField(label=_("Detail"), max_length=200, required=False)
    place = forms.CharField(label=_("Place"), max_length=120, required=False)

    def __init__(self, *args, visit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["day"].choices = [(n, n) for n in range(1, visit.days + 1)]


class ActionPlanForm(forms.Form):
    goal = forms.CharField(
        label=_("What will change in my classroom"), widget=forms.Textarea(attrs={"rows": 3})
    )
    steps = forms.CharField(label=_("Steps"), widget=forms.Textarea(attrs={"rows": 4}))
    indicator = forms.CharField(label=_("How I will know it worked"), max_length=300)
    due = forms.DateField(
        label=_("Done by"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
