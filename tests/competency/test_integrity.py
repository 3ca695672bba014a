"""UKG results keep their teacher and event without database foreign keys (decision
0013): a deletion that collected nothing, then found results an import committed in the
meantime, removes them (a teacher) or refuses (an event). No result is ever left behind
pointing at nobody."""

import threading
import time

import pytest
from django.db import connection, transaction
from django.db.models import ProtectedError
from django.db.models.deletion import Collector

from gugus.competency.imports import UkgImporter
from gugus.competency.models import Result, UkgEvent, UkgImport
from gugus.directory.models import Person
from tests.competency.test_import import csv_file
from tests.factories import PersonFactory, SchoolFactory

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


def wait_until(condition, seconds=30):
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "the other connection never got there"
        time.sleep(0.02)


def waits_for_a_lock() -> bool:
    """Some other connection of this database waits for a lock (PostgreSQL)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COUNT(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0] > 0


def test_a_teacher_deleted_while_an_import_writes_for_them_takes_the_new_result_along(
    regions, monkeypatch
):
    """Two connections, as two offices would use them: an import has written, not yet
    committed, a result for a teacher whom another office then deletes. The deletion
    waits for the import to commit and removes that result too."""
    event = UkgEvent.objects.create(code="ukg-2024", name="UKG 2024", year=2024)
    school = SchoolFactory()
    gone, stays = PersonFactory(school=school), PersonFactory(school=school)
    written, go, deleting = threading.Event(), threading.Event(), threading.Event()
    outcome = {}
    write = UkgImporter._write

    def write_then_wait(importer):
        counts = write(importer)
        written.set()
        go.wait(30)
        return counts

    monkeypatch.setattr(UkgImporter, "_write", write_then_wait)

    def import_both():
        try:
            job = UkgImport.objects.create(event=event, filename="ukg.csv", sha256="x")
            rows = [[t.nuptk, "65", "60", "70", "", ""] for t in (gone, stays)]
            outcome["created"] = UkgImporter(job).run(csv_file(rows), "ukg.csv").created
        finally:
            connection.close()

    def delete_one():
        try:
            written.wait(30)
            deleting.set()
            Person.objects.get(pk=gone.pk).delete()
            outcome["deleted"] = True
        finally:
            connection.close()

    threads = [threading.Thread(target=import_both), threading.Thread(target=delete_one)]
    for thread in threads:
        thread.start()
    # The import commits once the deletion waits for it. On PostgreSQL that wait is a
    # lock; SQLite's deletion cannot begin before the import's transaction ends.
    wait_until(
        lambda: (
            outcome.get("deleted")
            or (deleting.is_set() and (connection.vendor != "postgresql" or waits_for_a_lock()))
        )
    )
    go.set()
    for thread in threads:
        thread.join(60)
    assert outcome == {"created": 2, "deleted": True}
    assert not Result.objects.filter(person_id=gone.pk).exists()
    assert Result.objects.filter(person_id=stays.pk).count() == 1
