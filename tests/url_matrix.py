"""The one table of who gets what from every URL: for each URL name the resolver and the API
router know, how to fill its kwargs from the matrix's records, and for each method (GET and
POST; an API route's PUT and PATCH too) the answer each position of tests/matrix.py gets.
tests/test_url_matrix.py requests every cell and compares; a URL without a row here, a row
for a URL that is gone, or a method a route takes without answers, fails there.

Reading a row: ``page(on(pk="draft"), get=managers(200), post=managers(302))`` says the URL's
``pk`` is the matrix's ``draft`` plan; the board manager gets the page and their POST goes
through, the board's other positions get 403, and another board's manager 404 (positions
outside the board get 404 unless a row says otherwise). A page's POST carries no data: 200
is the form shown again with its errors, 302 an action done (or refused with a message). The
API's methods send JSON, empty (400 is its validation errors) unless the row gives the body
an API create needs, so that its answer is the role's and not the empty body's.

A wrong answer is never declared: the right one is, wrapped in ``bug(...)``, which the matrix
runs as a strict xfail until the product is fixed.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.test import Client, override_settings
from django.utils import timezone

from priorities.models import Measure, RagAssessment, StrategicPlan
from reports.models import AnnualReport, PartnerStatement, PublishingJob, ReportSection
from sab.models import RoleAssignment
from tests.conftest import user_in_position
from tests.factories import (
    ActionFactory,
    BoardFactory,
    BoardMembershipFactory,
    BusinessPlanFactory,
    GroupFactory,
    GroupMembershipFactory,
    MeetingFactory,
    PersonFactory,
    PriorityFactory,
    ProgressUpdateFactory,
    ReportingPeriodFactory,
    RoleAssignmentFactory,
)
from tests.matrix import IN_BOARD, POSITIONS
from tests.reviews.conftest import (
    DecidedReferralFactory,
    FindingFactory,
    InformationRequestFactory,
    RecommendationActionFactory,
    RecommendationFactory,
    ReviewFactory,
)
from tests.two_factor import verify

Role = RoleAssignment.Role

# --- Answers ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Bug:
    """The right answer, which the product does not give yet (a strict xfail in the matrix)."""

    status: int
    reason: str


def bug(status: int, reason: str) -> Bug:
    return Bug(status, reason)


Answers = dict[str, "int | Bug"]


def everyone(status: int) -> Answers:
    """The same for every position, another board's manager included (a page about the reader,
    or a list scoped to their own boards)."""
    return dict.fromkeys(POSITIONS, status)


def only(positions, status: int, *, else_: int | Bug = 403, outside: int = 404) -> Answers:
    """``status`` for ``positions``, ``else_`` for the board's others, ``outside`` beyond it."""
    unknown = set(positions) - set(POSITIONS)
    assert not unknown, f"not positions: {unknown}"
    return {
        p: status if p in positions else (else_ if p in IN_BOARD else outside) for p in POSITIONS
    }


def everyone_in_board(status: int, *, outside: int = 404) -> Answers:
    return only(IN_BOARD, status, outside=outside)


def managers(status: int, *, else_: int = 403, outside: int = 404) -> Answers:
    """The board manager's answer, ``else_`` for the board's others."""
    return only({"manager"}, status, else_=else_, outside=outside)


# --- Rows ------------------------------------------------------------------------------------

# Every URL is requested with GET and POST; an API route also with the other methods it takes
# (PUT, PATCH, DELETE), each with an empty JSON body unless its row gives one for POST.
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


@dataclass(frozen=True)
class Row:
    """How to fill a URL's kwargs (kwarg -> record name, or a ``Value``), what each method
    answers each position, and for an API create, the body its POST sends (``data(world)``,
    so the answer is the role's, not the empty body's)."""

    kwargs: dict
    answers: dict[str, Answers]
    data: Callable[[dict], dict] | None = None

    def __post_init__(self):
        assert {"GET", "POST"} <= set(self.answers) <= set(METHODS), self.answers.keys()
        for method, answers in self.answers.items():
            assert set(answers) == set(POSITIONS), (method, set(POSITIONS) ^ set(answers))


@dataclass(frozen=True)
class Value:
    """A literal kwarg value (``on(fmt=Value("csv"))``), not the name of a record."""

    value: object


def on(**kwargs) -> dict:
    """The URL's kwargs: each names a record of the matrix (its pk, or its slug for ``slug``)
    or is a ``Value``."""
    return kwargs


NONE: dict = {}
BOARD = on(slug="board")


def page(kwargs: dict, *, get: Answers, post: Answers, **others: Answers) -> Row:
    return Row(kwargs, {"GET": get, "POST": post, **{m.upper(): a for m, a in others.items()}})


