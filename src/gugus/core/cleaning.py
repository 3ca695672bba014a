"""Turning raw input (strings from a form or a spreadsheet, typed values from the API)
into clean values, for every app's services and importers."""

from django.utils.translation import gettext as _


def clean_text(value) -> str:
    """A trimmed string; a spreadsheet's whole float (12.0) reads as 12."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def clean_choice(value, choices, field_name, errors, *, aliases=None) -> str:
    """The choice's code (labels and `aliases` folded), else an error on `field_name`."""
    text = clean_text(value).lower().replace(" ", "").replace("/", "_")
    text = (aliases or {}).get(text, text)
    valid = {c.value for c in choices}
    if text in valid:
        return text
    labels = ", ".join(str(c.label) for c in choices)
    errors.append(
        (
            field_name,
            _("Unknown value '%(value)s'; expected one of: %(labels)s.")
            % {"value": clean_text(value), "labels": labels},
        )
    )
    return ""
