"""Object rules for plans and actions (found by rules' autodiscovery).

Board managers write plans; a group's chair or members record progress on the actions their
group leads; everyone in the board reads (queryset scoping: Model.objects.visible_to).
Every record here says its board through ``board_id``, and whether it may still change
through ``is_read_only`` (true once its plan is archived: the record of that year).
"""

import rules

from sab.permissions import board_ids, group_ids, is_superuser, manages_board, roles_in_board
from sab.roles import GROUP_ROLES, Role
from subgroups.rules import manages_a_board_of_group


@rules.predicate
def in_lead_group(user, action) -> bool:
    """Chairs or sits on the group that leads the action (in the action's board)."""
    return (
        action.lead_group_id is not None
        and action.lead_group_id in group_ids(user, GROUP_ROLES)
        and action.board_id in board_ids(user)
    )


@rules.predicate
def in_delivery_group(user, record) -> bool:
    """Chairs or sits on the delivery group of the priority (or of the assessment's)."""
    priority = getattr(record, "priority", record)
    return (
        priority.delivery_group_id is not None
        and priority.delivery_group_id in group_ids(user, GROUP_ROLES)
        and priority.board_id in board_ids(user)
    )


@rules.predicate
def executive_member(user, record) -> bool:
    """An executive group member in the record's board (assigned, or sitting on the group)."""
    return Role.EXECUTIVE_MEMBER in roles_in_board(user, record.board_id)


@rules.predicate
def in_group(user, group) -> bool:
    """Chairs or sits on ``group``."""
    return group.pk in group_ids(user, GROUP_ROLES)


@rules.predicate
def open_for_changes(user, record) -> bool:
    return not record.is_read_only


@rules.predicate
def deletable(user, record) -> bool:
    """A draft plan, or an action of one (``can_be_deleted``)."""
    return record.can_be_deleted


@rules.predicate
def wrote_it(user, update) -> bool:
    return update.author_id == user.pk


@rules.predicate
def still_open(user, update) -> bool:
    return update.is_still_open()


# Plans, strategic plans and everything in them (priorities, actions, measures).
rules.add_perm("priorities.change_plan", (is_superuser | manages_board) & open_for_changes)
# Progress updates and milestones on an action.
rules.add_perm(
    "priorities.update_action",
    (is_superuser | manages_board | in_lead_group) & open_for_changes,
)
# Deleting a draft plan or an action of one (after a wrong import, say).
rules.add_perm("priorities.delete_plan", (is_superuser | manages_board) & deletable)
# One's own progress update, while its period is current: change or withdraw it.
rules.add_perm("priorities.change_update", wrote_it & still_open & open_for_changes)
# A group's quarterly return: one page updating every open action the group leads.
rules.add_perm("priorities.make_return", is_superuser | manages_a_board_of_group | in_group)
# The quarterly RAG cycle (priorities/rag.py): the priority's delivery group drafts and
# proposes (the board manager when it has none, or as well); the executive group returns or
# decides. Nobody decides a rating they proposed: the service refuses it, with the reason.
rules.add_perm(
    "priorities.propose_rag", (is_superuser | manages_board | in_delivery_group) & open_for_changes
)
rules.add_perm(
    "priorities.decide_rag", (is_superuser | manages_board | executive_member) & open_for_changes
)
