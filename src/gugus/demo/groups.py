"""Demo working groups: every type per kab/kota in realistic numbers, members chosen by the
membership rules' criteria, officers, and a year of activities whose rhythm ranges from
lively to dormant, so the activeness measure has something real to tell apart.

Rows are written with `RowWriter` a kab/kota at a time, like the directory generator.
"""

from __future__ import annotations

import datetime
import io
import random
from collections import defaultdict

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from PIL import Image, ImageDraw

from gugus.communities import activeness
from gugus.communities.models import (
    Activity,
    Attendance,
    Evidence,
    Membership,
    Officer,
    WorkingGroup,
)
from gugus.communities.rules import CLASS_TEACHER, governing_ministry
from gugus.core import clock
from gugus.core.bulk import RowWriter
from gugus.directory.models import District, Person, Regency, School, Subject

SECONDARY_SUBJECTS = {
    "smp": [
        "bahasa-indonesia",
        "matematika",
        "ipa",
        "ips",
        "bahasa-inggris",
        "informatika",
        "pendidikan-agama-islam",
    ],
    "sma": [
        "pendidikan-agama-islam",
        "bahasa-indonesia",
        "matematika",
        "fisika",
        "kimia",
        "biologi",
        "bahasa-inggris",
        "ekonomi",
        "sejarah",
    ],
    "smk": ["dasar-program-keahlian", "bahasa-indonesia", "matematika", "bahasa-inggris"],
    "mts": ["bahasa-indonesia", "matematika", "ipa", "bahasa-arab", "fikih"],
    "ma": ["bahasa-indonesia", "matematika", "biologi", "bahasa-arab"],
}
LEVEL_NAMES = {
    "paud_tk": "TK",
    "sd": "SD",
    "mi": "MI",
    "ra": "RA",
    "smp": "SMP",
    "sma": "SMA",
    "smk": "SMK",
    "mts": "MTs",
    "ma": "MA",
}
TOPICS = [
    (
        "in",
        "Asesmen diagnostik untuk pembelajaran berdiferensiasi",
        "Murid kelas awal belum lancar membaca",
    ),
    ("on", "Praktik asesmen diagnostik di kelas", "Murid kelas awal belum lancar membaca"),
    ("in", "Refleksi praktik asesmen diagnostik", "Murid kelas awal belum lancar membaca"),
    ("workshop", "Penyusunan modul ajar", "Capaian numerasi rendah pada Rapor Pendidikan"),
    ("observasi", "Observasi pembelajaran sejawat", "Murid pasif dalam diskusi kelompok"),
    ("praktik_baik", "Berbagi praktik baik literasi", "Minat baca murid rendah"),
    ("pertemuan", "Pertemuan rutin bulanan", ""),
]
# Share of groups by rhythm, and per rhythm: chance of an activity in a month, attendance.
RHYTHMS = [("lively", 0.45, 0.9, 0.8), ("irregular", 0.3, 0.45, 0.6), ("dormant", 0.25, 0.1, 0.4)]


def photo_file() -> ContentFile:
    """A small photo standing for a classroom observation."""
    image = Image.new("RGB", (480, 320), (226, 236, 222))
    ImageDraw.Draw(image).text((20, 150), "Praktik di kelas (On)", fill=(30, 60, 30))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=70)
    return ContentFile(out.getvalue())


