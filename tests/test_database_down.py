"""The database going away and coming back: the 503 page, /healthz, recovery, and saves in
flight (issue 13, faults).

Two kinds of test:

- In-process tests (every backend) make the session lookup fail as a lost database does and
  check what answers: the 503 page, /healthz's JSON, the API's JSON, and the 500 page for
  errors that are not the database being unavailable.
- End-to-end tests (PostgreSQL only; CI's PostgreSQL pass runs them) start the real server,
  gunicorn with DEBUG off and persistent connections, on a database of their own, reached
  through a proxy (tests/faults.py) that stands in for PostgreSQL stopping and starting,
  also at a chosen statement in the middle of a save. The machine's PostgreSQL itself is
  never stopped: the rest of the suite uses it.
"""

from __future__ import annotations

import http.client
import json
import os
import socket
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import quote, urlencode

import psycopg2
import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.db import IntegrityError, InterfaceError, OperationalError
from django.test import Client

from tests.faults import DatabaseProxy

ROOT = Path(__file__).resolve().parent.parent
UNAVAILABLE = "Sorry, the service is unavailable"
MAY_NOT_BE_SAVED = (
    "Anything you were saving when this appeared may not have been saved: check it when "
    "the service is back."
)
DOWN = {"db": "unavailable", "reason": "OperationalError: the database cannot be reached"}


# --------------------------------------------------------------------------------------------
# In process: what answers when a query fails before the view runs
# --------------------------------------------------------------------------------------------


@pytest.fixture
def signed_in(manager):
    """A client signed in as a board manager, which answers errors rather than raising."""
    client = Client(raise_request_exception=False)
    client.force_login(manager)
    return client


def _session_lookup_fails(monkeypatch, error: Exception) -> None:
    """The session middleware's query fails, as it does first when the database is down."""

    def load(self):
        raise error

    monkeypatch.setattr(SessionStore, "load", load)


def test_a_lost_database_answers_the_503_page(signed_in, monkeypatch):
    _session_lookup_fails(monkeypatch, OperationalError("server closed the connection"))

    response = signed_in.get("/")

    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    assert [t.name for t in response.templates] == ["503.html"]
    page = response.content.decode()
    assert UNAVAILABLE in page
    assert MAY_NOT_BE_SAVED in page
    assert "server closed" not in page


def test_a_closed_connection_answers_the_503_page_too(signed_in, monkeypatch):
    """InterfaceError (a connection already closed) is not a DatabaseError, but means the same."""
    _session_lookup_fails(monkeypatch, InterfaceError("connection already closed"))

    assert signed_in.get("/").status_code == 503


def test_healthz_answers_json_with_the_reason_even_with_a_session_cookie(signed_in, monkeypatch):
    """A browser or a probe carrying a session cookie reaches the session middleware first."""
    _session_lookup_fails(monkeypatch, OperationalError("could not connect to server"))

    response = signed_in.get("/healthz")

    assert response.status_code == 503
    assert response.json() == DOWN
    assert response["Retry-After"] == "60"


def test_healthz_reports_a_closed_connection(client, monkeypatch):
    class Closed:
        def cursor(self):
            raise InterfaceError("connection already closed")

    monkeypatch.setattr("sab.views.connection", Closed())

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {
        "db": "unavailable",
        "reason": "InterfaceError: the connection to the database is broken",
    }


def test_the_api_answers_json(signed_in, monkeypatch):
    _session_lookup_fails(monkeypatch, OperationalError("server closed the connection"))

    response = signed_in.get("/api/boards/")

    assert response.status_code == 503
    assert response.json() == {"detail": "The service is unavailable. Try again in a few minutes."}


@pytest.mark.parametrize(
    "error", [IntegrityError("duplicate key"), ValueError("a bug")], ids=["integrity", "bug"]
)
def test_other_errors_still_answer_the_500_page(signed_in, monkeypatch, error):
    _session_lookup_fails(monkeypatch, error)

    response = signed_in.get("/")

    assert response.status_code == 500
    assert [t.name for t in response.templates] == ["500.html"]
    assert "Retry-After" not in response


