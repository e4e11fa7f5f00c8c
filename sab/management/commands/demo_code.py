"""Print the current code of the demo's authenticator app: `python manage.py demo_code`.

The demo logins that must use a second factor (board managers, review subgroup members) all
have an authenticator app with the published key sab.demo.DEMO_TOTP_KEY, so this command
stands in for the phone.
"""

from binascii import unhexlify

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import TOTP

from sab.demo import DEMO_TOTP_KEY, DEMO_TOTP_SECRET


class Command(BaseCommand):
    help = "Print the current 6-digit code for the demo logins' authenticator app."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even though DEBUG is off (never on a live system).",
        )

    def handle(self, *args, force: bool = False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "demo_code gives codes for the demo's published authenticator key, so it only "
                "runs when DEBUG is on. Use --force if you really mean to run it here."
            )
        totp = TOTP(unhexlify(DEMO_TOTP_KEY))
        now = int(totp.time)
        self.stdout.write(f"{totp.token():06d}")
        self.stdout.write(
            f"It changes in {totp.step - now % totp.step} seconds, and signs each login in once. "
            f"The key, for an authenticator app: {DEMO_TOTP_SECRET}"
        )
