"""`manage.py render_plan`: a plan's HTML and PDF written to files, nothing published."""

import io

import pikepdf
import pytest
from django.core.management import CommandError, call_command

from reports.models import Publication
from tests.reports.test_documents import BOARD_NAME, build_plan, build_strategic_plan


def run(*args) -> str:
    out = io.StringIO()
    call_command("render_plan", *args, stdout=out)
    return out.getvalue()


def test_writes_the_html_and_the_pdf_without_publishing(db, tmp_path):
    plan = build_plan(actions_in_long_priority=2)
    html, pdf = tmp_path / "plan.html", tmp_path / "plan.pdf"
    out = run("nsab", "Business Plan 2024/25", "--html", str(html), "--pdf", str(pdf))
    assert f"{BOARD_NAME}: Business Plan 2024/25</title>" in html.read_text()
    with pikepdf.open(pdf) as document:
        assert str(document.docinfo.Title) == f"{BOARD_NAME}: Business Plan 2024/25"
        pages = len(document.pages)
    assert f"({pages} pages)" in out
    assert not Publication.objects.exists()
    plan.refresh_from_db()
    assert plan.status == "approved"


def test_draft_and_a_strategic_plan_found_by_its_title(db, tmp_path):
    plan = build_plan(actions_in_long_priority=1)
    build_strategic_plan(plan.board)
    html = tmp_path / "strategic.html"
    run("nsab", "Strategic Plan 2024 to 2027", "--html", str(html), "--draft")
    text = html.read_text()
    assert f"<title>DRAFT: {BOARD_NAME}: Strategic Plan 2024 to 2027</title>" in text
    assert "DRAFT - not published" in text


@pytest.mark.parametrize(
    "args, message",
    [
        (["nowhere", "Business Plan 2024/25"], 'There is no board "nowhere".'),
        (["nsab", "Business Plan 1999/00"], 'NSAB has no plan called "Business Plan 1999/00". '
         "Its plans: Business Plan 2024/25."),
    ],
)  # fmt: skip
def test_an_unknown_board_or_title_is_a_clear_error(db, tmp_path, args, message):
    build_plan(actions_in_long_priority=1)
    html = tmp_path / "plan.html"
    with pytest.raises(CommandError) as error:
        run(*args, "--html", str(html))
    assert str(error.value) == message
    assert not html.exists()


def test_needs_somewhere_to_write(db):
    build_plan(actions_in_long_priority=1)
    with pytest.raises(CommandError, match="--html FILE, --pdf FILE or both"):
        run("nsab", "Business Plan 2024/25")
