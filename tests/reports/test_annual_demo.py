"""The demo's Leicester SAB 2017/18 annual report (reports/demo_annual.py): built by seed_demo
from the demo's records with the narrative of the real report
(../shared/seeds/annual-report-leicester-2017-18.txt), approved, published once and sent.

The demo is built once for the module (a render takes a few seconds): what the tests read
(the published HTML, the completeness check, what a second run changed, what removing a
statement does) is gathered, then every record is rolled back.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection, transaction
from django.test import override_settings

from reports import annual_services, completeness
from reports.completeness import Item
from reports.demo_annual import STATEMENTS, WRITTEN_FOR_DEMO
from reports.models import AnnualReport, Publication, SafeguardingFigure
from reviews.models import Recommendation
from sab.models import User

# pytest-django sets up the test database only for a run with a test that uses it: marked,
# this file can run alone (its fixture builds the demo once and rolls it back).
pytestmark = pytest.mark.django_db

TABLE = Path(__file__).resolve().parent.parent / "data" / "lsab-sar-referrals-2017-18.tsv"


@dataclass(frozen=True)
class Built:
    status: str
    versions: list[tuple[int, bool]]  # (version, is current) of the report's publications
    html: str
    items: list[Item]
    small_figures: int  # figures of the year with a count of 1 to 4
    changed_by_second_run: dict[str, tuple[int, int]]  # model -> (rows before, after)
    versions_after_second_run: int
    removed: str  # the organisation whose statement was removed
    items_without_statement: list[Item]
    refused: list[str]
    items_without_reasons: list[Item]
    refused_without_reasons: list[str]


def _counts() -> dict[str, int]:
    """Rows of every model, history included."""
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


def _without_a_statement(report: AnnualReport) -> tuple[str, list[Item], list[str]]:
    """Back to draft with one statement removed: what the check says and what approving
    does (rolled back)."""
    with transaction.atomic():
        AnnualReport.objects.filter(pk=report.pk).update(status=AnnualReport.Status.DRAFT)
        report.refresh_from_db()
        statement = report.statements.select_related("organisation").order_by("pk").last()
        statement.delete()
        items = completeness.check(report).items
        refused = []
        try:
            annual_services.approve(report=report, by=User.objects.get(email="manager@example.org"))
        except ValidationError as error:
            refused = error.messages
        transaction.set_rollback(True)
    return statement.organisation.name, items, refused


def _without_reasons(report: AnnualReport) -> tuple[list[Item], list[str]]:
    """Back to draft with the reasons for the recommendation not accepted removed: what the
    check says and what approving does (rolled back)."""
    with transaction.atomic():
        AnnualReport.objects.filter(pk=report.pk).update(status=AnnualReport.Status.DRAFT)
        report.refresh_from_db()
        updated = Recommendation.objects.filter(
            review__referral__board=report.board, response=Recommendation.Response.NOT_ACCEPTED
        ).update(reason_not_accepted="")
        assert updated
        items = completeness.check(report).items
        refused = []
        try:
            annual_services.approve(report=report, by=User.objects.get(email="manager@example.org"))
        except ValidationError as error:
            refused = error.messages
        transaction.set_rollback(True)
    return items, refused


@pytest.fixture(scope="module")
def built(django_db_setup, django_db_blocker, _media_root) -> Built:
    with (
        django_db_blocker.unblock(),
        override_settings(
            MEDIA_ROOT=_media_root,
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        ),
        transaction.atomic(),
    ):
        call_command("seed_demo", force=True, stdout=io.StringIO())
        report = AnnualReport.objects.get(board__slug="lsab", year=2017)
        status = report.status
        publications = Publication.objects.of(report).order_by("version")
        current = publications.current().get()
        with current.html.open("rb") as file:
            html = file.read().decode("utf-8")
        before = _counts()
        call_command("seed_demo", force=True, stdout=io.StringIO())
        after = _counts()
        removed, items_without, refused = _without_a_statement(report)
        items_without_reasons, refused_without_reasons = _without_reasons(report)
        made = Built(
            status=status,
            versions=[(p.version, p.is_current) for p in publications],
            html=html,
            items=completeness.check(AnnualReport.objects.get(pk=report.pk)).items,
            small_figures=SafeguardingFigure.objects.filter(board=report.board, year=2017)
            .filter(section_42__gte=1, section_42__lte=4)
            .count(),
            changed_by_second_run={
                label: (count, after[label])
                for label, count in before.items()
                if after[label] != count
            },
            versions_after_second_run=Publication.objects.of(report).count(),
            removed=removed,
            items_without_statement=items_without,
            refused=refused,
            items_without_reasons=items_without_reasons,
            refused_without_reasons=refused_without_reasons,
        )
        transaction.set_rollback(True)
    # Closed here, in the context that opened it (as tests/reports/test_documents.py does).
    connection.close()
    return made


# --- Reading the published HTML -------------------------------------------------------------


class _Page(HTMLParser):
    """The page's headings (level, text) in order, the SAR referrals table's rows, and the
    texts of the Section 42 figures' table cells and chart labels."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.headings: list[tuple[int, str]] = []
        self.referral_rows: list[list[str]] = []
        self.figure_texts: list[str] = []
        self._heading: list | None = None
        self._in_referrals = self._in_body = False
        self._cell: list[str] | None = None
        self._figures_depth = 0  # divs open inside the figures block

    def handle_starttag(self, tag, attrs):
        classes = (dict(attrs).get("class") or "").split()
        if tag in {"h1", "h2", "h3", "h4"}:
            self._heading = [int(tag[1]), ""]
        if tag == "table" and "referrals" in classes:
            self._in_referrals = True
        if self._in_referrals and tag == "tbody":
            self._in_body = True
        if self._in_body and tag == "tr":
            self.referral_rows.append([])
        if tag == "div" and (self._figures_depth or "figures" in classes):
            self._figures_depth += 1
        if (self._in_body and tag == "td") or (self._figures_depth and tag in {"td", "text"}):
            self._cell = []

    def handle_endtag(self, tag):
        if self._heading and tag == f"h{self._heading[0]}":
            self.headings.append((self._heading[0], " ".join(self._heading[1].split())))
            self._heading = None
        if tag in {"td", "text"} and self._cell is not None:
            text = " ".join("".join(self._cell).split())
            if self._in_body:
                self.referral_rows[-1].append(text)
            else:
                self.figure_texts.append(text)
            self._cell = None
        if tag == "tbody":
            self._in_body = False
        if tag == "table":
            self._in_referrals = False
        if tag == "div" and self._figures_depth:
            self._figures_depth -= 1

    def handle_data(self, data):
        if self._heading is not None:
            self._heading[1] += data
        if self._cell is not None:
            self._cell.append(data)


