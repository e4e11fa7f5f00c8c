"""`make bench`: the speed and memory targets, measured; prints rows for docs/benchmarks.md.

Tracker with 2,000 actions / 20,000 progress updates, the board page (with its attention
counts) and the search page, served by gunicorn (3 workers) with DEBUG off on PostgreSQL,
loaded by wrk (20 connections back to back, one at a time, 20 users pausing), next to the
Django admin's changelist of the same Action rows in the same run. Also the query count per
page and the time and peak memory of importing a 2,000-row plan.

Then the mixed-load run (tests/bench/mixed_load.py): 20 chairs for 60 s (BENCH_MIXED_SECONDS)
over the tracker, the plan page, an action page, progress updates and exports, with the
progress updates written counted against those acknowledged. `BENCH_ONLY=mixed make bench`
runs only that (and the admin reference it is compared with).

Then the publishing run (tests/bench/publishing_bench.py, issue 11), in a database of its
own: renders of the demo plan and of a 40-page plan against WeasyPrint alone, and downloads
of a published PDF through the view against whitenoise. `BENCH_ONLY=publishing make bench`
runs only that.

Needs PostgreSQL (BENCH_PG, default postgres://postgres@127.0.0.1:5432) and wrk
(apt-get install wrk). Loopback only.
"""

import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import date
from pathlib import Path

import mixed_load
import publishing_bench

ROOT = Path(__file__).resolve().parents[2]
PY = sys.executable
PORT = 8765
DURATION = os.environ.get("BENCH_DURATION", "15s")
# "mixed": only the mixed-load run; "publishing": only the publishing run
ONLY = os.environ.get("BENCH_ONLY", "")
MIXED_SECONDS = float(os.environ.get("BENCH_MIXED_SECONDS", "60"))


def run(cmd, env, **kwargs):
    return subprocess.run(
        cmd, cwd=ROOT, env=env, check=True, text=True, capture_output=True, **kwargs
    )


def wrk(url: str, session: str, script: str = "percentiles.lua", connections: int = 20) -> dict:
    out = subprocess.run(
        [
            "wrk",
            f"-t{min(2, connections)}",
            f"-c{connections}",
            f"-d{DURATION}",
            "--timeout",
            "10s",
            "-H",
            f"Cookie: sessionid={session}",
            "-s",
            str(ROOT / "tests/bench" / script),
            url,
        ],
        check=True,
        text=True,
        capture_output=True,
    ).stdout
    line = next(line for line in out.splitlines() if line.startswith("RESULT"))
    return {k: float(v) for k, v in (part.split("=") for part in line.split()[1:])}


def warm_up(base: str, seeded: dict) -> None:
    """Each page a few times, so that every worker has loaded its templates and code before
    anything is measured (whichever page comes first would otherwise pay for it)."""
    for url in seeded["urls"].values():
        for _ in range(6):
            get(base + url, seeded["session"])


def drain(base: str) -> None:
    """Wait until the server has finished the requests wrk left queued when it stopped (20
    slow searches take seconds), so they do not count against the next page measured."""
    for _ in range(100):
        start = time.perf_counter()
        get(base + "/healthz")
        if time.perf_counter() - start < 0.02:
            time.sleep(0.5)
            return
        time.sleep(0.2)


def get(url: str, session: str | None = None) -> None:
    headers = {"Cookie": f"sessionid={session}"} if session else {}
    request = urllib.request.Request(url, headers=headers)
    with urllib.request.urlopen(request, timeout=30) as response:
        response.read()