def get_only(kwargs: dict, get: Answers, *, post: Answers | None = None) -> Row:
    """A page or endpoint that takes no POST: 405 for everyone who gets that far."""
    return Row(kwargs, {"GET": get, "POST": everyone(405) if post is None else post})


def post_only(kwargs: dict, post: Answers, *, get: Answers | None = None) -> Row:
    """A button: it takes only a POST."""
    return Row(kwargs, {"GET": everyone(405) if get is None else get, "POST": post})


def api_list(*, get: Answers, post: Answers, data: Callable[[dict], dict]) -> Row:
    """An API list that creates with POST: ``data`` names this board's records."""
    return Row(NONE, {"GET": get, "POST": post}, data)


def fill(kwargs: dict, world: dict) -> dict:
    """The kwargs for ``reverse()``, from the row's recipe and the matrix's records."""
    filled = {}
    for name, source in kwargs.items():
        if isinstance(source, Value):
            filled[name] = source.value
        else:
            record = world[source]
            filled[name] = record.slug if name == "slug" else record.pk
    return filled


# --- What is left out, on purpose ------------------------------------------------------------

# Route prefixes the matrix does not request, and why.
EXCLUDED_PREFIXES = (
    # Django's admin: superusers only, with its own sign-in (test_urls_require_login.py).
    "django-admin/",
    # Files served in development only.
    "static/",
    "media/",
)
# URL names the matrix does not request, and why.
EXCLUDED_NAMES = {
    # The OpenAPI schema and its viewer: the same document for everyone signed in; the
    # schema is tested by its own tests (and, by issue 13, schemathesis).
    "api-schema",
    "api-docs",
}
# A router's format-suffix routes ("/api/plans.json") share the name, the view and the
# answers of the route without the suffix, which the matrix requests.


# --- The records every row's kwargs name -----------------------------------------------------


def build_world() -> dict:
    """One board with a record behind every URL, the positions' users, and a signed-in,
    second-factor-verified session for each position (``world["sessions"][position]``)."""
    fast = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with fast:
        board = BoardFactory(
            name="Leicester Safeguarding Adults Board", short_name="LSAB", slug="lsab"
        )
        other_board = BoardFactory(
            name="Elsewhere Safeguarding Adults Board", short_name="ESAB", slug="esab"
        )
        group = GroupFactory(name="Performance Sub-Group", boards=[board])
        other_group = GroupFactory(name="Training Sub-Group", boards=[board])
        users = {
            position: user_in_position(
                position,
                board=board,
                group=group,
                other_group=other_group,
                other_board=other_board,
            )
            for position in POSITIONS
        }
        today = timezone.localdate()
        period = ReportingPeriodFactory(
            board=board,
            label="This quarter",
            start=today - datetime.timedelta(days=30),
            end=today + datetime.timedelta(days=60),
        )
        # The plan in use: ``group`` delivers its priority and leads its action.
        plan = BusinessPlanFactory(board=board, title="Business Plan", status="approved")
        priority = PriorityFactory(plan=plan, ref="2b", title="Meetings", delivery_group=group)
        action = ActionFactory(priority=priority, ref="2b.1", lead_group=group)
        # A draft: what is approved or deleted (with an action of its own).
        draft = BusinessPlanFactory(board=board, title="Next year's plan", status="draft")
        draft_priority = PriorityFactory(plan=draft, ref="1", delivery_group=group)
        draft_action = ActionFactory(priority=draft_priority, ref="1.1", lead_group=group)
        # The chair's update this quarter: only its author changes or withdraws it.
        update = ProgressUpdateFactory(action=action, period=period, author=users["chair"])
        referral = DecidedReferralFactory(board=board, reference="SAR-2017-02")
        review = ReviewFactory(referral=referral)
        recommendation = RecommendationFactory(review=review, number=1)
        partner = BoardMembershipFactory(board=board)
        someone = PersonFactory(name="Sam Partner")
        someone.boards.add(board)
        world = {
            "board": board,
            "other_board": other_board,
            "group": group,
            "other_group": other_group,
            "users": users,
            "period": period,
            "plan": plan,
            "priority": priority,
            "action": action,
            "measure": Measure.objects.create(priority=priority, name="Meetings held"),
            "update": update,
            "assessment": RagAssessment.objects.create(priority=priority, period=period),
            "draft": draft,
            "draft_action": draft_action,
            "strategic_plan": StrategicPlan.objects.create(
                board=board, title="Strategy", first_year=2024, last_year=2027
            ),
            "partner": partner,
            "organisation": partner.organisation,
            "person": someone,
            "role": RoleAssignmentFactory(board=board, role=Role.VIEWER),  # someone else's
            "membership": GroupMembershipFactory(group=group, person=someone),
            "meeting": MeetingFactory(group=group),
            "referral": referral,
            # Decided as a SAR, no review yet: the page and API that commission one.
            "unreviewed_referral": DecidedReferralFactory(board=board, reference="SAR-2017-03"),
            "information_request": InformationRequestFactory(referral=referral),
            "review": review,
            "finding": FindingFactory(review=review, number=1),
            "recommendation": recommendation,
            "review_action": RecommendationActionFactory(recommendation=recommendation),
        }
        # --- Publications (public): a plan of its own published, so the plans above keep
        # their states.
        world["publication"] = _published_plan(board, by=users["manager"])
        world["job"] = PublishingJob.objects.create(
            board=board,
            kind="business_plan",
            business_plan=world["publication"].business_plan,
            state=PublishingJob.State.PUBLISHED,
            publication=world["publication"],
        )
        # --- The annual report.
        world["annual_report"] = AnnualReport.objects.create(board=board, year=2024)
        world["report_section"] = ReportSection.objects.create(
            report=world["annual_report"], title="Context", body="Our area."
        )
        # The "partner" position's organisation is a member, asked for its statement: its
        # lead writes it. Another organisation's submitted statement is the one the manager
        # accepts or returns (no position leads it). One member is not asked yet.
        led = RoleAssignment.objects.get(user=users["partner"], role=Role.PARTNER_LEAD)
        BoardMembershipFactory(board=board, organisation=led.organisation)
        world["statement"] = PartnerStatement.objects.create(
            report=world["annual_report"],
            organisation=led.organisation,
            due=today + datetime.timedelta(days=14),
        )
        world["submitted_statement"] = PartnerStatement.objects.create(
            report=world["annual_report"],
            organisation=partner.organisation,
            due=today + datetime.timedelta(days=14),
            status=PartnerStatement.Status.SUBMITTED,
            text="What we did this year.",
            submitted_at=timezone.now(),
        )
        BoardMembershipFactory(board=board)
        world["sessions"] = {position: _session_key(user) for position, user in users.items()}
    return world


