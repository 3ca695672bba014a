"""What every page's layout needs to know about the reader."""

from django.utils.functional import SimpleLazyObject

from gugus.core.access import actor_for


def actor(request):
    """`is_office`: the menu offers office pages by the rule their views check
    (`Actor.is_office`), not by Django's `is_staff` flag."""
    return {"is_office": SimpleLazyObject(lambda: actor_for(request.user).is_office)}
