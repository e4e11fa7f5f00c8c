"""`make bench`'s publishing run (issue 11): rendering a plan, and downloading its PDF.

1. Render. The demo's Leicestershire & Rutland "Business Plan 2014/15" (built by
   ``seed_demo``, as a developer gets it) and a synthetic plan of 40 printed pages (12
   priorities of 6 actions, each with milestones and a progress update with a rating). In one
   warm process of its own (each plan rendered once first; no seeding in it): 5 rounds, each
   timing our whole render (``reports.rendering.render``: the document's queries and context,
   the template, WeasyPrint to PDF/UA-1) and WeasyPrint alone on the identical HTML with the
   same base URL, fetcher and variant, the two interleaved (their order alternating by round)
   so that a drift in the machine's load falls on both. Medians of the 5. Peak memory: each
   plan rendered once more in a child process of its own (Django set up and WeasyPrint
   imported first), whose ``ru_maxrss`` is that render's peak.

   The same for annual reports (issue 12): the demo's Leicester 2017/18 report (when
   seed_demo builds it) and a synthetic report of about 40 printed pages (narrative sections
   in every part and a statement from each of 24 member organisations), with the time to
   assemble each report's data (``reports.annual_report.assemble``) on its own.

2. Download. The synthetic plan approved and published (``store_publication``), its PDF
   requested anonymously (no cookie) through our view (``publications:pdf``) and the same
   bytes as a static file served by whitenoise (copied into STATIC_ROOT before gunicorn
   starts; DEBUG off), from the same gunicorn server in the same run, with wrk on loopback;
   then both again with If-None-Match carrying each one's ETag (the 304 path).

Its own database and files (separate from run.py's bench data): called by run.py after
the other runs (``BENCH_ONLY=publishing make bench`` runs only this). The render part runs
in subprocesses with the bench environment, like seed.py:

    python tests/bench/publishing_bench.py collect        # collectstatic, uncompressed
    python tests/bench/publishing_bench.py prepare        # seed and publish: JSON
    python tests/bench/publishing_bench.py renders DOCS   # the timed renders ({name: key}): JSON
    python tests/bench/publishing_bench.py peak KEY       # one render in a fresh process: JSON

A document's key is its model and pk: "priorities.businessplan:12", "reports.annualreport:3".
"""

from __future__ import annotations

import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ROUNDS = 5
DURATION = os.environ.get("BENCH_PUBLISHING_DURATION", "15s")
CONNECTIONS = 8
DEMO_PLAN = ("lrsab", "Business Plan 2014/15")
SYNTHETIC_TITLE = "Synthetic bench plan (40 pages)"
PRIORITIES, ACTIONS = 12, 6  # 40 printed pages (12 x 10 printed 64)
DEMO_REPORT = ("lsab", 2017)
REPORT_PARTNERS, REPORT_PARAGRAPHS = 24, 13  # about 40 printed pages
STATIC_NAME = "bench/published.pdf"


# --- In the bench environment (subprocess) ---------------------------------------------


def _django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sab.settings")
    import django

    django.setup()