# --- Publications (public) ------------------------------------------------------------------


def _published_plan(board, *, by):
    from reports.rendering import Rendered
    from reports.services import store_publication

    plan = BusinessPlanFactory(board=board, title="Published plan", status="approved")
    pdf = b"%PDF-1.7\n% the matrix's published plan\n"
    html = '<!DOCTYPE html><html lang="en-GB"><title>Published plan</title><p>Plan</p></html>'
    rendered = Rendered(
        title="Published plan", period="2024/25", year=2024, html=html, pdf=pdf, page_count=1
    )
    # Stored in the tests' media folder (test_url_matrix.py's world builds under it).
    return store_publication(source=plan, rendered=rendered, by=by)


def _session_key(user) -> str:
    client = Client()
    verify(client, user)
    return client.session.session_key


# --- The table -------------------------------------------------------------------------------

# Who does what, in the positions' terms (tests/matrix.py).
KEEPS_GROUP = {"manager", "chair"}  # the group's business: members, meetings
LEAD_GROUP = {"manager", "chair", "member"}  # the action's lead group (and the manager)
DELIVERY_GROUP = LEAD_GROUP  # the priority's delivery group proposes its rating
SITS_ON_A_GROUP = {"manager", "chair", "member", "other_chair"}  # has proposals to write
DECIDES = {"manager", "executive"}  # the executive group decides ratings
KEEPS_REVIEWS = {"manager", "review"}
AUTHOR = {"chair"}  # wrote the progress update


def reviewers(status: int, *, outside: int = 404) -> Answers:
    """Review records: the board's review members and managers; for anyone else in the board
    the reviews pages do not exist (404)."""
    return only(KEEPS_REVIEWS, status, else_=404, outside=outside)


def review_page(kwargs: dict, *, get: int, post: int | None = None) -> Row:
    """A reviews page: ``post=None`` for one that takes no form (405 once past the gate:
    another board's manager keeps reviews too, so gets that far)."""
    posted = reviewers(405, outside=405) if post is None else reviewers(post)
    return page(kwargs, get=reviewers(get), post=posted)


def review_detail_api(kwargs: dict) -> Row:
    """A reviews record in the API: read and changed by the board's review keepers only."""
    return page(
        kwargs,
        get=reviewers(200),
        post=reviewers(405, outside=405),
        put=reviewers(400),  # the empty body is refused field by field
        patch=reviewers(200),
    )


def review_list_api(data: Callable[[dict], dict]) -> Row:
    """A reviews list in the API: another board's manager reads their own board's, and
    cannot create under this board's records (unknown to them: 400, as for any bad id)."""
    return api_list(get=reviewers(200, outside=200), post=reviewers(201, outside=400), data=data)


def _pk(world: dict, name: str) -> int:
    return world[name].pk


# A partner statement's readers: the board manager and its organisation's partner lead.
STATEMENT_READERS = {"manager", "partner"}


