from django.contrib import admin
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from gugus.communities.models import Activity, Membership, Officer, WorkingGroup
from gugus.core.admin import ScopedAdmin


@admin.register(WorkingGroup)
class WorkingGroupAdmin(ScopedAdmin):
    list_display = ("name", "kind", "status", "regency", "activeness_level", "activeness_score")
    list_filter = ("kind", "status", "activeness_level", "ministry")
    search_fields = ("name", "decree_number")
    list_select_related = ("regency",)
    show_full_result_count = False
    file_links = (
        (
            _("Decree (PDF)"),
            lambda g: reverse("group_document", args=[g.pk, "sk"]) if g.decree_file else None,
        ),
        (
            _("Statutes (AD/ART, PDF)"),
            lambda g: reverse("group_document", args=[g.pk, "adart"]) if g.statutes_file else None,
        ),
    )


@admin.register(Membership)
class MembershipAdmin(ScopedAdmin):
    list_display = ("person", "group", "started_on", "ended_on")
    list_select_related = ("person", "group")
    show_full_result_count = False


@admin.register(Officer)
class OfficerAdmin(ScopedAdmin):
    list_display = ("person", "position", "group", "started_on", "ended_on")
    list_filter = ("position",)
    list_select_related = ("person", "group")


@admin.register(Activity)
class ActivityAdmin(ScopedAdmin):
    list_display = ("date", "topic", "kind", "status", "group")
    list_filter = ("kind", "status")
    list_select_related = ("group",)
    date_hierarchy = "date"
    show_full_result_count = False
