"""`gugus backup` and `gugus restore`: the database and the uploaded files come back whole,
proven table by table and file by file, on the engine the suite runs on."""

import sqlite3
import tarfile
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.db import connection

from gugus.core import backups
from gugus.directory.models import Person
from gugus.insights.models import Report
from tests.factories import PersonFactory

pytestmark = pytest.mark.usefixtures("regions")


@pytest.fixture
def installation(settings, yogya_school):
    """People with names SQLite and PostgreSQL store differently, and stored files in
    nested folders, named by a record."""
    for name in ["Siti Nur'aini", 'Ahmad "Udin" Ñoman', "Dewi\nBaris"]:
        PersonFactory(name=name, school=yogya_school)
    report = Report.objects.create(scope="34.71", kind="bulanan", period="2026-10")
    report.pdf.save("laporan.pdf", ContentFile(b"%PDF-1.7 isi laporan"), save=False)
    report.xlsx.save("laporan.xlsx", ContentFile(bytes(range(256)) * 10), save=True)
    return Path(settings.MEDIA_ROOT)


def _people_in(db: backups.Database) -> list[str]:
    if db.vendor == "sqlite":
        conn = sqlite3.connect(db.name)
        rows = conn.execute("SELECT name FROM directory_person ORDER BY id").fetchall()
        conn.close()
        return [r[0] for r in rows]
    with db.pg_connect() as conn:
        return [r[0] for r in conn.execute("SELECT name FROM directory_person ORDER BY id")]


def test_a_backup_restored_into_a_fresh_database_and_directory_matches_every_table_and_file(
    installation, tmp_path
):
    archive = tmp_path / "backups" / "gugus.tar"
    manifest = backups.backup(archive)

    assert archive.exists() and not archive.with_name("gugus.tar.partial").exists()
    assert archive.stat().st_mode & 0o777 == 0o600  # personal data: its owner only
    assert manifest.vendor == connection.vendor
    assert manifest.tables["directory_person"]["rows"] == Person.objects.count() == 3
    assert len(manifest.files) == 2 and manifest.missing_files == []
    source = backups.Database.from_settings()
    with backups.scratch_target(source) as (db, media):
        check = backups.restore(archive, db=db, media_root=media)

        assert check.ok, check.problems
        assert check.tables == len(manifest.tables) > 90
        assert check.rows == sum(t["rows"] for t in manifest.tables.values())
        assert check.files == 2
        assert backups.table_sums(db) == backups.table_sums(source)
        assert _people_in(db) == _people_in(source)
        for name in manifest.files:
            assert (media / name).read_bytes() == (installation / name).read_bytes()


def test_the_check_names_a_row_and_a_file_that_differ_from_the_manifest(installation, tmp_path):
    archive = tmp_path / "gugus.tar"
    manifest = backups.backup(archive)
    with backups.scratch_target(backups.Database.from_settings()) as (db, media):
        backups.restore(archive, db=db, media_root=media)
        rename = "UPDATE directory_person SET name = 'Orang Lain' WHERE name LIKE 'Siti%'"
        if db.vendor == "sqlite":
            conn = sqlite3.connect(db.name)
            conn.execute(rename)
            conn.commit()
            conn.close()
        else:
            with db.pg_connect() as conn:
                conn.execute(rename)
        pdf = next(n for n in manifest.files if n.endswith(".pdf"))
        (media / pdf).write_bytes(b"%PDF-1.7 diubah")

        check = backups.verify(manifest, db, media)

    assert not check.ok
    assert "table directory_person: 3 rows (expected 3), contents differ" in check.problems
    assert f"file {pdf}: contents differ" in check.problems


def test_restore_refuses_a_database_that_has_tables_and_changes_nothing(installation, tmp_path):
    archive = tmp_path / "gugus.tar"
    backups.backup(archive)
    PersonFactory(name="Ditambah Sesudah Cadangan")
    before = backups.table_sums(backups.Database.from_settings())

    with pytest.raises(backups.BackupError, match=r"already has .* tables"):
        backups.restore(
            archive, db=backups.Database.from_settings(), media_root=tmp_path / "kosong"
        )

    assert backups.table_sums(backups.Database.from_settings()) == before
    assert not (tmp_path / "kosong").exists()


def test_an_archive_cut_short_is_refused_before_anything_is_written(installation, tmp_path):
    archive = tmp_path / "gugus.tar"
    backups.backup(archive)
    cut = tmp_path / "terpotong.tar"
    cut.write_bytes(archive.read_bytes()[: archive.stat().st_size * 2 // 3])

    with backups.scratch_target(backups.Database.from_settings()) as (db, media):
        with pytest.raises(backups.BackupError, match=r"damaged|cut short"):
            backups.restore(cut, db=db, media_root=media)

        assert backups.table_sums(db) == {}
        assert not media.exists()
        assert not list(media.parent.glob(".restoring-*"))


def test_a_file_a_record_names_but_the_storage_lost_is_listed(installation, tmp_path):
    lost = Report.objects.get().pdf
    Path(lost.path).unlink()

    manifest = backups.backup(tmp_path / "gugus.tar")

    assert manifest.missing_files == [lost.name]


def test_the_commands_back_up_check_and_keep_the_newest_archives(installation, tmp_path, capsys):
    folder = tmp_path / "cadangan"
    for day in ["20261101", "20261102", "20261103"]:
        call_command("backup", output=folder / f"gugus-{day}-020000.tar", keep=2)

    assert sorted(p.name for p in folder.iterdir()) == [
        "gugus-20261102-020000.tar",
        "gugus-20261103-020000.tar",
    ]
    call_command("restore", folder / "gugus-20261103-020000.tar", check=True)
    out = capsys.readouterr().out
    assert "Restore check passed" in out
    assert "2 of 2 files match the manifest" in out

    with pytest.raises(CommandError, match="not a readable Gugus backup"):
        (tmp_path / "bukan.tar").write_bytes(b"bukan arsip")
        call_command("restore", tmp_path / "bukan.tar", check=True)


def test_an_archive_of_one_engine_is_not_restored_into_the_other(installation, tmp_path):
    archive = tmp_path / "gugus.tar"
    backups.backup(archive)
    other = (
        backups.Database("sqlite", str(tmp_path / "lain.sqlite3"))
        if connection.vendor == "postgresql"
        else backups.Database("postgresql", "gugus", host="127.0.0.1", port="1")
    )

    with pytest.raises(backups.BackupError, match="cannot be restored"):
        backups.restore(archive, db=other, media_root=tmp_path / "media-lain")

    with tarfile.open(archive) as tar:
        assert {
            "manifest.json",
            f"database.{'sqlite3' if connection.vendor == 'sqlite' else 'pgdump'}",
        } <= set(tar.getnames())
