"""Settings for the test suite: the project's settings with the development defaults, as
`make test` runs them (DEBUG=true), so a plain `pytest` (an IDE's test runner) works too.

Everything else still comes from the environment: DATABASE_URL selects PostgreSQL in CI.
"""

import os

os.environ.setdefault("DEBUG", "true")

from sab.settings import *  # noqa: F403