def statement_writer(status: int) -> Answers:
    """Its organisation's partner lead writes it; the board manager sees it but does not
    write partners' statements (403); nobody else may know it exists (404)."""
    return {**only({"partner"}, status, else_=404), "manager": 403}


TABLE: dict[str, Row] = {
    # --- The core: boards, partners, people, roles (sab/urls.py) -----------------------------
    "home": get_only(NONE, everyone(302)),  # each position has one board: straight to it
    # Starting a board is for site administrators; for anyone else the page does not exist.
    "sab:board-create": page(NONE, get=everyone(404), post=everyone(404)),
    "sab:board-detail": get_only(BOARD, everyone_in_board(200)),
    "sab:board-edit": page(BOARD, get=managers(200), post=managers(200)),
    "sab:partner-list": get_only(BOARD, managers(200)),
    "sab:partner-create": page(BOARD, get=managers(200), post=managers(200)),
    "sab:partner-edit": page(on(slug="board", pk="partner"), get=managers(200), post=managers(200)),
    "sab:person-list": get_only(BOARD, managers(200)),
    "sab:person-create": page(BOARD, get=managers(200), post=managers(200)),
    "sab:person-edit": page(on(slug="board", pk="person"), get=managers(200), post=managers(200)),
    "sab:role-list": page(BOARD, get=managers(200), post=managers(200)),
    "sab:role-remove": post_only(on(slug="board", pk="role"), managers(302)),
    "sab:search": get_only(NONE, everyone(200)),  # each reader's own boards
    # --- Signing in, the second factor, passwords: the same for every signed-in reader -------
    "accessibility": get_only(NONE, everyone(200)),
    "healthz": get_only(NONE, everyone(200)),
    "login": page(NONE, get=everyone(302), post=everyone(302)),  # signed in: sent on
    "two-factor": get_only(NONE, everyone(200)),
    "two-factor-verify": page(NONE, get=everyone(302), post=everyone(302)),  # verified: on
    "two-factor-enrol": page(NONE, get=everyone(200), post=everyone(200)),
    "two-factor-backup-codes": page(NONE, get=everyone(200), post=everyone(302)),
    "logout": post_only(NONE, everyone(302)),
    "password_change": page(NONE, get=everyone(200), post=everyone(200)),
    "password_change_done": get_only(NONE, everyone(200)),
    "password_reset": page(NONE, get=everyone(200), post=everyone(200)),
    "password_reset_done": get_only(NONE, everyone(200)),
    "password_reset_confirm": page(  # a link that is not valid: the page says so
        on(uidb64=Value("x"), token=Value("y")), get=everyone(200), post=everyone(200)
    ),
    "password_reset_complete": get_only(NONE, everyone(200)),
    # --- Groups, members, meetings (subgroups/urls.py) ---------------------------------------
    "subgroups:structure": get_only(BOARD, everyone_in_board(200)),
    "subgroups:group-create": page(BOARD, get=managers(200), post=managers(200)),
    "subgroups:group-detail": get_only(on(pk="group"), everyone_in_board(200)),
    "subgroups:group-edit": page(on(pk="group"), get=managers(200), post=managers(200)),
    # The group leads an action, so the POST shows why it cannot be deleted (200).
    "subgroups:group-delete": page(on(pk="group"), get=managers(200), post=managers(200)),
    "subgroups:membership-create": page(
        on(pk="group"), get=only(KEEPS_GROUP, 200), post=only(KEEPS_GROUP, 200)
    ),
    "subgroups:membership-edit": page(
        on(pk="group", membership_pk="membership"),
        get=only(KEEPS_GROUP, 200),
        post=only(KEEPS_GROUP, 200),
    ),
    "subgroups:meeting-create": page(
        on(pk="group"), get=only(KEEPS_GROUP, 200), post=only(KEEPS_GROUP, 200)
    ),
    "subgroups:meeting-edit": page(
        on(pk="group", meeting_pk="meeting"),
        get=only(KEEPS_GROUP, 200),
        post=only(KEEPS_GROUP, 200),
    ),
    # --- Plans, actions, progress, periods (priorities/urls.py) ------------------------------
    "priorities:plan-list": get_only(BOARD, everyone_in_board(200)),
    "priorities:plan-create": page(BOARD, get=managers(200), post=managers(200)),
    "priorities:tracker": get_only(BOARD, everyone_in_board(200)),
    "priorities:tracker-export": get_only(
        on(slug="board", fmt=Value("csv")), everyone_in_board(200)
    ),
    "priorities:my-actions": get_only(BOARD, everyone_in_board(200)),
    "priorities:quarterly-return": page(
        on(pk="group"), get=only(LEAD_GROUP, 200), post=only(LEAD_GROUP, 200)
    ),
    # Everyone in the board reads the periods; only a manager adds one.
    "priorities:period-list": page(BOARD, get=everyone_in_board(200), post=managers(200)),
    "priorities:period-year": page(BOARD, get=managers(200), post=managers(200)),
    "priorities:period-edit": page(on(pk="period"), get=managers(200), post=managers(200)),
    "priorities:strategic-plan-create": page(BOARD, get=managers(200), post=managers(200)),
    "priorities:strategic-plan-detail": get_only(on(pk="strategic_plan"), everyone_in_board(200)),
    "priorities:strategic-plan-edit": page(
        on(pk="strategic_plan"), get=managers(200), post=managers(200)
    ),
    "priorities:strategic-priority-create": page(
        on(pk="strategic_plan"), get=managers(200), post=managers(200)
    ),
    "priorities:consultation-create": page(
        on(pk="strategic_plan"), get=managers(200), post=managers(200)
    ),
    "priorities:plan-detail": get_only(on(pk="plan"), everyone_in_board(200)),
    "priorities:plan-edit": page(on(pk="plan"), get=managers(200), post=managers(200)),
    "priorities:plan-approve": page(on(pk="draft"), get=managers(200), post=managers(302)),
    # Reopening needs a reason: the empty POST is the form again with its error.
    "priorities:plan-reopen": page(on(pk="plan"), get=managers(200), post=managers(200)),
    "priorities:plan-delete": page(on(pk="draft"), get=managers(200), post=managers(302)),
    "priorities:plan-roll-forward": page(on(pk="plan"), get=managers(200), post=managers(200)),
    "priorities:priority-create": page(on(pk="plan"), get=managers(200), post=managers(200)),
    "priorities:priority-edit": page(on(pk="priority"), get=managers(200), post=managers(200)),
    "priorities:priority-move": post_only(on(pk="priority"), managers(302)),
    "priorities:objective-create": page(on(pk="priority"), get=managers(200), post=managers(200)),
    "priorities:measure-create": page(on(pk="priority"), get=managers(200), post=managers(200)),
    "priorities:action-create": page(on(pk="priority"), get=managers(200), post=managers(200)),
    # Everyone in the board reads a measure; a manager records its values.
    "priorities:measure-detail": page(
        on(pk="measure"), get=everyone_in_board(200), post=managers(200)
    ),
    "priorities:action-detail": get_only(on(pk="action"), everyone_in_board(200)),
    "priorities:action-edit": page(on(pk="action"), get=managers(200), post=managers(200)),
    "priorities:action-move": post_only(on(pk="action"), managers(302)),
    "priorities:action-delete": page(on(pk="draft_action"), get=managers(200), post=managers(302)),
    # One's own update only: not even the board manager changes someone else's words.
    "priorities:update-edit": page(on(pk="update"), get=only(AUTHOR, 200), post=only(AUTHOR, 200)),
    "priorities:update-withdraw": page(
        on(pk="update"), get=only(AUTHOR, 200), post=only(AUTHOR, 302)
    ),
    "priorities:progress-create": page(
        on(pk="action"), get=only(LEAD_GROUP, 200), post=only(LEAD_GROUP, 200)
    ),
    "priorities:milestone-create": page(
        on(pk="action"), get=only(LEAD_GROUP, 200), post=only(LEAD_GROUP, 200)
    ),
    "priorities:plan-import": page(BOARD, get=managers(200), post=managers(200)),
    # Nothing uploaded to confirm: sent back to the upload page.
    "priorities:plan-import-confirm": post_only(BOARD, managers(302)),
    "priorities:plan-import-template": get_only(BOARD, managers(200)),
    # The quarterly RAG cycle (priorities/rag_views.py).
    "priorities:rag-start": post_only(
        on(pk="priority", period_pk="period"), only(DELIVERY_GROUP, 302)
    ),
    "priorities:rag-timeline": get_only(on(pk="priority"), everyone_in_board(200)),
    "priorities:rag-assessment": get_only(on(pk="assessment"), everyone_in_board(200)),
    "priorities:rag-propose": post_only(on(pk="assessment"), only(DELIVERY_GROUP, 200)),
    "priorities:rag-return": post_only(on(pk="assessment"), only(DECIDES, 200)),
    "priorities:rag-decide": post_only(on(pk="assessment"), only(DECIDES, 200)),
    "priorities:rag-correct": post_only(on(pk="assessment"), only(DECIDES, 200)),
    "priorities:rag-proposals": get_only(BOARD, only(SITS_ON_A_GROUP, 200)),
    "priorities:rag-decisions": get_only(BOARD, only(DECIDES, 200)),
    "priorities:rag-heatmap": get_only(BOARD, everyone_in_board(200)),
    "priorities:rag-heatmap-csv": get_only(BOARD, everyone_in_board(200)),
    "priorities:rag-key": page(BOARD, get=managers(200), post=managers(200)),
    # --- Safeguarding Adults Reviews (reviews/urls.py): restricted --------------------------
    # The reviews home sends each keeper to their own board's register.
    "reviews:home": page(NONE, get=reviewers(302, outside=302), post=reviewers(405, outside=405)),
    "reviews:referral-list": review_page(BOARD, get=200),
    "reviews:referral-export": review_page(BOARD, get=200),
    "reviews:referral-create": review_page(BOARD, get=200, post=200),
    "reviews:year-summary-current": review_page(BOARD, get=302),  # to this year's
    "reviews:year-summary": review_page(on(slug="board", year=Value(2017)), get=200),
    "reviews:referral-detail": review_page(on(pk="referral"), get=200),
    "reviews:referral-edit": review_page(on(pk="referral"), get=200, post=200),
    "reviews:referral-decision": review_page(on(pk="referral"), get=200, post=200),
    "reviews:information-request-create": review_page(on(pk="referral"), get=200, post=200),
    "reviews:information-request-edit": review_page(
        on(pk="information_request"), get=200, post=200
    ),
    "reviews:review-create": review_page(on(pk="unreviewed_referral"), get=200, post=200),
    "reviews:review-detail": review_page(on(pk="review"), get=200),
    "reviews:review-edit": review_page(on(pk="review"), get=200, post=200),
    "reviews:finding-create": review_page(on(pk="review"), get=200, post=200),
    "reviews:finding-edit": review_page(on(pk="finding"), get=200, post=200),
    "reviews:recommendation-create": review_page(on(pk="review"), get=200, post=200),
    "reviews:recommendation-edit": review_page(on(pk="recommendation"), get=200, post=200),
    "reviews:action-create": review_page(on(pk="recommendation"), get=200, post=200),
    "reviews:action-edit": review_page(on(pk="review_action"), get=200, post=200),
    # --- The API (sab/api_urls.py): lists are each reader's own boards' ----------------------
    "api-root": get_only(NONE, everyone(200)),
    "api-board-list": get_only(NONE, everyone(200)),
    "api-board-detail": get_only(BOARD, everyone_in_board(200)),
    "api-organisation-list": get_only(NONE, everyone(200)),
    "api-organisation-detail": get_only(on(pk="organisation"), everyone_in_board(200)),
    "api-group-list": get_only(NONE, everyone(200)),
    "api-group-detail": get_only(on(pk="group"), everyone_in_board(200)),
    "api-group-membership-list": get_only(NONE, everyone(200)),
    "api-group-membership-detail": get_only(on(pk="membership"), everyone_in_board(200)),
    # Another board's manager names a group unknown to them: 400, as for any bad id.
    "api-meeting-list": api_list(
        get=everyone(200),
        post=only(KEEPS_GROUP, 201, outside=400),
        data=lambda w: {"group": _pk(w, "group"), "date": "2024-06-03", "status": "held"},
    ),
    "api-meeting-detail": page(
        on(pk="meeting"),
        get=everyone_in_board(200),
        post=everyone(405),
        put=only(KEEPS_GROUP, 400),  # the empty body is refused field by field
        patch=only(KEEPS_GROUP, 200),
    ),
    "api-plan-list": get_only(NONE, everyone(200)),
    "api-plan-detail": get_only(on(pk="plan"), everyone_in_board(200)),
    "api-priority-list": get_only(NONE, everyone(200)),
    "api-priority-detail": get_only(on(pk="priority"), everyone_in_board(200)),
    "api-action-list": get_only(NONE, everyone(200)),
    "api-action-detail": get_only(on(pk="action"), everyone_in_board(200)),
    # The same for an action unknown to another board's manager.
    "api-progress-update-list": api_list(
        get=everyone(200),
        post=only(LEAD_GROUP, 201, outside=400),
        data=lambda w: {
            "action": _pk(w, "action"),
            "text": "On track.",
            "status": "in_progress",
            "rag": "green",
        },
    ),
    "api-progress-update-detail": get_only(on(pk="update"), everyone_in_board(200)),
    "api-rag-assessment-list": api_list(
        get=everyone(200),
        post=only(DELIVERY_GROUP, 201),
        data=lambda w: {"priority": _pk(w, "priority"), "period": _pk(w, "period")},
    ),
    "api-rag-assessment-detail": get_only(on(pk="assessment"), everyone_in_board(200)),
    # The empty body: the service refuses it with the reason (400), once the role may act.
    "api-rag-assessment-propose": post_only(on(pk="assessment"), only(DELIVERY_GROUP, 400)),
    "api-rag-assessment-return": post_only(on(pk="assessment"), only(DECIDES, 400)),
    "api-rag-assessment-decide": post_only(on(pk="assessment"), only(DECIDES, 400)),
    "api-rag-assessment-correct": post_only(on(pk="assessment"), only(DECIDES, 400)),
    "api-referral-list": review_list_api(
        lambda w: {
            "board": w["board"].slug,
            "subject_label": "Adult Q",
            "referring_organisation": "Leicestershire Police",
            "referrer_type": "partner",
            "referral_date": "2017-06-01",
        }
    ),
    "api-referral-detail": review_detail_api(on(pk="referral")),
    "api-referral-year-summary": page(
        on(slug="board", year=Value(2017)),
        get=reviewers(200),
        post=reviewers(405, outside=405),
    ),
    "api-information-request-list": review_list_api(
        lambda w: {
            "referral": _pk(w, "referral"),
            "agency": "Leicestershire Police",
            "requested_on": "2017-06-14",
            "due_on": "2017-06-28",
        }
    ),
    "api-information-request-detail": review_detail_api(on(pk="information_request")),
    "api-review-list": review_list_api(
        lambda w: {
            "referral": _pk(w, "unreviewed_referral"),
            "methodology": "learning_together",
            "reviewer": "Independent reviewer",
            "commissioned_on": "2017-08-01",
            "scope_start": "2015-01-01",
            "scope_end": "2017-05-31",
            "family_involvement": "took_part",
        }
    ),
    "api-review-detail": review_detail_api(on(pk="review")),
    "api-finding-list": review_list_api(
        lambda w: {"review": _pk(w, "review"), "text": "Agencies did not share information."}
    ),
    "api-finding-detail": review_detail_api(on(pk="finding")),
    "api-recommendation-list": review_list_api(
        lambda w: {
            "review": _pk(w, "review"),
            "text": "Agree an information-sharing protocol.",
            "scope": "multi_agency",
        }
    ),
    "api-recommendation-detail": review_detail_api(on(pk="recommendation")),
    "api-recommendation-action-list": review_list_api(
        lambda w: {
            "recommendation": _pk(w, "recommendation"),
            "description": "Publish the protocol.",
            "owner_organisation": "Leicester City Council",
            "due": "2018-06-30",
        }
    ),
    "api-recommendation-action-detail": review_detail_api(on(pk="review_action")),
    # --- Publications (public) ---------------------------------------------------------------
    # The public site and its API: the same for everyone, signed in or not (anonymous
    # visitors: tests/test_urls_require_login.py); nothing there takes a POST.
    "publications:index": get_only(NONE, everyone(200)),
    "publications:board": get_only(BOARD, everyone(200)),
    "publications:accessibility": get_only(BOARD, everyone(200)),
    "publications:document": get_only(on(slug="board", pk="publication"), everyone(200)),
    "publications:html": get_only(on(slug="board", pk="publication"), everyone(200)),
    "publications:pdf": get_only(on(slug="board", pk="publication"), everyone(200)),
    "api-publication-list": get_only(NONE, everyone(200)),
    "api-publication-detail": get_only(on(pk="publication"), everyone(200)),
    # --- end of Publications (public) ---------------------------------------------------------
    # --- Printing and publishing (the board office) ------------------------------------------
    # Every reader of a plan prints a draft; only its board's manager publishes (a POST queues
    # the job and goes to its page; the strategic plan is a draft, so its POST is refused with
    # a message back on the plan), follows the job, and withdraws a version (an empty POST is
    # the form again with its error).
    "reports:business-plan-draft": get_only(on(pk="plan"), everyone_in_board(200)),
    "reports:strategic-plan-draft": get_only(on(pk="strategic_plan"), everyone_in_board(200)),
    "reports:business-plan-publish": page(on(pk="plan"), get=managers(200), post=managers(302)),
    "reports:strategic-plan-publish": page(
        on(pk="strategic_plan"), get=managers(200), post=managers(302)
    ),
    "reports:job": get_only(on(pk="job"), managers(200)),
    "reports:withdraw": page(on(pk="publication"), get=managers(200), post=managers(200)),
    # The annual report: everyone in the board reads the draft; its manager writes it.
    "reports:annual-report-list": get_only(BOARD, everyone_in_board(200)),
    "reports:annual-report-start": page(BOARD, get=managers(200), post=managers(200)),
    "reports:annual-report": get_only(on(pk="annual_report"), everyone_in_board(200)),
    "reports:annual-report-edit": page(
        on(pk="annual_report"), get=managers(200), post=managers(302)
    ),
    "reports:annual-report-preview": get_only(on(pk="annual_report"), everyone_in_board(200)),
    "reports:annual-report-draft": get_only(on(pk="annual_report"), everyone_in_board(200)),
    "reports:report-section-create": page(
        on(pk="annual_report"), get=managers(200), post=managers(200)
    ),
    "reports:report-section-edit": page(
        on(pk="report_section"), get=managers(200), post=managers(200)
    ),
    "reports:report-section-delete": page(
        on(pk="report_section"), get=managers(200), post=managers(302)
    ),
    # --- The annual report in the API (reports/annual_api.py) --------------------------------
    # Everyone in the board reads the reports with their sections; the board manager changes
    # the narrative (the empty PATCH changes nothing: 200). Reports are started, approved and
    # published on the pages: no POST, PUT or DELETE.
    "api-annual-report-list": get_only(NONE, everyone(200)),
    "api-annual-report-detail": page(
        on(pk="annual_report"),
        get=everyone_in_board(200),
        post=everyone(405),
        patch=managers(200),
    ),
    # Sections: read as their report is; the board manager adds, changes and removes them.
    # Another board's manager names a report unknown to them: 400, as for any bad id.
    "api-report-section-list": api_list(
        get=everyone(200),
        post=managers(201, outside=400),
        data=lambda w: {
            "report": _pk(w, "annual_report"),
            "part": "who_we_are",
            "title": "Our area",
            "body": "Leicester is a city of 350,000 people.",
        },
    ),
    "api-report-section-detail": page(
        on(pk="report_section"),
        get=everyone_in_board(200),
        post=everyone(405),
        put=managers(400),  # the empty body is refused field by field
        patch=managers(200),
        delete=managers(204),
    ),
    # Partner statements: the board's for its manager, a partner lead's own organisation's
    # (the list is each reader's own: empty for most positions). The lead submits (the empty
    # body: the service asks for the text, 400); the manager does not write partners'
    # statements (403). The manager accepts the submitted one (200) or returns it (the empty
    # body: the service asks for the comment, 400); the "partner" position leads another
    # organisation, so the submitted statement does not exist for them (404).
    "api-partner-statement-list": get_only(NONE, everyone(200)),
    "api-partner-statement-detail": get_only(
        on(pk="statement"), only(STATEMENT_READERS, 200, else_=404)
    ),
    "api-partner-statement-submit": post_only(on(pk="statement"), statement_writer(400)),
    "api-partner-statement-accept": post_only(
        on(pk="submitted_statement"), only({"manager"}, 200, else_=404)
    ),
    "api-partner-statement-return": post_only(
        on(pk="submitted_statement"), only({"manager"}, 400, else_=404)
    ),
    # The completeness check: everyone in the board reads it; the manager moves the report
    # on (the world's report is a draft missing its statutory items, so approving it, or
    # returning it to draft, goes back to the check with the reason: 302 all the same).
    "reports:annual-report-check": get_only(on(pk="annual_report"), everyone_in_board(200)),
    "reports:annual-report-send-for-review": post_only(on(pk="annual_report"), managers(302)),
    "reports:annual-report-return-to-draft": post_only(on(pk="annual_report"), managers(302)),
    "reports:annual-report-approve": post_only(on(pk="annual_report"), managers(302)),
    "reports:annual-report-publish": page(
        on(pk="annual_report"), get=managers(200), post=managers(302)
    ),
    "reports:distribution-create": page(
        on(pk="annual_report"), get=managers(200), post=managers(200)
    ),
    # The Section 42 figures: everyone in the board reads them; the manager imports them
    # (the empty POST is the form again with its error).
    "reports:figures": get_only(on(slug="board", year=Value(2024)), everyone_in_board(200)),
    "reports:figures-import": page(
        on(slug="board", year=Value(2024)), get=managers(200), post=managers(200)
    ),
    "reports:figures-template": get_only(BOARD, everyone_in_board(200)),
    # Partner statements: the report's list and asking for them are the board manager's
    # (the empty POST is the form again with its errors).
    "reports:statement-list": get_only(on(pk="annual_report"), managers(200)),
    "reports:statement-request": page(
        on(pk="annual_report"), get=managers(200), post=managers(200)
    ),
    # The reader's own statements, across their boards (empty for most positions).
    "reports:my-statements": get_only(NONE, everyone(200)),
    # A statement is seen only by the board manager and its organisation's partner lead; the
    # lead writes it, the manager does not write partners' statements (403).
    "reports:statement-detail": get_only(
        on(pk="statement"), only(STATEMENT_READERS, 200, else_=404)
    ),
    "reports:statement-write": page(
        on(pk="statement"), get=statement_writer(200), post=statement_writer(200)
    ),
    # The "partner" position leads another organisation: the submitted statement does not
    # exist for them (404).
    "reports:statement-accept": post_only(
        on(pk="submitted_statement"), only({"manager"}, 302, else_=404)
    ),
    "reports:statement-return": page(
        on(pk="submitted_statement"),
        get=only({"manager"}, 200, else_=404),
        post=only({"manager"}, 200, else_=404),
    ),
}
