"""Object rules for review records (found by rules' autodiscovery).

Review data is restricted: a board's review members and board managers read and keep it;
nobody else in the board sees it exists (queryset scoping: reviews.models.RestrictedQuerySet).
Every review record says its board through ``board_id``.
"""

import rules

from sab.permissions import board_ids, is_superuser
from sab.roles import RESTRICTED_REVIEW_ROLES


@rules.predicate
def keeps_reviews(user, record) -> bool:
    """A review member or a board manager of the record's board."""
    return record.board_id in board_ids(user, RESTRICTED_REVIEW_ROLES)


rules.add_perm("reviews.keep_reviews", is_superuser | keeps_reviews)
