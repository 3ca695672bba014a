"""Backups of the whole installation: the database and the uploaded files in one archive,
with a manifest of every table's row count and checksum and every file's hash, so that a
restore can prove it brought everything back (and a copy kept off the machine can be
checked without touching production).

The archive is a plain tar file:

    manifest.json        what was saved, counted and hashed (see `Manifest`)
    database.sqlite3     SQLite: a consistent copy made by SQLite's online backup
    database.pgdump      PostgreSQL: `pg_dump --format=custom` of the same snapshot the
                         manifest was counted in
    files/...            MEDIA_ROOT, file by file

A backup restores onto the database engine it was taken from.
"""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path

import dj_database_url
import psycopg
from django.apps import apps
from django.conf import settings
from django.db import connections, models

FORMAT = 1
MANIFEST = "manifest.json"
FILES = "files/"
CHUNK = 1 << 20
ROWS_PER_FETCH = 5000


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why and what to do."""


@dataclass(frozen=True)
class Database:
    """Where a database is, independent of Django's connections: a restore writes to a
    database Django is not configured with."""

    vendor: str  # "sqlite" or "postgresql"
    name: str
    user: str = ""
    password: str = ""
    host: str = ""
    port: str = ""

    @classmethod
    def from_settings(cls, alias: str = "default") -> Database:
        return cls._from_dict(connections[alias].settings_dict)

    @classmethod
    def from_url(cls, url: str) -> Database:
        return cls._from_dict(dj_database_url.parse(url))

    @classmethod
    def _from_dict(cls, db: dict) -> Database:
        engine = db["ENGINE"]
        if engine.endswith("sqlite3"):
            return cls("sqlite", str(db["NAME"]))
        if "postgresql" in engine:
            return cls(
                "postgresql",
                db["NAME"],
                db.get("USER") or "",
                db.get("PASSWORD") or "",
                db.get("HOST") or "",
                str(db.get("PORT") or ""),
            )
        raise BackupError(f"Unsupported database engine {engine}.")

    def pg_args(self) -> list[str]:
        args = ["--dbname", self.name]
        if self.host:
            args += ["--host", self.host]
        if self.port:
            args += ["--port", self.port]
        if self.user:
            args += ["--username", self.user]
        return args

    def pg_env(self) -> dict:
        env = dict(os.environ)
        if self.password:
            env["PGPASSWORD"] = self.password
        return env

    def pg_connect(self, dbname: str | None = None, **kwargs) -> psycopg.Connection:
        params = {"dbname": dbname or self.name}
        for key in ("user", "password", "host", "port"):
            if getattr(self, key):
                params[key] = getattr(self, key)
        return psycopg.connect(**params, **kwargs)

    def other(self, name: str) -> Database:
        return Database(self.vendor, name, self.user, self.password, self.host, self.port)


@dataclass
class Manifest:
    created: str
    vendor: str
    tables: dict[str, dict] = field(default_factory=dict)
    files: dict[str, dict] = field(default_factory=dict)
    database_file: str = ""
    database_sha256: str = ""
    migrations: dict[str, str] = field(default_factory=dict)
    missing_files: list[str] = field(default_factory=list)
    gugus: str = ""
    format: int = FORMAT

    def to_json(self) -> bytes:
        return json.dumps(self.__dict__, indent=1, sort_keys=True).encode()

    @classmethod
    def from_json(cls, data: bytes) -> Manifest:
        raw = json.loads(data)
        if raw.get("format") != FORMAT:
            raise BackupError(f"Unknown backup format {raw.get('format')!r}.")
        return cls(**raw)


# Reading tables ---------------------------------------------------------------------


def _sqlite_tables(conn: sqlite3.Connection) -> dict[str, list[str]]:
    names = [
        r[0]
        for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            " ORDER BY name"
        )
    ]
    tables = {}
    for name in names:
        columns = conn.execute(f'PRAGMA table_info("{name}")').fetchall()
        keys = sorted((c[5], c[1]) for c in columns if c[5])
        tables[name] = [k[1] for k in keys] or ["rowid"]
    return tables


def _pg_tables(conn: psycopg.Connection) -> dict[str, list[str]]:
    rows = conn.execute(
        """
        SELECT c.relname,
               array_remove(array_agg(a.attname ORDER BY array_position(i.indkey::int2[],
                                                                         a.attnum)), NULL)
        FROM pg_class c
        JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = current_schema()
        LEFT JOIN pg_index i ON i.indrelid = c.oid AND i.indisprimary
        LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = ANY(i.indkey)
        WHERE c.relkind IN ('r', 'p')
        GROUP BY c.relname ORDER BY c.relname
        """
    ).fetchall()
    return {name: list(keys) for name, keys in rows}


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def table_sums(db: Database, path: str | None = None, snapshot=None) -> dict[str, dict]:
    """Row count and SHA-256 of every table, rows in primary-key order. On PostgreSQL the
    rows are hashed in the server's text form (in UTC, ISO dates), on SQLite as Python
    values: the same engine gives the same sums before the backup and after the restore."""
    if db.vendor == "sqlite":
        conn = sqlite3.connect(path or db.name)
        try:
            return {
                name: _sum_rows(
                    conn.execute(
                        f"SELECT * FROM {_quote(name)} ORDER BY "
                        + ", ".join(k if k == "rowid" else _quote(k) for k in keys)
                    ),
                    repr,
                )
                for name, keys in _sqlite_tables(conn).items()
            }
        finally:
            conn.close()
    own = snapshot is None
    conn = _snapshot_connection(db) if own else snapshot
    try:
        conn.execute("SET LOCAL TIME ZONE 'UTC'")
        conn.execute("SET LOCAL datestyle = 'ISO, YMD'")
        conn.execute("SET LOCAL extra_float_digits = 1")
        sums = {}
        for name, keys in _pg_tables(conn).items():
            order = ", ".join(map(_quote, keys)) if keys else "t::text"
            with conn.cursor(name=f"sum_{len(sums)}") as cursor:
                cursor.itersize = ROWS_PER_FETCH
                cursor.execute(f"SELECT t::text FROM {_quote(name)} t ORDER BY {order}")
                sums[name] = _sum_rows(cursor, lambda row: row[0])
        return sums
    finally:
        if own:
            conn.close()


def _snapshot_connection(db: Database) -> psycopg.Connection:
    """A connection whose transaction reads one unchanging snapshot of the database."""
    conn = db.pg_connect()
    conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
    conn.read_only = True
    return conn


def _sum_rows(rows, text) -> dict:
    digest, count = hashlib.sha256(), 0
    for row in rows:
        digest.update(text(row).encode())
        digest.update(b"\n")
        count += 1
    return {"rows": count, "sha256": digest.hexdigest()}


# Files ------------------------------------------------------------------------------


def file_sums(root: Path) -> dict[str, dict]:
    sums = {}
    for path in sorted(_walk(root)):
        sums[path.relative_to(root).as_posix()] = _file_sum(path)
    return sums


def _walk(root: Path) -> Iterator[Path]:
    if not root.exists():
        return
    for dirpath, _dirs, names in os.walk(root):
        for name in names:
            yield Path(dirpath) / name


def _file_sum(path: Path) -> dict:
    digest, size = hashlib.sha256(), 0
    with open(path, "rb") as f:
        while chunk := f.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return {"size": size, "sha256": digest.hexdigest()}


def named_files() -> set[str]:
    """Every stored file a record names: what a restore must bring back."""
    names = set()
    for model in apps.get_models():
        fields = [f.name for f in model._meta.concrete_fields if isinstance(f, models.FileField)]
        for name in fields:
            rows = model._base_manager.exclude(**{name: ""}).exclude(**{f"{name}__isnull": True})
            names.update(rows.values_list(name, flat=True).iterator(chunk_size=ROWS_PER_FETCH))
    return names


def _migrations(db: Database, path: str | None = None) -> dict[str, str]:
    query = "SELECT app, max(name) FROM django_migrations GROUP BY app ORDER BY app"
    if db.vendor == "sqlite":
        conn = sqlite3.connect(path or db.name)
        try:
            return dict(conn.execute(query).fetchall())
        finally:
            conn.close()
    with db.pg_connect() as conn:
        return dict(conn.execute(query).fetchall())


# Backup -----------------------------------------------------------------------------


def pg_tool(name: str) -> str:
    """`pg_dump`/`pg_restore`: from GUGUS_PG_BIN, else the newest installed server's
    binaries (a dump must come from a version at least as new as the server), else PATH."""
    candidates = []
    if os.environ.get("GUGUS_PG_BIN"):
        candidates.append(Path(os.environ["GUGUS_PG_BIN"]) / name)
    installed = sorted(
        Path("/usr/lib/postgresql").glob(f"*/bin/{name}"),
        key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0,
    )
    candidates += reversed(installed)
    if found := shutil.which(name):
        candidates.append(Path(found))
    for candidate in candidates:
        if candidate.exists():
            return str(candidate)
    raise BackupError(f"{name} was not found: install PostgreSQL's client or set GUGUS_PG_BIN.")


def default_path(now: datetime.datetime) -> Path:
    return settings.VAR_DIR / "backups" / f"gugus-{now:%Y%m%d-%H%M%S}.tar"


def backup(output: Path, *, media_root: Path | None = None, db: Database | None = None):
    """Write the archive to `output` (through a `.partial` file renamed at the end, so a
    backup cut short never looks complete) and return its manifest."""
    db = db or Database.from_settings()
    media_root = Path(media_root or settings.MEDIA_ROOT)
    if connections["default"].in_atomic_block:
        raise BackupError("A backup cannot run inside a transaction.")
    output.parent.mkdir(parents=True, exist_ok=True)
    partial = output.with_name(output.name + ".partial")
    manifest = Manifest(
        created=datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        vendor=db.vendor,
        gugus=version("gugus"),
    )
    with tempfile.TemporaryDirectory(dir=output.parent, prefix=".backup-") as scratch:
        dump = Path(scratch) / ("database.sqlite3" if db.vendor == "sqlite" else "database.pgdump")
        if db.vendor == "sqlite":
            _sqlite_copy(db.name, dump)
            manifest.tables = table_sums(db, str(dump))
            manifest.migrations = _migrations(db, str(dump))
        else:
            manifest.tables = _pg_dump(db, dump)
            manifest.migrations = _migrations(db)
        manifest.database_file = dump.name
        manifest.database_sha256 = _file_sum(dump)["sha256"]
        # Files after the database: a file uploaded meanwhile is kept although no record
        # of the snapshot names it; one a record names but the storage lacks is reported.
        manifest.files = file_sums(media_root)
        manifest.missing_files = sorted(named_files() - set(manifest.files))
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as out, tarfile.open(fileobj=out, mode="w") as tar:
            _add_bytes(tar, MANIFEST, manifest.to_json())
            tar.add(dump, arcname=dump.name)
            for name in manifest.files:
                tar.add(media_root / name, arcname=FILES + name)
            out.flush()
            os.fsync(out.fileno())
    os.replace(partial, output)
    return manifest


def _sqlite_copy(source, target) -> None:
    """SQLite's online backup API: a consistent copy while the application keeps writing,
    and a restore that keeps a target another process has open valid."""
    Path(target).parent.mkdir(parents=True, exist_ok=True)
    src, dst = sqlite3.connect(source), sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()


def _pg_dump(db: Database, target: Path) -> dict[str, dict]:
    """Dump and count the same snapshot: pg_dump joins the snapshot the sums are read in."""
    with _snapshot_connection(db) as conn:
        snapshot = conn.execute("SELECT pg_export_snapshot()").fetchone()[0]
        dump = subprocess.Popen(
            [
                pg_tool("pg_dump"),
                *db.pg_args(),
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                f"--snapshot={snapshot}",
                f"--file={target}",
            ],
            env=db.pg_env(),
            stderr=subprocess.PIPE,
        )
        try:
            sums = table_sums(db, snapshot=conn)
        finally:
            _, errors = dump.communicate()
        conn.rollback()
    if dump.returncode:
        raise BackupError(f"pg_dump failed: {errors.decode(errors='replace').strip()}")
    return sums


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mode = 0o600
    tar.addfile(info, io.BytesIO(data))


def prune(directory: Path, keep: int) -> list[Path]:
    """Remove all but the newest `keep` archives of `gugus backup`'s default naming."""
    archives = sorted(directory.glob("gugus-*.tar"))
    gone = archives[:-keep] if keep else []
    for path in gone:
        path.unlink()
    return gone


