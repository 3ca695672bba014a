"""Demo partnership cohorts, made through the real services: seed 003's two-tier form
(8 Guru Mitra 1 from 5 SMPs of Kota Yogyakarta hosting 16 Guru Mitra 2 from Gorontalo and
Bangka Belitung for seven days, one to two), with its On Job Learning held, and the
three-tier cascade (Guru Inti 1 : 3 Guru Mitra, each Mitra 1 : 10 Guru Imbas) of the later
programme. The logins `guru.mitra1` and `guru.mitra2` are a host and one of their
partners."""

from __future__ import annotations

import datetime
from collections import Counter

from django.db import transaction

from gugus.accounts.models import RoleAssignment, User
from gugus.accounts.services import scope_level_for
from gugus.competency.models import UkgEvent
from gugus.core import clock
from gugus.core.roles import Role
from gugus.demo.accounts import DEMO_PASSWORD
from gugus.partnership import services
from gugus.partnership.models import Cohort, Pair, Visit
from gugus.partnership.selectors import visit_members

SUBJECTS = ["bahasa-indonesia", "bahasa-inggris", "matematika", "ipa"]
# Seed 003: eight hosts from five schools of one city, two partners each, seven days.
SEED_HOSTS, SEED_SCHOOLS, SEED_PARTNERS_EACH = 8, 5, 2
QUOTA_NOTE = "Di luar kuota kohort: 8 Guru Mitra 1 dari 5 sekolah, 16 Guru Mitra 2."
# username, side of the pair, what it shows
PARTNER_LOGINS = (
    ("guru.mitra1", "Guru Mitra 1 kohort kemitraan contoh"),
    ("guru.mitra2", "Guru Mitra 2 kohort kemitraan contoh"),
)


def _seed_quota(office, cohort: Cohort) -> None:
    """Keep seed 003's numbers: the five schools with the most hosts whose subject still
    has partners, the best host of each, then the next best of those schools up to eight;
    for each host the two partners of the subject with the lowest scores. The others are
    left out with the reason on record."""
    upper, lower = cohort.tiers.order_by("rank")
    hosts = list(cohort.participants.filter(tier=upper).order_by("-score", "pk"))
    partners = list(cohort.participants.filter(tier=lower).order_by("score", "pk"))
    free = Counter(p.subject_id for p in partners)
    per_school = Counter(h.school_id for h in hosts if free[h.subject_id] >= SEED_PARTNERS_EACH)
    schools = [s for s, _n in sorted(per_school.items(), key=lambda kv: (-kv[1], kv[0]))]
    schools = schools[:SEED_SCHOOLS]
    kept = []
    for first_round in (True, False):
        for h in hosts:
            if len(kept) == SEED_HOSTS:
                break
            has_one = any(k.school_id == h.school_id for k in kept)
            if (
                h in kept
                or h.school_id not in schools
                or (first_round and has_one)
                or free[h.subject_id] < SEED_PARTNERS_EACH
            ):
                continue
            kept.append(h)
            free[h.subject_id] -= SEED_PARTNERS_EACH
    wanted = Counter(h.subject_id for h in kept for _n in range(SEED_PARTNERS_EACH))
    for p in partners:
        if wanted[p.subject_id] > 0:
            wanted[p.subject_id] -= 1
        else:
            services.participant_exclude(
                actor=office, participant=p, reason=QUOTA_NOTE, source="demo"
            )
    for h in hosts:
        if h not in kept:
            services.participant_exclude(
                actor=office, participant=h, reason=QUOTA_NOTE, source="demo"
            )


