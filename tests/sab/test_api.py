"""The REST API: same scoping as the pages, session and token authentication."""

from rest_framework.authtoken.models import Token

from sab.models import RoleAssignment
from tests.factories import BoardMembershipFactory

Role = RoleAssignment.Role


def test_boards_api_lists_only_my_boards(client, board, other_board, make_user):
    BoardMembershipFactory(board=board, statutory=True)
    client.force_login(make_user(Role.VIEWER, board))
    data = client.get("/api/boards/").json()
    assert data["count"] == 1
    assert data["results"][0]["slug"] == "lsab"
    assert data["results"][0]["memberships"][0]["statutory"] is True
    assert client.get(f"/api/boards/{other_board.slug}/").status_code == 404


def test_organisations_api_is_scoped(client, board, other_board, make_user):
    mine = BoardMembershipFactory(board=board).organisation
    BoardMembershipFactory(board=other_board)
    client.force_login(make_user(Role.VIEWER, board))
    names = [row["name"] for row in client.get("/api/organisations/").json()["results"]]
    assert names == [mine.name]


def test_token_authentication(client, board, make_user):
    user = make_user(Role.VIEWER, board)
    token = Token.objects.create(user=user)
    response = client.get("/api/boards/", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 200
    assert response.json()["count"] == 1


def test_anonymous_api_requests_get_401_not_a_login_page(client, db):
    response = client.get("/api/boards/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Token")


def test_openapi_schema_and_docs_for_signed_in_users(client, manager):
    client.force_login(manager)
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    assert b"/api/boards/" in schema.content
    assert client.get("/api/docs/").status_code == 200


def test_api_is_read_only_for_boards(client, manager, board):
    client.force_login(manager)
    assert client.post("/api/boards/", {"name": "x"}).status_code == 405
    assert client.delete(f"/api/boards/{board.slug}/").status_code == 405
