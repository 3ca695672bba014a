"""A ketua on a phone records an activity with attendance and a photo; the group's
activeness updates; an office of another kab/kota cannot see the group."""

import pytest

from gugus.accounts.models import RoleAssignment
from gugus.communities.models import (
    Activity,
    Attendance,
    Evidence,
    Membership,
    Officer,
    WorkingGroup,
)
from gugus.core.roles import Role
from gugus.directory.models import Regency
from tests.e2e.conftest import login
from tests.factories import GroupFactory, SchoolFactory, UserFactory, teacher, user_with_role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 256


@pytest.fixture
def kkg(db):
    school = SchoolFactory()
    group = GroupFactory(name="KKG SD Gugus 3 Mantrijeron")
    members = [teacher(school, name=f"Guru {n}") for n in ("Ani", "Budi", "Citra", "Dodi")]
    for person in members:
        Membership.objects.create(group=group, person=person, started_on="2025-01-01")
    Officer.objects.create(
        group=group, person=members[0], position="ketua", started_on="2025-01-01"
    )
    chair = UserFactory(username="ketua", person=members[0])
    chair.set_password("gugus-demo")
    chair.save()
    RoleAssignment.objects.create(
        user=chair, role=Role.KETUA_KELOMPOK, scope_level="kelompok", group=group
    )
    other = user_with_role(Role.ADMIN_KABKOTA, regency=Regency.objects.get(code="34.04"))
    other.username = "dinas.sleman"
    other.set_password("gugus-demo")
    other.save()
    return {"group": group, "members": members}


def test_ketua_records_an_activity_on_a_phone(live_server, phone, kkg, tmp_path, clock):
    group = kkg["group"]
    login(phone, live_server.url, "ketua")
    phone.click("header >> text=Kelompok")
    phone.click(f"text={group.name}")
    assert "Belum diukur" in phone.inner_text("#activeness")

    phone.click("text=Catat kegiatan")
    new_activity_url = phone.url
    phone.select_option("select[name=kind]", "pertemuan")
    phone.fill("input[name=topic]", "Pembelajaran berdiferensiasi di kelas rangkap")
    phone.fill("input[name=date]", clock.today.isoformat())
    phone.fill("input[name=place]", "SD Negeri 1 Mantrijeron")
    phone.fill("textarea[name=learning_problem]", "Murid kelas 2 belum lancar membaca")
    facilitators = [str(p.pk) for p in kkg["members"][:2]]
    phone.select_option("select[name=facilitators]", facilitators)
    # The page is left before sending (a call, a dead battery): every choice comes back,
    # both facilitators of the multi-select included.
    phone.reload()
    assert phone.is_visible("[data-draft-note]")
    assert phone.input_value("input[name=topic]").startswith("Pembelajaran berdiferensiasi")
    assert sorted(
        phone.eval_on_selector_all(
            "select[name=facilitators] option:checked", "options => options.map(o => o.value)"
        )
    ) == sorted(facilitators)
    phone.click("button:has-text('Simpan')")
    assert "Kegiatan telah disimpan" in phone.inner_text(".messages")
    activity_url = phone.url
    # Saved: the next new activity starts empty, not from the old draft.
    phone.goto(new_activity_url)
    assert not phone.is_visible("[data-draft-note]")
    assert phone.input_value("input[name=topic]") == ""
    phone.goto(activity_url)

    # Attendance taken in the room; the first send fails because the network is gone.
    for person in kkg["members"][:3]:
        phone.check(f"input[name=p-{person.pk}][value=hadir]")
    phone.check(f"input[name=p-{kkg['members'][3].pk}][value=izin]")
    phone.context.set_offline(True)
    phone.click("text=Simpan kehadiran", no_wait_after=True)
    phone.wait_for_timeout(1_000)
    assert not Attendance.objects.exists()  # nothing reached the server
    phone.context.set_offline(False)
    phone.goto(activity_url)
    assert phone.is_visible("[data-draft-note]")
    assert phone.is_checked(f"input[name=p-{kkg['members'][3].pk}][value=izin]")
    phone.click("text=Simpan kehadiran")
    assert "Kehadiran telah disimpan" in phone.inner_text(".messages")
    assert phone.inner_text("#activity-status") == "Terlaksana"

    photo = tmp_path / "kegiatan.jpg"
    photo.write_bytes(JPEG)
    phone.select_option("select[name=kind]", "foto")
    phone.set_input_files("input[name=file]", str(photo))
    phone.click("button:has-text('Unggah')")
    assert "Bukti telah diunggah" in phone.inner_text(".messages")
    assert Evidence.objects.filter(activity__group=group, kind="foto").count() == 1
    # The draft is cleared once the server confirmed the save.
    assert phone.evaluate("Object.keys(localStorage).filter(k => k.includes('attendance'))") == []

    phone.goto(f"{live_server.url}/kelompok/{group.pk}/")
    group.refresh_from_db()
    assert group.activeness_score > 0
    assert str(group.activeness_score) in phone.inner_text("#activeness")
    assert Activity.objects.get(group=group).attendance.filter(status="hadir").count() == 3

    phone.click("header form button:has-text('Keluar')")
    login(phone, live_server.url, "dinas.sleman")
    response = phone.goto(f"{live_server.url}/kelompok/{group.pk}/")
    assert response.status == 404
    phone.goto(f"{live_server.url}/kelompok/")
    assert group.name not in phone.inner_text("#results")
    assert WorkingGroup.objects.filter(pk=group.pk).exists()
