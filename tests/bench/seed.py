"""Bench data: one board, 2,000 actions and 20,000 progress updates; prints the pages to
measure and their query counts.

Run by tests/bench/run.py in a subprocess with the bench environment (DATABASE_URL etc.).
"""

import datetime
import json
import os
import sys

sys.path.insert(0, os.getcwd())
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sab.settings")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402
from django_otp import DEVICE_ID_SESSION_KEY  # noqa: E402
from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: E402

from priorities.models import Action, BusinessPlan, Priority, ProgressUpdate, ReportingPeriod  # noqa: E402
from sab.models import Board, RoleAssignment, User  # noqa: E402
from subgroups.models import Group  # noqa: E402

ACTIONS, UPDATES_PER_ACTION = 2000, 10
STATUSES = ["not_started", "in_progress", "in_progress", "complete", "deferred"]
RAGS = ["red", "amber", "green", "green", "complete"]

board = Board.objects.create(
    name="Bench Safeguarding Adults Board", short_name="BSAB", slug="bench", area="Bench"
)
groups = [Group.objects.create(name=f"Subgroup {i}", reporting_board=board) for i in range(8)]
for group in groups:
    group.boards.add(board)
today = timezone.localdate()
period = ReportingPeriod.objects.create(
    board=board,
    label="Current",
    start=today - datetime.timedelta(40),
    end=today + datetime.timedelta(50),
)
old_period = ReportingPeriod.objects.create(
    board=board,
    label="Previous",
    start=today - datetime.timedelta(140),
    end=today - datetime.timedelta(41),
)
plan = BusinessPlan.objects.create(board=board, title="Bench plan", status="approved")
priorities = [
    Priority.objects.create(plan=plan, ref=str(i + 1), title=f"Priority {i + 1}", order=i)
    for i in range(40)
]
actions = Action.objects.bulk_create(
    [
        Action(
            priority=priorities[i % 40],
            ref=f"{i % 40 + 1}.{i // 40 + 1}",
            description=f"Action {i}: review multi-agency arrangements for adults at risk " * 2,
            outcome_measure="Audit shows improvement",
            lead_group=groups[i % 8],
            due_date=today + datetime.timedelta(days=(i % 365) - 180),
            status=STATUSES[i % 5],
            order=i // 40,
        )
        for i in range(ACTIONS)
    ]
)
now = timezone.now()
ProgressUpdate.objects.bulk_create(
    [
        ProgressUpdate(
            action=a,
            period=period if u == UPDATES_PER_ACTION - 1 else old_period,
            # Each text its own, as in life (the tracker remembers summaries per text).
            text=f"Progress narrative {a.pk}.{u} " + "Progress narrative " * 9,
            status=a.status,
            rag=RAGS[(a.pk + u) % 5],
            created_at=now - datetime.timedelta(days=UPDATES_PER_ACTION - u),
        )
        for a in actions
        for u in range(UPDATES_PER_ACTION)
    ],
    batch_size=2000,
)
admin = User.objects.create_superuser("bench@example.org", "bench-password-123")
RoleAssignment.objects.create(user=admin, board=board, role=RoleAssignment.Role.BOARD_MANAGER)

with connection.cursor() as cursor:  # as autovacuum would after a bulk load
    cursor.execute("ANALYZE")

client = Client(HTTP_HOST="127.0.0.1")
client.force_login(admin)
# The admin answers only after the second factor (sab/admin_site.py): a confirmed app, and the
# session marked verified, as signing in with a code would.
device = TOTPDevice.objects.create(user=admin, name="Bench app", confirmed=True)
session = client.session
session[DEVICE_ID_SESSION_KEY] = device.persistent_id
session.save()
urls = {
    "tracker": "/boards/bench/actions/",
    "tracker_filtered": "/boards/bench/actions/?status=in_progress&rag=amber&sort=-due",
    "board": "/boards/bench/",  # with its "Needs your attention" counts (priorities/attention.py)
    "search": "/search/?q=review",  # a word in every action's description
    "admin": "/django-admin/priorities/action/",
}
counts = {}
for name, url in urls.items():
    client.get(url)  # warm-up (session write, caches)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    counts[name] = len(queries)
print(json.dumps({"session": client.cookies["sessionid"].value, "urls": urls, "queries": counts}))
