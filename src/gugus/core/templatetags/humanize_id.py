from django import template
from django.utils.formats import number_format

from gugus.core import formats

register = template.Library()


@register.filter
def thousands(value):
    """12345 -> '12.345' in Indonesian, '12,345' in English."""
    try:
        return number_format(int(value), force_grouping=True)
    except (TypeError, ValueError):
        return value


@register.filter
def capped(value, is_capped):
    """A count that stopped at the lists' cap: '10.000+' (see core.pagination)."""
    return f"{thousands(value)}+" if is_capped else thousands(value)


@register.filter
def rupiah(value):
    return formats.rupiah(value)


@register.simple_tag(takes_context=True)
def query_with(context, *pair, **changes):
    """The current query string with some parameters replaced (for pagination links); a
    leading name and value replace a parameter whose name is itself a variable (a page
    with two lists, each paged by its own parameter)."""
    params = context["request"].GET.copy()
    if pair:
        changes[pair[0]] = pair[1]
    for key, value in changes.items():
        params[key] = value
    return params.urlencode()


@register.filter
def get_item(mapping, key):
    """mapping[key] in a template (a count per step, a label per code), or None."""
    return mapping.get(key) if hasattr(mapping, "get") else None
