"""Schemathesis against the API's own OpenAPI schema, as a board manager, a subgroup chair and
a viewer of ``board``: every operation, with generated parameters and bodies (valid ones,
then invalid ones), answers no server error, every response the schema documents matches it,
and every other status is an expected refusal (400, 403 or 404).

The schema is the one /api/schema/ serves (drf-spectacular, generated in process). Requests
go through Django's test client in the test's own transaction, so they see the records made
here and what earlier requests wrote; each runs in a savepoint, so a request that breaks the
transaction on PostgreSQL cannot spoil the next. The manager signs in with a verified second
factor (so the review endpoints answer), the chair with a session, the viewer with a token.
Path ids, and the records a body names, are half the time ones that exist, so requests get
past "not found" to the serializers and services.

Bounded for CI: ``EXAMPLES`` cases per operation and mode, no shrinking, and a time budget
per role after which the runs not yet made are skipped with a warning. Run it alone with
``pytest -m schemathesis``.
"""

from __future__ import annotations

import datetime
import time
import traceback
import warnings

import pytest
import requests
import schemathesis
from django.db import transaction
from django.test import Client
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from rest_framework.authtoken.models import Token
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error, response_schema_conformance
from schemathesis.errors import FailureGroup

from priorities.models import RagAssessment
from reviews.models import Recommendation, RecommendationAction
from sab.models import RoleAssignment
from tests.factories import (
    ActionFactory,
    BoardMembershipFactory,
    BusinessPlanFactory,
    GroupMembershipFactory,
    MeetingFactory,
    PersonFactory,
    PriorityFactory,
    ProgressUpdateFactory,
    ReportingPeriodFactory,
)
from tests.reviews.conftest import (
    DecidedReferralFactory,
    FindingFactory,
    InformationRequestFactory,
    RecommendationActionFactory,
    RecommendationFactory,
    ReferralFactory,
    ReviewFactory,
)
from tests.two_factor import verify

pytestmark = [pytest.mark.schemathesis, pytest.mark.django_db]

Role = RoleAssignment.Role
ROLES = ["manager", "chair", "viewer"]
EXAMPLES = {GenerationMode.POSITIVE: 10, GenerationMode.NEGATIVE: 4}
BUDGET_SECONDS = 50  # per role; a role takes 15 to 30 seconds on a CI machine
# What the API answers besides the responses the schema documents: a refused body or
# filter (400), a rule the user does not meet (403), a record outside their scope (404).
EXPECTED_ERRORS = {400, 403, 404}


@pytest.fixture(scope="module")
def api_schema(django_db_blocker):
    """The schema /api/schema/ serves, loaded by schemathesis."""
    with django_db_blocker.unblock():
        document = SchemaGenerator().get_schema(request=None, public=True)
    return schemathesis.openapi.from_dict(document)


