"""Build the demo: `python manage.py seed_demo`. Safe to run again; it never duplicates.

Each app may provide a ``demo`` module with a ``seed(stdout)`` function; they run in
INSTALLED_APPS order (sab, subgroups, priorities, reviews, reports), so later apps can
build on earlier ones without the core app importing them.
"""

from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from sab.demo import DEMO_TOTP_SECRET, seed_second_factors

LOCAL_APPS = ("sab", "subgroups", "priorities", "reviews", "reports")


class Command(BaseCommand):
    help = "Create or refresh the demonstration boards, people and logins."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even though DEBUG is off (never on a live system: it creates known logins).",
        )

    def handle(self, *args, force: bool = False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_demo creates logins with a published password, so it only runs when "
                "DEBUG is on. Use --force if you really mean to run it here."
            )
        logins: list[tuple[str, str]] = []
        password = ""
        with transaction.atomic():
            for app_config in apps.get_app_configs():
                if app_config.name not in LOCAL_APPS:
                    continue
                module_name = f"{app_config.name}.demo"
                if find_spec(module_name) is None:
                    continue
                result = import_module(module_name).seed(stdout=self.stdout) or {}
                logins += result.get("logins", [])
                password = result.get("password", password)
            # Later apps may give logins a review role too: every demo login that needs a
            # second factor gets the demo authenticator app.
            second_factor = seed_second_factors(email for email, _ in logins)
        self.stdout.write(self.style.SUCCESS("Demo data is ready."))
        self.stdout.write(f"Sign in at {settings.SITE_URL}/accounts/login/ with one of:")
        width = max(len(email) for email, _ in logins)
        for email, role in logins:
            self.stdout.write(f"  {email.ljust(width)}  {role}")
        if second_factor:
            self.stdout.write(
                f"After the password, these logins need a code from an authenticator app: "
                f"{', '.join(second_factor)}. Get the current code with "
                f"`python manage.py demo_code`, or add the key {DEMO_TOTP_SECRET} to an "
                "authenticator app."
            )
        # The password line stays last: scripts (and the tests) read what follows it.
        self.stdout.write(f"Demo password for every login: {password}")
