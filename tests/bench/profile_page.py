"""Where one page's server time goes, in-process: SQL, and the slowest functions (cProfile).

Against a database that tests/bench/seed.py filled (the bench environment: DATABASE_URL,
DEBUG off...). Not part of `make bench`; for a person reading a profile:

    python tests/bench/profile_page.py /boards/bench/actions/ [requests] [--cprofile] [--cold]

--cold empties the caches before each request (the tracker's filter choices and its
per-process memos of update summaries and due dates): the first view of a page.
"""

import cProfile
import os
import pstats
import statistics
import sys
import time

sys.path.insert(0, os.getcwd())
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sab.settings")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from sab.models import User  # noqa: E402


def empty_caches() -> None:
    from django.core.cache import cache

    from priorities import views

    cache.clear()
    views._progress_summary.cache_clear()
    views._due_text.cache_clear()


def main() -> None:
    url = sys.argv[1]
    n = int(sys.argv[2]) if len(sys.argv) > 2 and sys.argv[2].isdigit() else 50
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(User.objects.get(email="bench@example.org"))
    sql: list[float] = []
    count = [0]

    def timed(execute, sql_text, params, many, context):
        count[0] += 1
        start = time.perf_counter()
        try:
            return execute(sql_text, params, many, context)
        finally:
            sql[-1] += time.perf_counter() - start

    for _ in range(5):
        assert client.get(url).status_code == 200
    totals, sqls, queries = [], [], []
    profiler = cProfile.Profile() if "--cprofile" in sys.argv else None
    cold = "--cold" in sys.argv
    with connection.execute_wrapper(timed):
        for _ in range(n):
            sql.append(0.0)
            count[0] = 0
            if cold:
                empty_caches()
            start = time.perf_counter()
            if profiler:
                profiler.enable()
            response = client.get(url)
            if profiler:
                profiler.disable()
            totals.append(time.perf_counter() - start)
            sqls.append(sql[-1])
            queries.append(count[0])
            assert response.status_code == 200
    ms = 1000
    print(
        f"{url}: median {statistics.median(totals) * ms:.1f} ms a request, "
        f"SQL {statistics.median(sqls) * ms:.1f} ms in {max(queries)} queries, "
        f"{len(response.content):,} bytes"
    )
    if profiler:
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(45)
        pstats.Stats(profiler).sort_stats("tottime").print_stats(25)


if __name__ == "__main__":
    main()
