"""Query counts stay constant however many boards, roles and partners there are.

Every signed-in page pays a fixed 3: session, user and the user's role rows. (The session is
written at most once a minute, so each test makes one warm-up request first.)
"""

import pytest

from sab.models import RoleAssignment
from tests.factories import BoardFactory, BoardMembershipFactory, PersonFactory, UserFactory

Role = RoleAssignment.Role


@pytest.mark.parametrize("n", [2, 30])
def test_home_page_queries_do_not_grow_with_boards(client, db, n, django_assert_max_num_queries):
    """Fixed 3, plus boards with their chairs in one query: nothing per board."""
    user = UserFactory()
    for _ in range(n):
        board = BoardFactory(chair=PersonFactory())
        RoleAssignment.objects.create(user=user, board=board, role=Role.VIEWER)
        RoleAssignment.objects.create(user=user, board=board, role=Role.EXECUTIVE_MEMBER)
    client.force_login(user)
    client.get("/")  # warm-up: the first request after sign-in writes the session
    with django_assert_max_num_queries(4):
        response = client.get("/")
    assert response.content.decode().count('class="govuk-summary-card__title"') == n


@pytest.mark.parametrize("n", [2, 60])
def test_board_page_queries_do_not_grow_with_partners(
    client, board, make_user, n, django_assert_max_num_queries
):
    """Partners and their organisations come in one query with the board's memberships.
    What needs attention (priorities/attention.py) adds two: the periods (the current one
    and the next executive meeting) and every count in one query; the RAG key section
    (priorities/rag_key.py) one, the board's key. Attention with many actions:
    tests/priorities/test_attention.py."""
    for i in range(n):
        BoardMembershipFactory(board=board, statutory=i == 0)
    client.force_login(make_user(Role.VIEWER, board))
    client.get(
        board.get_absolute_url()
    )  # warm-up: the first request after sign-in writes the session
    with django_assert_max_num_queries(8):
        response = client.get(board.get_absolute_url())
    assert len(response.context["partners"]) == n - 1


@pytest.mark.parametrize("n", [2, 40])
def test_boards_api_queries_do_not_grow(client, db, n, django_assert_max_num_queries):
    user = UserFactory()
    for _ in range(n):
        board = BoardFactory()
        BoardMembershipFactory(board=board)
        RoleAssignment.objects.create(user=user, board=board, role=Role.VIEWER)
    client.force_login(user)
    client.get("/api/boards/")  # warm-up: the first request after sign-in writes the session
    with django_assert_max_num_queries(7):
        response = client.get("/api/boards/")
    assert response.json()["count"] == n
