"""The annual report (issue 12): starting a year's report, its narrative and sections, the
parts assembled from the year's records, its web page and PDF, and render_report."""

from __future__ import annotations

import datetime
import io
import subprocess

import pikepdf
import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from priorities.models import Action, RagAssessment
from reports.annual_report import assemble
from reports.models import AnnualReport, Part, PartnerStatement, ReportSection, SafeguardingFigure
from sab.models import RoleAssignment
from tests.factories import (
    ActionFactory,
    AnnualReportFactory,
    BoardMembershipFactory,
    BusinessPlanFactory,
    GroupFactory,
    GroupMembershipFactory,
    MeetingFactory,
    OrganisationFactory,
    PartnerStatementFactory,
    PersonFactory,
    PriorityFactory,
    ReportingPeriodFactory,
)
from tests.reports.test_documents import _flatten, struct_elements
from tests.reviews.conftest import DecidedReferralFactory, FindingFactory, ReviewFactory

Role = RoleAssignment.Role
D = datetime.date


def build_year(board, *, groups: int = 2, priorities: int = 2, referrals: int = 2,
               statements: int = 2) -> AnnualReport:  # fmt: skip
    """A 2017/18 report over a year of records: members, groups with chairs and meetings,
    a plan whose priorities the executive rated, SAR referrals and a concluded review, and
    partner statements (all accepted but one arrived late)."""
    report = AnnualReportFactory(
        board=board,
        year=2017,
        foreword="Welcome to our report.",
        foreword_by="Robert Lake, Independent Chair",
        introduction="The Care Act 2014 introduced new safeguarding duties.",
    )
    council = OrganisationFactory(name=f"{board.short_name} City Council", kind="local_authority")
    BoardMembershipFactory(board=board, organisation=council, statutory=True)
    plan = BusinessPlanFactory(board=board, period="2017/18", status="approved")
    period = ReportingPeriodFactory(
        board=board, label="Q4 2017/18", start=D(2018, 1, 1), end=D(2018, 3, 31)
    )
    for n in range(groups):
        group = GroupFactory(name=f"Sub-group {n:02d}", boards=[board], remit="Our remit.")
        chair = PersonFactory(name=f"Chair {n:02d}", organisation=council)
        GroupMembershipFactory(group=group, person=chair, role="chair", organisation=council)
        meeting = MeetingFactory(group=group, date=D(2017, 9, 1 + n % 28))
        meeting.attendees.add(chair)
        MeetingFactory(group=group, date=D(2016, 9, 1))  # the year before: not counted
    for n in range(priorities):
        priority = PriorityFactory(plan=plan, ref=str(n + 1), title=f"Priority title {n:02d}")
        ActionFactory(priority=priority, ref=f"{n + 1}.1", status=Action.Status.COMPLETE)
        RagAssessment.objects.create(
            priority=priority,
            period=period,
            state=RagAssessment.State.DECIDED,
            proposed_rating="amber",
            decided_rating="green",
            decision_reason="Better than proposed.",
        )
    for n in range(referrals):
        DecidedReferralFactory(board=board, referral_date=D(2017, 6, 1 + n % 28))
    review = ReviewFactory(
        referral=DecidedReferralFactory(board=board, subject_label="Adult Z"),
        concluded_on=D(2018, 2, 1),
        status="report_to_board",
    )
    FindingFactory(review=review, text="Agencies did not share the risk they saw.")
    for n in range(statements):
        organisation = OrganisationFactory(name=f"Partner {n:02d} of {board.short_name}")
        BoardMembershipFactory(board=board, organisation=organisation)
        PartnerStatementFactory(
            report=report,
            organisation=organisation,
            status=PartnerStatement.Status.ACCEPTED,
            text=f"What partner {n:02d} did in the year.",
        )
    PartnerStatementFactory(
        report=report,
        organisation=OrganisationFactory(name=f"Latecomer to {board.short_name}"),
        status=PartnerStatement.Status.SUBMITTED,
        late=True,
        text="Arrived after approval.",
    )
    ReportSection.objects.create(
        report=report, part=Part.REVIEWS, title="How we decide on a SAR", body="A flowchart."
    )
    return report


