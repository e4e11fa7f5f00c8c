"""Object rules for groups, their members and meetings (found by rules' autodiscovery).

Board managers set groups up; a group's chair keeps its members and meetings. A joint group
belongs to every board it serves, so "a manager of the group's board" means any of them.
"""

import rules

from sab.permissions import board_ids, group_ids, is_superuser
from sab.roles import MANAGER_ROLES


@rules.predicate
def manages_a_board_of_group(user, group) -> bool:
    return bool(group.board_ids & board_ids(user, MANAGER_ROLES))


@rules.predicate
def chairs_group(user, group) -> bool:
    """Holds the subgroup-chair role for this group (RoleAssignment.group)."""
    return group.pk in group_ids(user)


keeps_group_business = is_superuser | manages_a_board_of_group | chairs_group


@rules.predicate
def keeps_business_of_meetings_group(user, meeting) -> bool:
    return keeps_group_business.test(user, meeting.group)


rules.add_perm("subgroups.change_group", is_superuser | manages_a_board_of_group)
rules.add_perm("subgroups.delete_group", is_superuser | manages_a_board_of_group)
rules.add_perm("subgroups.manage_group_business", keeps_group_business)
rules.add_perm("subgroups.change_meeting", keeps_business_of_meetings_group)
