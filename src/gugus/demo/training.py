"""Demo training, made through the real services and replayed on the days it happened.

- Seed 004: BBGP Jawa Timur's phase II training on performance management, 19 to 22 March
  2024, for 3 heads per level group (PAUD/SLB, SD, SMA) from each of the province's 38
  kab/kota: 342 participants in three venues, widyaiswara in tandem with practitioners,
  nominations (two late, one replacement), four days of check-in, pre- and post-tests,
  the participants' evaluation, certificates, the mentoring that followed in May and the
  cascading to nearby schools.
- Seed 002: the study visit of 44 (40 teachers of MGMP Informatika SMP Kabupaten Blitar,
  three heads and their pengawas) to BBGP Jatim on 7 March 2024, with its two resource
  persons and the material to download.

The demo directory covers DI Yogyakarta, Gorontalo and Bangka Belitung; the schools and
people these events need in Jawa Timur are added here. Logins: `admin.bbgp.jatim` (the
organiser), `admin.surabaya` (Dinas Kota Surabaya, nominating) and `kepala.peserta` (a
participant from Surabaya).
"""

from __future__ import annotations

import datetime
import random

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from faker import Faker

from gugus.accounts.models import RoleAssignment, User
from gugus.accounts.services import scope_level_for
from gugus.core import clock
from gugus.core.documents import render_pdf
from gugus.core.roles import OfficeKind, Role
from gugus.demo.accounts import DEMO_PASSWORD, person_account
from gugus.directory.models import District, Person, Province, Regency, School
from gugus.directory.offices import standard_office
from gugus.directory.services import search_key
from gugus.training import certificates, selectors, services
from gugus.training.models import Event, Participant

JATIM, SURABAYA, BLITAR, MALANG = "35", "35.78", "35.05", "35.73"
# Per kab/kota: the schools whose heads are invited, by level group, and the schools
# around them that the participants cascade to.
# username, what it shows
TRAINING_LOGINS = (
    ("admin.bbgp.jatim", "BBGP Jawa Timur — penyelenggara pelatihan tahap II"),
    ("admin.surabaya", "Dinas Pendidikan Kota Surabaya — mengusulkan peserta"),
    ("kepala.peserta", "Kepala sekolah — peserta pelatihan tahap II"),
)
HEADS = {"paud_slb": ("paud_tk", "paud_tk", "slb"), "sd": ("sd",) * 3, "sma": ("sma",) * 3}
NEIGHBOURS = {"paud_tk": 4, "sd": 6, "sma": 3}
PHASE_II = {
    "kind": "pelatihan",
    "title": "Pelatihan dan Pendampingan Pengelolaan Kinerja Guru dan Kepala Sekolah Tahap II",
    "topic": "Pengelolaan kinerja guru dan kepala sekolah di PMM",
    "phase": "2",
    "province": JATIM,
    "starts_on": "2024-03-19",
    "ends_on": "2024-03-22",
    "nominations_close": "2024-03-08",
    "mode": "luring",
    "capacity": "342",
    "jp": "32",
    "positions": ["kepala"],
    "level_groups": ["paud_slb", "sd", "sma"],
    "min_attendance": "75",
    "pass_score": "70",
    "certificate_prefix": "BBGP-JATIM",
}
VENUES = [
    {"name": "Hotel Santika Gubeng", "address": "Jl. Raya Gubeng 54, Surabaya", "capacity": 120},
    {"name": "Surabaya Suites Hotel", "address": "Jl. Pemuda 33-37, Surabaya", "capacity": 120},
    {"name": "Aula BBGP Jawa Timur", "address": "Jl. Ketintang Wiyata, Surabaya", "capacity": 102},
]
STUDY_VISIT = {
    "kind": "kunjungan",
    "title": "Kunjungan Studi MGMP Informatika SMP Kabupaten Blitar",
    "topic": "Pendalaman pengelolaan kinerja melalui PMM",
    "regency": BLITAR,
    "starts_on": "2024-03-07",
    "ends_on": "2024-03-07",
    "mode": "luring",
    "capacity": "44",
    "jp": "6",
    "positions": ["guru", "kepala", "pengawas"],
    "min_attendance": "100",
    "certificate_prefix": "BBGP-JATIM-KS",
}


