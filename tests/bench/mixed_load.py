"""`make bench`'s mixed-load run: 20 simulated chairs for 60 s against gunicorn on PostgreSQL.

The bench board gains a plan the size of a real one (10 priorities of 4 actions; the demo's
real plans have 11 to 23 actions) beside its 2,000-action plan, whose page alone takes about
2 s and is measured here one request at a time only. Each of its 10 groups has a chair and
a vice chair (both act as the group's chair), so two users post to the same 4 actions.

Each user is a Python thread, signed in through the real sign-in page before the clock
starts. After 0.5 to 2 s of reading (think.lua's pauses) it asks for the next request of
its round: the tracker, the plan page, one of its group's actions, a progress update posted
from that page's form (its CSRF token), and an export of its group's actions (CSV and XLSX
in turn). A request is an error unless it answers as a browser expects: 200 for a page,
302 back to the action for a saved update; an exception or a time-out is an error too.

At the end the progress updates written in the run are read from the database and compared
with those the server acknowledged (each POST's 302): none may be lost, and none written
without being acknowledged. The Django admin changelist is then measured in the same run by
run.py's wrk path: one request at a time, and 20 connections pausing as these users do.

Called from tests/bench/run.py (`BENCH_ONLY=mixed make bench` runs only this). The seeding
and counting run in a subprocess with the bench environment, like seed.py:

    python tests/bench/mixed_load.py seed            # prints the users, as JSON
    python tests/bench/mixed_load.py written MARKER  # prints the texts written, as JSON
"""

from __future__ import annotations

import datetime
import http.client
import json
import math
import os
import random
import re
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parents[2]
USERS = 20
GROUPS = USERS // 2  # a chair and a vice chair each (both act as the group's chair)
# The mixed-load plan: 10 priorities of 4 actions, each with 4 earlier updates. Real plans
# have 11 to 23 actions (the demo's, from real boards); the 2,000-action bench plan's page
# is 100 times that (docs/benchmarks.md).
ACTIONS_PER_GROUP = 4
EARLIER_UPDATES = 4
PASSWORD = "mixed-load-password-123"
THINK = (0.5, 2.0)  # seconds between requests, as think.lua
TIMEOUT = 60  # seconds a request may take before it counts as an error
# One round of a user's visit, in order (the update is posted from the action page's form).
ROUND = ("tracker", "plan", "action", "update", "export")
LABELS = {
    "tracker": "Tracker, first page (50 of 2,040)",
    "plan": "Plan page (10 priorities, 40 actions)",
    "action": "Action page, with the progress form",
    "update": "Progress update posted (302 back to the action)",
    "export": "Export of the group's actions (CSV and XLSX in turn)",
}
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
STATUSES = ["in_progress", "in_progress", "complete", "not_started", "deferred"]
RAGS = ["red", "amber", "green", "complete"]


# --- In the bench environment (subprocess): seed the chairs, read what was written ---------


def _django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sab.settings")
    import django

    django.setup()


