"""Importing groups and memberships: row errors, all or nothing, idempotent."""

import io

import pytest

from gugus.communities.models import Membership, WorkingGroup
from gugus.core.imports import import_file
from tests.factories import SchoolFactory, teacher


def csv(text):
    return io.BytesIO(text.encode())


GROUPS = (
    "jenis;nama;kode_kabkota;jenjang;mapel;nomor_sk;tanggal_sk\n"
    "KKG;KKG SD Gugus 1 Mantrijeron;34.71;SD;;421/1/2025;2025-01-10\n"
    "MGMP;MGMP Matematika SMP Kota Yogyakarta;34.71;SMP;matematika;;\n"
)

pytestmark = pytest.mark.usefixtures("indonesian")


def test_groups_import_creates_then_is_a_no_op(office):
    run = import_file(actor=office, kind="groups", file=csv(GROUPS), filename="k.csv")
    assert (run.status, run.created) == ("done", 2), run.errors
    assert WorkingGroup.objects.get(kind="mgmp").subject_id == "matematika"
    again = import_file(actor=office, kind="groups", file=csv(GROUPS), filename="k.csv")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    changed = import_file(
        actor=office,
        kind="groups",
        file=csv(GROUPS.replace("421/1/2025", "421/2/2025")),
        filename="k.csv",
    )
    assert (changed.updated, changed.unchanged) == (1, 1)


def test_bad_group_rows_reject_the_file(office):
    bad = GROUPS + (
        "MGMP;MGMP Tanpa Mapel;34.71;SMP;;;\n"
        "KKG;KKG Sleman;34.04;SD;;;\n"
        "KKG;KKG SD Gugus 1 Mantrijeron;34.71;SD;;;\n"
    )
    run = import_file(actor=office, kind="groups", file=csv(bad), filename="k.csv")
    assert run.status == "rejected" and not WorkingGroup.objects.exists()
    assert [(e["row"], e["column"]) for e in run.errors] == [
        (4, "mapel"),
        (5, "kode_kabkota"),
        (6, "nama"),
    ]
    assert run.errors[0]["message"] == "MGMP memerlukan mata pelajarannya."


def test_memberships_import_checks_the_rules_per_row(office):
    import_file(actor=office, kind="groups", file=csv(GROUPS), filename="k.csv")
    group = WorkingGroup.objects.get(kind="kkg")
    school = SchoolFactory()
    ok = teacher(school)
    wrong = teacher(SchoolFactory(jenjang="smp"), subject="ipa")
    rows = (
        f"id_kelompok,nuptk,mulai\n{group.pk},{ok.nuptk},2025-07-01\n"
        f"{group.pk},{wrong.nuptk},2025-07-01\n{group.pk},9999999999999999,2025-07-01\n"
    )
    run = import_file(actor=office, kind="memberships", file=csv(rows), filename="a.csv")
    assert run.status == "rejected" and not Membership.objects.exists()
    assert [(e["row"], e["column"]) for e in run.errors][-1] == (4, "nuptk")
    assert any("KKG" in e["message"] for e in run.errors if e["row"] == 3)
    good = f"nama_kelompok,kode_kabkota,nuptk,mulai\n{group.name},34.71,{ok.nuptk},2025-07-01\n"
    run = import_file(actor=office, kind="memberships", file=csv(good), filename="a.csv")
    assert (run.status, run.created) == ("done", 1)
    again = import_file(actor=office, kind="memberships", file=csv(good), filename="a.csv")
    assert (again.created, again.unchanged) == (0, 1)
