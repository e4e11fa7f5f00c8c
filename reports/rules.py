"""Object rules for publishing (found by rules' autodiscovery). A board manager publishes
the board's plans and withdraws a published version; every reader of a plan may print a
draft of it (queryset scoping: what they may see). The public reads what was published
(reports/public_views.py), which needs no rule."""

import rules

from sab.permissions import is_superuser, manages_board

rules.add_perm("reports.publish", is_superuser | manages_board)
rules.add_perm("reports.withdraw_publication", is_superuser | manages_board)
