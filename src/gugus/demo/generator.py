"""Deterministic demo and scale data: real regions, schools and people in proportion to
each kab/kota's population, names from Faker's id_ID lists, both ministries' schools.

The generator streams one kab/kota at a time, so memory stays flat from `demo` to
`nasional` (about 3.3 million teachers and 440 thousand schools). Identifiers are built
from bijective permutations of a running index, so they are unique without remembering
the ones already given out.
"""

from __future__ import annotations

import datetime
import random
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from faker import Faker

from gugus.core import clock
from gugus.core.bulk import RowWriter
from gugus.directory.models import (
    District,
    Jenjang,
    Person,
    Position,
    Province,
    Regency,
    School,
    ministry_of,
)
from gugus.directory.services import search_key

NATIONAL_TEACHERS = 3_300_000
NATIONAL_SCHOOLS = 440_000


@dataclass(frozen=True)
class Scale:
    name: str
    provinces: tuple[str, ...] = ()
    regencies: tuple[str, ...] = ()
    fraction: float = 1.0


SCALES = {
    # DI Yogyakarta, Gorontalo and Bangka Belitung at half of real density.
    "demo": Scale("demo", provinces=("34", "75", "19"), fraction=0.5),
    "kabupaten": Scale("kabupaten", regencies=("33.75",)),  # Kota Pekalongan
    "provinsi": Scale("provinsi", provinces=("33",)),  # Jawa Tengah
    "nasional": Scale("nasional"),
}

# Share of schools by level and typical number of staff (DOMAIN.md §1; Dapodik/EMIS orders).
JENJANG_MIX = {
    Jenjang.PAUD_TK: (0.21, 3),
    Jenjang.SD: (0.35, 8),
    Jenjang.SMP: (0.095, 16),
    Jenjang.SMA: (0.033, 20),
    Jenjang.SMK: (0.033, 22),
    Jenjang.SLB: (0.005, 8),
    Jenjang.RA: (0.07, 3),
    Jenjang.MI: (0.06, 7),
    Jenjang.MTS: (0.042, 11),
    Jenjang.MA: (0.02, 12),
    Jenjang.MAK: (0.002, 12),
}
SCHOOL_PREFIX = {
    Jenjang.PAUD_TK: "TK",
    Jenjang.SD: "SD",
    Jenjang.SMP: "SMP",
    Jenjang.SMA: "SMA",
    Jenjang.SMK: "SMK",
    Jenjang.SLB: "SLB",
    Jenjang.RA: "RA",
    Jenjang.MI: "MI",
    Jenjang.MTS: "MTs",
    Jenjang.MA: "MA",
    Jenjang.MAK: "MAK",
}
PRIVATE_NAMES = [
    "Muhammadiyah",
    "Al-Hidayah",
    "Nurul Huda",
    "Kristen Kalam Kudus",
    "Katolik Santo Yusuf",
    "Taman Siswa",
    "PGRI",
    "Al-Ikhlas",
    "Darul Ulum",
    "Islam Terpadu Insan Mulia",
    "Bina Bangsa",
    "Tunas Harapan",
    "Ma'arif NU",
]
SECONDARY_SUBJECTS = [
    "bahasa-indonesia",
    "matematika",
    "ipa",
    "ips",
    "bahasa-inggris",
    "pjok",
    "seni-budaya",
    "pendidikan-pancasila",
    "informatika",
    "prakarya",
]
UPPER_SUBJECTS = [
    "bahasa-indonesia",
    "matematika",
    "fisika",
    "kimia",
    "biologi",
    "ekonomi",
    "sejarah",
    "geografi",
    "sosiologi",
    "bahasa-inggris",
    "pjok",
    "pendidikan-pancasila",
    "informatika",
]
MADRASAH_SUBJECTS = ["al-quran-hadis", "akidah-akhlak", "fikih", "ski", "bahasa-arab"]
SMK_SUBJECTS = [
    "dasar-program-keahlian",
    "konsentrasi-keahlian",
    "bahasa-indonesia",
    "matematika",
    "bahasa-inggris",
    "projek-kreatif-kewirausahaan",
]
DEGREES = [", S.Pd.", ", S.Pd.", ", S.Pd.I.", ", M.Pd.", ", S.Si.", ", S.Ag.", ""]

