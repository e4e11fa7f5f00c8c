"""Object rules for groups, their members and meetings (found by rules' autodiscovery), and
the group roles their memberships give.

Board managers set groups up; a group's chair keeps its members and meetings. A joint group
belongs to every board it serves: a manager of any of them may edit its name, remit and
members, but which boards it serves, and whether it exists at all, change every one of
those boards, so only someone who manages all of them may change its boards or delete it
(subgroups/services.py checks the boards after the change too).

Group roles come from membership (ADR 0002): whoever the group page shows as a current chair
or vice chair holds the subgroup-chair role for that group, in every board it serves; its
other current members hold the subgroup-member role. Members of an executive group also hold
the executive-member role in the boards it serves. Ended or inactive groups give none.
"""

import rules
from django.db.models import BigIntegerField, Case, F, Value, When

from sab import permissions
from sab.permissions import board_ids, group_ids, is_superuser
from sab.roles import MANAGER_ROLES, Role
from subgroups.models import Group, GroupMembership


def group_role_rows(user):
    """(board id, role, organisation id, group id) for each group the user is a current
    member of, once for each board the group serves."""
    return (
        GroupMembership.objects.current()
        .filter(person__user=user, group__active=True)
        .annotate(
            board=F("group__boards"),
            group_role=Case(
                When(role__in=GroupMembership.CHAIR_ROLES, then=Value(Role.SUBGROUP_CHAIR.value)),
                default=Value(Role.SUBGROUP_MEMBER.value),
            ),
            no_organisation=Value(None, output_field=BigIntegerField()),
        )
        .values_list("board", "group_role", "no_organisation", "group_id")
        .order_by()
    )


permissions.add_role_source(group_role_rows)


def executive_role_rows(user):
    """The executive-member role in each board an executive group serves, for each of its
    current members: sitting on the executive group is what lets someone decide ratings."""
    return (
        GroupMembership.objects.current()
        .filter(
            person__user=user,
            group__active=True,
            group__kind__in=[Group.Kind.EXECUTIVE, Group.Kind.JOINT_EXECUTIVE],
        )
        .annotate(
            board=F("group__boards"),
            executive=Value(Role.EXECUTIVE_MEMBER.value),
            no_organisation=Value(None, output_field=BigIntegerField()),
        )
        .values_list("board", "executive", "no_organisation", "group_id")
        .order_by()
    )


permissions.add_role_source(executive_role_rows)


@rules.predicate
def manages_a_board_of_group(user, group) -> bool:
    return bool(group.board_ids & board_ids(user, MANAGER_ROLES))


def manages_all(user, ids: set[int]) -> bool:
    """Manages every one of these boards (and there is at least one)."""
    return bool(ids) and ids <= board_ids(user, MANAGER_ROLES)


@rules.predicate
def manages_every_board_of_group(user, group) -> bool:
    return manages_all(user, group.board_ids)


@rules.predicate
def chairs_group(user, group) -> bool:
    """A current chair or vice chair of this group."""
    return group.pk in group_ids(user)


keeps_group_business = is_superuser | manages_a_board_of_group | chairs_group


@rules.predicate
def keeps_business_of_meetings_group(user, meeting) -> bool:
    return keeps_group_business.test(user, meeting.group)


rules.add_perm("subgroups.change_group", is_superuser | manages_a_board_of_group)
rules.add_perm("subgroups.change_group_boards", is_superuser | manages_every_board_of_group)
rules.add_perm("subgroups.delete_group", is_superuser | manages_every_board_of_group)
rules.add_perm("subgroups.manage_group_business", keeps_group_business)
rules.add_perm("subgroups.change_meeting", keeps_business_of_meetings_group)
