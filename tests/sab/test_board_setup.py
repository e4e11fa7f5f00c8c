"""Starting a board in the app (site administrators) and changing its details (its managers)."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from sab.models import Board, Person, RoleAssignment, User
from sab.services import start_board
from tests.factories import PersonFactory, UserFactory
from tests.matrix import expected

Role = RoleAssignment.Role
NEW_BOARD = {
    "name": "Northshire Safeguarding Adults Board",
    "short_name": "NSAB",
    "area": "Northshire",
    "financial_year_start_month": "4",
    "rag_definitions": "- **Red:** off track.\n- **Green:** on track.",
    "manager_name": "Dana Whitfield",
    "manager_email": "Dana.Whitfield@Example.org",
}


@pytest.fixture
def superuser(db):
    return UserFactory(is_staff=True, is_superuser=True)


def test_only_a_site_administrator_may_start_a_board(client, user_as, position, superuser):
    """Nobody else may know the page exists: 404 for every position, on GET and on POST."""
    client.force_login(user_as(position))
    assert client.get("/boards/new/").status_code == 404
    assert client.post("/boards/new/", NEW_BOARD).status_code == 404
    assert not Board.objects.filter(slug="nsab").exists()
    client.force_login(superuser)
    assert client.get("/boards/new/").status_code == 200


def test_a_login_without_roles_cannot_start_a_board(client, db):
    client.force_login(UserFactory())
    assert client.get("/boards/new/").status_code == 404


def test_only_the_boards_manager_may_change_its_details(
    client, board, user_as, position, superuser
):
    client.force_login(user_as(position))
    assert client.get(f"/boards/{board.slug}/edit/").status_code == expected(position, {"manager"})
    response = client.post(
        f"/boards/{board.slug}/edit/",
        {"vision": f"Changed by {position}", "financial_year_start_month": "4"},
    )
    assert response.status_code == expected(position, {"manager"}, ok=302)
    board.refresh_from_db()
    assert (board.vision == f"Changed by {position}") is (position == "manager")
    client.force_login(superuser)
    assert client.get(f"/boards/{board.slug}/edit/").status_code == 200


def test_start_a_board_and_its_manager_can_open_it(
    client, superuser, django_capture_on_commit_callbacks
):
    client.force_login(superuser)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/boards/new/", NEW_BOARD)
    assert response.status_code == 302
    assert response["Location"] == "/boards/nsab/"
    board = Board.objects.get(slug="nsab")
    assert (board.name, board.short_name, board.area) == (
        "Northshire Safeguarding Adults Board",
        "NSAB",
        "Northshire",
    )
    assert board.financial_year_start_month == 4
    assert board.rag_definitions == NEW_BOARD["rag_definitions"]
    assert board.history.get().history_user == superuser

    manager = User.objects.get(email="dana.whitfield@example.org")
    assert not manager.has_usable_password()
    assert (manager.first_name, manager.last_name) == ("Dana", "Whitfield")
    assert list(manager.person.boards.all()) == [board]
    assert list(manager.role_assignments.values_list("board", "role")) == [
        (board.pk, Role.BOARD_MANAGER)
    ]
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["dana.whitfield@example.org"]
    assert "/accounts/reset/" in mail.outbox[0].body

    client.force_login(manager)
    assert client.get("/boards/nsab/").status_code == 200
    assert client.get("/boards/nsab/edit/").status_code == 200


def test_a_new_board_gets_the_usual_rag_wording_unless_told_otherwise(client, superuser):
    client.force_login(superuser)
    page = client.get("/boards/new/").content.decode()
    assert "on track." in page  # the default wording is offered in the form
    board = start_board(
        name="Southshire Safeguarding Adults Board",
        short_name="SSAB",
        area="Southshire",
        manager_name="Sam Lee",
        manager_email="sam.lee@example.org",
        by=superuser,
    )
    assert board.rag_definitions == Board.DEFAULT_RAG_DEFINITIONS
    assert board.financial_year_start_month == 4


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"short_name": "LSAB"}, "The web address /boards/lsab/ is taken"),
        ({"short_name": "l sab"}, "The web address /boards/l-sab/ is taken"),
        ({"short_name": "New"}, "The web address /boards/new/ is taken"),
        ({"short_name": "!!"}, "Use letters or numbers in the short name"),
        ({"name": "Leicester Safeguarding Adults Board"}, "There is already a board with this"),
        ({"manager_email": "not an address"}, "Enter a valid email address."),
        ({"name": ""}, "Enter board name"),  # GOV.UK style: the field, named
    ],
)
def test_a_clash_or_a_mistake_is_shown_and_nothing_is_created(
    client, board, superuser, django_capture_on_commit_callbacks, changes, message
):
    """The board fixture is LSAB at /boards/lsab/; /boards/new/ is a page."""
    Board.objects.create(name="Another board", short_name="L SAB", slug="l-sab", area="Here")
    boards, people, users = Board.objects.count(), Person.objects.count(), User.objects.count()
    client.force_login(superuser)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/boards/new/", {**NEW_BOARD, **changes})
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert message in page
    assert (Board.objects.count(), Person.objects.count(), User.objects.count()) == (
        boards,
        people,
        users,
    )
    assert mail.outbox == []


def test_an_existing_login_is_made_the_manager_not_duplicated(
    client, board, manager, superuser, django_capture_on_commit_callbacks
):
    """The manager of one board starts another: same login, same person, no welcome e-mail."""
    person = PersonFactory(user=manager, name="Lindsey Bampton", email=manager.email)
    person.boards.add(board)
    client.force_login(superuser)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/boards/new/", {**NEW_BOARD, "manager_email": manager.email.upper()})
    new = Board.objects.get(slug="nsab")
    assert User.objects.filter(email=manager.email).count() == 1
    assert Person.objects.filter(user=manager).get() == person
    assert set(person.boards.all()) == {board, new}
    assert set(manager.role_assignments.values_list("board", flat=True)) == {board.pk, new.pk}
    assert mail.outbox == []
    client.force_login(manager)
    assert client.get("/boards/nsab/edit/").status_code == 200


def test_a_login_without_a_person_gets_one_in_the_new_board(superuser, db):
    user = UserFactory(email="helen.ward@example.org")
    board = start_board(
        name="Northshire Safeguarding Adults Board",
        short_name="NSAB",
        area="Northshire",
        manager_name="Helen Ward",
        manager_email="helen.ward@example.org",
        by=superuser,
    )
    assert User.objects.filter(email="helen.ward@example.org").count() == 1
    user.refresh_from_db()
    assert user.person.name == "Helen Ward"
    assert list(user.person.boards.all()) == [board]


def test_the_service_names_the_field_at_fault_and_leaves_nothing_behind(superuser, db):
    arguments = {
        "name": "Northshire Safeguarding Adults Board",
        "short_name": "NSAB",
        "area": "Northshire",
        "manager_name": "Dana Whitfield",
        "manager_email": "dana@example.org",
        "by": superuser,
    }
    for changes, field in [
        ({"short_name": ""}, "short_name"),
        ({"area": ""}, "area"),
        ({"financial_year_start_month": 13}, "financial_year_start_month"),
        ({"manager_name": ""}, "manager_name"),
        ({"manager_email": "dana"}, "manager_email"),
    ]:
        with pytest.raises(ValidationError) as caught:
            start_board(**{**arguments, **changes})
        assert field in caught.value.message_dict, changes
    assert not Board.objects.exists()
    assert not Person.objects.exists()
    assert not User.objects.filter(email="dana@example.org").exists()


def test_no_board_may_take_a_pages_address(db):
    board = Board(name="New Board", short_name="NEW", slug="new", area="Here")
    with pytest.raises(ValidationError) as caught:
        board.full_clean()
    assert "slug" in caught.value.message_dict


def test_a_manager_changes_the_boards_details(client, board, manager):
    client.force_login(manager)
    page = client.get(f"/boards/{board.slug}/edit/").content.decode()
    assert "Terms of reference" in page
    response = client.post(
        f"/boards/{board.slug}/edit/",
        {
            "vision": "Adults in Leicester live free from abuse and neglect.",
            "terms_of_reference": "**Purpose.** To help and protect adults.",
            "financial_year_start_month": "1",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == board.get_absolute_url()
    board.refresh_from_db()
    assert board.vision == "Adults in Leicester live free from abuse and neglect."
    assert board.terms_of_reference == "**Purpose.** To help and protect adults."
    assert board.financial_year_start_month == 1


def test_a_month_outside_the_year_is_refused(client, board, manager):
    client.force_login(manager)
    response = client.post(f"/boards/{board.slug}/edit/", {"financial_year_start_month": "13"})
    assert "There is a problem" in response.content.decode()
    board.refresh_from_db()
    assert board.financial_year_start_month == 4


def test_board_page_shows_vision_and_terms_of_reference(client, board, manager, make_user):
    board.vision = "Adults live **free** from abuse."
    board.terms_of_reference = "## Purpose\n\nTo help."
    board.save()
    client.force_login(make_user(Role.VIEWER, board))
    page = client.get(board.get_absolute_url()).content.decode()
    assert "<strong>free</strong>" in page and "<h2>Purpose</h2>" in page
    assert "/boards/lsab/edit/" not in page
    client.force_login(manager)
    assert "/boards/lsab/edit/" in client.get(board.get_absolute_url()).content.decode()


def test_only_site_administrators_are_offered_start_a_board(client, board, manager, superuser):
    client.force_login(manager)
    assert "/boards/new/" not in client.get("/", follow=True).content.decode()
    client.force_login(superuser)
    assert "Start a board" in client.get("/").content.decode()