def test_an_error_raised_while_handling_a_lost_database_is_still_a_503(signed_in, monkeypatch):
    def load(self):
        try:
            raise OperationalError("server closed the connection")
        except OperationalError:
            raise RuntimeError("cleaning up failed") from None

    monkeypatch.setattr(SessionStore, "load", load)

    # "from None" hides the cause from tracebacks but keeps it as __context__.
    assert signed_in.get("/").status_code == 503


# --------------------------------------------------------------------------------------------
# End to end, on PostgreSQL: the real server behind a proxy that stops and starts
# --------------------------------------------------------------------------------------------

DATABASE = settings.DATABASES["default"]
ON_POSTGRESQL = DATABASE["ENGINE"] == "django.db.backends.postgresql"
postgresql_only = pytest.mark.skipif(
    not ON_POSTGRESQL or str(DATABASE.get("HOST") or "").startswith("/"),
    reason="stops and starts PostgreSQL behind a TCP proxy: needs DATABASE_URL=postgres://"
    "host:port/... (CI's PostgreSQL pass runs it)",
)

PLAN_CSV = (
    "Priority ref,Priority,Action,Who will lead?,Due date\r\n"
    "1,Assurance,Refresh the quality assurance framework,Performance Sub-Group,30/09/2026\r\n"
    ",,Scrutinise the quarterly dataset,Performance Sub-Group,31/12/2026\r\n"
    "2,Engagement,Launch the customer guides,Performance Sub-Group,31/10/2026\r\n"
)

SEED = """
import json
from django.core.management import call_command
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from sab.models import RoleAssignment
from tests.factories import ActionFactory, BoardFactory, RoleAssignmentFactory

call_command("migrate", interactive=False, verbosity=0)
board = BoardFactory(slug="faults")
manager = RoleAssignmentFactory(board=board, role=RoleAssignment.Role.BOARD_MANAGER).user
action = ActionFactory(priority__plan__board=board, status="not_started")
session = SessionStore()  # signed in, as Client.force_login does
session[SESSION_KEY] = str(manager.pk)
session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
session[HASH_SESSION_KEY] = manager.get_session_auth_hash()
session.create()
print(json.dumps({"session": session.session_key, "action": action.pk,
                  "action_url": action.get_absolute_url(), "board": board.slug}))
"""


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    text: str

    def json(self):
        return json.loads(self.text)


@dataclass
class Visitor:
    """A browser, as far as these tests need one: cookies (the site marks them Secure, as
    production does over HTTPS; here they go back over plain HTTP), forms, one upload."""

    port: int
    cookies: dict[str, str] = field(default_factory=dict)

    def get(self, path: str) -> Response:
        return self._send("GET", path, b"", {})

    def post(self, path: str, fields: dict[str, str], files: dict | None = None) -> Response:
        fields = {"csrfmiddlewaretoken": self.cookies["csrftoken"], **fields}
        if not files:
            body = urlencode(fields).encode()
            return self._send(
                "POST", path, body, {"Content-Type": "application/x-www-form-urlencoded"}
            )
        boundary = uuid.uuid4().hex
        parts = [
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
            f"{value}\r\n".encode()
            for name, value in fields.items()
        ]
        for name, (filename, content) in files.items():
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                f'filename="{filename}"\r\nContent-Type: text/csv\r\n\r\n'.encode()
                + content
                + b"\r\n"
            )
        body = b"".join(parts) + f"--{boundary}--\r\n".encode()
        return self._send(
            "POST", path, body, {"Content-Type": f"multipart/form-data; boundary={boundary}"}
        )

    def _send(self, method: str, path: str, body: bytes, headers: dict) -> Response:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        try:
            connection.request(method, path, body=body, headers=headers)
            answer = connection.getresponse()
            response = Response(answer.status, answer.headers, answer.read().decode())
        finally:
            connection.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                if morsel["max-age"] == "0":
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        return response