# Restore ----------------------------------------------------------------------------


@dataclass
class Check:
    """What a restore found against the manifest; `ok` only if nothing differs."""

    tables: int = 0
    rows: int = 0
    files: int = 0
    bytes: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def read_manifest(archive: Path) -> Manifest:
    try:
        with tarfile.open(archive) as tar:
            return Manifest.from_json(_member(tar, MANIFEST).read())
    except (tarfile.TarError, EOFError, ValueError) as e:
        raise BackupError(f"{archive} is not a readable Gugus backup ({e}).") from e


def _member(tar: tarfile.TarFile, name: str):
    try:
        return tar.extractfile(name)
    except KeyError as e:
        raise BackupError(f"The archive has no {name}: it is not a Gugus backup.") from e


def restore(archive: Path, *, db: Database, media_root: Path, replace: bool = False) -> Check:
    """Restore the archive into `db` and `media_root`, then count and hash what is there
    against the manifest. Without `replace` the database and the directory must be empty;
    with it, the database's tables are replaced and the directory is moved aside.
    Everything is read out of the archive and checked before the first write, so a damaged
    or cut-short archive changes nothing."""
    try:
        with tarfile.open(archive) as tar:
            manifest = Manifest.from_json(_member(tar, MANIFEST).read())
            if manifest.vendor != db.vendor:
                raise BackupError(
                    f"This backup is of a {manifest.vendor} database; it cannot be restored "
                    f"into {db.vendor}."
                )
            _refuse_unless_empty(db, media_root, replace)
            with tempfile.TemporaryDirectory(prefix="gugus-restore-") as scratch:
                dump = Path(scratch) / manifest.database_file
                with open(dump, "wb") as out:
                    shutil.copyfileobj(_member(tar, manifest.database_file), out, CHUNK)
                if _file_sum(dump)["sha256"] != manifest.database_sha256:
                    raise BackupError("The database copy in the archive is damaged.")
                with _unpacked_files(tar, manifest, media_root) as incoming:
                    if db.vendor == "sqlite":
                        _sqlite_copy(dump, db.name)
                    else:
                        _pg_restore(dump, db, replace)
                    _swap_in(incoming, media_root)
    except (tarfile.TarError, EOFError) as e:
        raise BackupError(
            f"The archive is damaged or cut short ({e}); nothing was restored."
        ) from e
    return verify(manifest, db, media_root)


