"""Loading the official region codes shipped in data/wilayah (MIT, see its LICENSE)."""

import csv
from decimal import Decimal
from pathlib import Path

WILAYAH_DIR = Path(__file__).resolve().parent / "data" / "wilayah"


def _rows(name: str):
    with open(WILAYAH_DIR / name, newline="", encoding="utf-8") as f:
        yield from csv.DictReader(f)


def load_regions(province_model, regency_model, district_model) -> int:
    """Insert or refresh provinces, kab/kota and kecamatan; returns rows written.

    Takes the models as arguments so a data migration can pass its historical models.
    """
    provinces = [
        province_model(
            code=r["code"],
            name=r["name"],
            population=int(r["population"] or 0),
            area_km2=Decimal(r["area_km2"] or "0"),
        )
        for r in _rows("provinces.csv")
    ]
    regencies = [
        regency_model(
            code=r["code"],
            province_id=r["province_code"],
            name=r["name"],
            kind=r["type"],
            population=int(r["population"] or 0),
            area_km2=Decimal(r["area_km2"] or "0"),
        )
        for r in _rows("regencies.csv")
    ]
    districts = [
        district_model(code=r["code"], regency_id=r["regency_code"], name=r["name"])
        for r in _rows("districts.csv")
    ]
    for model, objs, fields in (
        (province_model, provinces, ["name", "population", "area_km2"]),
        (regency_model, regencies, ["province", "name", "kind", "population", "area_km2"]),
        (district_model, districts, ["regency", "name"]),
    ):
        model.objects.bulk_create(
            objs,
            batch_size=2000,
            update_conflicts=True,
            unique_fields=["code"],
            update_fields=fields,
        )
    return len(provinces) + len(regencies) + len(districts)


# The subject catalogue: (code, name, ministry or "" for both).
SUBJECTS = [
    ("guru-kelas", "Guru Kelas", ""),
    ("pendidikan-agama-islam", "Pendidikan Agama Islam dan Budi Pekerti", "kemendikbud"),
    ("pendidikan-agama-kristen", "Pendidikan Agama Kristen dan Budi Pekerti", "kemendikbud"),
    ("pendidikan-agama-katolik", "Pendidikan Agama Katolik dan Budi Pekerti", "kemendikbud"),
    ("pendidikan-agama-hindu", "Pendidikan Agama Hindu dan Budi Pekerti", "kemendikbud"),
    ("pendidikan-agama-buddha", "Pendidikan Agama Buddha dan Budi Pekerti", "kemendikbud"),
    ("pendidikan-pancasila", "Pendidikan Pancasila", ""),
    ("bahasa-indonesia", "Bahasa Indonesia", ""),
    ("matematika", "Matematika", ""),
    ("ipa", "Ilmu Pengetahuan Alam (IPA)", ""),
    ("ips", "Ilmu Pengetahuan Sosial (IPS)", ""),
    ("bahasa-inggris", "Bahasa Inggris", ""),
    ("pjok", "Pendidikan Jasmani, Olahraga, dan Kesehatan", ""),
    ("seni-budaya", "Seni dan Budaya", ""),
    ("prakarya", "Prakarya", ""),
    ("informatika", "Informatika", ""),
    ("bahasa-daerah", "Bahasa Daerah", ""),
    ("fisika", "Fisika", ""),
    ("kimia", "Kimia", ""),
    ("biologi", "Biologi", ""),
    ("ekonomi", "Ekonomi", ""),
    ("sejarah", "Sejarah", ""),
    ("geografi", "Geografi", ""),
    ("sosiologi", "Sosiologi", ""),
    ("antropologi", "Antropologi", ""),
    ("bahasa-jepang", "Bahasa Jepang", ""),
    ("bahasa-jerman", "Bahasa Jerman", ""),
    ("bahasa-mandarin", "Bahasa Mandarin", ""),
    ("bimbingan-konseling", "Bimbingan dan Konseling", ""),
    ("al-quran-hadis", "Al-Qur'an Hadis", "kemenag"),
    ("akidah-akhlak", "Akidah Akhlak", "kemenag"),
    ("fikih", "Fikih", "kemenag"),
    ("ski", "Sejarah Kebudayaan Islam", "kemenag"),
    ("bahasa-arab", "Bahasa Arab", "kemenag"),
    ("dasar-program-keahlian", "Dasar-dasar Program Keahlian (SMK)", "kemendikbud"),
    ("konsentrasi-keahlian", "Konsentrasi Keahlian (SMK)", "kemendikbud"),
    ("projek-kreatif-kewirausahaan", "Projek Kreatif dan Kewirausahaan", "kemendikbud"),
    ("pendidikan-khusus", "Pendidikan Khusus (SLB)", "kemendikbud"),
]


def load_subjects(subject_model) -> int:
    subject_model.objects.bulk_create(
        [subject_model(code=c, name=n, ministry=m) for c, n, m in SUBJECTS],
        update_conflicts=True,
        unique_fields=["code"],
        update_fields=["name", "ministry"],
    )
    return len(SUBJECTS)
