"""Who reads the audit log (offices, for the objects of their region) and import reports
(whoever ran the import)."""

from django.db.models import Q

from gugus.core.access import VIEW, Policy, any_of, region_q, register
from gugus.core.models import AuditEntry, ImportRun
from gugus.core.roles import OFFICE_ROLES


@register
class AuditEntryPolicy(Policy):
    model = AuditEntry

    def visible_q(self, actor):
        offices = actor.grants_for(OFFICE_ROLES)
        if not offices:
            return Q(pk__in=[])
        return any_of(region_q(offices, province="province_id", regency="regency_id"))

    def can(self, actor, action, obj):
        return action == VIEW and self.can_view(actor, obj)


@register
class ImportRunPolicy(Policy):
    """An import's report holds personal data: only the user who ran it reads it."""

    model = ImportRun

    def visible_q(self, actor):
        return Q(user=actor.user)

    def can(self, actor, action, obj):
        return action == VIEW and obj.user_id == actor.user.pk
