from django.contrib import admin
from django.db.models import FileField
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _

from gugus.core.access import VIEW, actor_for, can, visible
from gugus.core.models import AuditEntry, ImportRun


class ScopedAdmin(admin.ModelAdmin):
    """Admin lists and forms go through the scoping layer like every other entry point.

    Read-only by default: a subclass that allows writes routes them through a service, so
    the admin never writes around the rules and the audit log. Stored files are never
    linked by their storage path: a subclass lists `file_links` (label, function of the
    object giving the URL of the scoped download view) instead.
    """

    file_links: tuple = ()

    def get_exclude(self, request, obj=None):
        files = [f.name for f in self.model._meta.fields if isinstance(f, FileField)]
        return [*(super().get_exclude(request, obj) or ()), *files]

    def get_readonly_fields(self, request, obj=None):
        extra = ("files",) if self.file_links else ()
        return [*super().get_readonly_fields(request, obj), *extra]

    @admin.display(description=_("files"))
    def files(self, obj):
        links = [(url(obj), label) for label, url in self.file_links if url(obj)]
        return format_html_join(" · ", '<a href="{}">{}</a>', links) or "—"

    def get_queryset(self, request):
        return visible(request.user, self.model, super().get_queryset(request))

    def has_module_permission(self, request):
        return actor_for(request.user).is_office

    def has_view_permission(self, request, obj=None):
        return actor_for(request.user).is_office and (obj is None or can(request.user, VIEW, obj))

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ScopedAdmin):
    list_display = ("at", "actor", "action", "target_type", "target_repr", "source")
    list_filter = ("action", "target_type", "source")
    search_fields = ("target_repr", "target_id")
    readonly_fields = [f.name for f in AuditEntry._meta.fields]


@admin.register(ImportRun)
class ImportRunAdmin(ScopedAdmin):
    list_display = ("filename", "kind", "status", "rows", "error_count", "started_at")
