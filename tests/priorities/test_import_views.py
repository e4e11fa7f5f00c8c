"""Import pages: upload -> preview (nothing saved) -> confirm (all or nothing)."""

import hashlib
import io

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from priorities.models import Action, BusinessPlan, LeadNameMapping, Priority
from priorities.plan_import.parse import parse_plan
from priorities.plan_import.template import TEMPLATE_COLUMNS, XLSX_CONTENT_TYPE
from priorities.plan_import.views import SESSION_KEY
from tests.factories import GroupFactory, PriorityFactory

GOOD_CSV = (
    "Priority ref,Priority,Action,Who will lead?,Due date,Progress\r\n"
    "1,Assurance,Refresh the quality assurance framework,Performance Sub-Group,30/09/2026,\r\n"
    ",,Scrutinise the quarterly dataset,Executive grp,,Dataset received\r\n"
    "2,Engagement,Launch the customer guides,performance sub-group.,31/10/2026,\r\n"
)
BAD_CSV = (
    "Priority,Action,Due date\r\n"
    "Assurance,Refresh the framework,31/02/2026\r\n"
    "Assurance,Scrutinise the dataset,30/06/2026\r\n"
)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def performance(board):
    return GroupFactory(name="Performance Sub-Group", boards=[board])


def upload_url(board) -> str:
    return reverse("priorities:plan-import", kwargs={"slug": board.slug})


def confirm_url(board) -> str:
    return reverse("priorities:plan-import-confirm", kwargs={"slug": board.slug})


def upload(client, board, content: bytes | str, name="plan.csv", title="Business Plan 2026/27"):
    if isinstance(content, str):
        content = content.encode()
    file = SimpleUploadedFile(name, content, content_type="text/csv")
    return client.post(upload_url(board), {"plan_title": title, "file": file})


def stored_files() -> list[str]:
    if not default_storage.exists("imports"):
        return []
    return default_storage.listdir("imports")[1]


# --------------------------------------------------------------------------------------------
# Who may import
# --------------------------------------------------------------------------------------------


def test_anonymous_users_are_sent_to_sign_in(client, board):
    response = client.get(upload_url(board))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_only_the_boards_managers_may_import(client, user_as, board, position):
    client.force_login(user_as(position))
    expected = {"manager": 200, "other_board_manager": 404}.get(position, 403)

    assert client.get(upload_url(board)).status_code == expected
    assert upload(client, board, GOOD_CSV).status_code == expected
    confirm = client.post(confirm_url(board))
    assert confirm.status_code == (302 if position == "manager" else expected)
    assert BusinessPlan.objects.exists() == (position == "manager")


def test_the_upload_page(client, board, manager):
    client.force_login(manager)

    response = client.get(upload_url(board))

    html = response.content.decode()
    assert 'enctype="multipart/form-data"' in html
    assert 'class="govuk-file-upload"' in html
    assert 'accept=".csv,.xlsx' in html
    assert "An existing plan&#x27;s title adds to it; a new title creates a draft plan" in html
    main = html.split("<main")[1].split("</main>")[0]
    assert "<script" not in main and "style=" not in main  # strict CSP


# --------------------------------------------------------------------------------------------
# Upload and preview
# --------------------------------------------------------------------------------------------


def test_preview_shows_counts_and_unmatched_leads_and_writes_nothing(
    client, board, manager, performance
):
    client.force_login(manager)

    response = upload(client, board, GOOD_CSV)

    assert response.status_code == 200
    assert response.templates[0].name == "priorities/import_preview.html"
    preview = response.context["preview"]
    assert preview.counts == {"priorities": 2, "objectives": 0, "actions": 3, "progress_updates": 1}
    html = response.content.decode()
    assert "Launch the customer guides" in html
    assert "Executive grp" in html
    assert "not matched to a group" in html
    assert "Row 3: lead &quot;Executive grp&quot; does not match any of LSAB&#x27;s groups" in html
    assert "Import the plan" in html
    assert "(a new draft plan)" in html
    # Nothing written; the file is kept for the confirmation.
    assert not BusinessPlan.objects.exists()
    assert not Action.objects.exists()
    stored = client.session[SESSION_KEY]
    assert stored["plan_title"] == "Business Plan 2026/27"
    assert stored["filename"] == "plan.csv"
    assert stored["sha256"] == hashlib.sha256(GOOD_CSV.encode()).hexdigest()
    assert default_storage.exists(stored["path"])
    assert stored["path"].startswith("imports/") and stored["path"].endswith(".csv")


