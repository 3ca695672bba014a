from django.contrib import admin
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from gugus.core.admin import ScopedAdmin
from gugus.directory.models import CorrectionRequest, Office, Person, PersonAccessLog, School


@admin.register(Office)
class OfficeAdmin(ScopedAdmin):
    """Offices are reference data: every user reads them, a superuser keeps them."""

    list_display = ("name", "kind", "province", "regency")
    list_filter = ("kind",)
    search_fields = ("name",)
    list_select_related = ("province", "regency")
    filter_horizontal = ("serves",)


@admin.register(School)
class SchoolAdmin(ScopedAdmin):
    list_display = ("npsn", "name", "jenjang", "status", "regency")
    list_filter = ("jenjang", "status", "ministry")
    search_fields = ("npsn", "name")
    list_select_related = ("regency",)
    show_full_result_count = False


@admin.register(Person)
class PersonAdmin(ScopedAdmin):
    list_display = ("name", "position", "school", "regency")
    list_filter = ("position", "gender", "is_instruktur_nasional")
    search_fields = ("name_search", "=nuptk", "=nip")
    list_select_related = ("school", "regency")
    show_full_result_count = False


@admin.register(CorrectionRequest)
class CorrectionRequestAdmin(ScopedAdmin):
    list_display = ("person", "status", "requested_at", "decided_at")
    list_filter = ("status",)
    list_select_related = ("person",)
    file_links = (
        (
            _("Evidence"),
            lambda c: reverse("correction_evidence", args=[c.pk]) if c.evidence else None,
        ),
    )


@admin.register(PersonAccessLog)
class PersonAccessLogAdmin(ScopedAdmin):
    list_display = ("at", "user", "what", "rows")
    list_filter = ("what",)
    list_select_related = ("user",)
