"""Shared fixtures. Browser fixtures (Playwright on the system Chromium) live here too."""

import logging
import os
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis.configuration import set_hypothesis_home_dir

from sab.models import RoleAssignment
from sab.roles import GROUP_ROLES
from tests.factories import (
    BoardFactory,
    GroupFactory,
    GroupMembershipFactory,
    OrganisationFactory,
    PersonFactory,
    RoleAssignmentFactory,
    UserFactory,
)
from tests.matrix import POSITIONS

# Hypothesis keeps its caches in the temporary directory, not in a .hypothesis/ of the checkout.
set_hypothesis_home_dir(Path(tempfile.gettempdir()) / "sab-hypothesis")

# pytest-playwright runs an event loop in the test thread; Django's ORM refuses to run
# inside one unless told it is safe (it is: the live server has its own threads).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ROOT = Path(__file__).resolve().parent.parent
Role = RoleAssignment.Role


@pytest.fixture(scope="session")
def _media_root(tmp_path_factory):
    return tmp_path_factory.mktemp("media")


@pytest.fixture(autouse=True)
def _fast_and_quiet(settings, _media_root):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.AXES_ENABLED = False
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
            "QUEUES": ["default", "pdf"],
        }
    }
    # Published files and uploaded logos go to a temporary folder, never the checkout's media/.
    settings.MEDIA_ROOT = _media_root


@pytest.fixture(autouse=True)
def _no_cached_downloads():
    """Each test starts with no published PDF remembered by the download fast path
    (reports/middleware.py): a rolled-back test's ids come round again."""
    from reports import middleware

    middleware._entries.clear()
    yield
    middleware._entries.clear()


class _FailOnError(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record):
        self.records.append(record)


@pytest.fixture(autouse=True)
def _weasyprint_errors_fail_the_test():
    """WeasyPrint reports problems (a missing lang or alt text, an unknown option, a file it
    could not load) only in its log: any ERROR record there fails the test (STACK.md 1)."""
    handler = _FailOnError()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(handler)
    yield handler
    logger.removeHandler(handler)
    errors = [record.getMessage() for record in handler.records]
    assert not errors, f"WeasyPrint logged errors: {errors}"


@pytest.fixture
def board(db):
    return BoardFactory(name="Leicester Safeguarding Adults Board", short_name="LSAB", slug="lsab")


@pytest.fixture
def other_board(db):
    return BoardFactory(name="Elsewhere Safeguarding Adults Board", short_name="ESAB", slug="esab")


def new_user(role: str | None = None, board=None, *, group=None, **extra):
    """A user holding ``role`` in ``board`` (the ``make_user`` fixture).

    A group role (subgroup chair or member) is held as the real one is: the user's person is
    a current chair or member of ``group`` (a new group of the board if none is given).
    """
    user = UserFactory()
    if role in GROUP_ROLES:
        group = group or GroupFactory(boards=[board])
        person = PersonFactory(user=user, name=user.get_full_name(), email=user.email)
        person.boards.add(*group.boards.all())
        chair = role == Role.SUBGROUP_CHAIR and group.chair is None
        GroupMembershipFactory(group=group, person=person, role="chair" if chair else "member")
    elif role:
        RoleAssignmentFactory(user=user, board=board, role=role, **extra)
    return user


def user_in_position(position: str, *, board, group, other_group, other_board):
    """A user in one of tests/matrix.py's positions (the ``user_as`` fixture, and the
    generated URL matrix's records): "chair" and "member" sit on ``group``, "other_chair"
    chairs ``other_group``, "other_board_manager" manages ``other_board``."""
    return {
        "manager": lambda: new_user(Role.BOARD_MANAGER, board),
        "chair": lambda: new_user(Role.SUBGROUP_CHAIR, board, group=group),
        "member": lambda: new_user(Role.SUBGROUP_MEMBER, board, group=group),
        "other_chair": lambda: new_user(Role.SUBGROUP_CHAIR, board, group=other_group),
        "executive": lambda: new_user(Role.EXECUTIVE_MEMBER, board),
        "review": lambda: new_user(Role.REVIEW_MEMBER, board),
        "partner": lambda: new_user(Role.PARTNER_LEAD, board, organisation=OrganisationFactory()),
        "viewer": lambda: new_user(Role.VIEWER, board),
        "other_board_manager": lambda: new_user(Role.BOARD_MANAGER, other_board),
    }[position]()


@pytest.fixture
def make_user(db):
    """make_user(role, board) -> a user holding that role in that board (``new_user``)."""
    return new_user


@pytest.fixture
def manager(make_user, board):
    return make_user(Role.BOARD_MANAGER, board)


@pytest.fixture
def group(board):
    return GroupFactory(name="Performance Sub-Group", boards=[board])


@pytest.fixture
def other_group(board):
    return GroupFactory(name="Training Sub-Group", boards=[board])


@pytest.fixture
def user_as(make_user, board, group, other_group, other_board):
    """user_as(position) -> a user in that position, for permission matrices.

    "chair" and "member" sit on ``group``; "other_chair" chairs ``other_group``.
    """

    def _user(position: str):
        return user_in_position(
            position, board=board, group=group, other_group=other_group, other_board=other_board
        )

    return _user


@pytest.fixture(params=POSITIONS)
def position(request) -> str:
    """Each position of tests/matrix.py in turn: a test taking it runs once per position."""
    return request.param


# --- Browser (Playwright on the system Chromium) -------------------------------------------

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


def _missing(what: str):
    """Skip a browser test when a tool is absent on a developer's machine; fail in CI."""
    if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
        pytest.fail(f"{what} is required in CI but is missing")
    pytest.skip(f"{what} is not installed (see README: browser tests)")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-dev-shm-usage",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--no-first-run",
            "--disable-default-apps",
            "--disable-sync",
        ],
    }


@pytest.fixture(scope="session")
def browser_available():
    if not Path(CHROMIUM).exists():
        _missing("Chromium (Debian package `chromium`)")


@pytest.fixture(scope="session")
def axe_source() -> str:
    path = ROOT / "node_modules" / "axe-core" / "axe.min.js"
    if not path.exists():
        _missing("axe-core (npm ci)")
    return path.read_text()


@pytest.fixture(scope="session")
def vnu_jar() -> Path:
    path = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
    if not path.exists():
        _missing("vnu-jar (npm ci)")
    if not shutil.which("java"):
        _missing("Java (to run the Nu Html Checker)")
    return path