def seed() -> dict:
    """A plan of the bench board the size of a real one (each delivery group's priority with
    its actions, and their earlier updates) beside the 2,000-action bench plan, and for each
    of its groups a chair and a vice chair who can sign in."""
    _django()
    from django.utils import timezone

    from priorities.models import Action, BusinessPlan, Priority, ProgressUpdate, ReportingPeriod
    from sab.models import Board, Person, User
    from subgroups.models import Group, GroupMembership

    board = Board.objects.get(slug="bench")
    previous = ReportingPeriod.objects.get(board=board, label="Previous")
    plan = BusinessPlan.objects.create(board=board, title="Mixed-load plan", status="approved")
    users = []
    for g in range(1, GROUPS + 1):
        group = Group.objects.create(name=f"Mixed-load group {g}", reporting_board=board)
        group.boards.add(board)
        priority = Priority.objects.create(
            plan=plan, ref=str(g), title=f"Priority {g}", order=g, delivery_group=group
        )
        actions = [
            Action.objects.create(
                priority=priority,
                ref=f"{g}.{a}",
                description=f"Action {g}.{a}: audit how adults at risk are kept informed",
                lead_group=group,
                status="in_progress",
                order=a,
            )
            for a in range(1, ACTIONS_PER_GROUP + 1)
        ]
        ProgressUpdate.objects.bulk_create(
            ProgressUpdate(
                action=action,
                period=previous,
                text=f"Earlier update {n} on {action.ref}: the audit is under way.",
                status="in_progress",
                rag="amber",
                created_at=timezone.make_aware(
                    datetime.datetime.combine(
                        previous.start + datetime.timedelta(days=7 * n + 1), datetime.time(12)
                    )
                ),
            )
            for action in actions
            for n in range(EARLIER_UPDATES)
        )
        for role in (GroupMembership.Role.CHAIR, GroupMembership.Role.VICE_CHAIR):
            email = f"mixed.{role.value}.{g}@example.org"
            user = User.objects.create_user(email, PASSWORD)
            person = Person.objects.create(name=f"Mixed {role.label} {g}", user=user)
            person.boards.add(board)
            membership = GroupMembership(group=group, person=person, role=role)
            membership.full_clean()
            membership.save()
            users.append({"email": email, "group": group.pk, "actions": [a.pk for a in actions]})
    big = BusinessPlan.objects.exclude(pk=plan.pk).get(board=board)
    return {"users": users, "plan": plan.pk, "bench_plan": big.pk, "board": board.slug}


def written(marker: str) -> list[str]:
    """The texts of the progress updates whose text carries ``marker`` (this run's)."""
    _django()
    from priorities.models import ProgressUpdate

    return list(ProgressUpdate.objects.filter(text__contains=marker).values_list("text", flat=True))


# --- In run.py's process: the simulated users -------------------------------------------


@dataclass
class Sample:
    kind: str
    ms: float
    ok: bool
    detail: str = ""


@dataclass
class Tally:
    samples: list[Sample] = field(default_factory=list)
    acknowledged: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, sample: Sample, acknowledged: str | None = None) -> None:
        with self.lock:
            self.samples.append(sample)
            if acknowledged:
                self.acknowledged.append(acknowledged)


