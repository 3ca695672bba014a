"""The upload page queues the import; the job page shows progress, then the outcome."""

import io
import re
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from gugus.accounts.models import User
from gugus.competency import rollups, selectors
from gugus.competency.models import Result, UkgEvent, UkgImport
from gugus.competency.tasks import run_ukg_import
from gugus.core.roles import Role
from tests.competency.test_import import csv_file
from tests.factories import GroupFactory, PersonFactory, SchoolFactory, member, user_with_role
from tests.querycounts import grew, measure


def test_upload_then_follow_the_job(client, db):
    """A national office names a new event as it uploads; the event is created with it."""
    office = user_with_role(Role.ADMIN_PUSAT)
    school = SchoolFactory()
    people = [PersonFactory(school=school) for _i in range(3)]
    rows = [[p.nuptk, "65,5", "60", "70", "", ""] for p in people] + [
        ["1234", "65", "60", "70", "", ""]
    ]
    client.force_login(office)
    page = client.post(
        reverse("ukg_upload"),
        {
            "new_event": "ukg-2024",
            "new_year": "2024",
            "mode": "all",
            "file": SimpleUploadedFile("hasil.csv", csv_file(rows).read()),
        },
        follow=True,
    )
    body = page.content.decode()
    job = UkgImport.objects.get()
    assert 'hx-trigger="every 1s"' in body and "Menunggu" in body
    run_ukg_import.call(job.pk)
    body = client.get(reverse("ukg_import_detail", args=[job.pk])).content.decode()
    assert "Ditolak" in body and 'id="issues"' in body and "NUPTK harus" in body
    assert "hx-trigger" not in body
    report = client.get(reverse("ukg_error_report", args=[job.pk]))
    assert report.status_code == 200 and b"Baris" in b"".join(report.streaming_content)


def test_only_offices_import(client, db):
    teacher = user_with_role(Role.GURU, school_id=SchoolFactory().pk)
    client.force_login(teacher)
    assert client.get(reverse("ukg_upload")).status_code == 404


def seeded_event(yogya_school, sleman_school):
    event = UkgEvent.objects.create(code="ukg-2015", name="UKG 2015", year=2015)
    group = GroupFactory()
    people = []
    for school, scores in ((yogya_school, (40, 62, 75)), (sleman_school, (58, 81))):
        for score in scores:
            person = PersonFactory(school=school)
            people.append(person)
            Result.objects.create(
                event=event,
                person=person,
                subject_id="guru-kelas",
                total=Decimal(score),
                pedagogik=Decimal(score - 4),
                profesional=Decimal(score + 4),
                group_a=Decimal(40),
                group_b=Decimal(80),
                province_id=person.province_id,
                regency_id=person.regency_id,
                school_id=school.pk,
                jenjang="sd",
            )
            if school == yogya_school:
                member(group, person)
    rollups.refresh(event)
    return event, group, people