class GroupGenerator:
    def __init__(self, seed: int = 1, today: datetime.date | None = None):
        self.rng = random.Random(seed * 7919 + 17)
        self.today = today or clock.today()
        self.writer = RowWriter()
        self.counts = defaultdict(int)
        self.classroom_photo = ""  # one stored photo every demo On shows as its evidence

    def run(self, regency_codes: list[str]) -> dict:
        self.classroom_photo = default_storage.save("activities/demo/kelas.jpg", photo_file())
        group_ids = []
        for code in regency_codes:
            with transaction.atomic():
                group_ids += self._regency(Regency.objects.get(code=code))
        self.writer.finish()
        for start in range(0, len(group_ids), 500):
            activeness.refresh(group_ids[start : start + 500])
        return dict(self.counts)

    def _regency(self, regency: Regency) -> list[int]:
        people = list(
            Person.objects.filter(regency=regency).values_list(
                "id",
                "position",
                "ministry",
                "school_id",
                "school__jenjang",
                "school__district_id",
                "subjects__code",
            )
        )
        plans = self._plan(regency, people)
        groups, memberships, officers, activities, attendance = [], [], [], [], []
        evidence = []
        start = self.today.replace(day=1) - datetime.timedelta(days=365)
        school_names = dict(School.objects.filter(regency=regency).values_list("id", "name"))
        for key, member_ids in plans:
            kind, name, ministry, jenjang, subject = key[:5]
            school_id = key[5] if len(key) > 5 else None
            if school_id:
                name = f"Kombel {school_names.get(school_id, name)}"
            if len(member_ids) < 3:
                continue
            self.rng.shuffle(member_ids)
            member_ids = member_ids[: self.rng.randint(18, 30)]
            gid = self.writer.take_ids(WorkingGroup, 1)[0]
            status = self.rng.choices(
                ["active", "verified", "submitted", "draft"], [0.88, 0.05, 0.04, 0.03]
            )[0]
            groups.append(
                (
                    gid,
                    kind,
                    name,
                    ministry,
                    regency.province_id,
                    regency.code,
                    jenjang,
                    subject,
                    "sekolah" if school_id else "",
                    school_id,
                    status,
                    f"{400 + gid}/SK/{start.year}",
                    start - datetime.timedelta(days=30),
                    f"Dinas Pendidikan {regency.name}"
                    if ministry == "kemendikbud"
                    else f"Kantor Kemenag {regency.name}",
                    start.year,
                    start.year + 2,
                    "Program kerja tiga tahun.",
                    clock.now(),
                    "",
                    None,
                    "",
                    None,
                    "",
                    "",
                )
            )
            joined = start - datetime.timedelta(days=self.rng.randint(30, 400))
            for pid in member_ids:
                mid = self.writer.take_ids(Membership, 1)[0]
                memberships.append((mid, gid, pid, joined, None))
            for position, pid in zip(
                ("ketua", "sekretaris", "bendahara"), member_ids, strict=False
            ):
                oid = self.writer.take_ids(Officer, 1)[0]
                officers.append((oid, gid, pid, position, "", joined, None))
            if status == "active":
                self._activities(gid, member_ids, start, activities, attendance, evidence)
        self.writer.insert(WorkingGroup, GROUP_COLUMNS, groups)
        self.writer.insert(
            Membership, ["id", "group", "person", "started_on", "ended_on"], memberships
        )
        self.writer.insert(
            Officer,
            ["id", "group", "person", "position", "section", "started_on", "ended_on"],
            officers,
        )
        self.writer.insert(Activity, ACTIVITY_COLUMNS, activities)
        self.writer.insert(Attendance, ["activity", "person", "status"], attendance)
        self.writer.insert(
            Evidence, ["activity", "kind", "file", "size", "uploaded_by", "uploaded_at"], evidence
        )
        for name, rows in (
            ("groups", groups),
            ("memberships", memberships),
            ("activities", activities),
            ("attendance", attendance),
        ):
            self.counts[name] += len(rows)
        return [g[0] for g in groups]

    def _plan(self, regency, people) -> list[tuple]:
        """Which groups the kab/kota has, and who is eligible for each."""
        place = regency.name.replace("Kabupaten ", "").replace("Kota ", "")
        subjects = dict(Subject.objects.values_list("code", "name"))

        def governed(kind, jenjang="", subject=None) -> str:
            return governing_ministry(WorkingGroup(kind=kind, jenjang=jenjang, subject_id=subject))

        districts = dict(District.objects.filter(regency=regency).values_list("code", "name"))
        plans: dict[tuple, list[int]] = defaultdict(list)
        class_teachers: dict[tuple, list[int]] = defaultdict(list)
        school_staff: dict[tuple, list[int]] = defaultdict(list)
        seen: set[tuple] = set()
        for pid, position, ministry, school_id, jenjang, district, subject in people:
            if (pid, subject) in seen:
                continue
            seen.add((pid, subject))
            if position in ("guru", "guru_bk") and (pid, None) not in seen:
                seen.add((pid, None))
                school_staff[(school_id, ministry)].append(pid)
            key = None
            if position == "guru" and subject == CLASS_TEACHER and jenjang in LEVEL_NAMES:
                class_teachers[(jenjang, ministry, district)].append(pid)
            elif position == "guru" and subject and jenjang in ("sd", "mi"):
                # KKG per subject at SD/MI: KKG PAI, KKG PJOK, KKG Fikih MI, ...
                key = (
                    "kkg",
                    f"KKG {subjects[subject]} {LEVEL_NAMES[jenjang]} {place}",
                    governed("kkg", jenjang, subject),
                    jenjang,
                    subject,
                )
            elif position == "guru" and subject in SECONDARY_SUBJECTS.get(jenjang, []):
                key = (
                    "mgmp",
                    f"MGMP {subjects[subject]} {LEVEL_NAMES[jenjang]} {place}",
                    governed("mgmp", jenjang, subject),
                    jenjang,
                    subject,
                )
            elif position == "guru_bk" and jenjang in ("smp", "sma", "smk"):
                key = ("mgbk", f"MGBK {LEVEL_NAMES[jenjang]} {place}", ministry, jenjang, None)
            elif position == "kepala" and jenjang in LEVEL_NAMES:
                # One heads' group per level: KKM MI (KKMI), KKM MTs, KKKS SD, KKKS SMP, ...
                kind = "kkm" if ministry == "kemenag" else "kkks"
                key = (
                    kind,
                    f"{kind.upper()} {LEVEL_NAMES[jenjang]} {place}",
                    governed(kind, jenjang),
                    jenjang,
                    None,
                )
            elif position == "pengawas":
                key = (
                    ("pokjawas", f"Pokjawas {place}", "kemenag", "", None)
                    if (ministry == "kemenag")
                    else ("kkps", f"KKPS {place}", "kemendikbud", "", None)
                )
            if key:
                plans[key].append(pid)
        # A KKG is a gugus of nearby schools: split each kecamatan's class teachers by ~25.
        for (jenjang, ministry, district), ids in sorted(class_teachers.items()):
            parts = max(1, round(len(ids) / 25))
            for n in range(parts):
                name = f"KKG {LEVEL_NAMES[jenjang]} Gugus {n + 1} {districts.get(district, place)}"
                plans[("kkg", name, ministry, jenjang, None)] = ids[n::parts]
        # About one school in ten with enough teachers runs its own learning community.
        for (school_id, ministry), ids in sorted(school_staff.items(), key=lambda i: i[0][0]):
            if len(ids) >= 8 and self.rng.random() < 0.1:
                plans[("kombel", f"Kombel Sekolah {school_id}", ministry, "", None, school_id)] = (
                    ids
                )
        return sorted(plans.items(), key=lambda item: item[0][1])

    def _activities(self, gid, member_ids, start, activities, attendance, evidence):
        rhythm = self.rng.choices(RHYTHMS, [r[1] for r in RHYTHMS])[0]
        _name, _share, monthly, presence = rhythm
        month = start
        last_on = None
        while month <= self.today:
            if self.rng.random() < monthly:
                kind, topic, problem = self.rng.choice(TOPICS)
                day = month.replace(day=self.rng.randint(3, 26))
                if day > self.today:
                    break
                aid = self.writer.take_ids(Activity, 1)[0]
                reflects = last_on if kind == "in" and topic.startswith("Refleksi") else None
                activities.append(
                    (
                        aid,
                        gid,
                        kind,
                        topic,
                        day,
                        2 if kind != "on" else 4,
                        "Ruang pertemuan gugus",
                        "",
                        "",
                        problem,
                        reflects,
                        "held",
                        "",
                        None,
                        clock.now(),
                    )
                )
                last_on = aid if kind == "on" else last_on
                if kind == "on":  # held, so with its classroom evidence (DOMAIN.md §3)
                    evidence.append((aid, "foto", self.classroom_photo, 0, None, clock.now()))
                for pid in member_ids:
                    roll = self.rng.random()
                    attendance.append(
                        (
                            aid,
                            pid,
                            "hadir"
                            if roll < presence
                            else ("izin" if roll < presence + 0.1 else "absen"),
                        )
                    )
            month = (month + datetime.timedelta(days=32)).replace(day=1)


GROUP_COLUMNS = [
    "id",
    "kind",
    "name",
    "ministry",
    "province",
    "regency",
    "jenjang",
    "subject",
    "kombel_mode",
    "school",
    "status",
    "decree_number",
    "decree_date",
    "decree_office",
    "programme_start_year",
    "programme_end_year",
    "programme_summary",
    "created_at",
    "activeness_level",
    "activeness_score",
    "status_note",
    "status_changed_at",
    "decree_file",
    "statutes_file",
]
ACTIVITY_COLUMNS = [
    "id",
    "group",
    "kind",
    "topic",
    "date",
    "duration_jp",
    "place",
    "online_link",
    "external_facilitators",
    "learning_problem",
    "reflects_on",
    "status",
    "notes",
    "created_by",
    "updated_at",
]