class Browser:
    """One user's cookies (kept whatever their Secure flag: the bench is plain HTTP on
    loopback) and requests without following redirects."""

    def __init__(self, base: str) -> None:
        parts = urlsplit(base)
        self.host, self.port = parts.hostname, parts.port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, form: dict | None = None):
        headers = {"Host": f"{self.host}:{self.port}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection = http.client.HTTPConnection(self.host, self.port, timeout=TIMEOUT)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            content = response.read()
        finally:
            connection.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return response.status, response.headers.get("Location", ""), content

    def csrf_token(self, content: bytes) -> str:
        """The token of the page's first form ("" if it has none)."""
        found = TOKEN.search(content.decode("utf-8", "replace"))
        return found.group(1) if found else ""


def sign_in(browser: Browser, email: str) -> None:
    status, _, content = browser.request("GET", "/accounts/login/")
    if status != 200:
        raise RuntimeError(f"sign-in page answered {status}")
    form = {"username": email, "password": PASSWORD}
    form["csrfmiddlewaretoken"] = browser.csrf_token(content)
    status, location, _ = browser.request("POST", "/accounts/login/", form)
    if status != 302 or "sessionid" not in browser.cookies:
        raise RuntimeError(f"signing in as {email} answered {status} {location}")


def _request_for(kind: str, user: dict, seeded: dict, action: int, round_: int) -> str:
    slug = seeded["board"]
    if kind == "tracker":
        return f"/boards/{slug}/actions/"
    if kind == "plan":
        return f"/plans/{seeded['plan']}/"
    if kind == "bench_plan":
        return f"/plans/{seeded['bench_plan']}/"
    if kind == "action":
        return f"/actions/{action}/"
    if kind == "update":
        return f"/actions/{action}/progress/"
    fmt = "csv" if round_ % 2 == 0 else "xlsx"
    return f"/boards/{slug}/actions/export.{fmt}?lead_group={user['group']}"


def user_loop(
    number: int,
    user: dict,
    browser: Browser,
    seeded: dict,
    stop_at: float,
    marker: str,
    tally: Tally,
) -> None:
    """One signed-in user's rounds (ROUND) until ``stop_at``."""
    rng = random.Random(number)
    time.sleep(rng.uniform(0, THINK[1]))  # users do not all start at once
    posted = round_ = 0
    while True:
        action, token = rng.choice(user["actions"]), ""
        for kind in ROUND:
            if time.monotonic() >= stop_at:
                return
            if kind == "update" and not token:
                continue  # the action page failed: no form to post from
            path = _request_for(kind, user, seeded, action, round_)
            form, text = None, None
            if kind == "update":
                posted += 1
                text = f"Mixed load {marker} user {number} update {posted}: met the group."
                form = {
                    "csrfmiddlewaretoken": token,
                    "text": text,
                    "status": rng.choice(STATUSES),
                    "rag": rng.choice(RAGS),
                    "evidence_link": "",
                }
            start = time.perf_counter()
            try:
                status, location, content = browser.request("POST" if form else "GET", path, form)
            except Exception as error:  # a time-out or a dropped connection
                ms = (time.perf_counter() - start) * 1000
                tally.add(Sample(kind, ms, False, f"{kind} {path}: {error!r}"))
            else:
                ms = (time.perf_counter() - start) * 1000
                if form:  # saved: redirected back to the action's page
                    ok = status == 302 and urlsplit(location).path == f"/actions/{action}/"
                else:
                    ok = status == 200
                if ok and kind == "action":
                    token = browser.csrf_token(content)
                    ok = bool(token)
                detail = "" if ok else f"{kind} {path}: {status} {location}".strip()
                tally.add(Sample(kind, ms, ok, detail), acknowledged=text if ok else None)
            time.sleep(rng.uniform(*THINK))
        round_ += 1


def percentile(values: list[float], p: float) -> float:
    """The nearest-rank percentile: the smallest value with ``p`` % of them at or below it."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def _subprocess(args: list[str], env: dict) -> object:
    out = subprocess.run(
        [sys.executable, __file__, *args],
        cwd=ROOT,
        env=env,
        check=True,
        text=True,
        capture_output=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def run(base: str, env: dict, admin_reference: Callable[[], dict], seconds: float) -> dict:
    """Seed the chairs, run the users for ``seconds``, count what was written, then measure
    the admin changelist (``admin_reference``: run.py's wrk with think.lua)."""
    print("Mixed load: seeding the chairs", file=sys.stderr)
    seeded = _subprocess(["seed"], env)
    marker = uuid.uuid4().hex[:12]
    # Every page of the mix a few times first, so no worker's first template load is measured.
    # The last three of them, one at a time, are each page's time alone.
    warm, user = Browser(base), seeded["users"][0]
    sign_in(warm, user["email"])
    # The 2,000-action bench plan's page is measured alone only (docs/benchmarks.md).
    alone: dict[str, list[float]] = {}
    pages = [("tracker", 0), ("plan", 0), ("action", 0), ("export", 0), ("export", 1)]
    for kind, round_ in [*pages, ("bench_plan", 0)]:
        path = _request_for(kind, user, seeded, user["actions"][0], round_)  # export: CSV, XLSX
        for attempt in range(6 if kind != "bench_plan" else 4):
            start = time.perf_counter()
            status, _, _ = warm.request("GET", path)
            if status != 200:
                raise RuntimeError(f"{path} answered {status} to the warm-up")
            if attempt >= 3 or (kind == "bench_plan" and attempt >= 1):
                alone.setdefault(kind, []).append((time.perf_counter() - start) * 1000)
    # Everyone signs in before the clock starts (a password check is deliberately slow).
    browsers = []
    for user in seeded["users"]:
        browsers.append(Browser(base))
        sign_in(browsers[-1], user["email"])
    print(f"Mixed load: {len(seeded['users'])} users for {seconds:.0f} s", file=sys.stderr)
    tally = Tally()
    stop_at = time.monotonic() + seconds
    failures: list[str] = []

    def user_thread(number: int, user: dict, browser: Browser) -> None:
        try:
            user_loop(number, user, browser, seeded, stop_at, marker, tally)
        except Exception as error:  # a fault in this script: counted, never hidden
            failures.append(f"user {number} stopped: {error!r}")

    threads = [
        threading.Thread(target=user_thread, args=(n, user, browser), daemon=True)
        for n, (user, browser) in enumerate(zip(seeded["users"], browsers, strict=True), 1)
    ]
    load = os.getloadavg()[0]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(seconds + 2 * TIMEOUT)
    elapsed = time.monotonic() - started
    texts = _subprocess(["written", marker], env)
    admin = admin_reference()
    acknowledged = set(tally.acknowledged)
    rows = {}
    for kind in ROUND:
        samples = [s for s in tally.samples if s.kind == kind]
        times = [s.ms for s in samples]
        rows[kind] = {
            "alone": percentile(alone[kind], 50) if kind in alone else None,
            "requests": len(samples),
            "errors": sum(not s.ok for s in samples),
            "p50": percentile(times, 50),
            "p95": percentile(times, 95),
            "p99": percentile(times, 99),
        }
    errors = [s.detail for s in tally.samples if not s.ok] + failures
    return {
        "users": len(seeded["users"]),
        "seconds": round(elapsed),
        "load": load,
        "rows": rows,
        "requests": len(tally.samples),
        "errors": len(errors),
        "error_examples": errors[:10],
        "acknowledged": len(tally.acknowledged),
        "written": len(texts),
        "lost": len(acknowledged - set(texts)),
        "unacknowledged": len(set(texts) - acknowledged),
        "admin": admin,
        "bench_plan_alone": percentile(alone["bench_plan"], 50),
    }


def print_report(result: dict) -> None:
    admin = result["admin"]
    print(
        f"\nMixed load: {result['users']} users (chairs signed in through the sign-in page) "
        f"for {result['seconds']} s, each pausing 0.5 to 2 s between requests; the admin "
        "changelist measured after it in the same run (wrk, 20 connections, the same "
        "pauses):\n"
    )
    print("| Request | alone ms | requests | errors | p50 ms | p95 ms | p99 ms | p95 vs admin |")
    print("|---|---|---|---|---|---|---|---|")
    for kind, row in result["rows"].items():
        alone = f"{row['alone']:.1f}" if row["alone"] is not None else "-"
        print(
            f"| {LABELS[kind]} | {alone} | {row['requests']} | {row['errors']} | "
            f"{row['p50']:.1f} | {row['p95']:.1f} | {row['p99']:.1f} | "
            f"{row['p95'] / admin['p95']:.2f}x |"
        )
    print(
        "| Django admin changelist, same Action rows (reference) | "
        f"{admin['alone']:.1f} | {int(admin['requests'])} | {int(admin['errors'])} | "
        f"{admin['p50']:.1f} | {admin['p95']:.1f} | {admin['p99']:.1f} | 1.00x |"
    )
    print(
        f"\n{result['requests']} requests, {result['errors']} errors. Progress updates: "
        f"{result['acknowledged']} acknowledged (302), {result['written']} written, "
        f"{result['lost']} acknowledged but not written, {result['unacknowledged']} written "
        "but not acknowledged."
    )
    print(
        "The 2,000-action bench plan's page (not in the mix), one request at a time: "
        f"{result['bench_plan_alone']:.0f} ms. Load average when the users started: "
        f"{result['load']:.1f}."
    )
    for example in result["error_examples"]:
        print(f"  error: {example}")


if __name__ == "__main__":
    if sys.argv[1:2] == ["seed"]:
        print(json.dumps(seed()))
    elif sys.argv[1:2] == ["written"] and len(sys.argv) == 3:
        print(json.dumps(written(sys.argv[2])))
    else:
        sys.exit(__doc__)