@pytest.fixture
def world(board, other_board, group, other_group):
    """Records of every kind the API serves, in ``board`` and in ``other_board`` (which the
    three users must never reach): ids by the path they are read at."""
    plan = BusinessPlanFactory(board=board, title="Business Plan 2026/27", status="approved")
    priority = PriorityFactory(plan=plan, ref="1", delivery_group=group)
    action = ActionFactory(priority=priority, ref="1.1", lead_group=group)
    ActionFactory(priority=priority, ref="1.2", lead_group=other_group, status="complete")
    undelivered = PriorityFactory(plan=plan, ref="2", delivery_group=None)
    today = datetime.date.today()
    period = ReportingPeriodFactory(
        board=board,
        label="This quarter",
        start=today - datetime.timedelta(days=30),
        end=today + datetime.timedelta(days=60),
    )
    update = ProgressUpdateFactory(action=action, period=period)
    assessment = RagAssessment.objects.create(priority=priority, period=period)
    member = PersonFactory()
    member.boards.add(board)
    GroupMembershipFactory(group=group, person=member)
    meeting = MeetingFactory(group=group, date=today - datetime.timedelta(days=7))
    meeting.attendees.add(member)

    pending = ReferralFactory(board=board, reference="SAR-2017-01", subject_label="Adult A")
    referral = DecidedReferralFactory(board=board, reference="SAR-2017-02", subject_label="Adult B")
    request = InformationRequestFactory(referral=referral)
    review = ReviewFactory(referral=referral)
    finding = FindingFactory(review=review, number=1, text="Agencies did not share information.")
    recommendation = RecommendationFactory(review=review, finding=finding, number=1)
    RecommendationFactory(
        review=review,
        number=2,
        response=Recommendation.Response.NOT_ACCEPTED,
        reason_not_accepted="The existing panel covers it.",
    )
    rec_action = RecommendationActionFactory(
        recommendation=recommendation,
        plan_action=action,
        status=RecommendationAction.Status.IN_PROGRESS,
    )

    partner = BoardMembershipFactory(board=board, statutory=True).organisation

    elsewhere_plan = BusinessPlanFactory(board=other_board)
    elsewhere_action = ActionFactory(priority=PriorityFactory(plan=elsewhere_plan))
    elsewhere_referral = DecidedReferralFactory(board=other_board, reference="SAR-2017-01")

    return {
        "boards": [board.slug, other_board.slug],
        "organisations": [partner.pk],
        "people": [member.pk],
        "periods": [period.pk],
        "groups": [group.pk, other_group.pk],
        "group-memberships": list(group.memberships.values_list("pk", flat=True)),
        "meetings": [meeting.pk],
        "plans": [plan.pk, elsewhere_plan.pk],
        "priorities": [priority.pk, undelivered.pk],
        "actions": [action.pk, elsewhere_action.pk],
        "progress-updates": [update.pk],
        "rag-assessments": [assessment.pk],
        "referrals": [pending.pk, referral.pk, elsewhere_referral.pk],
        "information-requests": [request.pk],
        "reviews": [review.pk],
        "findings": [finding.pk],
        "recommendations": [recommendation.pk],
        "recommendation-actions": [rec_action.pk],
    }


def signed_in(role: str, user_as, board) -> tuple[Client, dict[str, str]]:
    """A client for ``role`` and the headers it sends: the manager with a session whose
    second factor is verified (so the review endpoints answer), the chair with a plain
    session, the viewer with an API token."""
    user = user_as(role)
    client = Client()
    if role == "manager":
        verify(client, user)
        return client, {}
    if role == "chair":
        client.force_login(user)
        return client, {}
    token = Token.objects.create(user=user)
    return client, {"Authorization": f"Token {token.key}"}


def expected_status(ctx, response, case):
    """The status is one the schema documents for the operation, or an expected refusal."""
    documented = {int(code) for code in case.operation.responses.status_codes if code.isdigit()}
    if response.status_code not in documented | EXPECTED_ERRORS:
        raise AssertionError(
            f"{case.operation.label} answered {response.status_code}; it documents "
            f"{sorted(documented)} and may refuse with {sorted(EXPECTED_ERRORS)}"
        )


CHECKS = [not_a_server_error, response_schema_conformance, expected_status]


def send(client: Client, auth: dict[str, str], case) -> schemathesis.Response:
    """Send ``case`` through the Django test client, in a savepoint, and wrap the answer
    for schemathesis's checks."""
    kwargs = case.as_transport_kwargs(base_url="http://testserver")
    # The generated request's own credentials (the schema's security schemes) give way to
    # the role's.
    headers = {
        name: value
        for name, value in (kwargs.pop("headers", None) or {}).items()
        if name.lower() not in {"authorization", "cookie"}
    }
    kwargs.pop("cookies", None)
    prepared = requests.Request(headers={**headers, **auth}, **kwargs).prepare()
    body = prepared.body or b""
    if isinstance(body, str):
        body = body.encode()
    path = prepared.path_url
    extra = {
        name: value
        for name, value in prepared.headers.items()
        if name.lower() not in {"content-type", "content-length"}
    }
    with transaction.atomic():
        answer = client.generic(
            prepared.method,
            path,
            data=body,
            content_type=prepared.headers.get("Content-Type", ""),
            headers=extra,
        )
    headers_out = {name.lower(): [value] for name, value in answer.headers.items()}
    return schemathesis.Response(
        status_code=answer.status_code,
        headers=headers_out,
        content=answer.content,
        request=prepared,
        elapsed=0.0,
        verify=False,
        message=answer.reason_phrase,
        encoding=answer.charset or "utf-8",
    )


