"""Time and peak memory of importing a generated 2,000-row plan (run in its own process)."""

import csv
import io
import json
import os
import resource
import sys
import time

sys.path.insert(0, os.getcwd())
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sab.settings")

import django

django.setup()

from priorities.plan_import.stage import import_plan  # noqa: E402
from sab.models import Board  # noqa: E402

ROWS = 2000
buffer = io.StringIO()
writer = csv.writer(buffer)
writer.writerow(
    [
        "Priority ref",
        "Priority",
        "Ref",
        "What are we going to do?",
        "How will we measure progress and impact?",
        "Who will lead?",
        "When is it going to be done by?",
        "Status",
        "Progress",
    ]
)
for i in range(ROWS):
    p = i // 50 + 1
    writer.writerow(
        [
            str(p),
            f"Priority {p}",
            f"{p}.{i % 50 + 1}",
            f"Review arrangements for adults at risk, step {i}",
            "Audit shows improvement",
            f"Subgroup {i % 8}",
            "Sept 2027",
            "In progress",
            "Started",
        ]
    )
data = buffer.getvalue().encode()
board = Board.objects.get(slug="bench")
start = time.perf_counter()
import_plan(board=board, plan_title="Imported bench plan", data=data, filename="bench.csv")
elapsed = time.perf_counter() - start
peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": round(elapsed, 2), "peak_mb": round(peak_mb), "rows": ROWS}))
