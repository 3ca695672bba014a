"""Grant programmes are public announcements: every signed-in user may read them; only
the office whose scope covers the programme changes it."""

from gugus.core.access import VIEW, Policy, office_covers, register
from gugus.core.roles import OFFICE_ROLES, ScopeLevel
from gugus.grants.models import GrantProgramme


def covers_programme(actor, programme: GrantProgramme) -> bool:
    if programme.regency_id:
        return office_covers(
            actor, province_id=programme.regency.province_id, regency_id=programme.regency_id
        )
    if programme.province_id:
        return (
            any(
                g.level == ScopeLevel.NASIONAL or g.province_id == programme.province_id
                for g in actor.grants_for(OFFICE_ROLES)
            )
            or actor.is_superuser
        )
    return actor.is_superuser or any(
        g.level == ScopeLevel.NASIONAL for g in actor.grants_for(OFFICE_ROLES)
    )


@register
class GrantProgrammePolicy(Policy):
    model = GrantProgramme

    def visible_q(self, actor):
        return None

    def can(self, actor, action, obj):
        if action == VIEW:
            return True
        return covers_programme(actor, obj)