@pytest.fixture(scope="module")
def printed(built) -> _Page:
    parser = _Page()
    parser.feed(built.html)
    parser.close()
    return parser


def _under(printed: _Page, heading: str) -> list[str]:
    """The headings inside the part titled ``heading`` (an h2), up to the next h2."""
    levels = [level for level, _ in printed.headings]
    start = printed.headings.index((2, heading))
    end = next((i for i in range(start + 1, len(levels)) if levels[i] <= 2), len(levels))
    return [text for _, text in printed.headings[start + 1 : end]]


# --- The tests ------------------------------------------------------------------------------


def test_the_report_is_approved_and_published_once(built):
    assert built.status == AnnualReport.Status.PUBLISHED
    assert built.versions == [(1, True)]


def test_every_completeness_item_is_met_including_after_publishing(built):
    failing = [f"{item.ref}: {item.detail}" for item in built.items if not item.met]
    assert not failing, failing
    refs = {item.ref for item in built.items}
    assert {"4(1)(a)", "4(1)(b)", "4(1)(c)", "4(2)", "Publication", "Sch 2 para 3"} <= refs


# The seed report's sections: each part's heading, and headings the seed has inside it.
SEED_PARTS = {
    "Who we are": ["Membership", "Structure", "Links with other partnerships"],
    "Safeguarding data": [
        "Context: Leicester city",
        "Safeguarding adults in Leicester 2017/18",
        "Engagement Sub-Group data analysis: key findings and recommendations",
        "Age",
        "Ethnicity",
        "Gender",
        "Primary support need",
    ],
    "Sub-groups": [
        "Performance Sub-Group",
        "Engagement Sub-Group",
        "Review Sub-Group",
        "Training Sub-Group",
        "LLR Policy and Procedures Sub-Group",
        "LLR Audit Sub-Group",
    ],
    "Task and finish groups": [
        "Trilogy of Risk Task and Finish Group",
        "Trilogy of Risk (Complex Cases)",
        "The Trilogy of Risk poster, in words",
    ],
    "Safeguarding Adults Reviews": ["Safeguarding Adults Reviews under the Care Act 2014"],
}
# A sentence of the seed from each sub-group's section (its own words, kept).
SEED_GROUP_WORDS = {
    "Performance Sub-Group": "production of the annual report, management of the performance",
    "Engagement Sub-Group": "put people at the heart of adult safeguarding",
    "Review Sub-Group": "Somerset Safeguarding Adults Board involving an individual",
    "Training Sub-Group": "Mental Capacity Act forums for care providers across the city",
    "LLR Policy and Procedures Sub-Group": "Section 42 Enquiries in Health Settings",
    "LLR Audit Sub-Group": "completed their 4th audit, focusing on Strategy Meetings",
}