def _refuse_unless_empty(db: Database, media_root: Path, replace: bool) -> None:
    if replace:
        return
    tables = _table_names(db)
    if tables:
        raise BackupError(
            f"The target database already has {len(tables)} tables; restore into an empty "
            "database, or give --replace to overwrite it."
        )
    if media_root.exists() and any(media_root.iterdir()):
        raise BackupError(
            f"{media_root} is not empty; restore into an empty directory, or give --replace."
        )


def _table_names(db: Database) -> list[str]:
    if db.vendor == "sqlite":
        if not Path(db.name).exists():
            return []
        conn = sqlite3.connect(db.name)
        try:
            return list(_sqlite_tables(conn))
        finally:
            conn.close()
    with db.pg_connect() as conn:
        return list(_pg_tables(conn))


def _pg_restore(dump: Path, db: Database, replace: bool) -> None:
    args = [pg_tool("pg_restore"), *db.pg_args(), "--no-owner", "--no-privileges"]
    args += ["--exit-on-error", "--single-transaction"]
    if replace:
        args += ["--clean", "--if-exists"]
    done = subprocess.run([*args, str(dump)], env=db.pg_env(), capture_output=True)
    if done.returncode:
        raise BackupError(f"pg_restore failed: {done.stderr.decode(errors='replace').strip()}")