def test_preview_of_an_existing_plan_says_it_adds_to_it(client, board, manager, plan):
    client.force_login(manager)

    response = upload(client, board, GOOD_CSV, title=plan.title)

    assert response.context["preview"].plan_exists
    assert "the priorities below are added to it" in response.content.decode()


def test_a_file_that_is_not_a_spreadsheet_is_an_error(client, board, manager):
    client.force_login(manager)

    response = upload(client, board, b"%PDF-1.4 a plan", name="plan.pdf")

    assert response.status_code == 200
    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert '<a href="#id_file">This file is not a CSV or XLSX spreadsheet.' in html
    assert 'class="govuk-file-upload govuk-file-upload--error"' in html
    assert SESSION_KEY not in client.session
    assert stored_files() == []


def test_an_empty_file_is_an_error(client, board, manager):
    client.force_login(manager)

    response = upload(client, board, b"")

    assert '<a href="#id_file">The selected file is empty</a>' in response.content.decode()
    assert SESSION_KEY not in client.session


def test_a_blank_csv_is_an_error(client, board, manager):
    client.force_login(manager)

    response = upload(client, board, b"\r\n,,,\r\n")

    assert '<a href="#id_file">The file is empty.</a>' in response.content.decode()


def test_a_missing_file_and_title_are_errors(client, board, manager):
    client.force_login(manager)

    response = client.post(upload_url(board), {"plan_title": ""})

    html = response.content.decode()
    assert '<a href="#id_plan_title">Enter the plan&#x27;s title</a>' in html
    assert '<a href="#id_file">Select a CSV or Excel file</a>' in html


def test_a_file_over_5_mb_is_refused(client, board, manager):
    client.force_login(manager)
    big = GOOD_CSV.encode() + b"," * (5 * 1024 * 1024)

    response = upload(client, board, big)

    assert "The selected file must be smaller than 5 MB" in response.content.decode()
    assert stored_files() == []


def test_preview_with_row_errors_has_no_confirm_button(client, board, manager):
    client.force_login(manager)

    response = upload(client, board, BAD_CSV)

    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert "Row 2: 31/02/2026 is not a real date" in html
    assert '<td class="govuk-table__cell">Due date</td>' in html  # the file's heading
    assert "Import the plan" not in html
    assert "Fix the file and upload it again" in html
    assert SESSION_KEY not in client.session
    assert stored_files() == []
    assert not BusinessPlan.objects.exists()


def test_an_xlsx_file_previews(client, board, manager):
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(["Priority", "Action"])
    workbook.active.append(["Assurance", "Refresh the framework"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    client.force_login(manager)

    response = upload(client, board, buffer.getvalue(), name="plan.xlsx")

    assert response.context["preview"].counts["actions"] == 1
    assert client.session[SESSION_KEY]["path"].endswith(".xlsx")


# --------------------------------------------------------------------------------------------
# Confirm
# --------------------------------------------------------------------------------------------


def test_confirm_imports_and_redirects_to_the_plan(client, board, manager, performance):
    client.force_login(manager)
    upload(client, board, GOOD_CSV)
    path = client.session[SESSION_KEY]["path"]

    response = client.post(confirm_url(board))

    plan = BusinessPlan.objects.get(board=board, title="Business Plan 2026/27")
    assert response.status_code == 302
    assert response["Location"] == plan.get_absolute_url()
    assert response["Location"].startswith("/plans/")
    assert plan.status == "draft"
    assert Priority.objects.filter(plan=plan).count() == 2
    actions = Action.objects.filter(priority__plan=plan)
    assert actions.count() == 3
    assert actions.filter(lead_group=performance).count() == 2
    assert actions.get(lead_group=None).lead_text == "Executive grp"
    assert set(Action.history.values_list("history_user", flat=True)) == {manager.pk}
    assert SESSION_KEY not in client.session
    assert not default_storage.exists(path)
    message = [str(m) for m in response.wsgi_request._messages]
    assert message == [
        "Imported 2 priorities, 0 objectives, 3 actions and 1 progress update into "
        "Business Plan 2026/27."
    ]


def test_confirm_without_an_upload_goes_back_to_the_upload_page(client, board, manager):
    client.force_login(manager)

    response = client.post(confirm_url(board), follow=True)

    assert response.redirect_chain == [(upload_url(board), 302)]
    assert "There is no file waiting to be imported. Upload it again." in response.content.decode()
    assert not BusinessPlan.objects.exists()


def test_confirm_is_post_only(client, board, manager):
    client.force_login(manager)
    assert client.get(confirm_url(board)).status_code == 405


def test_confirm_refuses_a_changed_file(client, board, manager):
    client.force_login(manager)
    upload(client, board, GOOD_CSV)
    path = client.session[SESSION_KEY]["path"]
    with default_storage.open(path, "wb") as handle:
        handle.write(BAD_CSV.encode())

    response = client.post(confirm_url(board), follow=True)

    assert response.redirect_chain == [(upload_url(board), 302)]
    assert "Upload it again" in response.content.decode()
    assert not BusinessPlan.objects.exists()
    assert SESSION_KEY not in client.session
    assert not default_storage.exists(path)


def test_confirm_for_another_board_does_not_use_this_upload(client, board, other_board, make_user):
    from sab.models import RoleAssignment

    user = make_user(RoleAssignment.Role.BOARD_MANAGER, board)
    RoleAssignment.objects.create(
        user=user, board=other_board, role=RoleAssignment.Role.BOARD_MANAGER
    )
    client.force_login(user)
    upload(client, board, GOOD_CSV)

    response = client.post(confirm_url(other_board))

    assert response["Location"] == upload_url(other_board)
    assert not BusinessPlan.objects.exists()


def test_problems_found_at_confirm_time_show_the_preview_and_write_nothing(
    client, board, manager, plan
):
    client.force_login(manager)
    upload(client, board, GOOD_CSV, title=plan.title)
    PriorityFactory(plan=plan, ref="2")  # someone adds a priority 2 meanwhile
    before = Priority.objects.count()

    response = client.post(confirm_url(board))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Row 4: 2 is already in this plan" in html
    assert "Import the plan" not in html
    assert Priority.objects.count() == before
    assert not Action.objects.filter(priority__plan=plan).exists()
    assert SESSION_KEY not in client.session
    assert stored_files() == []


def test_a_new_upload_replaces_the_waiting_one(client, board, manager):
    client.force_login(manager)
    upload(client, board, GOOD_CSV)
    first = client.session[SESSION_KEY]["path"]

    upload(client, board, GOOD_CSV.replace("Assurance", "Prevention"))

    assert not default_storage.exists(first)
    assert stored_files() == [client.session[SESSION_KEY]["path"].split("/")[-1]]


# --------------------------------------------------------------------------------------------
# The template to download
# --------------------------------------------------------------------------------------------


def template_url(board) -> str:
    return reverse("priorities:plan-import-template", kwargs={"slug": board.slug})


def test_the_upload_page_links_the_template_and_offers_an_update(client, board, manager):
    client.force_login(manager)

    html = client.get(upload_url(board)).content.decode()

    assert f'href="{template_url(board)}" download>Download a spreadsheet template' in html
    assert 'name="mode" type="radio" value="add" checked' in html
    assert 'name="mode" type="radio" value="update"' in html


def test_the_template_is_a_workbook_the_import_reads_cleanly(client, board, manager):
    client.force_login(manager)

    response = client.get(template_url(board))

    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    assert response["Content-Disposition"] == (
        'attachment; filename="business-plan-import-template.xlsx"'
    )
    result = parse_plan(response.content, "template.xlsx")
    assert result.errors == result.warnings == []
    assert list(result.columns.values()) == [heading for heading, _, _ in TEMPLATE_COLUMNS]
    [example] = result.rows
    assert (example.priority_ref, example.action_ref, example.status) == ("1", "1.1", "not_started")
    assert example.due_date is not None
    assert load_workbook(io.BytesIO(response.content)).sheetnames == ["Plan", "How to fill it in"]


def test_only_the_boards_managers_may_download_the_template(client, user_as, board, position):
    client.force_login(user_as(position))
    expected = {"manager": 200, "other_board_manager": 404}.get(position, 403)

    assert client.get(template_url(board)).status_code == expected
    assert client.post(template_url(board)).status_code in (405, expected)


# --------------------------------------------------------------------------------------------
# Matching unmatched names to groups in the preview
# --------------------------------------------------------------------------------------------


def test_the_preview_has_a_select_for_each_unmatched_name(
    client, board, manager, performance, other_board
):
    executive = GroupFactory(name="Executive Group", boards=[board])
    GroupFactory(name="Somewhere else", boards=[other_board])
    client.force_login(manager)

    response = upload(client, board, GOOD_CSV)

    html = response.content.decode()
    assert client.session[SESSION_KEY]["names"] == ["Executive grp"]
    assert (
        '<label class="govuk-label govuk-label--s" for="id_lead-name_0">Executive grp</label>'
        in html
    )
    assert '<div id="id_lead-name_0-hint" class="govuk-hint">Row 3</div>' in html
    assert '<select class="govuk-select" id="id_lead-name_0" name="lead-name_0"' in html
    assert '<option value="" selected>Keep it as text</option>' in html
    assert f'<option value="{executive.pk}">Executive Group</option>' in html
    assert "Somewhere else" not in html  # only this board's groups
    assert "Check again with these groups" in html


def test_checking_again_shows_the_chosen_groups_and_saves_nothing(
    client, board, manager, performance
):
    executive = GroupFactory(name="Executive Group", boards=[board])
    client.force_login(manager)
    upload(client, board, GOOD_CSV)

    response = client.post(confirm_url(board), {"lead-name_0": executive.pk, "check": "1"})

    assert response.status_code == 200
    preview = response.context["preview"]
    assert preview.priorities[0].actions[1].leads == [("Executive Group", True)]
    html = response.content.decode()
    assert f'<option value="{executive.pk}" selected>Executive Group</option>' in html
    assert not BusinessPlan.objects.exists()
    assert not LeadNameMapping.objects.exists()
    assert SESSION_KEY in client.session  # still waiting to be imported


def test_confirming_uses_the_chosen_group_and_remembers_it(client, board, manager, performance):
    executive = GroupFactory(name="Executive Group", boards=[board])
    client.force_login(manager)
    upload(client, board, GOOD_CSV)

    response = client.post(confirm_url(board), {"lead-name_0": executive.pk})

    assert response.status_code == 302
    assert Action.objects.get(description__startswith="Scrutinise").lead_group == executive
    mapping = LeadNameMapping.objects.get()
    assert (mapping.board, mapping.name, mapping.group) == (board, "executivegrp", executive)

    # The next upload matches the name by itself: no select.
    response = upload(client, board, GOOD_CSV, title="Next plan")
    assert client.session[SESSION_KEY]["names"] == []
    assert "Match names to groups" not in response.content.decode()


def test_a_choice_that_is_not_one_of_the_groups_is_an_error_on_the_preview(
    client, board, manager, other_board, performance
):
    elsewhere = GroupFactory(name="Elsewhere", boards=[other_board])
    client.force_login(manager)
    upload(client, board, GOOD_CSV)

    response = client.post(confirm_url(board), {"lead-name_0": elsewhere.pk})

    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Error:" in html
    message = "Select a group for Executive grp, or keep it as text"
    assert f'<a href="#id_lead-name_0">{message}</a>' in html
    assert 'class="govuk-select govuk-select--error"' in html
    assert not BusinessPlan.objects.exists()
    assert SESSION_KEY in client.session


# --------------------------------------------------------------------------------------------
# Updating a plan by re-importing its sheet
# --------------------------------------------------------------------------------------------

UPDATE_CSV = (
    "Action ref,Action,Due date,Status,2025/26 update\r\n"
    "2b.1,Review multi-agency meetings for adults at risk,31/12/2026,In progress,Review begun\r\n"
    "2b.2,Write the escalation protocol,,,\r\n"
)


def test_update_preview_shows_each_change_and_confirm_saves_it(client, board, manager, action):
    client.force_login(manager)

    response = client.post(
        upload_url(board),
        {
            "plan_title": action.priority.plan.title,
            "mode": "update",
            "file": SimpleUploadedFile("plan.csv", UPDATE_CSV.encode(), content_type="text/csv"),
        },
    )

    assert response.templates[0].name == "priorities/import_update_preview.html"
    html = response.content.decode()
    assert '<th scope="row" class="govuk-table__header">Due date</th>' in html
    assert '<td class="govuk-table__cell">31 December 2026</td>' in html
    assert "New progress update dated 31 March 2026: Review begun" in html
    assert "Write the escalation protocol" in html
    assert "Update the plan" in html
    assert client.session[SESSION_KEY]["mode"] == "update"
    action.refresh_from_db()
    assert action.due_date is None and action.status == "not_started"

    response = client.post(confirm_url(board))

    assert response["Location"] == action.priority.plan.get_absolute_url()
    action.refresh_from_db()
    assert (str(action.due_date), action.status) == ("2026-12-31", "in_progress")
    assert action.history.first().history_user == manager
    assert Action.objects.get(ref="2b.2").priority == action.priority
    assert [str(m) for m in response.wsgi_request._messages] == [
        "Updated Business Plan 2026/27: 1 action changed; 1 action, 0 priorities, 0 objectives "
        "and 1 progress update added."
    ]


@pytest.mark.parametrize(
    ("title", "status", "message"),
    [
        pytest.param(
            "Nothing like it",
            "approved",
            "LSAB has no plan called Nothing like it: enter the title of the plan to update",
            id="no-such-plan",
        ),
        pytest.param(
            "Business Plan 2026/27",
            "archived",
            "Business Plan 2026/27 is archived and cannot change: import into a new plan.",
            id="archived",
        ),
    ],
)
def test_update_needs_a_plan_that_is_not_archived(
    client, board, manager, plan, title, status, message
):
    BusinessPlan.objects.filter(pk=plan.pk).update(status=status)
    client.force_login(manager)

    response = client.post(
        upload_url(board),
        {
            "plan_title": title,
            "mode": "update",
            "file": SimpleUploadedFile("plan.csv", UPDATE_CSV.encode(), content_type="text/csv"),
        },
    )

    html = response.content.decode()
    assert response.templates[0].name == "priorities/import_upload.html"
    assert f'<a href="#id_plan_title">{message}</a>' in html
    assert SESSION_KEY not in client.session


def test_only_the_boards_managers_may_update_a_plan(client, user_as, board, position, action):
    client.force_login(user_as(position))
    expected = {"manager": 200, "other_board_manager": 404}.get(position, 403)

    response = client.post(
        upload_url(board),
        {
            "plan_title": action.priority.plan.title,
            "mode": "update",
            "file": SimpleUploadedFile("plan.csv", UPDATE_CSV.encode(), content_type="text/csv"),
        },
    )
    assert response.status_code == expected
    confirm = client.post(confirm_url(board))
    assert confirm.status_code == (302 if position == "manager" else expected)
    action.refresh_from_db()
    assert (action.status == "in_progress") == (position == "manager")


def test_the_preview_form_carries_its_csrf_token(board, manager):
    """The confirmation form sits in a partial included with ``only``: a browser (which,
    unlike the test client, is checked for CSRF) must still be able to post it."""
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(manager)
    client.get(upload_url(board))
    token = client.cookies["csrftoken"].value
    file = SimpleUploadedFile("plan.csv", GOOD_CSV.encode(), content_type="text/csv")
    page = client.post(
        upload_url(board), {"plan_title": "P", "file": file, "csrfmiddlewaretoken": token}
    ).content.decode()
    form = page[page.index('id="lead-top"') :]
    form = form[: form.index("</form>")]
    assert 'name="csrfmiddlewaretoken"' in form
