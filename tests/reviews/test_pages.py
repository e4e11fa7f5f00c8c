"""The review pages for a review member with a verified second factor: each page renders,
the forms save and redirect, and bad input is refused with messages that say why (the
access matrix for every role is in the access tests)."""

import csv
import datetime
import io

import pytest
from django.urls import reverse

from reviews.models import (
    Answer,
    Finding,
    InformationRequest,
    Recommendation,
    RecommendationAction,
    Referral,
    Review,
)
from sab.models import RoleAssignment
from tests.factories import (
    ActionFactory,
    BusinessPlanFactory,
    PriorityFactory,
    RoleAssignmentFactory,
)
from tests.reviews.conftest import (
    DecidedReferralFactory,
    FindingFactory,
    RecommendationActionFactory,
    ReferralFactory,
    ReviewFactory,
    verified_client,
)
from tests.two_factor import verify

Pointer = Referral.Pointer
Role = RoleAssignment.Role


def _page_urls(board, review):
    referral = review.referral
    recommendation = review.recommendations.order_by("number").first()
    return [
        reverse("reviews:referral-list", kwargs={"slug": board.slug}),
        reverse("reviews:referral-create", kwargs={"slug": board.slug}),
        reverse("reviews:year-summary", kwargs={"slug": board.slug, "year": 2017}),
        referral.get_absolute_url(),
        reverse("reviews:referral-edit", kwargs={"pk": referral.pk}),
        reverse("reviews:referral-decision", kwargs={"pk": referral.pk}),
        reverse("reviews:information-request-create", kwargs={"pk": referral.pk}),
        reverse(
            "reviews:information-request-edit",
            kwargs={"pk": referral.information_requests.get().pk},
        ),
        review.get_absolute_url(),
        reverse("reviews:review-edit", kwargs={"pk": review.pk}),
        reverse("reviews:finding-create", kwargs={"pk": review.pk}),
        reverse("reviews:finding-edit", kwargs={"pk": review.findings.first().pk}),
        reverse("reviews:recommendation-create", kwargs={"pk": review.pk}),
        reverse("reviews:recommendation-edit", kwargs={"pk": recommendation.pk}),
        reverse("reviews:action-create", kwargs={"pk": recommendation.pk}),
        reverse("reviews:action-edit", kwargs={"pk": recommendation.actions.first().pk}),
    ]


def test_every_page_renders_for_a_verified_review_member(review_client, board, review):
    for url in _page_urls(board, review):
        response = review_client.get(url)
        assert response.status_code == 200, url


def test_a_board_manager_sees_the_pages_too(manager_client, board, review):
    for url in _page_urls(board, review)[:4]:
        assert manager_client.get(url).status_code == 200


def test_home_goes_straight_to_the_only_board(review_client, board):
    response = review_client.get(reverse("reviews:home"))
    assert response.url == reverse("reviews:referral-list", kwargs={"slug": board.slug})


def test_home_lists_the_boards_when_there_are_several(review_member, other_board):
    RoleAssignmentFactory(user=review_member, board=other_board, role=Role.REVIEW_MEMBER)
    response = verified_client(review_member).get(reverse("reviews:home"))
    assert response.status_code == 200
    assert [b.slug for b in response.context["boards"]] == ["esab", "lsab"]


def test_a_review_member_without_the_second_factor_is_sent_to_verify(
    client, review_member, referral
):
    client.force_login(review_member)
    response = client.get(referral.get_absolute_url())
    assert response.status_code == 302
    assert "two-factor" in response.url


def test_another_boards_records_are_not_found(review_client, other_board_referral, other_board):
    assert review_client.get(other_board_referral.get_absolute_url()).status_code == 404
    url = reverse("reviews:referral-list", kwargs={"slug": other_board.slug})
    assert review_client.get(url).status_code == 404


# --- The register and its export -------------------------------------------------------------


