from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from gugus.accounts import services
from gugus.accounts.models import RoleAssignment, User
from gugus.core.access import CHANGE, actor_for, can
from gugus.core.admin import ScopedAdmin
from gugus.core.errors import DomainError


@admin.register(User)
class UserAdmin(ScopedAdmin):
    list_display = ("username", "first_name", "last_name", "email", "person", "is_active")
    search_fields = ("username", "first_name", "last_name", "email")
    exclude = ("password", "user_permissions", "groups")
    raw_id_fields = ("person",)


class RoleAssignmentForm(forms.ModelForm):
    class Meta:
        model = RoleAssignment
        fields = ("user", "role", "office", "province", "regency", "school", "group")


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(ScopedAdmin):
    """Offices give and revoke roles here; both go through the accounts services."""

    form = RoleAssignmentForm
    list_display = ("user", "role", "scope_level", "scope_label", "created_at", "revoked_at")
    list_filter = ("role", "scope_level")
    search_fields = ("user__username",)
    raw_id_fields = ("user", "office", "school", "group", "regency", "province")
    actions = ["revoke"]

    def has_add_permission(self, request):
        return actor_for(request.user).is_office

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        actor = request.user

        class Checked(form):
            def clean(self):
                data = super().clean()
                self.instance_result = None
                try:
                    self.instance_result = services.role_assign(
                        actor=actor,
                        user=data.get("user"),
                        role=data.get("role"),
                        office=data.get("office"),
                        province=data.get("province"),
                        regency=data.get("regency"),
                        school=data.get("school"),
                        group=data.get("group"),
                    )
                except DomainError as e:
                    raise ValidationError(str(e.message)) from e
                return data

        return Checked

    def save_model(self, request, obj, form, change):
        obj.pk = form.instance_result.pk  # already written by the service in clean()

    @admin.action(description=_("Revoke selected roles"))
    def revoke(self, request, queryset):
        done = 0
        for assignment in queryset:
            if can(request.user, CHANGE, assignment):
                services.role_revoke(actor=request.user, assignment=assignment)
                done += 1
        messages.info(
            request,
            ngettext("%(count)d role revoked.", "%(count)d roles revoked.", done) % {"count": done},
        )
