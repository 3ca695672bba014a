"""Whether a group may apply to a programme, computed from Gugus's records, never ticked
by hand (DOMAIN.md §3: decree, statutes, officers, registered members within the size
range, a work programme of at least three years, active during the last year).

"Active during the last year" means held activities in at least `ACTIVE_MONTHS` of the
twelve months before the programme's application window opens. A group still holding an
earlier grant whose report (LPJ) it has not submitted is told so: it accounts for the
money it has before it asks for more.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from gugus.communities.activeness import add_months, month_start
from gugus.communities.models import Activity, Officer, WorkingGroup
from gugus.communities.rules import size_warnings
from gugus.grants.models import GrantProgramme, Proposal

ACTIVE_MONTHS = 6
REQUIRED_OFFICERS = (
    Officer.Position.PEMBINA,
    Officer.Position.KETUA,
    Officer.Position.SEKRETARIS,
    Officer.Position.BENDAHARA,
)


def in_programme_region(group: WorkingGroup, programme: GrantProgramme) -> bool:
    if programme.regency_id:
        return group.regency_id == programme.regency_id
    if programme.province_id:
        return group.province_id == programme.province_id
    return True


def refusals(group: WorkingGroup, programme: GrantProgramme) -> list[str]:
    """Every reason the group cannot apply; an empty list means it can."""
    reasons = []
    if not programme.kinds.filter(kind=group.kind).exists():
        reasons.append(
            _("This programme does not fund a %(kind)s.") % {"kind": group.get_kind_display()}
        )
    if group.ministry != programme.ministry:
        reasons.append(
            _("This programme is %(programme)s's; the group is governed by %(group)s.")
            % {
                "programme": programme.get_ministry_display(),
                "group": group.get_ministry_display(),
            }
        )
    if not in_programme_region(group, programme):
        reasons.append(_("The group is outside the programme's region."))
    if group.status != WorkingGroup.Status.ACTIVE:
        reasons.append(
            _("The group's registration is not active (it is %(status)s).")
            % {"status": group.get_status_display().lower()}
        )
    if not (group.decree_number and group.decree_date and group.decree_file):
        reasons.append(_("The founding decree (SK) with its PDF is missing."))
    if not group.statutes_file:
        reasons.append(_("The statutes (AD/ART) are missing."))
    start, end = group.programme_start_year, group.programme_end_year
    if not (start and end and end - start + 1 >= 3):
        reasons.append(_("A work programme of at least 3 years is needed."))
    held = set(group.officers.filter(ended_on__isnull=True).values_list("position", flat=True))
    missing = [Officer.Position(p).label for p in REQUIRED_OFFICERS if p not in held]
    if missing:
        reasons.append(
            _("Officers missing: %(officers)s.") % {"officers": ", ".join(str(m) for m in missing)}
        )
    members = group.memberships.filter(ended_on__isnull=True).count()
    reasons += size_warnings(group, members)
    opens = programme.apply_from
    first = add_months(month_start(opens), -12)
    months = {
        month_start(d)
        for d in group.activities.filter(
            status=Activity.Status.HELD, date__gte=first, date__lt=month_start(opens)
        ).values_list("date", flat=True)
    }
    unreported = (
        Proposal.objects.filter(group=group, status=Proposal.Status.FUNDED)
        .exclude(programme=programme)
        .select_related("programme")
    )
    for earlier in unreported:
        reasons.append(
            _("The report (LPJ) of the grant from %(programme)s has not been submitted yet.")
            % {"programme": earlier.programme.name}
        )
    if len(months) < ACTIVE_MONTHS:
        reasons.append(
            _("Active in %(n)d of the 12 months before %(opens)s; at least %(need)d are needed.")
            % {"n": len(months), "need": ACTIVE_MONTHS, "opens": opens.strftime("%d-%m-%Y")}
        )
    return reasons


def eligible(group: WorkingGroup, programme: GrantProgramme) -> bool:
    return not refusals(group, programme)
