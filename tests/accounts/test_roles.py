"""Who may give which role where: offices hand out roles below their own, in their region."""

import pytest

from gugus.accounts import services
from gugus.core.access import actor_for
from gugus.core.errors import DomainError, Forbidden
from gugus.core.models import AuditEntry
from gugus.core.roles import Role
from gugus.directory.models import Province, Regency
from tests.factories import GroupFactory, UserFactory, user_with_role


@pytest.fixture
def kab(db):
    return user_with_role(Role.ADMIN_KABKOTA, regency=Regency.objects.get(code="34.71"))


def test_district_office_appoints_a_head_in_its_region_and_it_is_audited(kab, yogya_school):
    user = UserFactory()
    assignment = services.role_assign(
        actor=kab, user=user, role=Role.KEPALA_SEKOLAH, school=yogya_school
    )
    assert assignment.scope_level == "sekolah"
    entry = AuditEntry.objects.get(target_type="accounts.roleassignment")
    assert entry.actor == kab and entry.regency_id == "34.71"
    assert actor_for(user).grants[0].school_id == yogya_school.pk


def test_district_office_cannot_appoint_outside_or_above(kab, sleman_school):
    user = UserFactory()
    with pytest.raises(Forbidden):
        services.role_assign(actor=kab, user=user, role=Role.KEPALA_SEKOLAH, school=sleman_school)
    with pytest.raises(Forbidden):
        services.role_assign(
            actor=kab, user=user, role=Role.ADMIN_KABKOTA, regency=Regency.objects.get(code="34.71")
        )
    with pytest.raises(Forbidden):
        services.role_assign(
            actor=kab, user=user, role=Role.ADMIN_PROVINSI, province=Province.objects.get(code="34")
        )


def test_role_must_match_its_scope_level(kab, yogya_school):
    with pytest.raises(DomainError) as info:
        services.role_assign(
            actor=kab, user=UserFactory(), role=Role.KETUA_KELOMPOK, school=yogya_school
        )
    assert info.value.code == "scope_mismatch"


def test_ketua_role_points_at_one_group(kab):
    group = GroupFactory()
    user = UserFactory()
    services.role_assign(actor=kab, user=user, role=Role.KETUA_KELOMPOK, group=group)
    assert actor_for(user).grants[0].group_id == group.pk


def test_national_admin_may_appoint_another(db):
    pusat = user_with_role(Role.ADMIN_PUSAT)
    other = UserFactory()
    services.role_assign(actor=pusat, user=other, role=Role.ADMIN_PUSAT)
    assert other.role_assignments.get().scope_level == "nasional"
    other.refresh_from_db()
    assert other.is_staff


def test_revoking_keeps_history_and_removes_the_grant(kab, yogya_school):
    user = UserFactory()
    assignment = services.role_assign(actor=kab, user=user, role=Role.GURU, school=yogya_school)
    services.role_revoke(actor=kab, assignment=assignment)
    assignment.refresh_from_db()
    assert assignment.revoked_at is not None
    user.refresh_from_db()
    assert actor_for(user).grants == ()
    assert AuditEntry.objects.filter(action="delete").count() == 1


def test_duplicate_assignment_is_refused(kab, yogya_school):
    user = UserFactory()
    services.role_assign(actor=kab, user=user, role=Role.GURU, school=yogya_school)
    with pytest.raises(DomainError) as info:
        services.role_assign(actor=kab, user=user, role=Role.GURU, school=yogya_school)
    assert info.value.code == "duplicate"