def _say(message: str) -> None:
    print(f"Publishing: {message}", file=sys.stderr, flush=True)


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def _synthetic_plan():
    """An approved plan of PRIORITIES priorities of ACTIONS actions, each action with two
    milestones and a rated progress update of a few sentences, like a busy real plan."""
    import datetime

    from django.utils import timezone

    from priorities.models import (
        Action,
        BusinessPlan,
        Milestone,
        Objective,
        PlanStatus,
        Priority,
        ProgressUpdate,
    )
    from sab.models import Board
    from subgroups.models import Group

    board = Board.objects.get(slug=DEMO_PLAN[0])
    groups = list(Group.objects.filter(boards=board).order_by("pk")) or [None]
    plan = BusinessPlan.objects.create(
        board=board,
        title=SYNTHETIC_TITLE,
        period="2026/27",
        effective_from=datetime.date(2026, 4, 1),
        introduction=(
            "This plan sets out what the Board and its partners will do this year to keep "
            "adults at risk safe, and how we will know it has made a difference.\n\n" * 3
        ),
    )
    rags = ["green", "amber", "red", "complete", "green", "amber", None]
    statuses = ["in_progress", "in_progress", "not_started", "complete", "deferred"]
    when = timezone.make_aware(datetime.datetime(2026, 10, 15, 12))
    for p in range(1, PRIORITIES + 1):
        group = groups[p % len(groups)]
        priority = Priority.objects.create(
            plan=plan,
            ref=str(p),
            title=f"Priority {p}: make safeguarding personal in every partner agency",
            statement=(
                "Adults at risk are listened to, and the outcomes they want shape what "
                "partners do with them, in every enquiry and every plan."
            ),
            rationale=(
                "Audits last year found that the person's own wishes were recorded in fewer "
                "than half of the enquiries sampled, and that feedback was rarely sought."
            ),
            outcome="People say they felt in control and safer after an enquiry.",
            partnership_lead="Director of Adult Social Care",
            board_officer="Board business manager",
            delivery_group=group,
            order=p,
        )
        objectives = [
            Objective.objects.create(
                priority=priority,
                text=f"Objective {p}.{o}: partners can show the difference their work makes.",
                order=o,
            )
            for o in (1, 2)
        ]
        for a in range(1, ACTIONS + 1):
            n = p * ACTIONS + a
            action = Action.objects.create(
                priority=priority,
                objective=objectives[a % 2],
                ref=f"{p}.{a}",
                description=(
                    f"Review how adults at risk and their families are kept informed during "
                    f"a safeguarding enquiry, and agree a shared standard (step {a}), with a "
                    "briefing for frontline staff in every partner agency."
                ),
                outcome_measure=(
                    "Multi-agency audit shows the standard met in 80% of cases; feedback "
                    "from people who used services reported to the Board each quarter."
                ),
                lead_group=group,
                timescale="Quarterly",
                due_date=datetime.date(2027, 3, 31),
                status=statuses[n % len(statuses)],
                order=a,
            )
            Milestone.objects.bulk_create(
                Milestone(action=action, description=f"Milestone {m}: draft to the group", due=d)
                for m, d in ((1, datetime.date(2026, 9, 30)), (2, datetime.date(2027, 1, 31)))
            )
            ProgressUpdate.objects.create(
                action=action,
                text=(
                    "The group met in October and agreed the draft standard. Two partners "
                    "have piloted it with twelve enquiries; the audit of those cases is "
                    "booked for next quarter, and staff briefings are under way."
                ),
                status=action.status,
                rag=rags[n % len(rags)] or "",
                created_at=when,
            )
    BusinessPlan.objects.filter(pk=plan.pk).update(
        status=PlanStatus.APPROVED, approved_on=datetime.date(2026, 3, 20)
    )
    return BusinessPlan.objects.get(pk=plan.pk)


def _key(source) -> str:
    return f"{source._meta.label_lower}:{source.pk}"


def _source(key: str):
    from django.apps import apps

    label, pk = key.split(":")
    return apps.get_model(label).objects.select_related("board").get(pk=int(pk))


PARAGRAPH = (
    "During the year the partnership worked to make sure that adults with needs for care and "
    "support were listened to and kept safe. Staff across the agencies took part in joint "
    "training, shared what they learned from reviews, and tested new ways of working with "
    "people who self-neglect, with families and carers, and with the voluntary sector."
)


def _synthetic_report():
    """An annual report of about 40 printed pages: long narrative in every part and an
    accepted statement from each of REPORT_PARTNERS member organisations."""
    from reports.models import AnnualReport, Part, PartnerStatement, ReportSection
    from sab.models import Board, BoardMembership, Organisation

    board = Board.objects.get(slug=DEMO_PLAN[0])
    text = "\n\n".join([PARAGRAPH] * REPORT_PARAGRAPHS)
    report = AnnualReport.objects.create(
        board=board,
        year=2025,
        author="Board business manager",
        foreword=text,
        foreword_by="Independent Chair",
        executive_summary="\n".join(f"- {PARAGRAPH}" for _ in range(8)),
        introduction=text,
    )
    for order, part in enumerate(Part):
        ReportSection.objects.create(
            report=report, part=part, title=f"About {part.label.lower()}", body=text, order=order
        )
    for n in range(REPORT_PARTNERS):
        organisation, _ = Organisation.objects.get_or_create(name=f"Bench partner {n + 1:02d}")
        BoardMembership.objects.get_or_create(board=board, organisation=organisation)
        PartnerStatement.objects.create(
            report=report,
            organisation=organisation,
            due="2026-05-31",
            status=PartnerStatement.Status.ACCEPTED,
            text=text,
        )
    return report