class _People:
    """Schools and people of Jawa Timur the demo events need, bulk-created."""

    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self.fake = Faker("id_ID")
        self.fake.seed_instance(seed)
        self.npsn = 90_000_000
        self.nuptk = 9_900_000_000_000_000

    def schools(self, regency: Regency, jenjangs: list[str]) -> list[School]:
        districts = list(District.objects.filter(regency=regency).order_by("code"))
        made = []
        for n, jenjang in enumerate(jenjangs, start=1):
            self.npsn += 1
            district = districts[n % len(districts)]
            made.append(
                School(
                    npsn=str(self.npsn),
                    name=f"{jenjang.upper().replace('_TK', '')} Negeri {n} {district.name}",
                    jenjang=jenjang,
                    ministry="kemendikbud",
                    status="negeri",
                    district=district,
                    regency=regency,
                    province_id=regency.province_id,
                )
            )
        return School.objects.bulk_create(made)

    def people(self, schools: list[School], position: str, regency=None) -> list[Person]:
        made = []
        for school in schools:
            self.nuptk += 1
            gender = self.rng.choice("LP")
            name = self.fake.name_male() if gender == "L" else self.fake.name_female()
            place = school.regency if school else regency
            made.append(
                Person(
                    name=name,
                    name_search=search_key(name),
                    nuptk=str(self.nuptk),
                    gender=gender,
                    position=position,
                    ministry="kemendikbud",
                    school=school,
                    regency=place,
                    province_id=place.province_id,
                )
            )
        return Person.objects.bulk_create(made)


def _login(username: str, role: str, person=None, office=None, **scope) -> User:
    # A participant who acted in the replay already has a passwordless account: it becomes
    # their login.
    user = (User.objects.filter(person=person).first() if person else None) or User()
    user.username, user.person, user.is_active = username, person, True
    user.is_staff = role.startswith("admin")
    user.email = f"{username}@gugus.test"
    user.set_password(DEMO_PASSWORD)
    user.save()
    level = scope_level_for(**{k: scope.get(k) for k in ("province", "regency", "school", "group")})
    RoleAssignment.objects.create(user=user, role=role, scope_level=level, office=office, **scope)
    return user


def _day(text: str, days: int = 0) -> datetime.date:
    return datetime.date.fromisoformat(text) + datetime.timedelta(days=days)


