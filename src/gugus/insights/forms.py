from django import forms
from django.utils.translation import gettext_lazy as _

from gugus.insights.models import Report


class ReportForm(forms.Form):
    kind = forms.ChoiceField(label=_("Report"), choices=Report.Kind.choices)
    period = forms.CharField(
        label=_("Period"),
        max_length=7,
        help_text=_(
            "A month for a monthly report (2026-10), a semester for a semester report (2026-2)."
        ),
    )
