"""UKG results keep their teacher and event without database foreign keys (decision
0013): a deletion that collected nothing, then found results an import committed in the
meantime, removes them (a teacher) or refuses (an event). No result is ever left behind
pointing at nobody."""

import pytest
from django.db import transaction
from django.db.models import ProtectedError
from django.db.models.deletion import Collector

from gugus.competency.models import Result, UkgEvent
from tests.factories import PersonFactory

pytestmark = pytest.mark.usefixtures("indonesian")


@pytest.fixture
def event(db):
    return UkgEvent.objects.create(code="ukg-2024", name="UKG 2024", year=2024)


def result_for(person, event):
    return Result.objects.create(
        person=person,
        event=event,
        total=70,
        pedagogik=65,
        profesional=72,
        province_id=person.province_id,
        regency_id=person.regency_id,
        school_id=person.school_id,
    )


def test_deleting_a_teacher_deletes_their_results(event):
    teacher = PersonFactory()
    result_for(teacher, event)
    teacher.delete()
    assert not Result.objects.exists()


def test_results_written_while_a_teacher_is_being_deleted_go_with_them(event):
    teacher = PersonFactory()
    deletion = Collector(using="default")
    deletion.collect([teacher])  # nothing of the teacher's to remove yet ...
    result_for(teacher, event)  # ... when an import commits a result for them
    deletion.delete()
    assert not Result.objects.exists()


def test_an_event_with_results_cannot_be_deleted_even_if_they_came_late(event):
    deletion = Collector(using="default")
    deletion.collect([event])
    result_for(PersonFactory(), event)
    with pytest.raises(ProtectedError, match="UKG ini sudah memiliki hasil"), transaction.atomic():
        deletion.delete()
    assert UkgEvent.objects.filter(pk=event.pk).exists()