@transaction.atomic
def create_demo_training(seed: int = 4) -> int:
    """Seed 004's phase II and seed 002's study visit; returns the participants made."""
    if Event.objects.exists():
        return 0
    rng = random.Random(seed)
    make = _People(seed)
    jatim = Province.objects.get(code=JATIM)
    regencies = list(Regency.objects.filter(province=jatim).order_by("code"))
    heads_by_place: dict[str, list[Person]] = {}
    spare: dict[str, Person] = {}
    for regency in regencies:
        jenjangs = [j for group in HEADS.values() for j in group]
        jenjangs += [j for j, n in NEIGHBOURS.items() for _i in range(n)]
        schools = make.schools(regency, [*jenjangs, "sd"])
        heads = make.people(schools, "kepala")
        heads_by_place[regency.code] = heads[:9]
        spare[regency.code] = heads[-1]
    bbgp = standard_office(OfficeKind.BBGP, province=jatim)
    organiser = _login("admin.bbgp.jatim", Role.ADMIN_PROVINSI, office=bbgp, province=jatim)
    surabaya = Regency.objects.get(code=SURABAYA)
    dinas = standard_office(OfficeKind.DINAS_KABKOTA, province=jatim, regency=surabaya)
    nominator = _login("admin.surabaya", Role.ADMIN_KABKOTA, office=dinas, regency=surabaya)
    widyaiswara = make.people([None] * 3, "widyaiswara", regency=surabaya)
    malang_sd = make.schools(Regency.objects.get(code=MALANG), ["sd", "sd", "sma"])
    practitioners = make.people(malang_sd, "kepala")
    for person, name in zip(
        (widyaiswara[0], practitioners[0]), ("Istiqomah", "Lutvi Awan Amin"), strict=True
    ):
        person.name, person.name_search = name, search_key(name)
        person.position = "widyaiswara" if person is widyaiswara[0] else "guru"
        person.save(update_fields=["name", "name_search", "position"])

    with clock.as_of(_day("2024-02-26")):
        event = services.event_create(actor=organiser, data=PHASE_II, venues=VENUES, source="demo")
        services.quotas_set(
            actor=organiser, event=event, seats={"paud_slb": 3, "sd": 3, "sma": 3}, source="demo"
        )
        venues = list(event.venues.all())
        for n, venue in enumerate(venues):
            services.facilitator_add(
                actor=organiser,
                event=event,
                person=widyaiswara[n],
                kind="widyaiswara",
                venue=venue,
                source="demo",
            )
            services.facilitator_add(
                actor=organiser,
                event=event,
                person=practitioners[n],
                kind="praktisi",
                venue=venue,
                source="demo",
            )
        event = services.event_step(actor=organiser, event=event, step="open", source="demo")
    late = {regencies[7].code, regencies[21].code}
    for n, regency in enumerate(regencies):
        actor = nominator if regency.code == SURABAYA else organiser
        when = _day("2024-03-11") if regency.code in late else _day("2024-02-28", n % 9)
        with clock.as_of(when):
            for person in heads_by_place[regency.code]:
                services.nominate(actor=actor, event=event, person=person, source="demo")
    ill = Participant.objects.get(event=event, person=heads_by_place[regencies[3].code][4])
    with clock.as_of(_day("2024-03-14")):
        services.participant_replace(
            actor=organiser,
            participant=ill,
            person=spare[regencies[3].code],
            reason="Kepala sekolah sakit; diganti kepala SD lain dari kab/kota yang sama.",
            source="demo",
        )
        services.venues_assign(actor=organiser, event=event, source="demo")
        event = services.event_step(actor=organiser, event=event, step="start", source="demo")
    participants = list(selectors.current(event).select_related("person"))
    sessions = list(event.sessions.all())
    for day, session in enumerate(sessions):
        with clock.as_of(session.date):
            for n, p in enumerate(participants):
                absent = (n % 29 == 0 and day == 2) or (n % 53 == 0 and day >= 2)
                if not absent:
                    services.check_in(
                        actor=organiser,
                        session=session,
                        token=p.checkin_token if n % 7 else "",
                        participant=None if n % 7 else p,
                        source="demo",
                    )
    with clock.as_of(_day("2024-03-22")):
        for n, p in enumerate(participants):
            pre = rng.randint(45, 70)
            post = max(pre + 5, rng.randint(72, 96)) if n % 41 else rng.randint(55, 68)
            services.scores_record(
                actor=organiser,
                participant=p,
                data={"pre_score": str(pre), "post_score": str(post)},
                source="demo",
            )
            if n % 3:
                marks = {a: str(rng.choice((4, 4, 5, 5, 3))) for a in _ASPECTS}
                services.evaluation_submit(
                    actor=person_account(p.person), participant=p, data=marks, source="demo"
                )
        event = services.event_step(actor=organiser, event=event, step="close", source="demo")
        issued = 0
        for p, result in selectors.completions(event).items():
            if result.completed:
                certificates.issue(
                    actor=organiser, participant=Participant.objects.get(pk=p), source="demo"
                )
                issued += 1
    _follow_up(organiser, event, participants, widyaiswara, rng)
    _participant_login(event)
    _study_visit(organiser, make, widyaiswara[0], practitioners[0])
    return len(participants) + 44


_ASPECTS = ("content", "facilitators", "organisation", "usefulness")