SCHOOL_COLUMNS = [
    "id",
    "npsn",
    "name",
    "jenjang",
    "ministry",
    "status",
    "district",
    "regency",
    "province",
    "address",
    "updated_at",
]
PERSON_COLUMNS = [
    "id",
    "name",
    "name_search",
    "nuptk",
    "nip",
    "gender",
    "birth_date",
    "position",
    "ministry",
    "is_instruktur_nasional",
    "is_narasumber",
    "school",
    "regency",
    "province",
    "updated_at",
]
NIP_SPAN = 10950 * 1000  # 30 years of birth dates x 1000 serials
NIP_STEP = 7_368_787  # coprime with NIP_SPAN: i -> i*STEP mod SPAN is a permutation
NUPTK_STEP = 982_451_653  # coprime with 10**16
NIP_BIRTH_START = datetime.date(1964, 1, 1)


def _people_rate() -> tuple[float, float]:
    population = sum(Province.objects.values_list("population", flat=True))
    return NATIONAL_TEACHERS / population, NATIONAL_SCHOOLS / population


class Generator:
    def __init__(self, scale: Scale, seed: int = 1, log: Callable[[str], None] = print):
        self.scale = scale
        self.seed = seed
        self.rng = random.Random(seed)
        self.log = log
        provider = Faker("id_ID").provider("faker.providers.person")
        self.first = {"L": list(provider.first_names_male), "P": list(provider.first_names_female)}
        self.last = {"L": list(provider.last_names_male), "P": list(provider.last_names_female)}
        self.school_index = 0
        self.counts = {"schools": 0, "people": 0, "subject_links": 0}

    def regencies(self):
        qs = Regency.objects.order_by("code")
        if self.scale.provinces:
            qs = qs.filter(province_id__in=self.scale.provinces)
        if self.scale.regencies:
            qs = qs.filter(code__in=self.scale.regencies)
        return list(qs)

    def run(self) -> dict:
        started = time.monotonic()
        teacher_rate, school_rate = _people_rate()
        total_share = sum(share for share, _staff in JENJANG_MIX.values())
        mean_staff = sum(share * staff for share, staff in JENJANG_MIX.values()) / total_share
        staff_factor = (teacher_rate / school_rate) / mean_staff
        self.writer = RowWriter()
        self.now = clock.now()
        for regency in self.regencies():
            n_schools = max(3, round(regency.population * school_rate * self.scale.fraction))
            with transaction.atomic():
                self._regency(regency, n_schools, staff_factor)
        self.writer.finish()
        self.counts["rows"] = (
            self.counts["schools"] + self.counts["people"] + self.counts["subject_links"]
        )
        self.counts["seconds"] = round(time.monotonic() - started, 1)
        return self.counts

    # -- names and identifiers -------------------------------------------------------
    def name(self, gender: str, degree: bool) -> str:
        parts = [self.rng.choice(self.first[gender])]
        if self.rng.random() < 0.6:
            parts.append(self.rng.choice(self.last[gender]))
        name = " ".join(parts)
        return name + (self.rng.choice(DEGREES) if degree else "")

    def nuptk(self, index: int) -> str:
        return f"{(index * NUPTK_STEP + self.seed) % 10**16:016d}"

    def nip(self, index: int, gender: str) -> tuple[str, datetime.date]:
        j = (index * NIP_STEP + self.seed) % NIP_SPAN
        birth = NIP_BIRTH_START + datetime.timedelta(days=j // 1000)
        appointed = birth.year + 23 + (j % 7)
        return (
            f"{birth:%Y%m%d}{appointed}{1 + j % 12:02d}{'1' if gender == 'L' else '2'}"
            f"{j % 1000:03d}",
            birth,
        )

    def npsn(self) -> str:
        self.school_index += 1
        return f"{20_000_000 + (self.school_index * 7_919 + self.seed) % 60_000_000:08d}"

    # -- one kab/kota -----------------------------------------------------------------
    def _regency(self, regency: Regency, n_schools: int, staff_factor: float) -> None:
        districts = list(District.objects.filter(regency=regency).order_by("code"))
        jenjangs = list(JENJANG_MIX)
        weights = [JENJANG_MIX[j][0] for j in jenjangs]
        schools = []
        numbering: dict[tuple, int] = {}
        for school_id in self.writer.take_ids(School, n_schools):
            jenjang = self.rng.choices(jenjangs, weights)[0]
            district = self.rng.choice(districts)
            negeri = self.rng.random() < (0.55 if ministry_of(jenjang) == "kemendikbud" else 0.1)
            prefix = SCHOOL_PREFIX[jenjang]
            if negeri:
                key = (jenjang, district.code)
                numbering[key] = numbering.get(key, 0) + 1
                name = f"{prefix} Negeri {numbering[key]} {district.name}"
            else:
                name = f"{prefix} {self.rng.choice(PRIVATE_NAMES)} {district.name}"
            address = f"Jl. {self.rng.choice(self.last['L'])} No. {self.rng.randint(1, 200)}"
            schools.append(
                (
                    school_id,
                    self.npsn(),
                    name,
                    jenjang,
                    ministry_of(jenjang),
                    "negeri" if negeri else "swasta",
                    district.code,
                    regency.code,
                    regency.province_id,
                    address,
                    self.now,
                )
            )
        self.writer.insert(School, SCHOOL_COLUMNS, schools)
        self.counts["schools"] += len(schools)

        people, links = [], []
        for school_id, _npsn, _name, jenjang, ministry, status, *_rest in schools:
            staff = max(
                1, round(JENJANG_MIX[jenjang][1] * staff_factor * self.rng.uniform(0.6, 1.4))
            )
            for k in range(staff):
                position = Position.KEPALA if k == 0 else Position.GURU
                if k == 1 and jenjang in (
                    Jenjang.SMP,
                    Jenjang.SMA,
                    Jenjang.SMK,
                    Jenjang.MTS,
                    Jenjang.MA,
                ):
                    position = Position.GURU_BK
                person = self._person(regency, school_id, status, position, ministry)
                people.append(person)
                subject = self._subject(jenjang, position)
                if subject:
                    links.append((person[0], subject))
        for _i in range(max(1, n_schools // 40)):
            # About a third of supervisors are Kemenag's (madrasah), like the schools.
            ministry = "kemenag" if self.rng.random() < 0.3 else "kemendikbud"
            people.append(self._person(regency, None, "negeri", Position.PENGAWAS, ministry))
        self.writer.insert(Person, PERSON_COLUMNS, people)
        self.writer.insert(Person.subjects.through, ["person", "subject"], links)
        self.counts["people"] += len(people)
        self.counts["subject_links"] += len(links)

    def _person(self, regency, school_id, school_status, position, ministry) -> tuple:
        i = self.writer.take_ids(Person, 1)[0]
        gender = "P" if self.rng.random() < (0.7 if position == Position.GURU else 0.45) else "L"
        name = self.name(gender, degree=True)
        civil_servant = self.rng.random() < (0.45 if school_status == "negeri" else 0.08)
        if civil_servant or position == Position.PENGAWAS:
            nip, birth = self.nip(i, gender)
        else:
            nip = None
            birth = datetime.date(1965, 1, 1) + datetime.timedelta(days=self.rng.randint(0, 12000))
        return (
            i,
            name,
            search_key(name),
            self.nuptk(i) if self.rng.random() < 0.8 else None,
            nip,
            gender,
            birth.isoformat(),
            position,
            ministry,
            position == Position.GURU and self.rng.random() < 0.004,
            self.rng.random() < 0.01,
            school_id,
            regency.code,
            regency.province_id,
            self.now,
        )

    def _subject(self, j: str, position: str) -> str | None:
        if position == Position.GURU_BK:
            return "bimbingan-konseling"
        if position != Position.GURU:
            return None
        if j in (Jenjang.PAUD_TK, Jenjang.RA, Jenjang.SD, Jenjang.MI):
            if j in (Jenjang.SD, Jenjang.MI) and self.rng.random() < 0.25:
                return self.rng.choice(
                    ["pjok", "pendidikan-agama-islam"] if j == Jenjang.SD else MADRASAH_SUBJECTS
                )
            return "guru-kelas"
        if j == Jenjang.SLB:
            return "pendidikan-khusus"
        if j == Jenjang.SMK or j == Jenjang.MAK:
            return self.rng.choice(SMK_SUBJECTS)
        pool = SECONDARY_SUBJECTS if j in (Jenjang.SMP, Jenjang.MTS) else UPPER_SUBJECTS
        if ministry_of(j) == "kemenag":
            pool = pool + MADRASAH_SUBJECTS
        return self.rng.choice(pool)
