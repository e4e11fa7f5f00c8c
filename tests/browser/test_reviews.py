"""The review subgroup's journey in Chromium: a review member signs in with their password and
the code from their authenticator app, records a referral answering the section 44 questions
(the page says where the answers point as they change), records the decision with its
rationale, commissions the review and adds a finding and a recommendation. The register,
referral, review and year-summary pages are scanned by axe and checked by the Nu Html
Checker."""

import re

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from reviews.models import Finding, Recommendation, Referral, Review
from sab.models import RoleAssignment
from tests.browser.helpers import assert_no_axe_violations, html_errors
from tests.factories import (
    TEST_PASSWORD,
    ActionFactory,
    BusinessPlanFactory,
    PriorityFactory,
    UserFactory,
)
from tests.reviews.conftest import (
    DecidedReferralFactory,
    FindingFactory,
    InformationRequestFactory,
    RecommendationActionFactory,
    RecommendationFactory,
    ReviewFactory,
)
from tests.two_factor import current_code, verify

pytestmark = [pytest.mark.browser]
Role = RoleAssignment.Role
Pointer = Referral.Pointer
# The authenticator app's secret (RFC 6238's test key, "12345678901234567890").
KEY = "3132333435363738393031323334353637383930"


@pytest.fixture
def member(transactional_db, board):
    """A review subgroup member of the board with an authenticator app whose key is known."""
    user = UserFactory(email="reviews@example.org", first_name="Asha", last_name="Patel")
    RoleAssignment.objects.create(user=user, board=board, role=Role.REVIEW_MEMBER)
    device = TOTPDevice.objects.create(user=user, name="Phone", key=KEY, confirmed=True)
    return user, device


def _question(page, question: str, answer: str) -> None:
    page.get_by_role("group", name=question).get_by_role("radio", name=answer, exact=True).check()


def test_a_review_member_records_a_referral_its_decision_and_the_review(
    browser_available, axe_source, live_server, page, member, board
):
    user, device = member
    register = reverse("reviews:referral-list", kwargs={"slug": board.slug})
    heading = page.get_by_role("heading", level=1)

    # Signing in: the password, then the code from the app; then back to the register.
    page.goto(f"{live_server.url}{register}")
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(heading).to_have_text("Enter the code from your authenticator app")
    page.get_by_label("Code from your authenticator app").fill(current_code(device))
    page.get_by_role("button", name="Continue").click()
    expect(heading).to_have_text("Referrals register")
    expect(page.get_by_text("0 referrals")).to_be_visible()
    assert_no_axe_violations(page, axe_source)

    # The referral: the pointer follows the answers as they are given.
    page.get_by_role("link", name="Record a referral").click()
    expect(heading).to_have_text("Record a referral")
    pointer = page.locator("#pointer")
    expect(pointer).to_contain_text(Pointer.INCOMPLETE.label)
    page.get_by_label("Subject").fill("Adult K")
    page.get_by_label("Referred by").fill("Leicestershire Police")
    page.get_by_label("Type of referrer").select_option(label="Board partner agency")
    page.get_by_label("Date of referral").fill("4/12/2017")
    page.get_by_label("Date first considered").fill("10/1/2018")
    _question(page, "Does the adult have needs for care and support?", "Yes")
    expect(pointer).to_contain_text(Pointer.INCOMPLETE.label)
    _question(
        page,
        "Is there reasonable cause for concern about how the board, its members or others "
        "worked together to safeguard the adult?",
        "No",
    )
    expect(pointer).to_contain_text(Pointer.DISCRETIONARY.label)
    _question(
        page,
        "Is there reasonable cause for concern about how the board, its members or others "
        "worked together to safeguard the adult?",
        "Yes",
    )
    _question(
        page, "Has the adult died, or experienced serious abuse or neglect?", "The adult has died"
    )
    _question(
        page,
        "Does the board know or suspect that abuse or neglect caused the death or the serious "
        "harm?",
        "Yes",
    )
    expect(pointer).to_contain_text(Pointer.MANDATORY.label)
    assert_no_axe_violations(page, axe_source)
    page.get_by_role("button", name="Save the referral").click()

    expect(page.get_by_text("Referral SAR-2017-01 has been saved.")).to_be_visible()
    expect(heading).to_have_text("SAR-2017-01: Adult K")
    expect(page.locator("#pointer")).to_contain_text(Pointer.MANDATORY.label)
    assert_no_axe_violations(page, axe_source)

    # The decision, beside where the answers point: refused without a rationale first.
    page.get_by_role("link", name="Record the decision").click()
    expect(page.locator("#pointer")).to_contain_text(Pointer.MANDATORY.label)
    page.get_by_role("group", name="Decision").get_by_role(
        "radio", name="Mandatory SAR (section 44(1) to (3))"
    ).check()
    page.get_by_label("Decision maker").fill("Independent Chair")
    page.get_by_label("Date of decision").fill("15/1/2018")
    page.get_by_role("button", name="Save the decision").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter the rationale for the decision.")
    expect(page).to_have_title(re.compile(r"\(error\)"))
    assert_no_axe_violations(page, axe_source)
    page.get_by_label("Rationale for the decision").fill(
        "Mandatory SAR criteria met. SAR commissioned in line with legislation."
    )
    page.get_by_role("button", name="Save the decision").click()
    expect(page.get_by_text("The decision on SAR-2017-01 has been saved.")).to_be_visible()
    expect(page.get_by_text("42 days")).to_be_visible()  # 4 December 2017 to 15 January 2018

    # Commissioning the review.
    page.get_by_role("link", name="Commission the review").click()
    page.get_by_role("group", name="Methodology").get_by_role(
        "radio", name="Hybrid (documents and a learning event)"
    ).check()
    page.get_by_label("Reviewer", exact=True).fill("Independent reviewer")
    page.get_by_label("Date commissioned").fill("22/1/2018")
    page.get_by_label("Scope period from").fill("1/1/2016")
    page.get_by_label("Scope period to").fill("30/11/2017")
    page.get_by_role("group", name="Family involvement").get_by_role(
        "radio", name="Invited, and took part"
    ).check()
    page.get_by_role("group", name="Parallel processes").get_by_role(
        "checkbox", name="Inquest"
    ).check()
    page.get_by_role("button", name="Commission the review").click()
    expect(page.get_by_text("The review of SAR-2017-01 is commissioned.")).to_be_visible()
    expect(heading).to_have_text("The review of SAR-2017-01: Adult K")
    expect(page.get_by_text("1 January 2016 to 30 November 2017")).to_be_visible()

    # A finding, then a recommendation answering it.
    page.get_by_role("link", name="Add a finding").click()
    page.get_by_label("Finding", exact=True).fill("Agencies did not share what they knew.")
    page.get_by_label("Theme").fill("Information sharing")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Finding 1 has been added.")).to_be_visible()
    page.get_by_role("link", name="Add a recommendation").click()
    page.get_by_label("Recommendation", exact=True).fill("Agree an information-sharing protocol.")
    page.get_by_label("Finding").select_option(index=1)
    page.get_by_role("group", name="Scope").get_by_role("radio", name="Multi-agency").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Recommendation 1 has been added.")).to_be_visible()
    card = page.locator("#recommendation-1")
    expect(card).to_contain_text("Agree an information-sharing protocol.")
    expect(card).to_contain_text("Not decided yet")
    expect(page.locator("#findings ~ ol")).to_contain_text("Agencies did not share")
    assert_no_axe_violations(page, axe_source)

    review = Review.objects.get()
    assert review.referral.decision == Referral.Decision.MANDATORY
    assert review.parallel_processes == ["inquest"]
    assert Finding.objects.get(review=review).number == 1
    assert Recommendation.objects.get(review=review).finding.number == 1

    # The year summary of 2017/18: the referral, and the review ongoing at the year end.
    page.goto(f"{live_server.url}{register}")
    page.get_by_role("link", name="Year summary for the annual report").click()
    expect(heading).to_have_text(re.compile(r"Safeguarding Adults Reviews \d{4}/\d{2}"))
    page.goto(
        f"{live_server.url}"
        + reverse("reviews:year-summary", kwargs={"slug": board.slug, "year": 2017})
    )
    expect(heading).to_have_text("Safeguarding Adults Reviews 2017/18")
    table = page.get_by_role("table", name="Safeguarding Adults Review referrals and outcomes")
    expect(table).to_contain_text("December 2017")
    expect(table).to_contain_text("January 2018")
    expect(table).to_contain_text("Mandatory SAR criteria met.")
    expect(page.get_by_text("SAR-2017-01: Adult K, hybrid")).to_be_visible()
    assert_no_axe_violations(page, axe_source)