def _follow_up(organiser, event, participants, widyaiswara, rng) -> None:
    """May's mentoring, and cascading to the schools nearby."""
    with clock.as_of(_day("2024-04-20")):
        services.event_create(
            actor=organiser,
            data={
                **PHASE_II,
                "kind": "pendampingan",
                "title": "Pendampingan Pengelolaan Kinerja Tahap II",
                "starts_on": "2024-05-13",
                "ends_on": "2024-05-31",
                "nominations_close": "",
                "capacity": "342",
                "jp": "8",
                "certificate_prefix": "BBGP-JATIM-P",
                "follows": str(event.pk),
            },
            source="demo",
        )
    for n, p in enumerate(participants[:90]):
        assigned = services.mentor_assign(
            actor=organiser, participant=p, mentor=widyaiswara[n % 3], source="demo"
        )
        with clock.as_of(_day("2024-05-13", n % 15)):
            services.mentoring_visit_record(
                actor=person_account(widyaiswara[n % 3]),
                mentoring=assigned,
                data={
                    "date": _day("2024-05-13", n % 15),
                    "minutes": str(rng.choice((90, 120, 150))),
                    "notes": "Mendampingi penyusunan RHK dan jadwal observasi kelas.",
                    "applied": "Kepala sekolah menyepakati RHK bersama seluruh guru.",
                },
                source="demo",
            )
    for n, p in enumerate(participants):
        if n % 5 == 4:
            continue
        level = p.school.jenjang if p.school_id else "sd"
        others = list(
            School.objects.filter(regency_id=p.regency_id, jenjang=level)
            .exclude(pk=p.school_id)
            .order_by("npsn")
        )
        reached = rng.sample(others, min(len(others), rng.randint(1, 3)))
        if not reached:
            continue
        with clock.as_of(_day("2024-04-15", n % 40)):
            services.cascade_record(
                actor=person_account(p.person),
                participant=p,
                data={
                    "date": _day("2024-04-15", n % 40),
                    "title": "Pengimbasan pengelolaan kinerja di PMM",
                    "schools": [s.npsn for s in reached],
                    "teachers": str(rng.randint(5, 25)),
                },
                source="demo",
            )


def _participant_login(event) -> None:
    p = (
        Participant.objects.filter(event=event, regency_id=SURABAYA, level_group="sd")
        .select_related("person", "school")
        .first()
    )
    _login("kepala.peserta", Role.KEPALA_SEKOLAH, person=p.person, school=p.school)


def _study_visit(organiser, make, speaker, practitioner) -> None:
    blitar = Regency.objects.get(code=BLITAR)
    smp = make.schools(blitar, ["smp"] * 14)
    teachers = make.people([smp[n % 14] for n in range(40)], "guru")
    heads = make.people(smp[:3], "kepala")
    supervisor = make.people([None], "pengawas", regency=blitar)[0]
    supervisor.name, supervisor.name_search = "Harjito", search_key("Harjito")
    supervisor.save(update_fields=["name", "name_search"])
    with clock.as_of(_day("2024-03-01")):
        visit = services.event_create(
            actor=organiser,
            data=STUDY_VISIT,
            venues=[
                {"name": "Ruang pertemuan lantai 2 Gedung Nusantara 1 BBGP Jatim", "capacity": 50}
            ],
            source="demo",
        )
        for person, kind in ((speaker, "widyaiswara"), (practitioner, "praktisi")):
            services.facilitator_add(
                actor=organiser, event=visit, person=person, kind=kind, source="demo"
            )
        pdf = render_pdf(
            "training/material_pdf.html",
            {"title": "Pengelolaan Kinerja Guru melalui PMM", "event": visit},
        )
        services.material_add(
            actor=organiser,
            event=visit,
            title="Pengelolaan Kinerja Guru melalui PMM",
            upload=SimpleUploadedFile("materi.pdf", pdf),
            source="demo",
        )
        visit = services.event_step(actor=organiser, event=visit, step="open", source="demo")
        people = [*teachers, *heads, supervisor]
        for person in people:
            services.nominate(actor=organiser, event=visit, person=person, source="demo")
        visit = services.event_step(actor=organiser, event=visit, step="start", source="demo")
    (session,) = visit.sessions.all()
    with clock.as_of(session.date):
        for p in selectors.current(visit):
            services.check_in(actor=organiser, session=session, participant=p, source="demo")
        visit = services.event_step(actor=organiser, event=visit, step="close", source="demo")
        for p in selectors.current(visit):
            certificates.issue(actor=organiser, participant=p, source="demo")
