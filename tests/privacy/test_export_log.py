"""Every bulk export of personal data is logged where the office of the reader's region
sees it: the people, attendance, training participants, partnership cohort and e-Kinerja
exports."""

import datetime

import pytest

from gugus.competency.models import UkgEvent
from gugus.core.roles import Role
from gugus.directory.models import PersonAccessLog
from gugus.partnership.documents import cohort_document
from gugus.partnership.models import Cohort
from gugus.performance.documents import ekinerja_document
from gugus.performance.services import period_for
from gugus.training.documents import participants_document
from tests.factories import user_with_role


@pytest.fixture
def province(db):
    return user_with_role(Role.ADMIN_PROVINSI, province_id="34")


def test_the_training_participants_workbook_is_logged(bbgp, event):
    participants_document(bbgp, event)

    log = PersonAccessLog.objects.get()
    assert (log.user, log.what, log.filters, log.province_id) == (
        bbgp,
        "participants_xlsx",
        {"event": event.pk},
        "34",
    )


def test_the_cohort_workbook_is_logged(province):
    event = UkgEvent.objects.create(code="ukg-2015", name="UKG 2015", year=2015)
    cohort = Cohort.objects.create(
        name="Kemitraan IPA",
        year=2026,
        ministry="kemendikbud",
        province_id="34",
        event=event,
        levels=["sd"],
    )

    cohort_document(province, cohort)

    assert PersonAccessLog.objects.get().what == "cohort_xlsx"


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_the_ekinerja_export_is_logged(province, fmt):
    ekinerja_document(province, period_for(datetime.date(2026, 2, 10)), fmt)

    assert PersonAccessLog.objects.get().what == f"ekinerja_{fmt}"
