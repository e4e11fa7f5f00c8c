"""Import a business plan spreadsheet into a board.

    python manage.py import_plan FILE --board SLUG --plan "TITLE"

Runs the same checks as the import page and imports nothing if any row has a problem.
"""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from priorities.plan_import.parse import ImportFileError
from priorities.plan_import.stage import PlanImportError, import_plan
from sab.models import Board


class Command(BaseCommand):
    help = (
        "Import a business plan from a CSV or XLSX file into a board, creating the plan as a "
        "draft if the board has no plan with that title. All or nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The CSV or XLSX file.")
        parser.add_argument("--board", required=True, help="The board's slug, e.g. lsab.")
        parser.add_argument(
            "--plan", required=True, help='The plan\'s title, e.g. "Business Plan 2025/26".'
        )

    def handle(self, *args, file: str, board: str, plan: str, **options):
        board_obj = Board.objects.filter(slug=board).first()
        if board_obj is None:
            slugs = ", ".join(Board.objects.order_by("slug").values_list("slug", flat=True))
            raise CommandError(f'There is no board "{board}". Boards: {slugs or "none"}.')
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"{file} was not found.")

        try:
            result = import_plan(
                board=board_obj, plan_title=plan, data=path.read_bytes(), filename=path.name
            )
        except ImportFileError as exc:
            raise CommandError(f"{path.name}: {exc}") from None
        except PlanImportError as exc:
            errors = exc.preview.error_messages()
            raise CommandError(
                "\n".join(
                    [
                        f"Nothing was imported: {len(errors)} "
                        f"problem{'s' if len(errors) != 1 else ''} in {path.name}.",
                        *errors,
                    ]
                )
            ) from None
        except ValidationError as exc:
            raise CommandError("\n".join(exc.messages)) from None

        for warning in result.warnings:
            self.stdout.write(self.style.WARNING(f"Warning: {warning}"))
        where = "into the existing plan" if result.plan_exists else "into a new draft plan"
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {result.summary()} {where} {result.plan} ({board_obj.short_name})."
            )
        )
