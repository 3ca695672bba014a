from django import forms
from django.utils.translation import gettext_lazy as _

from gugus.competency.models import UkgEvent, UkgImport


class UkgUploadForm(forms.Form):
    event = forms.ModelChoiceField(
        label=_("UKG event"), queryset=UkgEvent.objects.all(), required=False
    )
    new_event = forms.SlugField(
        label=_("or a new event code"), required=False, help_text=_("for example ukg-2024")
    )
    new_year = forms.IntegerField(
        label=_("year of the new event"), required=False, min_value=2000, max_value=2100
    )
    file = forms.FileField(label=_("File (CSV or XLSX)"))
    mode = forms.ChoiceField(
        label=_("When rows are invalid"),
        choices=UkgImport.Mode.choices,
        initial=UkgImport.Mode.ALL_OR_NOTHING,
        widget=forms.RadioSelect,
    )

    def clean(self):
        data = super().clean()
        if not data.get("event") and not (data.get("new_event") and data.get("new_year")):
            raise forms.ValidationError(_("Choose an event, or give a new event's code and year."))
        return data
