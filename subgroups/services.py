"""Which boards a group serves, and deleting a group: the writes that reach past one board.

A joint group belongs to every board it serves, so changing its boards or deleting it
changes each of those boards. Both need manager rights on every board the group serves
before the change and after it (subgroups/rules.py: ``subgroups.change_group_boards`` and
``subgroups.delete_group``), and a board never leaves a group while its plans still name the
group: its actions would be led by a group it can no longer see. The pages and the API call
these functions; their messages count only records in boards the user belongs to.

The plans app sits above this one, so its records are reached through the reverse
relations (``actions_led``, ``priorities_delivered``), whose managers are its querysets.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError

from sab import permissions
from sab.models import Board, User
from subgroups.models import Group
from subgroups.rules import manages_all

ONLY_MANAGED_BOARDS = (
    "Choose only boards you manage. A manager of another board can add the group to it."
)
CHANGE_BOARDS_REFUSED = (
    "Only someone who manages every board this group serves can change which boards it serves."
)
DELETE_REFUSED = "Only someone who manages every board this group serves can delete it."
INSTEAD = "Deactivate it instead: its history stays in reports."


@transaction.atomic
def save_group(*, group: Group, boards: Iterable[Board], by: User) -> Group:
    """Save a new or edited group and the boards it serves.

    The boards change only if ``by`` manages every board the group served and every board it
    will serve. A board leaves only while none of its priorities or actions use the group. If
    the board the group reports to leaves, the first of ``boards`` takes its place.
    """
    boards = list(boards)
    new = {board.pk for board in boards}
    if not new:
        raise ValidationError({"boards": "Choose at least one board this group serves."})
    old: set[int] = set()
    if group.pk:
        # Under the group's row lock, a plan record that names the group in a transaction
        # still open (its foreign key locks the same row, on PostgreSQL) is waited for, so
        # the counts below see it; and the boards read are the boards as they are now.
        Group.objects.select_for_update().get(pk=group.pk)
        old = set(
            Group.boards.through.objects.filter(group_id=group.pk).values_list(
                "board_id", flat=True
            )
        )
    if new != old:
        _check_may_change_boards(by, old=old, new=new)
        errors = [
            message
            for board in Board.objects.filter(pk__in=old - new).order_by("name", "pk")
            if (message := _still_used_by(group, board, by))
        ]
        if errors:
            raise ValidationError({"boards": errors})
    if group.reporting_board_id not in new:
        group.reporting_board = boards[0]
    group.full_clean()
    group.save()
    group.boards.set(boards)
    return group


@transaction.atomic
def delete_group(*, group: Group, by: User) -> None:
    """Delete a group that nothing depends on, if ``by`` manages every board it serves.

    The refusal says what depends on the group in the user's boards, and only that other
    boards' records do too, never how many or which.
    """
    # Read again under the row lock: the boards it serves now, not when the page was opened.
    group = Group.objects.select_for_update().get(pk=group.pk)
    if not by.has_perm("subgroups.delete_group", group):
        raise ValidationError(DELETE_REFUSED)
    reasons = _dependants(group, by)
    if reasons:
        raise ValidationError(
            f"{group.name} cannot be deleted because other records depend on it. "
            f"{' '.join(reasons)} {INSTEAD}"
        )
    try:
        with transaction.atomic():
            group.delete()
    except ProtectedError:
        # A record of a kind _dependants does not know: no counts, as its board is unknown.
        raise ValidationError(
            f"{group.name} cannot be deleted because other records depend on it. {INSTEAD}"
        ) from None


def _check_may_change_boards(user: User, *, old: set[int], new: set[int]) -> None:
    if user.is_superuser:
        return
    if old and not manages_all(user, old):
        raise ValidationError({"boards": CHANGE_BOARDS_REFUSED})
    added = new - old
    if added and not manages_all(user, added):
        raise ValidationError({"boards": ONLY_MANAGED_BOARDS})


def _reads_board(user: User, board: Board) -> bool:
    return user.is_superuser or board.pk in permissions.board_ids(user)


def _still_used_by(group: Group, board: Board, user: User) -> str:
    """Why ``board`` cannot leave the group ("" if it can): its records that use the group,
    counted only for a board the user may see."""
    actions = group.actions_led.for_board(board).count()
    priorities = group.priorities_delivered.for_board(board).count()
    if not actions and not priorities:
        return ""
    if not _reads_board(user, board):
        return "A board you are removing still uses this group in its plans, so it cannot leave."
    uses = []
    if actions:
        uses.append(f"leads {_count(actions, 'action')}")
    if priorities:
        uses.append(f"is the delivery group for {_count(priorities, 'priority', 'priorities')}")
    return (
        f"{board.short_name} cannot be removed: this group {' and '.join(uses)} in "
        f"{board.short_name}'s plans. Give them another group first, or keep {board.short_name}."
    )


def _dependants(group: Group, user: User) -> list[str]:
    """One sentence for each kind of record in the user's boards that depends on the group,
    then one (with no numbers) if records in other boards do too."""
    plans = "your board's plans" if len(permissions.board_ids(user)) == 1 else "your boards' plans"
    kinds = [
        (group.actions_led.all(), lambda n: f"It leads {_count(n, 'action')} in {plans}."),
        (
            group.priorities_delivered.all(),
            lambda n: (
                f"It is the delivery group for {_count(n, 'priority', 'priorities')} in {plans}."
            ),
        ),
        (
            group.reporting_groups.all(),
            lambda n: f"{_count(n, 'group')} in your boards report{'s' if n == 1 else ''} to it.",
        ),
    ]
    reasons = []
    elsewhere = False
    for records, sentence in kinds:
        total = records.count()
        if not total:
            continue
        seen = records.visible_to(user).count()
        if seen:
            reasons.append(sentence(seen))
        elsewhere = elsewhere or seen < total
    if elsewhere:
        reasons.append(f"Records in other boards depend on it{' too' if reasons else ''}.")
    return reasons


def _count(n: int, singular: str, plural: str = "") -> str:
    return f"{n} {singular if n == 1 else plural or singular + 's'}"