@pytest.fixture
def register(board, referral, pending_referral):
    """Three referrals over two reporting years: a mandatory SAR with its review (2017/18),
    a pending one (2017/18) and a 2018/19 one decided as no further action."""
    ReviewFactory(referral=referral)
    later = DecidedReferralFactory(
        board=board,
        reference="SAR-2018-01",
        subject_label="Adult C",
        referral_date=datetime.date(2018, 5, 1),
        first_considered_on=datetime.date(2018, 5, 10),
        care_and_support_needs=Answer.NO,
        decision=Referral.Decision.NO_FURTHER_ACTION,
        decided_on=datetime.date(2018, 5, 31),
        rationale="No needs for care and support.",
        referring_organisation='=HYPERLINK("http://example.org")',
    )
    return {"mandatory": referral, "pending": pending_referral, "later": later}


def _register(client, board, **query):
    url = reverse("reviews:referral-list", kwargs={"slug": board.slug})
    response = client.get(url, query)
    assert response.status_code == 200
    return [row["referral"].reference for row in response.context["rows"]]


def test_the_register_lists_referrals_with_the_time_to_decision(review_client, board, register):
    response = review_client.get(reverse("reviews:referral-list", kwargs={"slug": board.slug}))
    assert [row["referral"].reference for row in response.context["rows"]] == [
        "SAR-2018-01",
        "SAR-2017-01",  # the same day as SAR-2017-02, and recorded later
        "SAR-2017-02",
    ]
    html = response.content.decode()
    assert "30 days" in html  # 1 May to 31 May 2018
    assert "Waiting " in html  # the pending referral
    assert "In progress" in html  # the mandatory SAR's review


def test_the_register_filters_by_year_decision_and_review_status(review_client, board, register):
    assert _register(review_client, board, year=2017) == ["SAR-2017-01", "SAR-2017-02"]
    assert _register(review_client, board, year=2018) == ["SAR-2018-01"]
    assert _register(review_client, board, decision="pending") == ["SAR-2017-01"]
    assert _register(review_client, board, review_status="in_progress") == ["SAR-2017-02"]
    assert _register(review_client, board, review_status="none", year=2017) == ["SAR-2017-01"]


def test_the_register_paginates(review_client, board):
    ReferralFactory.create_batch(51, board=board)
    url = reverse("reviews:referral-list", kwargs={"slug": board.slug})
    assert len(review_client.get(url).context["rows"]) == 50
    assert len(review_client.get(url, {"page": 2}).context["rows"]) == 1


def test_the_csv_has_the_registers_rows(review_client, board, register):
    url = reverse("reviews:referral-export", kwargs={"slug": board.slug})
    response = review_client.get(url, {"year": 2017})
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Reference", "Kind", "Subject"]
    assert [row[0] for row in rows[1:]] == ["SAR-2017-01", "SAR-2017-02"]
    mandatory = dict(zip(rows[0], rows[2], strict=True))
    assert mandatory["Date of referral"] == "12/06/2017"
    assert mandatory["Days to decision"] == "38"
    assert mandatory["Review status"] == "In progress"


def test_the_csv_makes_formulas_text(review_client, board, register):
    url = reverse("reviews:referral-export", kwargs={"slug": board.slug})
    rows = list(csv.reader(io.StringIO(review_client.get(url).content.decode("utf-8-sig"))))
    later = next(row for row in rows if row[0] == "SAR-2018-01")
    assert later[3].startswith("'=HYPERLINK")


# --- Recording a referral --------------------------------------------------------------------


def _referral_data(**changes):
    data = {
        "kind": "sar",
        "subject_label": "Adult D",
        "referring_organisation": "Leicester City Council",
        "referrer_type": "partner",
        "referral_date": "12/6/2017",
        "first_considered_on": "4/7/2017",
        "care_and_support_needs": "yes",
        "agencies_concern": "yes",
        "harm": "died",
        "abuse_known_or_suspected": "yes",
        "panel_recommendation": "Commission a SAR.",
    }
    data.update(changes)
    return data


