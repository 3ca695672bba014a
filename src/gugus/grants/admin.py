from django.contrib import admin
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from gugus.core.admin import ScopedAdmin
from gugus.grants.models import GrantProgramme, Proposal, Spending


@admin.register(GrantProgramme)
class GrantProgrammeAdmin(ScopedAdmin):
    list_display = ("name", "year", "status", "province", "regency", "quota", "budget_ceiling")
    list_filter = ("status", "year")
    search_fields = ("name", "decision_number")
    list_select_related = ("province", "regency")


@admin.register(Proposal)
class ProposalAdmin(ScopedAdmin):
    list_display = ("group", "programme", "status", "rank", "score", "amount")
    list_filter = ("status",)
    search_fields = ("group__name",)
    list_select_related = ("group", "programme")
    show_full_result_count = False


@admin.register(Spending)
class SpendingAdmin(ScopedAdmin):
    list_display = ("date", "description", "amount", "tax_kind", "tax_amount", "line")
    list_select_related = ("line",)
    date_hierarchy = "date"
    show_full_result_count = False
    file_links = ((_("Receipt"), lambda s: reverse("receipt_file", args=[s.pk])),)
