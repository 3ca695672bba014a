"""The rules of working groups by type (DOMAIN.md §2), in one place.

`governing_ministry` says which ministry governs a group (DOMAIN.md §1: madrasah groups
and PAI teachers' groups are Kemenag's, the other school groups Kemendikbud's);
`group_shape_errors` says what a group of a type must look like; `membership_refusals`
says why a person may not join a group (an empty list means they may); `size_warnings`
says how the group's size falls outside the programme's ranges, which does not stop
membership but blocks grant eligibility.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from gugus.communities.models import WorkingGroup
from gugus.directory.models import Jenjang, Ministry, Position, ministry_of

Kind = WorkingGroup.Kind
PRIMARY = {Jenjang.PAUD_TK, Jenjang.SD, Jenjang.RA, Jenjang.MI}
SECONDARY = {Jenjang.SMP, Jenjang.SMA, Jenjang.SMK, Jenjang.MTS, Jenjang.MA, Jenjang.MAK}
MADRASAH = {Jenjang.RA, Jenjang.MI, Jenjang.MTS, Jenjang.MA, Jenjang.MAK}
# PAI teachers are managed by Kemenag even in public schools, so their groups are too.
PAI = "pendidikan-agama-islam"
CLASS_TEACHER = "guru-kelas"


@dataclass(frozen=True)
class KindRule:
    positions: frozenset[str]
    levels: frozenset[str] | None = None  # allowed group levels; None: no level
    needs_level: bool = False
    needs_subject: bool = False
    may_have_subject: bool = False  # a KKG per subject at SD/MI (KKG PAI, KKG PJOK)
    ministry: str | None = None  # fixed ministry of the type, if any
    size: tuple[int, int | None] | None = None  # (minimum, maximum) members


RULES: dict[str, KindRule] = {
    Kind.KKG: KindRule(
        frozenset({Position.GURU}),
        frozenset(PRIMARY),
        needs_level=True,
        may_have_subject=True,
        size=(15, 30),
    ),
    Kind.MGMP: KindRule(
        frozenset({Position.GURU}),
        frozenset(SECONDARY),
        needs_level=True,
        needs_subject=True,
        size=(15, 30),
    ),
    Kind.MGBK: KindRule(frozenset({Position.GURU_BK}), frozenset(SECONDARY), size=(15, 30)),
    # KKMI, KKM MTs, KKM MA, or mixed levels without one.
    Kind.KKM: KindRule(
        frozenset({Position.KEPALA}),
        frozenset(MADRASAH),
        ministry=Ministry.KEMENAG,
        size=(10, 30),
    ),
    Kind.KKKS: KindRule(
        frozenset({Position.KEPALA}),
        frozenset(PRIMARY | SECONDARY | {Jenjang.SLB}),
        ministry=Ministry.KEMENDIKBUD,
    ),
    Kind.POKJAWAS: KindRule(
        frozenset({Position.PENGAWAS}), ministry=Ministry.KEMENAG, size=(10, None)
    ),
    Kind.KKPS: KindRule(frozenset({Position.PENGAWAS}), ministry=Ministry.KEMENDIKBUD),
    Kind.KOMBEL: KindRule(frozenset({Position.GURU, Position.GURU_BK, Position.KEPALA})),
}


def governing_ministry(group: WorkingGroup) -> str:
    """The ministry whose offices register the group, fund it and approve its reports."""
    fixed = RULES[group.kind].ministry
    if fixed:
        return fixed
    if group.subject_id == PAI:
        return Ministry.KEMENAG
    if group.jenjang:
        return ministry_of(group.jenjang)
    if group.school_id:
        return group.school.ministry
    return Ministry.KEMENDIKBUD


def group_shape_errors(group: WorkingGroup) -> list[tuple[str, str]]:
    """(field, message) pairs for a group that does not fit its type."""
    rule = RULES[group.kind]
    errors = []
    if rule.needs_level and not group.jenjang:
        errors.append(
            ("jenjang", _("A %(kind)s needs a level.") % {"kind": group.get_kind_display()})
        )
    if group.jenjang:
        if rule.levels is None or group.jenjang not in rule.levels:
            errors.append(
                (
                    "jenjang",
                    _("A %(kind)s cannot have the level %(level)s.")
                    % {"kind": group.get_kind_display(), "level": Jenjang(group.jenjang).label},
                )
            )
        elif rule.ministry and ministry_of(group.jenjang) != rule.ministry:
            errors.append(
                (
                    "jenjang",
                    _("The level %(level)s belongs to the other ministry.")
                    % {"level": Jenjang(group.jenjang).label},
                )
            )
    if rule.needs_subject and group.subject_id is None:
        errors.append(("subject", _("An MGMP needs its subject.")))
    has_subject = rule.needs_subject or rule.may_have_subject or group.kind == Kind.KOMBEL
    if group.subject_id is not None and not has_subject:
        errors.append(("subject", _("Only a KKG, an MGMP or a learning community has a subject.")))
    elif group.subject_id is not None and group.jenjang:
        taught_by = group.subject.ministry
        if taught_by and taught_by != ministry_of(group.jenjang):
            errors.append(
                (
                    "subject",
                    _("%(subject)s is not taught at %(level)s.")
                    % {"subject": group.subject.name, "level": Jenjang(group.jenjang).label},
                )
            )
    if group.kind == Kind.KOMBEL:
        if not group.kombel_mode:
            errors.append(
                (
                    "kombel_mode",
                    _(
                        "Say whether the learning community is inside "
                        "one school, across schools or online."
                    ),
                )
            )
        if group.kombel_mode == WorkingGroup.KombelMode.SCHOOL and group.school_id is None:
            errors.append(
                ("school", _("A learning community inside one school needs that school."))
            )
    elif group.kombel_mode or group.school_id:
        errors.append(("kombel_mode", _("Only a learning community has a kind or a school.")))
    if group.school_id and group.regency_id and group.school.regency_id != group.regency_id:
        errors.append(("school", _("The school is not in the group's district/city.")))
    return errors


def membership_refusals(group: WorkingGroup, person) -> list[str]:
    """Why `person` may not join `group`, in the user's language; empty when they may."""
    rule = RULES[group.kind]
    reasons = []
    kind = group.get_kind_display()
    if group.status == WorkingGroup.Status.DISSOLVED:
        reasons.append(_("The group has been dissolved."))
    if person.position not in rule.positions:
        allowed = ", ".join(str(Position(p).label) for p in sorted(rule.positions))
        reasons.append(
            _("A %(kind)s takes %(allowed)s; this person is a %(position)s.")
            % {"kind": kind, "allowed": allowed, "position": person.get_position_display()}
        )
    if rule.ministry and person.ministry != rule.ministry:
        reasons.append(
            _("A %(kind)s is for %(ministry)s; this person works under the other ministry.")
            % {"kind": kind, "ministry": Ministry(rule.ministry).label}
        )
    school = person.school
    if group.jenjang:
        if school is None or school.jenjang != group.jenjang:
            reasons.append(
                _("This %(kind)s is for %(level)s; this person's school is %(own)s.")
                % {
                    "kind": kind,
                    "level": Jenjang(group.jenjang).label,
                    "own": school.get_jenjang_display() if school else "—",
                }
            )
    elif (
        group.kind in (Kind.KKM, Kind.KKKS)
        and school is not None
        and rule.ministry
        and (school.ministry != rule.ministry)
    ):
        reasons.append(_("This person's school is under the other ministry."))
    per_subject = group.subject_id not in (None, CLASS_TEACHER)
    if (
        group.kind == Kind.KKG
        and not per_subject
        and not person.subjects.filter(code=CLASS_TEACHER).exists()
    ):
        reasons.append(_("A KKG takes class teachers (guru kelas)."))
    if group.subject_id and not person.subjects.filter(pk=group.subject_id).exists():
        reasons.append(
            _("This group is for teachers of %(subject)s; this person does not teach it.")
            % {"subject": group.subject.name}
        )
    if group.kind == Kind.KOMBEL and group.kombel_mode == WorkingGroup.KombelMode.SCHOOL:
        if person.school_id != group.school_id:
            reasons.append(
                _("This learning community is only for the teachers of %(school)s.")
                % {"school": group.school.name}
            )
    elif group.kombel_mode != WorkingGroup.KombelMode.ONLINE:
        if group.regency_id and person.regency_id != group.regency_id:
            reasons.append(
                _("This group is for %(place)s; this person works elsewhere.")
                % {"place": group.regency.name}
            )
        elif not group.regency_id and person.province_id != group.province_id:
            reasons.append(
                _("This group is for %(place)s; this person works elsewhere.")
                % {"place": group.province.name}
            )
    return reasons


def size_warnings(group: WorkingGroup, members: int) -> list[str]:
    rule = RULES[group.kind]
    if rule.size is None:
        return []
    low, high = rule.size
    kind = group.get_kind_display()
    if members < low:
        return [
            _(
                "A %(kind)s should have at least %(low)d members; it has %(n)d. This blocks "
                "grant eligibility."
            )
            % {"kind": kind, "low": low, "n": members}
        ]
    if high is not None and members > high:
        return [
            _(
                "A %(kind)s should have at most %(high)d members; it has %(n)d. This blocks "
                "grant eligibility."
            )
            % {"kind": kind, "high": high, "n": members}
        ]
    return []