def test_review_pages_are_valid_html(vnu_jar, client, make_user, board, tmp_path):
    """The register, the referral form (and its label warning), a referral, its decision
    (with an error), the review and the year summary have no Nu Html Checker errors."""
    verify(client, make_user(Role.REVIEW_MEMBER, board))
    referral = DecidedReferralFactory(board=board, subject_label="Adult B")
    InformationRequestFactory(referral=referral)
    review = ReviewFactory(referral=referral)
    finding = FindingFactory(review=review, number=1)
    recommendation = RecommendationFactory(
        review=review,
        finding=finding,
        number=1,
        response=Recommendation.Response.NOT_ACCEPTED,
        reason_not_accepted="Covered by the high-risk panel.",
    )
    RecommendationActionFactory(
        recommendation=recommendation,
        plan_action=ActionFactory(priority=PriorityFactory(plan=BusinessPlanFactory(board=board))),
    )
    documents = {
        "register": client.get(
            reverse("reviews:referral-list", kwargs={"slug": board.slug})
        ).content.decode(),
        "referral-form": client.get(
            reverse("reviews:referral-create", kwargs={"slug": board.slug})
        ).content.decode(),
        "referral-name": client.post(
            reverse("reviews:referral-create", kwargs={"slug": board.slug}),
            {"subject_label": "John Smith"},
        ).content.decode(),
        "referral": client.get(referral.get_absolute_url()).content.decode(),
        "decision-error": client.post(
            reverse("reviews:referral-decision", kwargs={"pk": referral.pk}),
            {"decision": "mandatory", "decided_on": "1/1/2017"},
        ).content.decode(),
        "review": client.get(review.get_absolute_url()).content.decode(),
        "year-summary": client.get(
            reverse("reviews:year-summary", kwargs={"slug": board.slug, "year": 2017})
        ).content.decode(),
    }
    assert "There is a problem" in documents["decision-error"]
    assert html_errors(vnu_jar, documents, tmp_path) == []