def test_recording_a_referral_numbers_it_and_shows_where_the_answers_point(
    review_client, board, review_member
):
    url = reverse("reviews:referral-create", kwargs={"slug": board.slug})
    response = review_client.post(url, _referral_data())
    referral = Referral.objects.get()
    assert response.url == referral.get_absolute_url()
    assert referral.reference == "SAR-2017-01"
    assert referral.board == board
    assert referral.history.get().history_user == review_member
    page = review_client.get(referral.get_absolute_url()).content.decode()
    assert Pointer.MANDATORY.label in page


@pytest.mark.parametrize(
    ("answers", "pointer"),
    [
        ({}, Pointer.MANDATORY),
        ({"harm": "serious"}, Pointer.MANDATORY),
        ({"agencies_concern": "no"}, Pointer.DISCRETIONARY),
        ({"harm": "neither"}, Pointer.DISCRETIONARY),
        ({"care_and_support_needs": "no"}, Pointer.NOT_MET),
        ({"care_and_support_needs": "not_known"}, Pointer.INCOMPLETE),
    ],
)
def test_the_pointer_gives_the_statutory_outcome(review_client, board, answers, pointer):
    url = reverse("reviews:referral-create", kwargs={"slug": board.slug})
    review_client.post(url, _referral_data(**answers))
    referral = Referral.objects.get()
    assert referral.pointer() == pointer
    assert pointer.label in review_client.get(referral.get_absolute_url()).content.decode()
    decision_url = reverse("reviews:referral-decision", kwargs={"pk": referral.pk})
    assert pointer.label in review_client.get(decision_url).content.decode()


