"""Accessibility of the governance pages in Chromium, and a chair recording a meeting."""

import datetime

import pytest
from playwright.sync_api import expect

from sab.models import RoleAssignment
from subgroups.models import Meeting
from tests.browser.helpers import assert_no_axe_violations, html_errors, sign_in
from tests.factories import (
    BoardMembershipFactory,
    GroupFactory,
    GroupMembershipFactory,
    MeetingFactory,
    PersonFactory,
    UserFactory,
)

pytestmark = [pytest.mark.browser]
Role = RoleAssignment.Role


@pytest.fixture
def structure(transactional_db, board, other_board):
    BoardMembershipFactory(board=board, statutory=True)
    top = GroupFactory(name="Leicester Safeguarding Adults Board", kind="board", boards=[board])
    group = GroupFactory(
        name="Performance Sub-Group",
        boards=[board],
        reports_to=top,
        remit="Quality **assurance** framework.",
    )
    GroupFactory(name="LLR Audit Sub-Group", boards=[board, other_board], reports_to=top)
    chair = PersonFactory(name="Priya Mistry")
    chair.boards.add(board)
    GroupMembershipFactory(group=group, person=chair, role="chair")
    MeetingFactory(group=group, date=datetime.date(2025, 5, 12), summary="Agreed the report.")
    MeetingFactory(group=group, date=datetime.date(2025, 8, 12), status="did_not_meet")
    return group


@pytest.fixture
def manager_user(transactional_db, board):
    user = UserFactory(first_name="Lindsey", last_name="Bampton")
    RoleAssignment.objects.create(user=user, board=board, role=Role.BOARD_MANAGER)
    return user


def _pages(board, group):
    return [
        board.get_absolute_url(),
        f"/boards/{board.slug}/groups/",
        group.get_absolute_url(),
        f"/boards/{board.slug}/groups/new/",
        f"/groups/{group.pk}/edit/",
        f"/groups/{group.pk}/delete/",
        f"/groups/{group.pk}/members/new/",
        f"/groups/{group.pk}/meetings/new/",
        f"/boards/{board.slug}/partners/",
        f"/boards/{board.slug}/partners/new/",
        f"/boards/{board.slug}/people/",
        f"/boards/{board.slug}/people/new/",
        f"/boards/{board.slug}/roles/",
    ]


def test_governance_pages_have_no_axe_violations(
    browser_available, axe_source, live_server, page, structure, manager_user, board
):
    sign_in(page, live_server, manager_user)
    for path in _pages(board, structure):
        page.goto(f"{live_server.url}{path}")
        assert_no_axe_violations(page, axe_source)


def test_chair_records_a_meeting_and_fixes_an_error(
    browser_available, axe_source, live_server, page, structure, board
):
    """The person the group page shows as its chair keeps its meetings: no other role needed."""
    chair_user = UserFactory()
    chair = structure.chair.person
    chair.user = chair_user
    chair.save()
    sign_in(page, live_server, chair_user)
    page.goto(f"{live_server.url}{structure.get_absolute_url()}")
    page.get_by_role("link", name="Record a meeting").click()
    page.get_by_label("Date").fill("31/02/2026")
    page.get_by_role("button", name="Save the meeting").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter a real date")
    assert_no_axe_violations(page, axe_source)
    page.get_by_label("Date").fill("12/11/2026")
    page.get_by_label("Yes").check()
    page.get_by_label("Priya Mistry").check()
    page.get_by_role("button", name="Save the meeting").click()
    expect(page.get_by_text("Saved the meeting of 12 November 2026.")).to_be_visible()
    meeting = Meeting.objects.get(group=structure, date=datetime.date(2026, 11, 12))
    assert meeting.quorate is True
    assert [p.name for p in meeting.attendees.all()] == ["Priya Mistry"]


def test_governance_pages_are_valid_html(vnu_jar, client, structure, manager_user, board, tmp_path):
    client.force_login(manager_user)
    documents = {
        path.strip("/").replace("/", "-") or "root": client.get(path).content.decode()
        for path in _pages(board, structure)
    }
    documents["meeting-error"] = client.post(
        f"/groups/{structure.pk}/meetings/new/", {"date": "x", "status": "held"}
    ).content.decode()
    assert html_errors(vnu_jar, documents, tmp_path) == []