def test_the_map_from_nation_to_kab_kota_and_a_group(client, office, yogya_school, sleman_school):
    _event, group, people = seeded_event(yogya_school, sleman_school)
    client.force_login(office)
    nation = client.get(reverse("competency_map")).content.decode()
    assert 'id="mean">63,20<' in nation
    assert "Daerah Istimewa Yogyakarta" in nation and "<svg" in nation
    province = client.get(reverse("competency_map") + "?wilayah=34").content.decode()
    ranking = province[province.index('id="ranking"') :]
    assert ranking.index("Kota Yogyakarta") < ranking.index("Sleman")  # weakest first
    city = client.get(reverse("competency_map") + "?wilayah=34.71").content.decode()
    assert group.name in city and 'id="mean">59,00<' in city
    page = client.get(reverse("group_competency", args=[group.pk])).content.decode()
    # Modules C-J carry no score: unknown, so nobody is a candidate instructor here.
    assert "Tatap muka" not in page and "Belajar mandiri daring" in page
    assert people[2].name in page  # the recommended trainer (75, the only one above 70)
    export = client.get(reverse("competency_map_export") + "?wilayah=34")
    sheet = load_workbook(io.BytesIO(export.content)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[1][:3] == ["Nama", "Guru", "Rata-rata"]
    names = [r[0] for r in rows[2:]]
    assert "Yogyakarta" in names[0] and "Sleman" in names[1]  # weakest first, as on the page
    city = rows[2]
    assert (city[1], float(city[2])) == (3, 59.0)


def test_a_teacher_sees_their_own_results_and_modules_to_study(client, yogya_school, sleman_school):
    _event, _group, people = seeded_event(yogya_school, sleman_school)
    user = User.objects.create_user("siti", password="x", person=people[0])
    client.force_login(user)
    page = client.get(reverse("my_results")).content.decode()
    assert "UKG 2015" in page and "40,00" in page
    # Group A (40) is below the pass mark, group B (80) is not.
    assert "Kelompok kompetensi yang perlu dipelajari</dt><dd>A</dd>" in page


def test_charts_draw_with_numbers_svg_reads_in_indonesian(
    client, office, yogya_school, sleman_school
):
    """Indonesian writes 32,5 where SVG needs 32.5: every bar must have coordinates a
    browser can read, ten bars side by side from left to right."""
    seeded_event(yogya_school, sleman_school)
    client.force_login(office)
    page = client.get(reverse("competency_map")).content.decode()
    histogram = page.split('aria-label="Sebaran nilai"')[1].split("</svg>")[0]
    bars = re.findall(r'<rect x="([^"]+)" y="([^"]+)" width="([^"]+)" height="([^"]+)"', histogram)
    assert len(bars) == 10
    xs = [float(x) for x, *_rest in bars]  # a localised "2,0" would not parse
    assert xs == sorted(xs) and len(set(xs)) == 10
    assert all(float(w) > 5 and float(h) >= 0 for _x, _y, w, h in bars)


def test_the_events_own_pass_mark_and_target_drive_the_map(
    client, office, yogya_school, sleman_school
):
    """An event that sets 60 and 75 is counted and labelled by them, not by 55 and 70."""
    event, _group, _people = seeded_event(yogya_school, sleman_school)
    event.pass_mark, event.target = 60, 75
    event.save()
    rollups.refresh(event)
    nation = selectors.cell(event, "nasional", "", "total")
    assert (nation.below_pass, nation.below_target) == (2, 3)  # 40, 58 | 40, 58, 62
    client.force_login(office)
    page = client.get(reverse("competency_map")).content.decode()
    assert "Di bawah 60" in page and "Di bawah target 75" in page and "Selisih dari 75" in page
    assert "Di bawah 55" not in page


def test_maps_and_lists_cost_the_same_queries_with_more_results(
    client, office, yogya_school, sleman_school
):
    """Maps read the precomputed cells; a group's page and a teacher's own results read
    indexed rows: the queries stay the same when results and members multiply."""
    event, group, people = seeded_event(yogya_school, sleman_school)
    teacher_user = User.objects.create_user("siti", password="x", person=people[0])
    pages = {
        office: [
            reverse("competency_map"),
            reverse("competency_map") + "?wilayah=34",
            reverse("competency_map") + "?wilayah=34.71",
            reverse("group_competency", args=[group.pk]),
            "/api/v1/competency/map",
            f"/api/v1/groups/{group.pk}/competency",
            "/api/v1/ukg/events",
        ],
        teacher_user: [reverse("my_results"), "/api/v1/me/ukg"],
    }

    before = measure(client, pages)
    for n in range(12):
        person = PersonFactory(school=yogya_school if n % 2 else sleman_school)
        Result.objects.create(
            event=event,
            person=person,
            subject_id="guru-kelas",
            total=Decimal(50 + n),
            pedagogik=Decimal(48 + n),
            profesional=Decimal(52 + n),
            province_id=person.province_id,
            regency_id=person.regency_id,
            school_id=person.school_id,
            jenjang="sd",
        )
        if n % 2:
            member(group, person)
    rollups.refresh(event)
    assert grew(before, measure(client, pages)) == {}