# Fields of a request body that name another record, and the records they may name.
RELATED = {
    "action": "actions",
    "attendees": "people",
    "board": "boards",
    "finding": "findings",
    "group": "groups",
    "period": "periods",
    "plan_action": "actions",
    "priority": "priorities",
    "recommendation": "recommendations",
    "referral": "referrals",
    "review": "reviews",
}


@st.composite
def cases(draw, operation, mode: GenerationMode, world: dict[str, list]):
    """A case for ``operation``. In positive mode its path id, year and the records its body
    names are, half the time each, ones that exist, so requests get past "not found"."""
    if mode is GenerationMode.NEGATIVE:
        return draw(operation.as_strategy(generation_mode=mode))
    resource = operation.path.split("/")[2]
    known = {"id": world.get(resource, []), "slug": world["boards"], "year": [2017, 2018]}
    path = {
        p.name: draw(st.sampled_from(known[p.name]))
        for p in operation.path_parameters
        if known.get(p.name) and draw(st.booleans())
    }
    case = draw(operation.as_strategy(generation_mode=mode, path_parameters=path or None))
    if isinstance(case.body, dict):
        for name, related in RELATED.items():
            if name in case.body and world[related] and draw(st.booleans()):
                value = draw(st.sampled_from(world[related]))
                case.body[name] = [value] if isinstance(case.body[name], list) else value
    return case


def _describe(error: BaseException) -> str:
    """A check's report as schemathesis words it (with a curl to reproduce), or an exception
    the request raised, with its traceback and the case Hypothesis drew."""
    if isinstance(error, FailureGroup):
        return str(error)
    return "".join(traceback.format_exception(error))[-4000:]


@pytest.mark.parametrize("role", ROLES)
def test_the_api_keeps_to_its_schema(role, api_schema, world, user_as, board):
    client, auth = signed_in(role, user_as, board)
    stop_at = time.monotonic() + BUDGET_SECONDS
    failures: list[str] = []
    skipped: list[str] = []
    operations = [result.ok() for result in api_schema.get_all_operations()]
    # Positive cases for every operation first: if time runs out, negative ones are skipped.
    for mode, examples in EXAMPLES.items():
        for operation in operations:
            if time.monotonic() > stop_at:
                skipped.append(f"{operation.label} ({mode.value})")
                continue

            @settings(
                max_examples=examples,
                deadline=None,
                database=None,
                derandomize=True,
                phases=[Phase.explicit, Phase.generate],
                suppress_health_check=[
                    HealthCheck.too_slow,
                    HealthCheck.filter_too_much,
                    HealthCheck.data_too_large,
                    HealthCheck.large_base_example,
                ],
            )
            @given(case=cases(operation, mode, world))
            def check(case):
                response = send(client, auth, case)
                case.validate_response(response, checks=CHECKS)

            try:
                check()
            except Unsatisfiable:
                pass  # no invalid value exists for this operation's parameters (a free slug)
            except (Exception, FailureGroup) as error:  # every failure is reported below
                failures.append(f"{operation.label} ({mode.value}): {_describe(error)}")
    if skipped:
        warnings.warn(
            f"The time budget ran out before {len(skipped)} runs: {', '.join(skipped)}",
            stacklevel=1,
        )
    assert not failures, "\n\n".join(failures)