def _size(source) -> int:
    """What a document holds: a plan's actions, a report's statements."""
    if hasattr(source, "statements"):
        return source.statements.count()
    return sum(p.actions.count() for p in source.priorities.all())


def _weasyprint_alone(html: str) -> bytes:
    """WeasyPrint on its own: the same HTML, base URL, fetcher and PDF variant."""
    import weasyprint

    from reports import rendering

    return weasyprint.HTML(
        string=html, base_url=rendering.RENDER_BASE_URL, url_fetcher=rendering.url_fetcher()
    ).write_pdf(pdf_variant=rendering.PDF_VARIANT)


def _view_queries(publication) -> int | None:
    """Database queries of one anonymous request for the published PDF (None if the view
    is not there yet)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import NoReverseMatch

    try:
        url = publication.get_pdf_url()
    except NoReverseMatch:
        return None
    client = Client(HTTP_HOST="127.0.0.1")
    client.get(url)  # a first request loads the URLconf and the view's code
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        b"".join(response.streaming_content if response.streaming else [response.content])
    return len(queries) if response.status_code == 200 else None


def collect() -> dict:
    """collectstatic with the same hashed names and manifest as the site's storage, without
    its compressed copies (a minute on this machine, and the PDF measured has none)."""
    from django.conf import settings
    from django.core.management import call_command

    settings.STORAGES["staticfiles"]["BACKEND"] = (
        "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"
    )
    call_command("collectstatic", interactive=False, verbosity=0)
    return {"static_root": str(settings.STATIC_ROOT)}


def prepare() -> dict:
    """The demo (seed_demo, as a developer builds it), the synthetic plan, and the synthetic
    plan approved and published, as a publisher would."""
    import io

    from django.core.management import call_command

    from priorities.models import BusinessPlan
    from reports import rendering, services
    from sab.models import User

    start = time.perf_counter()
    call_command("seed_demo", force=True, stdout=io.StringIO())
    demo_s = time.perf_counter() - start
    synthetic = _synthetic_plan()
    _say(f"seed_demo {demo_s:.1f} s, synthetic plan {time.perf_counter() - start - demo_s:.1f} s")
    publisher = User.objects.get(email="lrsab.manager@example.org")  # by=None fails full_clean
    publication = services.store_publication(
        source=synthetic, rendered=rendering.render(synthetic), by=publisher
    )
    try:
        pdf_url = publication.get_pdf_url()
    except Exception:  # the view's URL is not there yet
        pdf_url = None
    demo = BusinessPlan.objects.get(board__slug=DEMO_PLAN[0], title=DEMO_PLAN[1])
    documents = {"demo": _key(demo), "synthetic": _key(synthetic)}
    from reports.models import AnnualReport

    report = AnnualReport.objects.filter(board__slug=DEMO_REPORT[0], year=DEMO_REPORT[1]).first()
    if report is not None:
        documents["demo_report"] = _key(report)
    documents["synthetic_report"] = _key(_synthetic_report())
    return {
        "seeded_s": round(time.perf_counter() - start, 1),
        "plans": documents,
        "publication": {
            "pk": publication.pk,
            "url": pdf_url,
            "path": publication.pdf.path,
            "size": publication.pdf_size,
            "pages": publication.page_count,
            "etag": publication.etag,
            "queries": _view_queries(publication),
        },
    }


def renders(keys: dict[str, str]) -> dict:
    """Each plan rendered once to warm the process (templates, fonts, the fetcher's files),
    then ROUNDS rounds of ours and WeasyPrint alone on the identical HTML, interleaved, and
    our HTML alone (the document's queries, context and template). Each timed call starts
    after a full garbage collection, so that one's garbage is not collected in the other's
    time."""
    import gc

    from reports import rendering
    from reports.annual_report import assemble

    plans = {name: _source(key) for name, key in keys.items()}
    html, rendered = {}, {}
    for name, plan in plans.items():
        rendered[name] = rendering.render(plan)
        html[name] = rendered[name].html
        _weasyprint_alone(html[name])
    kinds = ("ours", "alone", "html")
    times: dict[str, dict[str, list[float]]] = {n: {k: [] for k in kinds} for n in plans}
    assembly: dict[str, list[float]] = {n: [] for n, p in plans.items() if hasattr(p, "statements")}
    loads = []
    for round_ in range(ROUNDS):
        loads.append(os.getloadavg()[0])
        for name, plan in plans.items():
            order = ("ours", "alone") if round_ % 2 == 0 else ("alone", "ours")
            for which in (*order, "html"):
                gc.collect()
                t0 = time.perf_counter()
                if which == "ours":
                    result = rendering.render(plan)
                elif which == "alone":
                    _weasyprint_alone(html[name])
                else:
                    rendering.render_html(plan)
                times[name][which].append(time.perf_counter() - t0)
                if which == "ours" and result.html != html[name]:
                    raise RuntimeError(f"{name}: the HTML changed between renders")
            if name in assembly:
                gc.collect()
                t0 = time.perf_counter()
                assemble(plan)
                assembly[name].append(time.perf_counter() - t0)
        _say(f"render round {round_ + 1} of {ROUNDS} done")
    result = {}
    for name, plan in plans.items():
        ours, alone, our_html = (statistics.median(times[name][k]) for k in kinds)
        paired = [o / a for o, a in zip(times[name]["ours"], times[name]["alone"], strict=True)]
        result[name] = {
            "plan": keys[name],
            "title": str(plan),
            "pages": rendered[name].page_count,
            "pdf_bytes": len(rendered[name].pdf),
            "html_bytes": len(html[name].encode()),
            "actions": _size(plan),
            "assemble_s": statistics.median(assembly[name]) if name in assembly else None,
            "ours": ours,
            "alone": alone,
            "html_s": our_html,
            "paired": statistics.median(paired),
            "ours_all": times[name]["ours"],
            "alone_all": times[name]["alone"],
        }
    return {"renders": result, "warm_peak_mb": round(_peak_mb()), "loads": loads}


def peak(key: str) -> dict:
    """One render of a document in this fresh process: its peak RSS, and the peak before
    it."""
    import weasyprint  # noqa: F401  (what a render's process has loaded anyway)

    from reports import rendering

    plan = _source(key)
    plan.board  # noqa: B018  (the database connection and first query, before the mark)
    before = _peak_mb()
    t0 = time.perf_counter()
    rendering.render(plan)
    return {
        "before_mb": round(before),
        "peak_mb": round(_peak_mb()),
        "cold_s": round(time.perf_counter() - t0, 2),
    }


# --- In run.py's process -----------------------------------------------------------------


def _sub(args: list[str], env: dict) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, *args],
        cwd=ROOT,
        env=env,
        check=True,
        text=True,
        stdout=subprocess.PIPE,  # what goes wrong is shown (stderr)
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def _fetch(url: str, headers: dict | None = None) -> tuple[int, dict, bytes]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:  # a 304 comes as an "error"
        return error.code, dict(error.headers), error.read()


_TRANSFER = re.compile(r"Transfer/sec:\s+([\d.]+)(\w+)")
_UNITS = {"B": 1 / 2**20, "KB": 1 / 2**10, "MB": 1, "GB": 2**10}


def _wrk(url: str, headers: dict | None = None) -> dict:
    command = ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{DURATION}", "--timeout", "10s"]
    for name, value in (headers or {}).items():
        command += ["-H", f"{name}: {value}"]
    command += ["-s", str(ROOT / "tests/bench/percentiles.lua"), url]
    out = subprocess.run(command, check=True, text=True, capture_output=True).stdout
    line = next(line for line in out.splitlines() if line.startswith("RESULT"))
    result = {k: float(v) for k, v in (part.split("=") for part in line.split()[1:])}
    transfer = _TRANSFER.search(out)
    result["load"] = os.getloadavg()[0]
    result["mb_s"] = float(transfer.group(1)) * _UNITS[transfer.group(2)] if transfer else 0.0
    return result


def run(base_env: dict, pg: str, port: int, gunicorn: str, static: str | None = None) -> dict:
    """Everything, in a database and media files of its own; returns what print_report
    prints. ``static``: a STATIC_ROOT collected already (run.py's), or None to collect one
    (``collect``)."""
    db = f"sab_bench_publishing_{os.getpid()}"
    collect = static is None
    static = static or tempfile.mkdtemp(prefix="sab-bench-pub-static-")
    media = tempfile.mkdtemp(prefix="sab-bench-pub-media-")
    env = {**base_env, "DATABASE_URL": f"{pg}/{db}", "STATIC_ROOT": static, "MEDIA_ROOT": media}
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", db], check=True)
    server = None
    try:
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--no-input", "-v0"],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
        )
        if collect:
            _sub(["collect"], env)
        print("Publishing: seeding the demo and measuring renders", file=sys.stderr)
        prepared = _sub(["prepare"], env)
        prepared.update(_sub(["renders", json.dumps(prepared["plans"])], env))
        prepared["peaks"] = {
            name: _sub(["peak", key], env) for name, key in prepared["plans"].items()
        }
        publication = prepared["publication"]
        copy = Path(static) / STATIC_NAME
        copy.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(publication["path"], copy)
        base = f"http://127.0.0.1:{port}"
        server = subprocess.Popen(
            [gunicorn, "sab.wsgi", "-w", "3", "-b", f"127.0.0.1:{port}", "--log-level", "warning"],
            cwd=ROOT,
            env=env,
        )
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        expected = Path(publication["path"]).read_bytes()
        targets = {"whitenoise": f"{base}/static/{STATIC_NAME}"}
        if publication["url"]:
            targets["view"] = base + publication["url"]
        checks, results, etags = {}, {}, {}
        for name, url in targets.items():
            for _ in range(6):  # every worker loads the code before anything is measured
                status, headers, body = _fetch(url)
            etags[name] = headers.get("ETag", "")
            not_modified, _, _ = _fetch(url, {"If-None-Match": etags[name]})
            checks[name] = {
                "status": status,
                "same_bytes": body == expected,
                "etag": etags[name],
                "status_if_none_match": not_modified,
                "content_type": headers.get("Content-Type", ""),
                "cache_control": headers.get("Cache-Control", ""),
            }
        print("Publishing: downloads (wrk)", file=sys.stderr)
        # Interleaved: whitenoise, view, whitenoise 304, view 304; then the Django stack's
        # floor for reference: /healthz (one SELECT 1, a small JSON body) through the same
        # middleware, anonymous.
        for name in targets:
            results[name] = _wrk(targets[name])
        for name in targets:
            results[f"{name}_304"] = _wrk(targets[name], {"If-None-Match": etags[name]})
        results["healthz"] = _wrk(f"{base}/healthz")
        prepared.update(checks=checks, downloads=results, seconds=time.perf_counter() - started)
        return prepared
    finally:
        if server:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
        subprocess.run(
            ["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", db], check=False
        )
        if collect:
            shutil.rmtree(static, ignore_errors=True)
        shutil.rmtree(media, ignore_errors=True)


def print_report(result: dict) -> None:
    labels = {
        "demo": "Demo: Leicestershire & Rutland Business Plan 2014/15",
        "synthetic": f"Synthetic: {PRIORITIES} priorities x {ACTIONS} actions",
        "demo_report": "Demo: Leicester annual report 2017/18",
        "synthetic_report": f"Synthetic annual report: {REPORT_PARTNERS} partner statements",
    }
    print(
        f"\nPublishing (issues 11 and 12). Renders: median of {ROUNDS} in one warm process, ours "
        "(reports.rendering.render) and WeasyPrint alone on the identical HTML interleaved; "
        "peak RSS of one render in a child process of its own.\n"
    )
    print(
        "| Document | Actions or statements | Pages | PDF KB | Ours s | WeasyPrint alone s ", end=""
    )
    print("| Ours / alone ", end="")
    print("| Paired ratio | HTML only s | Peak RSS MB (before render) |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for name, r in result["renders"].items():
        p = result["peaks"][name]
        print(
            f"| {labels[name]} | {r['actions']} | {r['pages']} | {r['pdf_bytes'] / 1024:.0f} | "
            f"{r['ours']:.2f} | {r['alone']:.2f} | {r['ours'] / r['alone']:.3f}x | "
            f"{r['paired']:.3f}x | {r['html_s']:.3f} | {p['peak_mb']} ({p['before_mb']}) |"
        )
    for name, r in result["renders"].items():
        if r.get("assemble_s") is not None:
            print(f"{labels[name]}: assembling its data {r['assemble_s'] * 1000:.0f} ms.")
    for name, r in result["renders"].items():
        ours = ", ".join(f"{t:.2f}" for t in r["ours_all"])
        alone = ", ".join(f"{t:.2f}" for t in r["alone_all"])
        print(f"{name}: ours {ours} s; alone {alone} s (round by round).")
    print(
        f"Warm process peak RSS (all of the renders above): {result['warm_peak_mb']} MB. "
        f"Load average at each round: {', '.join(f'{x:.1f}' for x in result['loads'])}."
    )
    pub = result["publication"]
    print(
        f"\nDownload of the published synthetic plan's PDF ({pub['size']:,} bytes, "
        f"{pub['pages']} pages), anonymous, wrk -t2 -c{CONNECTIONS} -d{DURATION}, gunicorn "
        f"3 sync workers, DEBUG off; the view's queries per request: {pub['queries']}.\n"
    )
    print("| Served by | Status | p50 ms | p95 ms | p99 ms | req/s | MB/s | errors ", end="")
    print("| vs whitenoise |")
    print("|---|---|---|---|---|---|---|---|---|")
    downloads = result["downloads"]
    for name, r in downloads.items():
        reference = downloads["whitenoise_304" if name.endswith("_304") else "whitenoise"]
        status = "304 (If-None-Match)" if name.endswith("_304") else "200"
        who = {"view": "Our view (publications:pdf)", "whitenoise": "whitenoise (static)"}.get(
            name.removesuffix("_304"), "Reference: /healthz through Django (no file, SELECT 1)"
        )
        print(
            f"| {who} | {status} | {r['p50']:.1f} | {r['p95']:.1f} | {r['p99']:.1f} | "
            f"{r['rps']:.0f} | {r['mb_s']:.1f} | {int(r['errors'])} | "
            f"{r['rps'] / reference['rps']:.2f}x |"
        )
    for name, check in result["checks"].items():
        print(f"  {name}: {check}")
    if not pub["url"]:
        print("  The view (publications:pdf) is not there yet: whitenoise only.")
    loads = ", ".join(f"{r['load']:.1f}" for r in downloads.values())
    print(f"Load average after each wrk run: {loads}.")
    print(f"\nPublishing run: {result['seconds']:.0f} s (seeding {result['seeded_s']} s).")


if __name__ == "__main__":
    if sys.argv[1:2] == ["collect"]:
        _django()
        print(json.dumps(collect()))
    elif sys.argv[1:2] == ["prepare"]:
        _django()
        print(json.dumps(prepare()))
    elif sys.argv[1:2] == ["renders"] and len(sys.argv) == 3:
        _django()
        print(json.dumps(renders(json.loads(sys.argv[2]))))
    elif sys.argv[1:2] == ["peak"] and len(sys.argv) == 3:
        _django()
        print(json.dumps(peak(sys.argv[2])))
    else:
        sys.exit(__doc__)
