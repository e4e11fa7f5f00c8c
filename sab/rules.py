"""Object rules for the core records (found at start-up by rules' autodiscovery)."""

import rules

from sab.permissions import in_board, is_superuser, manages_board

rules.add_perm("sab.view_board", is_superuser | in_board)
# Partners, people, logins and roles; also "may create plans and groups in this board".
rules.add_perm("sab.manage_board", is_superuser | manages_board)
