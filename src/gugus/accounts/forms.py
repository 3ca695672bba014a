"""Forms of the account pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from gugus.accounts.services import PERSON_ACCOUNT_ROLES


class PersonAccountForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150)
    email = forms.EmailField(
        label=_("E-mail"), help_text=_("A link to set the password is sent to this address.")
    )
    role = forms.ChoiceField(
        label=_("Role"),
        choices=[(r.value, r.label) for r in PERSON_ACCOUNT_ROLES],
    )


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code from the authenticator app"),
        max_length=12,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )
