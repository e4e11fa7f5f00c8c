"""Import pages: upload -> preview (nothing saved) -> confirm (all or nothing)."""

import hashlib
import io

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from priorities.models import Action, BusinessPlan, Priority
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
