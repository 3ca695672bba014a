"""Group registry workflow, membership, officers, activities, attendance and evidence."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from gugus.accounts.models import RoleAssignment
from gugus.communities import services
from gugus.communities.models import Activity, Attendance, Membership, Officer, WorkingGroup
from gugus.core.errors import DomainError, FieldErrors, Forbidden, NotFound
from gugus.core.models import AuditEntry
from gugus.core.roles import Role
from gugus.directory.models import Regency
from tests.factories import (
    GroupFactory,
    PersonFactory,
    SchoolFactory,
    UserFactory,
    teacher,
    user_with_role,
)
from tests.grants.builders import photo, receipt

pytestmark = pytest.mark.usefixtures("indonesian")

TODAY = datetime.date(2026, 3, 2)


@pytest.fixture(autouse=True)
def _on_a_known_day(clock):
    """Every rule here reads "today" from the one clock, set to TODAY."""
    clock.set(TODAY.isoformat())


PDF = b"%PDF-1.4\n%test\n"
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64


@pytest.fixture
def group(db):
    return GroupFactory(status="draft")


@pytest.fixture
def members(group):
    school = SchoolFactory()
    people = [teacher(school) for _i in range(4)]
    for p in people:
        Membership.objects.create(
            group=group, person=p, started_on=TODAY.replace(day=1) - datetime.timedelta(days=400)
        )
    return people


def test_office_registers_a_group_in_its_region_as_a_draft(office):
    group = services.group_create(
        actor=office,
        data={
            "kind": "mgmp",
            "name": "MGMP Matematika SMP Kota Yogyakarta",
            "jenjang": "smp",
            "subject": "matematika",
            "regency": "34.71",
        },
    )
    assert (group.status, group.ministry, group.province_id) == ("draft", "kemendikbud", "34")
    assert AuditEntry.objects.filter(
        target_type="communities.workinggroup", action="create"
    ).exists()
    with pytest.raises(Forbidden):
        services.group_create(
            actor=office,
            data={"kind": "kkg", "name": "KKG Sleman", "jenjang": "sd", "regency": "34.04"},
        )


def test_group_create_explains_each_wrong_field(office):
    with pytest.raises(FieldErrors) as info:
        services.group_create(
            actor=office, data={"kind": "mgmp", "name": "X", "jenjang": "smp", "regency": "34.71"}
        )
    assert info.value.details == [
        {"field": "subject", "message": "MGMP memerlukan mata pelajarannya."}
    ]


def _complete(group, members):
    group.decree_number, group.decree_date = "421/123/2025", datetime.date(2025, 1, 10)
    group.decree_office = "Dinas Pendidikan Kota Yogyakarta"
    group.decree_file = SimpleUploadedFile("sk.pdf", PDF)
    group.statutes_file = SimpleUploadedFile("adart.pdf", PDF)
    group.programme_start_year, group.programme_end_year = 2025, 2027
    group.programme_summary = "Program kerja tiga tahun."
    group.save()
    Officer.objects.create(group=group, person=members[0], position="ketua", started_on=TODAY)


def test_submit_lists_what_is_missing(office, group):
    with pytest.raises(FieldErrors) as info:
        services.group_transition(actor=office, group=group, action="submit")
    assert {d["field"] for d in info.value.details} == {
        "decree_number",
        "decree_file",
        "statutes_file",
        "programme_summary",
        "officers",
    }
    assert WorkingGroup.objects.get(pk=group.pk).status == "draft"


def test_full_workflow_draft_to_active_and_back_and_dissolved(office, group, members):
    _complete(group, members)
    chair = UserFactory(person=members[0])

    RoleAssignment.objects.create(
        user=chair, role=Role.KETUA_KELOMPOK, scope_level="kelompok", group=group
    )
    services.group_transition(actor=chair, group=group, action="submit")
    with pytest.raises(Forbidden):
        services.group_transition(actor=chair, group=group, action="verify")
    with pytest.raises(FieldErrors):
        services.group_transition(actor=office, group=group, action="return")
    services.group_transition(actor=office, group=group, action="return", note="SK buram")
    services.group_transition(actor=chair, group=group, action="submit")
    services.group_transition(actor=office, group=group, action="verify")
    services.group_transition(actor=office, group=group, action="activate")
    services.group_transition(actor=office, group=group, action="suspend", note="Tidak aktif")
    services.group_transition(actor=office, group=group, action="activate")
    services.group_transition(actor=office, group=group, action="dissolve", note="Bergabung")
    group.refresh_from_db()
    assert group.status == "dissolved" and group.status_note == "Bergabung"
    statuses = [
        e.changes["status"]
        for e in AuditEntry.objects.filter(
            target_type="communities.workinggroup", target_id=str(group.pk)
        ).order_by("id")
    ]
    assert statuses[0] == ["draft", "submitted"] and statuses[-1] == ["active", "dissolved"]


@pytest.mark.parametrize(
    ("state", "action"),
    [
        ("draft", "verify"),
        ("draft", "activate"),
        ("submitted", "activate"),
        ("active", "submit"),
        ("dissolved", "activate"),
        ("verified", "suspend"),
    ],
)
def test_transitions_outside_the_table_are_refused(office, state, action):
    group = GroupFactory(status=state)
    with pytest.raises(DomainError) as info:
        services.group_transition(actor=office, group=group, action=action, note="x")
    assert info.value.code == "invalid_transition"


def test_another_district_cannot_verify(group):
    other = user_with_role(Role.ADMIN_KABKOTA, regency=Regency.objects.get(code="34.04"))
    with pytest.raises(NotFound):
        services.group_transition(actor=other, group=group, action="verify")


def test_membership_add_refuses_with_reasons_and_keeps_history(office, group):
    school = SchoolFactory()
    ok, wrong = teacher(school), teacher(SchoolFactory(jenjang="smp"), subject="ipa")
    membership = services.membership_add(actor=office, group=group, person=ok)
    with pytest.raises(DomainError) as info:
        services.membership_add(actor=office, group=group, person=ok)
    assert info.value.code == "duplicate"
    with pytest.raises(DomainError) as info:
        services.membership_add(actor=office, group=group, person=wrong)
    assert info.value.code == "not_eligible" and len(info.value.details) == 2
    services.membership_end(actor=office, membership=membership)
    again = services.membership_add(actor=office, group=group, person=ok)
    assert Membership.objects.filter(group=group, person=ok).count() == 2
    assert again.ended_on is None


def test_officers_must_be_members_except_the_patron(office, group, members):
    outsider = teacher(SchoolFactory())
    with pytest.raises(DomainError) as info:
        services.officer_appoint(actor=office, group=group, person=outsider, position="ketua")
    assert info.value.code == "not_member"
    services.officer_appoint(actor=office, group=group, person=outsider, position="pembina")
    first = services.officer_appoint(actor=office, group=group, person=members[0], position="ketua")
    services.officer_appoint(actor=office, group=group, person=members[1], position="ketua")
    first.refresh_from_db()
    assert first.ended_on is not None
    assert (
        group.officers.filter(position="ketua", ended_on__isnull=True).get().person == (members[1])
    )


def test_appointing_a_ketua_with_a_login_gives_the_chair_role_and_ending_revokes_it(
    office, group, members
):
    user = UserFactory(person=members[0])
    officer = services.officer_appoint(
        actor=office, group=group, person=members[0], position="ketua"
    )
    grant = user.role_assignments.get(role=Role.KETUA_KELOMPOK)
    assert grant.group == group
    services.officer_end(actor=office, officer=officer)
    grant.refresh_from_db()
    assert grant.revoked_at is not None


def test_ending_a_membership_ends_the_persons_offices(office, group, members):
    services.officer_appoint(actor=office, group=group, person=members[2], position="sekretaris")
    services.membership_end(
        actor=office, membership=Membership.objects.get(group=group, person=members[2])
    )
    assert not group.officers.filter(ended_on__isnull=True).exists()


def test_activity_needs_place_or_link_and_reflection_rules(office, group):
    with pytest.raises(FieldErrors) as info:
        services.activity_create(
            actor=office,
            group=group,
            data={"kind": "in", "topic": "Asesmen diagnostik", "date": TODAY},
        )
    assert info.value.details[0]["field"] == "place"
    in_on = services.activity_create(
        actor=office,
        group=group,
        data={"kind": "in", "topic": "Asesmen", "date": TODAY, "place": "SDN 1"},
    )
    with pytest.raises(FieldErrors) as info:
        services.activity_create(
            actor=office,
            group=group,
            data={
                "kind": "in",
                "topic": "Refleksi",
                "date": TODAY,
                "place": "SDN 1",
                "reflects_on": in_on.pk,
            },
        )
    assert info.value.details[0]["field"] == "reflects_on"
    on = services.activity_create(
        actor=office,
        group=group,
        data={
            "kind": "on",
            "topic": "Praktik",
            "date": TODAY - datetime.timedelta(days=3),
            "place": "Kelas masing-masing",
        },
    )
    with pytest.raises(FieldErrors):
        services.activity_create(
            actor=office,
            group=group,
            data={
                "kind": "in",
                "topic": "Refleksi",
                "date": TODAY - datetime.timedelta(days=10),
                "place": "SDN 1",
                "reflects_on": on.pk,
            },
        )
    reflection = services.activity_create(
        actor=office,
        group=group,
        data={
            "kind": "in",
            "topic": "Refleksi",
            "date": TODAY,
            "place": "SDN 1",
            "reflects_on": on.pk,
        },
    )
    assert reflection.reflects_on == on


def test_attendance_marks_the_activity_held_and_only_members_count(office, group, members):
    activity = services.activity_create(
        actor=office,
        group=group,
        data={"kind": "pertemuan", "topic": "Rapat rutin", "date": TODAY, "place": "SDN 1"},
    )
    outsider = teacher(SchoolFactory())
    with pytest.raises(FieldErrors):
        services.attendance_record(actor=office, activity=activity, statuses={outsider.pk: "hadir"})
    services.attendance_record(
        actor=office,
        activity=activity,
        statuses={members[0].pk: "hadir", members[1].pk: "izin", members[2].pk: "absen"},
    )
    activity.refresh_from_db()
    assert activity.status == "held"
    services.attendance_record(actor=office, activity=activity, statuses={members[1].pk: "hadir"})
    assert Attendance.objects.filter(activity=activity, status="hadir").count() == 2


def test_attendance_cannot_be_taken_before_the_day(office, group, members):
    future = services.activity_create(
        actor=office,
        group=group,
        data={
            "kind": "workshop",
            "topic": "Lokakarya",
            "date": TODAY + datetime.timedelta(days=7),
            "online_link": "https://meet.example.id/x",
        },
    )
    with pytest.raises(DomainError) as info:
        services.attendance_record(actor=office, activity=future, statuses={members[0].pk: "hadir"})
    assert info.value.code == "not_yet"
    with pytest.raises(DomainError):
        services.activity_set_status(actor=office, activity=future, status="held")
    services.activity_set_status(actor=office, activity=future, status="cancelled")
    assert Activity.objects.get(pk=future.pk).status == "cancelled"


def test_evidence_is_checked_by_content(office, group):
    activity = services.activity_create(
        actor=office,
        group=group,
        data={"kind": "in", "topic": "Asesmen", "date": TODAY, "place": "SDN 1"},
    )
    photo = services.evidence_add(
        actor=office, activity=activity, kind="foto", upload=SimpleUploadedFile("kelas.jpg", JPEG)
    )
    assert photo.size == len(JPEG)
    with pytest.raises(FieldErrors) as info:
        services.evidence_add(
            actor=office, activity=activity, kind="foto", upload=SimpleUploadedFile("foto.jpg", PDF)
        )
    assert "JPEG" in info.value.details[0]["message"]
    services.evidence_add(
        actor=office,
        activity=activity,
        kind="notulen",
        upload=SimpleUploadedFile("notulen.pdf", PDF),
    )
    big = SimpleUploadedFile("besar.jpg", JPEG + b"\x00" * (10 * 1024 * 1024))
    with pytest.raises(FieldErrors):
        services.evidence_add(actor=office, activity=activity, kind="foto", upload=big)


def test_suspended_group_records_no_activities(office):
    group = GroupFactory(status="suspended")
    with pytest.raises(DomainError) as info:
        services.activity_create(
            actor=office,
            group=group,
            data={"kind": "in", "topic": "X", "date": TODAY, "place": "Y"},
        )
    assert info.value.code == "group_not_working"


def test_facilitators_from_the_group_must_be_its_members_whoever_calls(office, members):
    """The rule lives in the service: a page, the API and an importer get the same refusal."""
    group = members[0].memberships.get().group
    outsider = PersonFactory(school=members[0].school)
    data = {"kind": "in", "topic": "Asesmen", "date": TODAY, "place": "SDN 1"}
    with pytest.raises(FieldErrors) as info:
        services.activity_create(
            actor=office, group=group, data=data, facilitators=[members[0], outsider.pk]
        )
    assert info.value.details[0]["field"] == "facilitator_ids"
    assert not Activity.objects.filter(group=group).exists()
    activity = services.activity_create(
        actor=office, group=group, data=data, facilitators=[members[0].pk]
    )
    assert list(activity.facilitators.all()) == [members[0]]
    with pytest.raises(FieldErrors):
        services.activity_update(actor=office, activity=activity, data={}, facilitators=[outsider])
    assert list(activity.facilitators.all()) == [members[0]]


@pytest.mark.parametrize("kind", ["observasi", "karya", "foto"])
def test_an_on_is_held_only_with_evidence_from_the_classroom(office, group, kind, clock):
    """DOMAIN.md §3: an On is practice in one's own classroom; minutes or a document do
    not show it happened there."""
    on = Activity.objects.create(
        group=group, kind="on", topic="Praktik asesmen", date="2026-01-05", place="SD"
    )
    services.evidence_add(actor=office, activity=on, upload=receipt("notulen.pdf"), kind="notulen")
    with pytest.raises(DomainError) as refused:
        services.activity_set_status(actor=office, activity=on, status="held")
    assert refused.value.code == "no_classroom_evidence"
    assert services.attendance_refusal(on).code == "no_classroom_evidence"
    upload = photo() if kind == "foto" else receipt(f"{kind}.pdf")
    services.evidence_add(actor=office, activity=on, upload=upload, kind=kind)
    services.activity_set_status(actor=office, activity=on, status="held")
    assert Activity.objects.get(pk=on.pk).status == "held"