# --- Starting and writing a report ----------------------------------------------------------


def test_the_manager_starts_a_years_report_once(client, board, manager):
    client.force_login(manager)
    url = reverse("reports:annual-report-start", kwargs={"slug": board.slug})
    year = board.current_financial_year() - 1

    response = client.post(url, {"year": year})

    report = AnnualReport.objects.get(board=board, year=year)
    assert response.status_code == 302 and response["Location"] == report.get_absolute_url()
    again = client.get(url).content.decode()
    assert f'value="{year}"' not in again and f'value="{year + 1}"' in again
    refused = client.post(url, {"year": year})
    assert refused.status_code == 200
    assert "Select a valid choice" in refused.content.decode()
    assert AnnualReport.objects.filter(board=board).count() == 1


def test_the_narrative_is_saved_and_an_approved_report_keeps_it(client, board, manager):
    report = AnnualReportFactory(board=board, year=2017)
    client.force_login(manager)
    url = reverse("reports:annual-report-edit", kwargs={"pk": report.pk})

    client.post(url, {"executive_summary": "- We did this", "report_date": "6/6/2018"})

    report.refresh_from_db()
    assert report.executive_summary == "- We did this"
    assert report.report_date == D(2018, 6, 6)
    report.status = AnnualReport.Status.APPROVED
    report.save()
    response = client.post(url, {"executive_summary": "Changed afterwards"}, follow=True)
    assert "The report is approved" in response.content.decode()
    report.refresh_from_db()
    assert report.executive_summary == "- We did this"


