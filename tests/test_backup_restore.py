"""Backup and restore, the way docs/operations.md tells an operator to do it (issue 13).

On PostgreSQL only (CI's PostgreSQL pass runs it): a scratch database is migrated and given
the demo, dumped with `pg_dump -Fc`, restored with `pg_restore` into a second, empty
database, and then every model's table (history, many-to-many links, sessions, second-factor
devices and the migration records included) holds as many rows in the copy as in the
original, every sequence goes on from the same value, and `manage.py migrate --check` finds
nothing to do. Both databases are dropped at the end, pass or fail.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import uuid
from contextlib import closing
from pathlib import Path
from urllib.parse import quote

import psycopg2
import pytest
from django.apps import apps
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent
DATABASE = settings.DATABASES["default"]
ON_POSTGRESQL = DATABASE["ENGINE"] == "django.db.backends.postgresql"

pytestmark = pytest.mark.skipif(
    not ON_POSTGRESQL,
    reason="backs up and restores PostgreSQL with pg_dump and pg_restore: needs "
    "DATABASE_URL=postgres://... (CI's PostgreSQL pass runs it)",
)

# Rows the copy must hold, or the comparison would prove nothing: the demo has all of these.
MUST_HAVE_ROWS = [
    "sab.User",
    "sab.Board",
    "priorities.Action",
    "priorities.ProgressUpdate",
    "reviews.Referral",
    "otp_totp.TOTPDevice",
]


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found:
        return found
    if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
        pytest.fail(f"{name} is required in CI but is missing (apt-get install postgresql-client)")
    pytest.skip(f"{name} is not installed (apt-get install postgresql-client)")


def _connect(name: str):
    connection = psycopg2.connect(
        dbname=name,
        host=DATABASE.get("HOST") or None,
        port=DATABASE.get("PORT") or None,
        user=DATABASE.get("USER") or None,
        password=DATABASE.get("PASSWORD") or None,
    )
    connection.autocommit = True
    return connection


def _url(name: str) -> str:
    user = quote(DATABASE.get("USER") or "", safe="")
    password = DATABASE.get("PASSWORD")
    credentials = f"{user}:{quote(password, safe='')}" if password else user
    host = DATABASE.get("HOST") or ""
    port = f":{DATABASE['PORT']}" if DATABASE.get("PORT") else ""
    return f"postgres://{credentials}@{quote(host, safe='')}{port}/{name}"


def _pg_env() -> dict[str, str]:
    """libpq's variables for pg_dump and pg_restore, from the suite's database settings."""
    env = dict(os.environ)
    for variable, key in [
        ("PGHOST", "HOST"),
        ("PGPORT", "PORT"),
        ("PGUSER", "USER"),
        ("PGPASSWORD", "PASSWORD"),
    ]:
        if DATABASE.get(key):
            env[variable] = str(DATABASE[key])
    return env


def _manage(*args: str, database: str, tmp_path: Path) -> None:
    env = {
        **{k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE"}},
        "DJANGO_SETTINGS_MODULE": "sab.settings",
        "DEBUG": "true",  # seed_demo only runs in development mode
        "DATABASE_URL": _url(database),
        "MEDIA_ROOT": str(tmp_path / "media"),
    }
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert result.returncode == 0, f"manage.py {' '.join(args)}:\n{result.stderr[-3000:]}"


def _tables() -> dict[str, str]:
    """Every table Django knows, by name: each model's (history models too) and each
    many-to-many link's, and the migration records."""
    tables = {"django_migrations": "migrations"}
    for model in apps.get_models(include_auto_created=True):
        if model._meta.managed and not model._meta.proxy:
            tables[model._meta.db_table] = model._meta.label
    return tables


def _counts(name: str, tables: dict[str, str]) -> dict[str, int]:
    with closing(_connect(name)) as connection, connection.cursor() as cursor:
        counts = {}
        for table in tables:
            cursor.execute(f'SELECT count(*) FROM "{table}"')
            counts[table] = cursor.fetchone()[0]
        return counts


def _sequences(name: str) -> dict[str, int | None]:
    with closing(_connect(name)) as connection, connection.cursor() as cursor:
        cursor.execute("SELECT schemaname || '.' || sequencename, last_value FROM pg_sequences")
        return dict(cursor.fetchall())


def test_a_dump_restores_into_an_empty_database_with_every_row(tmp_path):
    pg_dump, pg_restore = _tool("pg_dump"), _tool("pg_restore")
    suffix = uuid.uuid4().hex[:8]
    original, copy = f"sab_backup_{suffix}", f"sab_restore_{suffix}"
    dump = tmp_path / "sab.dump"
    admin = _connect("postgres")
    try:
        with admin.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{original}"')
            cursor.execute(f'CREATE DATABASE "{copy}"')
        _manage("migrate", "--no-input", "-v0", database=original, tmp_path=tmp_path)
        _manage("seed_demo", database=original, tmp_path=tmp_path)

        # As docs/operations.md says: a custom-format dump, restored into an empty database.
        subprocess.run(
            [pg_dump, "--format=custom", "--no-owner", f"--file={dump}", original],
            env=_pg_env(),
            check=True,
            capture_output=True,
            timeout=60,
        )
        subprocess.run(
            [pg_restore, "--exit-on-error", "--no-owner", f"--dbname={copy}", str(dump)],
            env=_pg_env(),
            check=True,
            capture_output=True,
            timeout=60,
        )

        tables = _tables()
        before, after = _counts(original, tables), _counts(copy, tables)
        labels = {label: table for table, label in tables.items()}
        assert all(before[labels[label]] > 0 for label in MUST_HAVE_ROWS), {
            label: before[labels[label]] for label in MUST_HAVE_ROWS
        }
        differ = {
            tables[table]: (before[table], after[table])
            for table in tables
            if before[table] != after[table]
        }
        assert differ == {}, f"rows (original, restored) that differ: {differ}"
        assert _sequences(copy) == _sequences(original)
        # The restored database is at the code's migrations: nothing to apply.
        _manage("migrate", "--check", database=copy, tmp_path=tmp_path)
    finally:
        with admin.cursor() as cursor:
            for name in (original, copy):
                cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()