@contextlib.contextmanager
def _unpacked_files(tar: tarfile.TarFile, manifest: Manifest, media_root: Path):
    """The archive's files, unpacked beside the target directory and checked against the
    manifest; removed unless `_swap_in` moved them into place."""
    media_root.parent.mkdir(parents=True, exist_ok=True)
    incoming = Path(tempfile.mkdtemp(dir=media_root.parent, prefix=".restoring-"))
    try:
        for member in tar:
            if not member.name.startswith(FILES) or not member.isfile():
                continue
            relative = member.name[len(FILES) :]
            target = (incoming / relative).resolve()
            if not target.is_relative_to(incoming.resolve()):
                raise BackupError(f"The archive names a file outside the directory: {relative}")
            target.parent.mkdir(parents=True, exist_ok=True)
            with open(target, "wb") as out:
                shutil.copyfileobj(tar.extractfile(member), out, CHUNK)
        unpacked = file_sums(incoming)
        damaged = [n for n, expected in manifest.files.items() if unpacked.get(n) != expected]
        if damaged:
            raise BackupError(
                f"{len(damaged)} files in the archive are missing or damaged, "
                f"{damaged[0]} first; nothing was restored."
            )
        yield incoming
    finally:
        if incoming.exists():
            shutil.rmtree(incoming)


