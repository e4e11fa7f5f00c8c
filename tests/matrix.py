"""What permission matrices share: the positions a user can hold (tests/conftest.py's
``user_as`` makes each, and its ``position`` fixture runs a test once per position) and the
answer each expects.

"chair" and "member" sit on the ``group`` fixture's group, "other_chair" chairs
``other_group``; "other_board_manager" manages another board, so this board's records do
not exist for them.
"""

POSITIONS = [
    "manager",
    "chair",
    "member",
    "other_chair",
    "executive",
    "review",
    "partner",
    "viewer",
    "other_board_manager",
]
IN_BOARD = frozenset(POSITIONS) - {"other_board_manager"}


def expected(position: str, allowed, *, ok: int = 200) -> int:
    """``ok`` for a position in ``allowed``, 403 for the board's others, 404 outside it."""
    if position not in IN_BOARD:
        return 404
    return ok if position in allowed else 403