@dataclass
class Site:
    """The running server, its proxy and what the seed made."""

    proxy: DatabaseProxy
    server: subprocess.Popen
    port: int
    log: Path
    database: dict
    seeded: dict

    def visitor(self, *, signed_in: bool = True) -> Visitor:
        visitor = Visitor(self.port)
        if signed_in:
            visitor.cookies[settings.SESSION_COOKIE_NAME] = self.seeded["session"]
        return visitor

    def sql(self, sql: str, *params):
        """Run ``sql`` on PostgreSQL directly (not through the proxy): its first value."""
        with psycopg2.connect(**self.database) as connection, connection.cursor() as cursor:
            cursor.execute(sql, params)
            value = cursor.fetchone()[0] if cursor.description else None
        connection.close()
        return value

    def workers_booted(self) -> int:
        """How many workers gunicorn has started: the same before and after proves the app
        recovered in place, not by a worker being restarted."""
        return self.log.read_text().count("Booting worker")

    def log_tail(self) -> str:
        return self.log.read_text()[-3000:]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _url(database: dict, host: str, port: int, *, setup: bool = False) -> str:
    credentials = quote(database["user"], safe="")
    if database.get("password"):
        credentials += ":" + quote(database["password"], safe="")
    # Plain TCP, so the proxy can read statement boundaries.
    url = (
        f"postgres://{credentials}@{host}:{port}/{database['dbname']}"
        "?sslmode=disable&gssencmode=disable"
    )
    # Setting up a throwaway database need not wait for each commit to reach the disk.
    return url + "&options=-c%20synchronous_commit%3Doff" if setup else url


