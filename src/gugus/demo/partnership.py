"""Demo partnership cohorts, made through the real services: seed 003's two-tier form
(Guru Mitra 1 of Kota Yogyakarta's SMPs hosting Guru Mitra 2 from Gorontalo and Bangka
Belitung, one to two) and the three-tier cascade (Guru Inti 1 : 3 Guru Mitra, each Mitra
1 : 10 Guru Imbas) of the later programme."""

from __future__ import annotations

import datetime

from django.db import transaction

from gugus.accounts.models import User
from gugus.competency.models import UkgEvent
from gugus.core import clock
from gugus.partnership import services
from gugus.partnership.models import Cohort

SUBJECTS = ["bahasa-indonesia", "bahasa-inggris", "matematika", "ipa"]


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
            "ojl_start": today + datetime.timedelta(days=30),
            "ojl_days": "7",
        },
        tiers=[
            {"name": "Guru Mitra 1", "min_score": "72", "mentees": "2"},
            {"name": "Guru Mitra 2", "max_score": "35"},
        ],
        source="demo",
    )
    services.cohort_select(actor=office, cohort=seed, source="demo")
    services.cohort_match(actor=office, cohort=seed, source="demo")
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