def main() -> int:
    if not shutil.which("wrk"):
        print("wrk is needed: apt-get install wrk", file=sys.stderr)
        return 1
    if ONLY not in {"", "mixed", "publishing"}:
        print(
            f"BENCH_ONLY is empty (everything), mixed or publishing, not {ONLY!r}",
            file=sys.stderr,
        )
        return 1
    pg = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
    db = f"sab_bench_{os.getpid()}"
    static = tempfile.mkdtemp(prefix="sab-bench-static-")
    env = {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": f"{pg}/{db}",
        "CONN_MAX_AGE": "60",
        "SECURE_SSL_REDIRECT": "false",
        "STATIC_ROOT": static,
        "AXES_ENABLED": "false",
        "LOG_LEVEL": "WARNING",
    }
    gunicorn = str(Path(PY).parent / "gunicorn")
    if ONLY == "publishing":
        shutil.rmtree(static, ignore_errors=True)
        published = publishing_bench.run(env, pg, PORT, gunicorn)
        print_machine()
        publishing_bench.print_report(published)
        return 0
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", db], check=True)
    server = None
    try:
        run([PY, "manage.py", "migrate", "--no-input", "-v0"], env)
        run([PY, "manage.py", "collectstatic", "--no-input", "-v0"], env)
        seeded = json.loads(run([PY, "tests/bench/seed.py"], env).stdout.strip().splitlines()[-1])
        server = subprocess.Popen(
            [
                gunicorn,
                "sab.wsgi",
                "-w",
                "3",
                "-b",
                f"127.0.0.1:{PORT}",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
        )
        for _ in range(50):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{PORT}/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        base = f"http://127.0.0.1:{PORT}"
        warm_up(base, seeded)
        results, single, users = {}, {}, {}
        pages = seeded["urls"].items() if not ONLY else ()  # BENCH_ONLY=mixed: none
        for name, url in pages:
            results[name] = wrk(base + url, seeded["session"])
            drain(base)
        for name, url in pages:
            single[name] = wrk(base + url, seeded["session"], connections=1)
            drain(base)
        for name, url in pages:
            users[name] = wrk(base + url, seeded["session"], "think.lua")
            drain(base)

        def admin_reference() -> dict:
            """The admin changelist with 20 users pausing as the mixed run's do, and its
            median one request at a time."""
            admin_url = base + seeded["urls"]["admin"]
            drain(base)
            alone = wrk(admin_url, seeded["session"], connections=1)
            drain(base)
            return {**wrk(admin_url, seeded["session"], "think.lua"), "alone": alone["p50"]}

        mixed = mixed_load.run(base, env, admin_reference, MIXED_SECONDS)
        server.terminate()
        server.wait(timeout=10)
        server = None
        if not ONLY:
            imported = json.loads(
                run([PY, "tests/bench/import_bench.py"], env).stdout.strip().splitlines()[-1]
            )
            # The publishing run, in a database of its own, last (its PDF copied into the
            # STATIC_ROOT collected above).
            published = publishing_bench.run(env, pg, PORT, gunicorn, static)
    finally:
        if server:
            server.kill()
        subprocess.run(
            ["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", db], check=False
        )
        shutil.rmtree(static, ignore_errors=True)

    print_machine()
    print(f"wrk -t2 -c20 -d{DURATION} on loopback; gunicorn 3 workers; DEBUG off.\n")
    if ONLY:
        mixed_load.print_report(mixed)
        return 0
    admin = results["admin"]
    print("20 connections requesting back to back (stress: no pause between requests):\n")
    print("| Page | Queries | p50 ms | p95 ms | p99 ms | req/s | errors | p50 vs admin |", end="")
    print(" p95 vs admin |")
    print("|---|---|---|---|---|---|---|---|---|")
    labels = {
        "tracker": "Tracker, first page (50 of 2,000)",
        "tracker_filtered": "Tracker, filtered (status + RAG, sorted by due date)",
        "board": "Board page, with the attention counts",
        "search": 'Search, "review" (in all 2,000 actions)',
        "admin": "Django admin changelist, same Action rows (50 a page)",
    }
    for name, r in results.items():
        ratio50 = r["p50"] / admin["p50"]
        ratio95 = r["p95"] / admin["p95"]
        print(
            f"| {labels[name]} | {seeded['queries'][name]} | {r['p50']:.1f} | {r['p95']:.1f} | "
            f"{r['p99']:.1f} | {r['rps']:.0f} | {int(r['errors'])} | {ratio50:.2f}x | "
            f"{ratio95:.2f}x |"
        )
    print("\nOne user at a time (server time per request):\n")
    print("| Page | p50 ms | p95 ms | p99 ms | req/s | p50 vs admin |")
    print("|---|---|---|---|---|---|")
    for name, r in single.items():
        print(
            f"| {labels[name]} | {r['p50']:.1f} | {r['p95']:.1f} | {r['p99']:.1f} | "
            f"{r['rps']:.1f} | {r['p50'] / single['admin']['p50']:.2f}x |"
        )
    print("\n20 users reading each page for 0.5 to 2 s between requests (wrk with a delay):\n")
    print("| Page | p50 ms | p95 ms | p99 ms | req/s | errors | p95 vs admin |")
    print("|---|---|---|---|---|---|---|")
    for name, r in users.items():
        print(
            f"| {labels[name]} | {r['p50']:.1f} | {r['p95']:.1f} | {r['p99']:.1f} | "
            f"{r['rps']:.1f} | {int(r['errors'])} | {r['p95'] / users['admin']['p95']:.2f}x |"
        )
    print(
        f"\nImport of a {imported['rows']:,}-row CSV: {imported['seconds']} s, "
        f"peak RSS {imported['peak_mb']} MB (whole process)."
    )
    mixed_load.print_report(mixed)
    publishing_bench.print_report(published)
    return 0


def print_machine() -> None:
    machine = f"{os.cpu_count()} vCPU {platform.machine()}, Python {platform.python_version()}"
    print(f"Machine: {machine}, PostgreSQL. Date: {date.today().isoformat()}.")


if __name__ == "__main__":
    sys.exit(main())
