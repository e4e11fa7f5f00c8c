"""Object rules for publishing (found by rules' autodiscovery). A board manager publishes
the board's plans and withdraws a published version; every reader of a plan may print a
draft of it (queryset scoping: what they may see). The public reads what was published
(reports/public_views.py), which needs no rule."""

import rules

from sab.permissions import is_superuser, led_organisation_ids, manages_board

rules.add_perm("reports.publish", is_superuser | manages_board)
rules.add_perm("reports.withdraw_publication", is_superuser | manages_board)


@rules.predicate
def leads_the_organisation(user, statement) -> bool:
    """The partner lead of the statement's organisation in the statement's board."""
    return statement.organisation_id in led_organisation_ids(user, statement.board_id)


# The annual report: the board manager writes it, asks for and accepts statements, imports
# the Section 42 figures, approves and publishes; a partner lead writes only their own
# organisation's statement.
rules.add_perm("reports.keep_annual_report", is_superuser | manages_board)
rules.add_perm("reports.write_statement", is_superuser | leads_the_organisation)
