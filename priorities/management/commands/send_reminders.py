"""Send today's reminder digests: run it once a day (cron, or the compose ``reminders``
service).

    python manage.py send_reminders [--today YYYY-MM-DD] [--days-before-deadline 7]
                                    [--days-before-meeting 7]

The work is priorities.reminders.send_reminders, which the task send_reminders_task also runs.
A second run sends nothing already sent.
"""

import datetime

from django.core.management.base import BaseCommand, CommandError

from priorities.reminders import DEFAULT_DAYS_BEFORE, send_reminders


def _day(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--today must be a date such as 2026-10-01, not {value!r}.") from None


class Command(BaseCommand):
    help = (
        "E-mail each person one digest: their groups' actions needing an update before the "
        "period's deadline, overdue actions they lead, ratings waiting for their decision "
        "before the executive meeting, and (registered by other apps) partner statements "
        "due within 7 days or overdue. Nothing is sent twice."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--today", type=_day, default=None, help="Run as if on this day (YYYY-MM-DD)."
        )
        parser.add_argument(
            "--days-before-deadline",
            type=int,
            default=DEFAULT_DAYS_BEFORE,
            help="Remind chairs this many days before a period's update deadline (default 7).",
        )
        parser.add_argument(
            "--days-before-meeting",
            type=int,
            default=DEFAULT_DAYS_BEFORE,
            help="Remind executive members this many days before the executive meeting "
            "(default 7).",
        )

    def handle(self, *args, today, days_before_deadline, days_before_meeting, **options):
        if days_before_deadline < 0 or days_before_meeting < 0:
            raise CommandError("The number of days must be 0 or more.")
        sent = send_reminders(
            today=today,
            days_before_deadline=days_before_deadline,
            days_before_meeting=days_before_meeting,
        )
        self.stdout.write(f"Sent {sent} reminder e-mail{'' if sent == 1 else 's'}.")