def _run(command: list[str], env: dict) -> str:
    result = subprocess.run(
        command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=180, check=False
    )
    assert result.returncode == 0, f"{' '.join(command)} failed:\n{result.stderr[-3000:]}"
    return result.stdout


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """gunicorn (one sync worker, DEBUG off, persistent connections) on a fresh database
    sab_faults_<pid>, migrated and seeded, reached through a DatabaseProxy."""
    host, port = DATABASE.get("HOST") or "127.0.0.1", int(DATABASE.get("PORT") or 5432)
    admin = {"host": host, "port": port, "user": DATABASE["USER"], "dbname": "postgres"}
    if DATABASE.get("PASSWORD"):
        admin["password"] = DATABASE["PASSWORD"]
    name = f"sab_faults_{os.getpid()}"
    database = {**admin, "dbname": name}

    def admin_sql(sql: str) -> None:
        connection = psycopg2.connect(**admin)
        connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute(sql)
        connection.close()

    admin_sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    admin_sql(f"CREATE DATABASE {name}")
    tmp = tmp_path_factory.mktemp("faults")
    proxy = DatabaseProxy((host, port))
    proxy.start()
    seed = server = None
    try:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "sab.settings",
            "DEBUG": "false",
            "SECRET_KEY": "faults-test-only-" + uuid.uuid4().hex,
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "false",
            "CONN_MAX_AGE": "60",
            "STATIC_ROOT": str(tmp / "static"),
            "MEDIA_ROOT": str(tmp / "media"),
            "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
            "LOG_LEVEL": "WARNING",
        }
        manage = [sys.executable, "manage.py"]
        # Migrate and seed straight to PostgreSQL, in one process; meanwhile collect the
        # static files (whitenoise's manifest storage, DEBUG off, needs them before gunicorn
        # starts) and start gunicorn (it touches the database only when asked a page).
        setup = {**env, "DATABASE_URL": _url(database, host, port, setup=True)}
        seed = subprocess.Popen(
            [*manage, "shell", "-c", SEED],
            cwd=ROOT,
            env=setup,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        # Only the project's own files: the pages use no others, and compressing the
        # apps' (the admin, the API browser, Swagger UI: 30 MB) takes longer than the tests.
        apps = ["admin", "rest_framework", "drf_spectacular_sidecar", "django_htmx", "*otp*"]
        ignore = [option for app in apps for option in ("--ignore", app)]
        _run([*manage, "collectstatic", "--noinput", "-v0", *ignore], env)
        web_port = _free_port()
        log = tmp / "gunicorn.log"
        command = ["gunicorn", "sab.wsgi:application", "--workers", "1", "--timeout", "60"]
        server = subprocess.Popen(
            [sys.executable, "-m", *command, "--bind", f"127.0.0.1:{web_port}"],
            cwd=ROOT,
            env={**env, "DATABASE_URL": _url(database, "127.0.0.1", proxy.port)},
            stdout=log.open("w"),
            stderr=subprocess.STDOUT,
        )
        out, err = seed.communicate(timeout=300)
        assert seed.returncode == 0, f"migrating and seeding failed:\n{err[-3000:]}"
        seeded = json.loads(out.strip().splitlines()[-1])
        site = Site(proxy, server, web_port, log, database, seeded)
        deadline = time.monotonic() + 60
        while True:
            try:
                if site.visitor(signed_in=False).get("/healthz").status == 200:
                    break
            except OSError:
                pass
            assert server.poll() is None, f"gunicorn exited:\n{site.log_tail()}"
            assert time.monotonic() < deadline, f"gunicorn did not answer:\n{site.log_tail()}"
            time.sleep(0.2)
        yield site
    finally:
        for process in (seed, server):
            if process is not None and process.poll() is None:
                process.terminate()
                process.wait(timeout=30)
        proxy.stop()
        admin_sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture
def live(site):
    """The site with its database up; whatever a test did to the proxy is undone after it."""
    site.proxy.start()
    yield site
    site.proxy.disarm()
    site.proxy.start()


def _unavailable(response: Response, site: Site) -> None:
    assert response.status == 503, f"{response.status}\n{site.log_tail()}"
    assert UNAVAILABLE in response.text
    assert MAY_NOT_BE_SAVED in response.text
    assert response.headers["Retry-After"] == "60"


@postgresql_only
def test_with_the_database_down_pages_and_healthz_answer_503_then_recover(live):
    visitor, anonymous = live.visitor(), live.visitor(signed_in=False)
    page = live.seeded["action_url"]
    first = visitor.get(page)
    assert first.status == 200, live.log_tail()  # the worker now holds a persistent connection
    workers = live.workers_booted()

    live.proxy.stop()

    _unavailable(visitor.get(page), live)
    _unavailable(visitor.get("/"), live)
    for who in (anonymous, visitor):
        health = who.get("/healthz")
        assert (health.status, health.json()) == (503, DOWN)
    api = visitor.get("/api/boards/")
    assert (api.status, api.headers["Content-Type"]) == (503, "application/json")

    live.proxy.start()

    assert visitor.get(page).status == 200
    health = anonymous.get("/healthz")
    assert (health.status, health.json()) == (200, {"db": "ok"})
    assert live.workers_booted() == workers == 1


@postgresql_only
def test_a_database_restart_between_requests_goes_unnoticed(live):
    """The worker's kept connection dies with the restart; it is checked before reuse
    (CONN_HEALTH_CHECKS), so even the first request afterwards answers."""
    visitor = live.visitor()
    page = live.seeded["action_url"]
    assert visitor.get(page).status == 200

    live.proxy.stop()
    live.proxy.start()

    response = visitor.get(page)
    assert response.status == 200, f"{response.status}\n{live.log_tail()}"


def _progress(site: Site) -> tuple[int, str]:
    """How many progress updates the action has, and its status."""
    action = site.seeded["action"]
    return (
        site.sql("SELECT count(*) FROM priorities_progressupdate WHERE action_id = %s", action),
        site.sql("SELECT status FROM priorities_action WHERE id = %s", action),
    )


def _not_started(site: Site) -> None:
    """Set the action back to "not started", so an update "in progress" writes two rows:
    the update and the action's new status."""
    site.sql(
        "UPDATE priorities_action SET status = 'not_started' WHERE id = %s", site.seeded["action"]
    )


def _post_progress(site: Site, visitor: Visitor) -> Response:
    return visitor.post(
        f"/actions/{site.seeded['action']}/progress/",
        {"text": "The framework went to the board.", "status": "in_progress", "rag": "green"},
    )


@postgresql_only
def test_a_progress_update_cut_off_midway_is_not_saved_at_all(live):
    """The update's INSERT reaches PostgreSQL; the connection goes before the action's new
    status does. Neither is kept, the page says it may not have been saved, and the user
    saves it again once the database is back."""
    visitor = live.visitor()
    assert visitor.get(live.seeded["action_url"]).status == 200  # the form (and CSRF cookie)
    _not_started(live)
    count = _progress(live)[0]
    live.proxy.cut_at(
        'INSERT INTO "priorities_progressupdate"', 'UPDATE "priorities_action" SET', deliver=False
    )

    response = _post_progress(live, visitor)

    assert live.proxy.cut.is_set()
    _unavailable(response, live)
    live.proxy.start()
    assert _progress(live) == (count, "not_started")
    again = _post_progress(live, visitor)
    assert again.status == 302
    assert _progress(live) == (count + 1, "in_progress")
    assert "has been saved" in visitor.get(again.headers["Location"]).text


@postgresql_only
def test_a_progress_update_whose_commit_answer_is_lost_is_saved_in_full(live):
    """The COMMIT reaches PostgreSQL but its answer never comes back: saved (all of it),
    and the page cannot know, so it tells the user to check."""
    visitor = live.visitor()
    assert visitor.get(live.seeded["action_url"]).status == 200
    _not_started(live)
    count = _progress(live)[0]
    live.proxy.cut_at('INSERT INTO "priorities_progressupdate"', "COMMIT", deliver=True)
    sent = len(live.proxy.statements)

    response = _post_progress(live, visitor)

    assert live.proxy.cut.is_set(), (
        response.status,
        live.proxy.statements[sent:],
        live.log_tail(),
    )
    _unavailable(response, live)
    live.proxy.start()
    # The server finished the COMMIT it was given; give it a moment to be visible.
    deadline = time.monotonic() + 5
    while _progress(live)[0] == count and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _progress(live) == (count + 1, "in_progress")


def _plan_rows(site: Site, title: str) -> tuple[int, int, int]:
    """(plans, priorities, actions) of the board's plans called ``title``."""
    plans = "SELECT id FROM priorities_businessplan WHERE title = %s"
    return (
        site.sql(f"SELECT count(*) FROM ({plans}) AS plans", title),
        site.sql(f"SELECT count(*) FROM priorities_priority WHERE plan_id IN ({plans})", title),
        site.sql(
            "SELECT count(*) FROM priorities_action WHERE priority_id IN "
            f"(SELECT id FROM priorities_priority WHERE plan_id IN ({plans}))",
            title,
        ),
    )


@postgresql_only
def test_an_import_cut_off_midway_saves_nothing_and_can_be_confirmed_again(live):
    """The plan and its priorities are written; the connection goes before the actions are.
    None of it is kept, and the file is still waiting, so confirming again imports it all."""
    visitor = live.visitor()
    board = live.seeded["board"]
    title = f"Business Plan {uuid.uuid4().hex[:8]}"
    assert visitor.get(f"/boards/{board}/plans/import/").status == 200
    preview = visitor.post(
        f"/boards/{board}/plans/import/",
        {"plan_title": title, "mode": "add"},
        files={"file": ("plan.csv", PLAN_CSV.encode())},
    )
    confirm = f"/boards/{board}/plans/import/confirm/"
    assert preview.status == 200, preview.text[-2000:]
    assert f'action="{confirm}"' in preview.text
    live.proxy.cut_at(
        'INSERT INTO "priorities_priority"', 'INSERT INTO "priorities_action"', deliver=False
    )
    sent = len(live.proxy.statements)

    response = visitor.post(confirm, {})

    assert live.proxy.cut.is_set(), (
        response.status,
        live.proxy.statements[sent:],
        live.log_tail(),
    )
    written = {s.split(" (")[0] for s in live.proxy.statements[sent:] if s.startswith("INSERT")}
    assert {'INSERT INTO "priorities_businessplan"', 'INSERT INTO "priorities_priority"'} <= written
    _unavailable(response, live)
    live.proxy.start()
    assert _plan_rows(live, title) == (0, 0, 0)
    again = visitor.post(confirm, {})
    assert again.status == 302, again.text[-2000:]
    assert _plan_rows(live, title) == (1, 2, 3)
    done = visitor.get(again.headers["Location"])
    assert f"into {title}" in done.text, f"{done.status}\n{live.log_tail()}"