def test_the_published_report_holds_every_section_of_the_seed(built, printed):
    parts = [text for level, text in printed.headings if level == 2]
    for heading in [
        "Contents",
        "Chair's foreword",
        "Executive summary",
        "Introduction",
        "Partner statements",
        *SEED_PARTS,
    ]:
        assert heading in parts, heading
    for part, inside in SEED_PARTS.items():
        shown = _under(printed, part)
        missing = [heading for heading in inside if heading not in shown]
        assert not missing, (part, missing)
    # Each sub-group's heading is followed by the seed's text about it.
    html = " ".join(built.html.split())
    for group, words in SEED_GROUP_WORDS.items():
        start = html.index(f">{group}</h3>")
        assert words in html[start : html.index("<h3", start)], group
    assert "Jane Geraghty, the outgoing Independent Chair" in html
    assert "Robert Lake, Independent Chair" in html
    assert "Report author: Lindsey Bampton, LSAB Manager" in html
    assert "Report date: June 2018" in html
    assert "An easy read version of this document is in development" in html


def test_every_member_has_its_statement_printed(built, printed):
    statements = _under(printed, "Partner statements")
    assert len(statements) >= len(STATEMENTS)
    for organisation in STATEMENTS:
        assert organisation in statements, organisation
    html = " ".join(unescape(built.html).split())
    # As submitted: a passage of each seed statement, and the ones written for the demo.
    for words in [
        "8% increase in AAR referrals to 14,000",
        "independent domestic violence advisor",
        "Braunstone Blues project",
        "full OASys assessment completed",
        "Whole Family safeguarding team",
        "Building Better Relationships Programme",
        "Persons in Position of Trust guidance",
        "Safeguarding Health Network",
        *(" ".join(STATEMENTS[name].split()[:8]) for name in WRITTEN_FOR_DEMO),
    ]:
        assert words in html, words


def test_the_sar_table_is_the_seeds_row_for_row(printed):
    with TABLE.open(newline="", encoding="utf-8") as file:
        _header, *seed = csv.reader(file, delimiter="\t")
    assert len(seed) == 5
    assert printed.referral_rows == seed


def test_counts_of_one_to_four_are_printed_as_fewer_than_five(built, printed):
    assert built.small_figures >= 3  # the demo's figures have some to hide
    assert "fewer than 5" in printed.figure_texts
    assert "790" in printed.figure_texts  # the figures are there
    small = [text for text in printed.figure_texts if text in {"1", "2", "3", "4"}]
    assert not small


def test_running_seed_demo_again_changes_nothing_and_publishes_nothing(built):
    assert built.changed_by_second_run == {}
    assert built.versions_after_second_run == 1


def test_without_a_members_statement_the_check_fails_and_approval_is_refused(built):
    items = {item.ref: item for item in built.items_without_statement}
    assert not items["4(1)(c)"].met
    assert items["4(1)(c)"].missing == [built.removed]
    assert [item.ref for item in items.values() if not item.met and item.kind == "statutory"] == [
        "4(1)(c)"
    ]
    assert len(built.refused) == 1
    assert built.refused[0].startswith("4(1)(c):") and built.removed in built.refused[0]


def test_without_the_reasons_for_a_finding_not_implemented_approval_is_refused(built):
    items = {item.ref: item for item in built.items_without_reasons}
    assert not items["4(1)(g)"].met
    assert [item.ref for item in items.values() if not item.met and item.kind == "statutory"] == [
        "4(1)(g)"
    ]
    assert len(built.refused_without_reasons) == 1
    assert built.refused_without_reasons[0].startswith("4(1)(g):")