def _swap_in(incoming: Path, media_root: Path) -> None:
    """The files are either the old ones or the whole restored set; old files are moved
    aside, never deleted."""
    if media_root.exists():
        if any(media_root.iterdir()):
            stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%d-%H%M%S")
            media_root.rename(media_root.with_name(f"{media_root.name}.before-{stamp}"))
        else:
            media_root.rmdir()
    incoming.rename(media_root)


def verify(manifest: Manifest, db: Database, media_root: Path) -> Check:
    check = Check()
    found = table_sums(db)
    for name, expected in manifest.tables.items():
        got = found.get(name)
        if got is None:
            check.problems.append(f"table {name}: missing")
        elif got != expected:
            check.problems.append(
                f"table {name}: {got['rows']} rows (expected {expected['rows']})"
                + (", contents differ" if got["rows"] == expected["rows"] else "")
            )
        else:
            check.tables += 1
            check.rows += got["rows"]
    for name in sorted(set(found) - set(manifest.tables)):
        check.problems.append(f"table {name}: not in the backup")
    files = file_sums(media_root)
    for name, expected in manifest.files.items():
        got = files.get(name)
        if got is None:
            check.problems.append(f"file {name}: missing")
        elif got != expected:
            check.problems.append(f"file {name}: contents differ")
        else:
            check.files += 1
            check.bytes += got["size"]
    return check


@contextlib.contextmanager
def scratch_target(like: Database) -> Iterator[tuple[Database, Path]]:
    """A throwaway database and directory to check a backup in, beside production but
    never over it: a temporary SQLite file, or a new PostgreSQL database on the same
    server (the database user needs CREATEDB), dropped afterwards."""
    with tempfile.TemporaryDirectory(prefix="gugus-check-") as scratch:
        media = Path(scratch) / "media"
        if like.vendor == "sqlite":
            yield Database("sqlite", str(Path(scratch) / "check.sqlite3")), media
            return
        name = f"gugus_check_{os.getpid()}_{datetime.datetime.now():%H%M%S}"
        with like.pg_connect("postgres", autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {_quote(name)}")
        try:
            yield like.other(name), media
        finally:
            with like.pg_connect("postgres", autocommit=True) as conn:
                conn.execute(f"DROP DATABASE IF EXISTS {_quote(name)} WITH (FORCE)")
