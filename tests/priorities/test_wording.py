"""Words and details people read: plain hints, no "---------", ratings as words, year order."""

import datetime

from tests.factories import BusinessPlanFactory, MeetingFactory


def test_forms_use_plain_words(client, user_as, priority, action, group):
    client.force_login(user_as("manager"))
    pages = [
        client.get(f"/priorities/{priority.pk}/actions/new/").content.decode(),
        client.get(f"/plans/{priority.plan.pk}/edit/").content.decode(),
    ]
    for page in pages:
        assert "---------" not in page
        assert "Markdown" not in page
    assert "Leave a blank line between paragraphs" in pages[1]  # the plan's introduction
    client.force_login(user_as("chair"))
    update_form = client.get(action.get_absolute_url()).content.decode()
    assert ">Complete</label>" in update_form and "Complete (blue)" not in update_form


def test_a_missing_update_names_the_field_in_govuk_style(client, user_as, action):
    client.force_login(user_as("chair"))
    page = client.post(f"/actions/{action.pk}/progress/", {"status": "in_progress"}).content
    assert "Enter what has happened this quarter" in page.decode()
    assert "Select a RAG rating" in page.decode()


def test_plans_are_listed_newest_year_first(client, user_as, board):
    for period, starts in [
        ("2024/25", None),
        ("2026/27", datetime.date(2026, 4, 1)),
        ("2025/26", None),
    ]:
        BusinessPlanFactory(
            board=board, title=f"Plan {period}", period=period, effective_from=starts
        )
    client.force_login(user_as("viewer"))
    page = client.get(f"/boards/{board.slug}/plans/").content.decode()
    positions = [page.index(f"Plan {p}") for p in ("2026/27", "2025/26", "2024/25")]
    assert positions == sorted(positions)


def test_my_groups_actions_is_offered_only_to_people_in_a_group(client, user_as, board, group):
    MeetingFactory(group=group)
    client.force_login(user_as("viewer"))
    assert "My group's actions" not in client.get(board.get_absolute_url()).content.decode()
    client.force_login(user_as("member"))
    assert "My group's actions" in client.get(board.get_absolute_url()).content.decode()


def test_a_missing_field_is_named_in_the_error_summary_and_beside_the_field(client, user_as, plan):
    client.force_login(user_as("manager"))
    page = client.post(f"/plans/{plan.pk}/priorities/new/", {"ref": "", "title": ""}).content
    page = page.decode()
    assert "This field is required" not in page
    assert '<a href="#id_title">Enter title</a>' in page
    assert '<span class="govuk-visually-hidden">Error:</span> Enter title' in page