def _hold_ojl(office, cohort: Cohort) -> None:
    """The OJL week took place: every day's attendance, a note per host and an action plan
    from each partner; the return visits lie ahead."""
    for visit in Visit.objects.filter(cohort=cohort, direction=Visit.Direction.OJL):
        members = visit_members(visit)
        for day in range(1, visit.days + 1):
            services.visit_attendance_record(
                actor=office,
                visit=visit,
                day=day,
                statuses={
                    m.pk: "izin" if (day == 4 and n == len(members) - 1) else "hadir"
                    for n, m in enumerate(members)
                },
                source="demo",
            )
        services.observation_add(
            actor=office,
            visit=visit,
            day=3,
            observed=members[1].pk,
            text="Apersepsi singkat; siswa bekerja dalam kelompok, tetapi pertanyaan guru masih "
            "tertutup. Disepakati mencoba pertanyaan pemantik terbuka pada hari ke-6.",
            source="demo",
        )
        for partner in members[1:]:
            services.action_plan_save(
                actor=office,
                participant=partner,
                data={
                    "goal": "Siswa belajar lewat diskusi kelompok dengan pertanyaan pemantik",
                    "steps": "1. Menyusun modul ajar dengan LKPD diskusi\n"
                    "2. Mencoba di dua kelas\n3. Refleksi bersama guru tuan rumah",
                    "indicator": "70% siswa mencapai tujuan pembelajaran pada asesmen formatif",
                    "due": cohort.ojl_start + datetime.timedelta(days=60),
                },
                source="demo",
            )


def _logins(cohort: Cohort) -> None:
    """`guru.mitra1` is the host of the first OJL visit, `guru.mitra2` one of their partners."""
    first = Visit.objects.filter(cohort=cohort, direction=Visit.Direction.OJL).order_by("pk")[0]
    pair = (
        Pair.objects.filter(host=first.host)
        .select_related("host", "partner")
        .order_by("pk")
        .first()
    )
    for (username, _label), participant in zip(
        PARTNER_LOGINS, (pair.host, pair.partner), strict=True
    ):
        person = participant.person
        if User.objects.filter(username=username).exists():
            continue
        first, _sep, last = person.name.split(",")[0].partition(" ")
        user = User(
            username=username,
            person=person,
            first_name=first,
            last_name=last,
            email=f"{username}@gugus.test",
        )
        user.set_password(DEMO_PASSWORD)
        user.save()
        RoleAssignment.objects.create(
            user=user,
            role=Role.GURU,
            scope_level=scope_level_for(
                province=None, regency=None, school=participant.school, group=None
            ),
            school=participant.school,
        )


@transaction.atomic
def create_demo_cohorts() -> int:
    """Idempotent: nothing happens when cohorts exist already."""
    if Cohort.objects.exists() or not UkgEvent.objects.filter(code="ukg-2015").exists():
        return 0
    office = User.objects.get(username="admin.bbgp")
    today = clock.today()
    seed = services.cohort_create(
        actor=office,
        data={
            "name": f"Kemitraan Guru SMP {today.year}",
            "year": str(today.year),
            "province": "34",
            "event": "ukg-2015",
            "subjects": SUBJECTS,
            "levels": ["smp"],
            "host_regions": "34.71",
            "partner_regions": "75, 19",
            "ojl_start": today - datetime.timedelta(days=9),
            "ojl_days": "7",
        },
        tiers=[
            {"name": "Guru Mitra 1", "min_score": "72", "mentees": str(SEED_PARTNERS_EACH)},
            {"name": "Guru Mitra 2", "max_score": "45"},
        ],
        source="demo",
    )
    services.cohort_select(actor=office, cohort=seed, source="demo")
    _seed_quota(office, seed)
    services.cohort_match(actor=office, cohort=seed, source="demo")
    if seed.pairs.exists():
        services.visits_plan(
            actor=office,
            cohort=seed,
            return_start=today + datetime.timedelta(days=21),
            source="demo",
        )
        _hold_ojl(office, seed)
        _logins(seed)
    cascade = services.cohort_create(
        actor=office,
        data={
            "name": f"Guru Inti, Mitra dan Imbas Matematika DIY {today.year}",
            "year": str(today.year),
            "province": "34",
            "event": "ukg-2015",
            "subjects": ["matematika"],
            "levels": ["smp"],
            "host_regions": "34",
            "partner_regions": "34",
            "ojl_start": today + datetime.timedelta(days=30),
        },
        tiers=[
            {"name": "Guru Inti", "min_score": "80", "mentees": "3"},
            {"name": "Guru Mitra", "min_score": "74", "max_score": "79.99", "mentees": "10"},
            {"name": "Guru Imbas", "max_score": "50"},
        ],
        source="demo",
    )
    services.cohort_select(actor=office, cohort=cascade, source="demo")
    services.cohort_match(actor=office, cohort=cascade, source="demo")
    return Cohort.objects.count()