def test_the_form_updates_the_pointer_with_htmx(review_client, board):
    url = reverse("reviews:referral-create", kwargs={"slug": board.slug})
    answers = {"care_and_support_needs": "yes", "agencies_concern": "no", "harm": "died"}
    response = review_client.get(url, answers, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert Pointer.DISCRETIONARY.label in html
    assert "<form" not in html  # the fragment only


def test_the_form_shows_the_pointer_of_what_was_typed_after_an_error(review_client, board):
    url = reverse("reviews:referral-create", kwargs={"slug": board.slug})
    response = review_client.post(url, _referral_data(referral_date="", harm="neither"))
    html = response.content.decode()
    assert "Enter the date of referral" in html
    assert Pointer.DISCRETIONARY.label in html
    assert 'value="Leicester City Council"' in html  # nothing typed is lost
    assert not Referral.objects.exists()


def test_a_name_as_the_subject_is_questioned_then_saved_once_confirmed(
    review_client, board, review_member
):
    url = reverse("reviews:referral-create", kwargs={"slug": board.slug})
    response = review_client.post(url, _referral_data(subject_label="John Smith"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "looks like a real name" in html
    assert "Yes, the family agreed to this name" in html
    assert 'value="John Smith"' in html
    assert not Referral.objects.exists()

    response = review_client.post(
        url, _referral_data(subject_label="John Smith", confirm_label="on")
    )
    referral = Referral.objects.get()
    assert response.url == referral.get_absolute_url()
    assert referral.subject_label == "John Smith"
    assert referral.subject_label_confirmed_by == review_member
    assert referral.subject_label_confirmed_at is not None
    assert "looks like a real name" in referral.subject_label_warning
    page = review_client.get(referral.get_absolute_url()).content.decode()
    assert "that the family agreed to it" in page


def test_a_pseudonym_asks_nothing(review_client, board):
    url = reverse("reviews:referral-create", kwargs={"slug": board.slug})
    response = review_client.get(url)
    assert "Yes, the family agreed to this name" not in response.content.decode()
    review_client.post(url, _referral_data(subject_label="Mrs A & Miss G"))
    assert Referral.objects.get().subject_label_confirmed_by is None


def test_a_first_consideration_before_the_referral_is_refused(review_client, board):
    url = reverse("reviews:referral-create", kwargs={"slug": board.slug})
    response = review_client.post(url, _referral_data(first_considered_on="1/6/2017"))
    assert "must be on or after the date of referral (12 June 2017)" in (response.content.decode())


def test_changing_a_referral(review_client, pending_referral):
    url = reverse("reviews:referral-edit", kwargs={"pk": pending_referral.pk})
    response = review_client.post(url, _referral_data(subject_label="Adult Z"))
    assert response.url == pending_referral.get_absolute_url()
    pending_referral.refresh_from_db()
    assert pending_referral.subject_label == "Adult Z"
    assert pending_referral.reference == "SAR-2017-01"  # kept


# --- The decision ----------------------------------------------------------------------------


def _decision_data(**changes):
    data = {
        "decision": "mandatory",
        "other_process": "",
        "decided_by": "Independent Chair",
        "decided_on": "20/7/2017",
        "rationale": "The criteria are met.",
        "outcome": "A SAR was commissioned.",
    }
    data.update(changes)
    return data


@pytest.fixture
def answered(pending_referral):
    """A pending referral whose answers point to a mandatory SAR."""
    for name in ("care_and_support_needs", "agencies_concern", "abuse_known_or_suspected"):
        setattr(pending_referral, name, Answer.YES)
    pending_referral.harm = Referral.Harm.DIED
    pending_referral.save()
    return pending_referral


def test_recording_a_decision(review_client, answered, review_member):
    url = reverse("reviews:referral-decision", kwargs={"pk": answered.pk})
    response = review_client.post(url, _decision_data())
    assert response.url == answered.get_absolute_url()
    answered.refresh_from_db()
    assert answered.decision == Referral.Decision.MANDATORY
    assert answered.decided_on == datetime.date(2017, 7, 20)
    page = review_client.get(answered.get_absolute_url()).content.decode()
    assert "38 days" in page
    assert "Commission the review" in page


def test_a_decision_dated_before_the_referral_is_refused_naming_both_dates(review_client, answered):
    url = reverse("reviews:referral-decision", kwargs={"pk": answered.pk})
    response = review_client.post(url, _decision_data(decided_on="1/5/2017"))
    html = response.content.decode()
    assert "There is a problem" in html
    assert "The date of decision (1 May 2017)" in html
    assert "the date of referral (12 June 2017)" in html
    answered.refresh_from_db()
    assert answered.decision == Referral.Decision.PENDING


def test_a_decision_without_a_rationale_is_refused(review_client, answered):
    url = reverse("reviews:referral-decision", kwargs={"pk": answered.pk})
    response = review_client.post(url, _decision_data(rationale=""))
    assert "Enter the rationale for the decision." in response.content.decode()
    answered.refresh_from_db()
    assert not answered.is_decided


def test_a_decision_that_differs_from_the_pointer_says_where_it_points(review_client, answered):
    url = reverse("reviews:referral-decision", kwargs={"pk": answered.pk})
    response = review_client.post(url, _decision_data(decision="no_further_action", rationale=""))
    html = response.content.decode()
    assert "The section 44 answers point elsewhere" in html
    assert Pointer.MANDATORY.label.lower() in html


# --- Information requests ----------------------------------------------------------------


def test_requesting_information_and_marking_it_overdue(review_client, pending_referral):
    url = reverse("reviews:information-request-create", kwargs={"pk": pending_referral.pk})
    data = {
        "agency": "Leicestershire Police",
        "purpose": "To decide whether the case meets the criteria",
        "requested_on": "14/6/2017",
        "due_on": "28/6/2017",
        "returned_on": "",
    }
    response = review_client.post(url, data)
    assert response.url == f"{pending_referral.get_absolute_url()}#information-requests"
    request = InformationRequest.objects.get()
    page = review_client.get(pending_referral.get_absolute_url()).content.decode()
    assert "Overdue" in page
    assert "Information request created" in page  # the timeline

    edit = reverse("reviews:information-request-edit", kwargs={"pk": request.pk})
    review_client.post(edit, {**data, "returned_on": "1/6/2017"})
    request.refresh_from_db()
    assert request.returned_on is None  # returned before it was requested: refused
    review_client.post(edit, {**data, "returned_on": "27/6/2017"})
    request.refresh_from_db()
    assert request.returned_on == datetime.date(2017, 6, 27)


# --- Commissioning and changing a review -----------------------------------------------------


def _review_data(**changes):
    data = {
        "methodology": "hybrid",
        "reviewer": "Independent reviewer",
        "reviewer_is_independent": "on",
        "independence_note": "",
        "commissioned_on": "1/8/2017",
        "scope_start": "1/1/2016",
        "scope_end": "31/5/2017",
        "family_involvement": "took_part",
        "family_note": "",
        "advocacy_offered": "on",
        "parallel_processes": ["inquest", "police"],
        "summary": "About self-neglect.",
    }
    data.update(changes)
    return data


def test_commissioning_a_review(review_client, referral):
    url = reverse("reviews:review-create", kwargs={"pk": referral.pk})
    response = review_client.post(url, _review_data())
    review = Review.objects.get()
    assert response.url == review.get_absolute_url()
    assert review.parallel_processes == ["inquest", "police"]
    assert review.status == Review.Status.COMMISSIONED
    page = review_client.get(review.get_absolute_url()).content.decode()
    assert "Inquest, Police investigation" in page
    assert "1 January 2016 to 31 May 2017" in page
    # The referral now links to it, and a second commission goes to the same review.
    assert (
        review.get_absolute_url() in review_client.get(referral.get_absolute_url()).content.decode()
    )
    assert review_client.get(url).url == review.get_absolute_url()


def test_a_family_not_invited_needs_a_reason(review_client, referral):
    url = reverse("reviews:review-create", kwargs={"pk": referral.pk})
    response = review_client.post(url, _review_data(family_involvement="not_invited"))
    assert "Say why the family was not invited to take part." in response.content.decode()
    assert not Review.objects.exists()


def test_a_pending_referral_has_no_review_to_commission(review_client, pending_referral):
    url = reverse("reviews:review-create", kwargs={"pk": pending_referral.pk})
    response = review_client.get(url)
    assert response.url == pending_referral.get_absolute_url()
    assert "record the decision first" in review_client.get(response.url).content.decode()


def _edit_data(review, **changes):
    data = {
        "methodology": review.methodology,
        "status": review.status,
        "concluded_on": "",
        "published_on": "",
        "not_published_reason": "",
        "link": "",
        "closed_on": "",
    }
    return _review_data(**{**data, **changes})


def test_closing_a_review_with_open_actions_is_refused_with_the_list(review_client, review):
    url = reverse("reviews:review-edit", kwargs={"pk": review.pk})
    response = review_client.post(url, _edit_data(review, status="closed", concluded_on="1/2/2018"))
    html = response.content.decode()
    assert "There is a problem" in html
    assert "The review cannot close while 1 action is open" in html
    assert "recommendation 1: Leicester City Council, due 31 March 2018 (in progress)" in html
    review.refresh_from_db()
    assert review.status == Review.Status.IN_PROGRESS

    RecommendationAction.objects.filter(recommendation__review=review).update(
        status="complete", completed_on=datetime.date(2018, 3, 30)
    )
    response = review_client.post(url, _edit_data(review, status="closed", concluded_on="1/2/2018"))
    assert response.url == review.get_absolute_url()
    review.refresh_from_db()
    assert review.status == Review.Status.CLOSED
    assert review.closed_on is not None


def test_a_concluded_status_needs_the_date_of_the_final_report(review_client, review):
    url = reverse("reviews:review-edit", kwargs={"pk": review.pk})
    response = review_client.post(url, _edit_data(review, status="report_to_board"))
    assert "Enter the date the board received the final report." in response.content.decode()


# --- Findings, recommendations and actions -------------------------------------------------


def test_adding_a_finding_numbers_it(review_client, review):
    url = reverse("reviews:finding-create", kwargs={"pk": review.pk})
    response = review_client.post(url, {"number": "", "text": "Nobody led.", "theme": ""})
    assert response.url == f"{review.get_absolute_url()}#findings"
    finding = Finding.objects.get(text="Nobody led.")
    assert finding.number == 3
    page = review_client.get(review.get_absolute_url()).content.decode()
    assert "Finding 3" in page
    assert "Finding created" in page  # the timeline


def test_a_findings_number_is_unique_in_its_review(review_client, review):
    url = reverse("reviews:finding-create", kwargs={"pk": review.pk})
    response = review_client.post(url, {"number": "1", "text": "Again.", "theme": ""})
    assert "Finding 1 is already in this review." in response.content.decode()


def test_changing_a_finding(review_client, review):
    finding = review.findings.get(number=2)
    url = reverse("reviews:finding-edit", kwargs={"pk": finding.pk})
    review_client.post(url, {"number": "2", "text": "Capacity was assumed.", "theme": "MCA"})
    finding.refresh_from_db()
    assert finding.theme == "MCA"


def _recommendation_data(**changes):
    data = {
        "number": "",
        "text": "Review the escalation policy.",
        "finding": "",
        "scope": "board",
        "agency": "",
        "response": "accepted",
        "reason_not_accepted": "",
        "decided_on": "1/2/2018",
    }
    data.update(changes)
    return data


def test_adding_a_recommendation(review_client, review):
    finding = review.findings.get(number=2)
    url = reverse("reviews:recommendation-create", kwargs={"pk": review.pk})
    response = review_client.post(url, _recommendation_data(finding=finding.pk))
    recommendation = Recommendation.objects.get(number=3)
    assert response.url == f"{review.get_absolute_url()}#recommendations"
    assert recommendation.finding == finding


def test_a_recommendation_not_accepted_needs_its_reasons(review_client, review):
    url = reverse("reviews:recommendation-create", kwargs={"pk": review.pk})
    response = review_client.post(url, _recommendation_data(response="not_accepted"))
    html = response.content.decode()
    assert "Give the reasons for not accepting the recommendation" in html
    assert "Review the escalation policy." in html  # what was typed is kept
    assert not Recommendation.objects.filter(number=3).exists()


def test_a_recommendation_answers_only_this_reviews_findings(review_client, review):
    elsewhere = FindingFactory(review=ReviewFactory(referral__board=review.referral.board))
    url = reverse("reviews:recommendation-create", kwargs={"pk": review.pk})
    form = review_client.get(url).context["form"]
    assert set(form.fields["finding"].queryset) == set(review.findings.all())
    response = review_client.post(url, _recommendation_data(finding=elsewhere.pk))
    assert "Select a valid choice" in response.content.decode()


def test_the_review_page_shows_responses_and_the_action_plan(review_client, review, plan_action):
    html = review_client.get(review.get_absolute_url()).content.decode()
    assert "Not accepted" in html
    assert "The existing high-risk panel already covers self-neglect." in html
    assert "Overdue" in html  # the open action due 31 March 2018
    assert plan_action.get_absolute_url() in html
    assert "Referrals now include shared chronologies." in html


def _action_data(**changes):
    data = {
        "description": "Audit the protocol's use.",
        "owner_organisation": "Leicestershire Police",
        "owner": "Detective Inspector",
        "due": "30/9/2018",
        "status": "not_started",
        "completed_on": "",
        "evidence_of_impact": "",
        "plan_action": "",
    }
    data.update(changes)
    return data


def test_adding_an_action_linked_to_the_business_plan(review_client, review, plan_action):
    recommendation = review.recommendations.get(number=2)
    url = reverse("reviews:action-create", kwargs={"pk": recommendation.pk})
    response = review_client.post(url, _action_data(plan_action=plan_action.pk))
    assert response.url == f"{review.get_absolute_url()}#recommendation-2"
    action = recommendation.actions.get()
    assert action.plan_action == plan_action


def test_the_business_plan_choices_are_the_boards(review_client, review, other_board):
    elsewhere = ActionFactory(priority=PriorityFactory(plan=BusinessPlanFactory(board=other_board)))
    recommendation = review.recommendations.get(number=2)
    url = reverse("reviews:action-create", kwargs={"pk": recommendation.pk})
    form = review_client.get(url).context["form"]
    labels = [label for _, label in form.fields["plan_action"].choices]
    assert labels[1].startswith("2b.1 \N{EN DASH} Share learning from SARs with practitioners")
    response = review_client.post(url, _action_data(plan_action=elsewhere.pk))
    assert "Select a valid choice" in response.content.decode()


def test_a_complete_action_needs_its_date(review_client, review):
    action = RecommendationAction.objects.filter(status="in_progress").get()
    url = reverse("reviews:action-edit", kwargs={"pk": action.pk})
    response = review_client.post(url, _action_data(status="complete"))
    assert "Enter the date the action was completed." in response.content.decode()
    review_client.post(url, _action_data(status="complete", completed_on="1/4/2018"))
    action.refresh_from_db()
    assert action.completed_on == datetime.date(2018, 4, 1)


# --- The year summary ------------------------------------------------------------------------


def test_the_year_summary_is_shaped_like_the_annual_reports_table(review_client, board, review):
    review.concluded_on = datetime.date(2018, 3, 31)
    review.status = Review.Status.REPORT_TO_BOARD
    review.save()
    url = reverse("reviews:year-summary", kwargs={"slug": board.slug, "year": 2017})
    response = review_client.get(url)
    html = response.content.decode()
    for heading in ("Referral date", "Date case first heard", "Decision made", "Outcome"):
        assert heading in html
    assert "June 2017" in html and "July 2017" in html
    assert "The criteria for a mandatory SAR are met." in html  # the decision made
    assert "Agencies did not share information." in html  # a finding of a concluded review
    assert "The existing high-risk panel already covers self-neglect." in html
    assert reverse("reviews:year-summary", kwargs={"slug": board.slug, "year": 2016}) in html
    assert reverse("reviews:year-summary", kwargs={"slug": board.slug, "year": 2018}) in html


def test_the_current_year_summary_redirects_to_this_year(review_client, board):
    response = review_client.get(
        reverse("reviews:year-summary-current", kwargs={"slug": board.slug})
    )
    year = board.current_financial_year()
    assert response.url == reverse(
        "reviews:year-summary", kwargs={"slug": board.slug, "year": year}
    )
    assert "Next" not in review_client.get(response.url).content.decode().split("Other years")[-1]


def test_the_actions_open_at_year_end(review_client, board, review):
    RecommendationActionFactory(
        recommendation=review.recommendations.get(number=1), owner_organisation="Housing"
    )
    url = reverse("reviews:year-summary", kwargs={"slug": board.slug, "year": 2017})
    response = review_client.get(url)
    assert {a.owner_organisation for a in response.context["summary"].actions_open} == {
        "Leicester City Council",
        "Housing",
    }


# --- The admin -------------------------------------------------------------------------------


def test_the_admin_shows_review_records_only_after_the_second_factor(client, referral):
    from sab.models import User

    superuser = User.objects.create_superuser("admin@example.org", "a-long-test-password-123")
    url = reverse("admin:reviews_referral_changelist")
    client.force_login(superuser)
    response = client.get(url, follow=True)  # via the admin's sign-in, to the site's code page
    assert response.redirect_chain[-1][0].startswith(reverse("two-factor-enrol"))
    verify(client, superuser)
    response = client.get(url)
    assert response.status_code == 200
    assert referral.reference in response.content.decode()


def test_the_admin_only_shows_review_records(client, referral, review):
    """Changes go through the services (the label check, closing rules), never the admin."""
    from sab.models import User

    superuser = User.objects.create_superuser("admin@example.org", "a-long-test-password-123")
    verify(client, superuser)
    for model, record in (("referral", referral), ("review", review)):
        change = reverse(f"admin:reviews_{model}_change", args=[record.pk])
        assert client.get(change).status_code == 200  # shown, read only
        assert client.post(change, {"status": "closed"}).status_code == 403
        assert client.get(reverse(f"admin:reviews_{model}_add")).status_code == 403
        assert (
            client.get(reverse(f"admin:reviews_{model}_delete", args=[record.pk])).status_code
            == 403
        )
