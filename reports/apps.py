import sys

from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "Reports and publications"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The plan pages' "Print and publish" section; partner statements due in the daily
        # reminders (priorities.reminders' collector).
        from reports import board_section, plan_section, statement_reminders  # noqa: F401

        # The task worker renders PDFs: it loads WeasyPrint once, at start-up (about 0.9 s),
        # rather than on its first job. Web processes load it only if they print a draft.
        if "db_worker" in sys.argv:
            import weasyprint  # noqa: F401