def test_a_bad_date_re_renders_the_form_with_the_error_summary(client, board, manager):
    report = AnnualReportFactory(board=board, year=2017)
    client.force_login(manager)

    response = client.post(
        reverse("reports:annual-report-edit", kwargs={"pk": report.pk}),
        {"executive_summary": "Kept in the form", "report_date": "31/2/2018"},
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in page and "Enter a real date" in page
    assert "Kept in the form" in page
    report.refresh_from_db()
    assert report.executive_summary != "Kept in the form"


def test_sections_are_added_changed_and_removed(client, board, manager):
    report = AnnualReportFactory(board=board, year=2017)
    client.force_login(manager)

    client.post(
        reverse("reports:report-section-create", kwargs={"pk": report.pk}),
        {"title": "Context: our city", "part": Part.DATA, "order": 1, "body": "330,000 people"},
    )
    section = report.sections.get()
    assert (section.title, section.part) == ("Context: our city", Part.DATA)
    client.post(
        reverse("reports:report-section-edit", kwargs={"pk": section.pk}),
        {"title": "Context", "part": Part.DATA, "order": 1, "body": "More people"},
    )
    section.refresh_from_db()
    assert section.body == "More people"
    client.post(reverse("reports:report-section-delete", kwargs={"pk": section.pk}))
    assert not report.sections.exists()


def test_only_the_boards_managers_change_a_report(client, board, other_board, make_user):
    report = AnnualReportFactory(board=board, year=2017)
    edit = reverse("reports:annual-report-edit", kwargs={"pk": report.pk})
    client.force_login(make_user(Role.PARTNER_LEAD, board, organisation=OrganisationFactory()))
    assert client.get(report.get_absolute_url()).status_code == 200
    assert client.post(edit, {"executive_summary": "x"}).status_code == 403
    client.force_login(make_user(Role.BOARD_MANAGER, other_board))
    assert client.get(report.get_absolute_url()).status_code == 404
    assert client.post(edit, {"executive_summary": "x"}).status_code == 404
    report.refresh_from_db()
    assert report.executive_summary != "x"


# --- Assembly ---------------------------------------------------------------------------------


def test_the_report_is_assembled_from_the_years_records(board):
    report = build_year(board)

    a = assemble(report)

    assert a.members[0].organisation.name == "LSAB City Council"
    council = a.members[0]
    assert council.statutory and council.meetings_attended == 2 and a.meetings_held == 2
    assert [row.group.name for row in a.groups] == ["Sub-group 00", "Sub-group 01"]
    assert all(row.meetings_held == 1 and row.chair for row in a.groups)
    assert [row.decision.decided_rating for row in a.priorities] == ["green", "green"]
    assert len(a.reviews.referrals) == 3 and [
        r.referral.subject_label for r in a.reviews.concluded
    ] == ["Adult Z"]
    assert [s.organisation.name for s in a.statements] == [
        "Partner 00 of LSAB",
        "Partner 01 of LSAB",
    ]
    assert [s.title for s in a.sections[Part.REVIEWS]] == ["How we decide on a SAR"]


def test_assembly_reads_the_same_number_of_queries_for_a_bigger_year(
    board, other_board, django_assert_num_queries
):
    small = build_year(board, groups=1, priorities=1, referrals=1, statements=1)
    big = build_year(other_board, groups=8, priorities=9, referrals=12, statements=15)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        assemble(AnnualReport.objects.select_related("board").get(pk=small.pk))
    with django_assert_num_queries(len(few.captured_queries)):
        a = assemble(AnnualReport.objects.select_related("board").get(pk=big.pk))
    assert len(a.groups) == 8 and len(a.statements) == 15


def test_the_preview_prints_every_part_and_only_what_may_be_public(client, board, manager):
    report = build_year(board)
    client.force_login(manager)

    page = client.get(reverse("reports:annual-report-preview", kwargs={"pk": report.pk}))

    text = page.content.decode()
    assert page.status_code == 200 and page["Cache-Control"] == "private, no-store"
    for heading in ("Chair's foreword", "Executive summary", "Introduction", "Who we are",
                    "Safeguarding data", "Our priorities", "Sub-groups",
                    "Safeguarding Adults Reviews", "Partner statements"):  # fmt: skip
        assert f">{heading}</h2>" in text, heading
    assert "Safeguarding Adults Review (SAR) referrals and outcomes 2017/18" in text
    assert "Agencies did not share the risk they saw." in text
    assert "What partner 01 did in the year." in text
    assert "Arrived after approval." not in text  # kept for next year's report
    assert "Independent reviewer" not in text  # the review's working details stay inside
    assert "DRAFT" in text


def test_other_boards_and_anonymous_visitors_see_nothing_of_a_draft(
    client, board, other_board, make_user
):
    report = build_year(board)
    urls = [
        report.get_absolute_url(),
        reverse("reports:annual-report-preview", kwargs={"pk": report.pk}),
        reverse("reports:annual-report-draft", kwargs={"pk": report.pk}),
    ]
    for url in urls:
        assert client.get(url).status_code == 302  # to sign in
    client.force_login(make_user(Role.BOARD_MANAGER, other_board))
    for url in urls:
        assert client.get(url).status_code == 404


# --- The PDF ----------------------------------------------------------------------------------


@pytest.fixture
def rendered(board, tmp_path):
    report = build_year(board)
    for category, count in (("Male", 3), ("Female", 1234)):
        SafeguardingFigure.objects.create(
            board=board, year=2017, dimension="gender", category=category, section_42=count
        )
    html, pdf = tmp_path / "report.html", tmp_path / "report.pdf"
    out = io.StringIO()
    call_command("render_report", board.slug, "2017-18", html=html, pdf=pdf, stdout=out)
    return report, html, pdf, out.getvalue()


def test_render_report_writes_a_tagged_pdf_with_an_entry_per_part(rendered, board):
    _report, html, pdf_path, out = rendered
    assert "Wrote the PDF of LSAB annual report 2017/18" in out
    title = f"{board.name}: Annual Report 2017/18"
    assert f"<title>{title}</title>" in html.read_text()
    with pikepdf.open(pdf_path) as pdf:
        assert "/StructTreeRoot" in pdf.Root and pdf.Root.MarkInfo.Marked is True
        assert str(pdf.Root.Lang) == "en-GB"
        assert str(pdf.docinfo.Title) == title
        with pdf.open_outline() as outline:
            titles = [item.title for item in _flatten(outline.root)]
        figures = [e for e in struct_elements(pdf) if e.S == "/Figure"]
        alts = [str(figure.get("/Alt", "")).strip() for figure in figures]
    assert alts and all(alts), alts
    # The chart is named in its alternative text; its figures are in the table beside it,
    # where a count of 1 to 4 is printed as "fewer than 5".
    assert any(alt.startswith("Gender, 2017/18") for alt in alts), alts
    text = subprocess.run(
        ["pdftotext", "-raw", str(pdf_path), "-"], check=True, capture_output=True, text=True
    ).stdout
    assert "Male fewer than 5" in " ".join(text.split())
    assert titles[0] == title
    for part in ("Chair's foreword", "Executive summary", "Who we are", "Safeguarding data",
                 "Our priorities", "Sub-groups", "Safeguarding Adults Reviews",
                 "Partner statements", "Sub-group 00", "Partner 01 of LSAB"):  # fmt: skip
        assert part in titles, part


def test_render_report_says_what_is_wrong_with_its_arguments(board):
    AnnualReportFactory(board=board, year=2017)
    with pytest.raises(CommandError, match="not a reporting year"):
        call_command("render_report", board.slug, "2017-19", html="/tmp/x.html")
    with pytest.raises(CommandError, match=r"no annual report for 2018/19. Its reports: 2017/18"):
        call_command("render_report", board.slug, "2018-19", html="/tmp/x.html")
    with pytest.raises(CommandError, match='There is no board "nope"'):
        call_command("render_report", "nope", "2017-18", html="/tmp/x.html")


def test_the_report_prints_the_section_42_figures_with_small_numbers_hidden(client, board, manager):
    report = build_year(board)
    SafeguardingFigure.objects.create(
        board=board, year=2017, dimension="gender", category="Male", section_42=3
    )
    SafeguardingFigure.objects.create(
        board=board, year=2017, dimension="gender", category="Female", section_42=1234
    )
    client.force_login(manager)

    page = client.get(reverse("reports:annual-report-preview", kwargs={"pk": report.pk}))

    text = page.content.decode()
    assert "No Section 42 figures are recorded" not in text
    assert "fewer than 5" in text and "1,234" in text
    assert ">3<" not in text


def test_the_editor_previews_what_was_typed_without_saving_it(client, board, manager):
    report = AnnualReportFactory(board=board, year=2017, foreword="Saved words")
    client.force_login(manager)
    url = reverse("reports:annual-report-edit", kwargs={"pk": report.pk})
    typed = {"foreword": "**Welcome** to our report", "preview": "1"}

    page = client.post(url, typed).content.decode()
    fragment = client.post(url, typed, headers={"HX-Request": "true"}).content.decode()

    assert "<strong>Welcome</strong> to our report" in page and "<form" in page
    assert "<strong>Welcome</strong> to our report" in fragment and "<form" not in fragment
    report.refresh_from_db()
    assert report.foreword == "Saved words"


@pytest.mark.parametrize("name", ["reports:annual-report-preview", "reports:annual-report-edit"])
def test_the_report_pages_read_the_same_queries_for_a_bigger_year(
    board, other_board, make_user, client, name
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for target, size in ((board, 1), (other_board, 9)):
        report = build_year(target, groups=size, priorities=size, referrals=size, statements=size)
        client.force_login(make_user(Role.BOARD_MANAGER, target))
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse(name, kwargs={"pk": report.pk}))
        assert response.status_code == 200
        counts.append(len(queries.captured_queries))
    assert counts[0] == counts[1], counts


def test_the_public_site_shows_nothing_of_a_report_until_it_is_published(client, board):
    report = build_year(board)

    index = client.get(reverse("publications:board", kwargs={"slug": board.slug}))
    api = client.get("/api/publications/?kind=annual_report")

    assert index.status_code == 404  # a board with nothing published is not on the site
    assert report.title not in client.get(reverse("publications:index")).content.decode()
    assert api.status_code == 200 and api.json()["count"] == 0
    assert (
        client.get(reverse("reports:annual-report-preview", kwargs={"pk": report.pk})).status_code
        == 302
    )
