"""Object rules for the core records (found at start-up by rules' autodiscovery)."""

import rules

from sab.permissions import in_board, is_superuser, manages_board

rules.add_perm("sab.view_board", is_superuser | in_board)
# Partners, people, logins and roles; also "may create plans and groups in this board".
rules.add_perm("sab.manage_board", is_superuser | manages_board)
# Starting a board (and inviting its first manager) is for site administrators. Not
# "add_board": Django's own model permission of that name could be granted in the admin.
rules.add_perm("sab.start_board", is_superuser)
