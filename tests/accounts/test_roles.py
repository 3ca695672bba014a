"""Who may give which role where: offices hand out roles below their own, in their region."""

import pytest
from django.db import IntegrityError, transaction

from gugus.accounts import services
from gugus.accounts.models import RoleAssignment
from gugus.core.access import Actor, Grant, actor_for
from gugus.core.errors import DomainError, Forbidden
from gugus.core.models import AuditEntry
from gugus.core.roles import Role
from gugus.directory.models import District, Province, Regency
from gugus.directory.offices import office_of
from gugus.grants.models import GrantProgramme
from gugus.grants.policies import covers_programme
from tests.factories import GroupFactory, SchoolFactory, UserFactory, user_with_role

DINAS = "kemendikbud"


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
    yogya = Regency.objects.get(code="34.71")
    with pytest.raises(Forbidden):
        services.role_assign(
            actor=kab, user=user, role=Role.ADMIN_KABKOTA, office=office_of(DINAS, regency=yogya)
        )
    with pytest.raises(Forbidden):
        services.role_assign(
            actor=kab,
            user=user,
            role=Role.ADMIN_PROVINSI,
            office=office_of(DINAS, province=yogya.province),
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


def test_national_admins_are_appointed_by_a_superuser_only(db):
    pusat = user_with_role(Role.ADMIN_PUSAT)
    other = UserFactory()
    ditjen = office_of(DINAS)
    with pytest.raises(Forbidden):
        services.role_assign(actor=pusat, user=other, role=Role.ADMIN_PUSAT, office=ditjen)
    root = UserFactory(is_superuser=True)
    services.role_assign(actor=root, user=other, role=Role.ADMIN_PUSAT, office=ditjen)
    assert other.role_assignments.get().scope_level == "nasional"
    other.refresh_from_db()
    assert other.is_staff


def test_nobody_gives_or_takes_their_own_roles(kab, db):
    """The attacker: a district office gives itself a province role, then another
    district; even a superuser does not grant itself."""
    with pytest.raises(Forbidden):
        services.role_assign(actor=kab, user=kab, role=Role.KEPALA_SEKOLAH, school=SchoolFactory())
    root = UserFactory(is_superuser=True)
    with pytest.raises(Forbidden):
        services.role_assign(actor=root, user=root, role=Role.ADMIN_PUSAT)
    with pytest.raises(Forbidden):
        services.role_revoke(actor=kab, assignment=kab.role_assignments.get())
    assert kab.role_assignments.filter(revoked_at__isnull=True).count() == 1


def test_a_grant_carries_exactly_the_target_of_its_level(kab, db):
    """A kab/kota grant with another province's code is refused by the service and, if
    written around it, by the database."""
    other = UserFactory()
    yogya = Regency.objects.get(code="34.71")
    with pytest.raises(DomainError) as info:
        services.role_assign(
            actor=UserFactory(is_superuser=True),
            user=other,
            role=Role.ADMIN_KABKOTA,
            office=office_of(DINAS, regency=yogya),
            province=Province.objects.get(code="11"),
        )
    assert info.value.code == "scope_mismatch"
    with pytest.raises(IntegrityError), transaction.atomic():
        RoleAssignment.objects.create(
            user=other,
            role=Role.ADMIN_KABKOTA,
            office=office_of(DINAS, regency=yogya),
            scope_level="kabkota",
            province_id="11",
            regency_id="34.71",
        )


def test_an_office_grants_only_roles_below_its_own_in_its_region(kab, yogya_school, db):
    other = UserFactory()
    for role, target in (
        (Role.ADMIN_KABKOTA, {"office": office_of(DINAS, regency=Regency.objects.get(pk="34.71"))}),
        (Role.ADMIN_PROVINSI, {"office": office_of(DINAS, province=Province.objects.get(pk="34"))}),
        (
            Role.KEPALA_SEKOLAH,
            {"school": SchoolFactory(district=District.objects.get(code="34.04.01"))},
        ),
    ):
        with pytest.raises(Forbidden):
            services.role_assign(actor=kab, user=other, role=role, **target)
    services.role_assign(actor=kab, user=other, role=Role.KEPALA_SEKOLAH, school=yogya_school)


def test_a_stray_province_on_a_district_grant_opens_no_province_programme(db):
    """Written around the service before the constraint existed: the programme policy
    reads the grant by its level, so the province field means nothing."""
    actor = Actor(
        user=UserFactory(),
        grants=(
            Grant(role=Role.ADMIN_KABKOTA, level="kabkota", province_id="11", regency_id="34.71"),
        ),
    )
    programme = GrantProgramme(province_id="11")
    assert not covers_programme(actor, programme)


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
