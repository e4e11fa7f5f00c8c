"""Demo Safeguarding Adults Reviews for Leicester SAB, from its 2017/18 annual report
(../shared/seeds/annual-report-leicester-2017-18.txt, "SAR referrals & outcomes 2017/18").

- The five referrals received in 2017/18 (Adults A to E), dated in the months the report's
  table gives, its "Decision Made" text kept as the rationale (for the one still pending, where
  the Independent Chair asked for more information, as the panel's recommendation) and its
  "Outcome" text as the outcome. Two ask agencies for information (s45): one overdue.
- The mandatory SAR commissioned in January 2018 on Adult C's referral (a hybrid review with a
  learning event), ongoing at 31 March 2018.
- The SAR commissioned in 2016/17 (Adult F), its final report due in July 2018: ongoing at the
  end of 2017/18 too.
- A review concluded in 2016/17 (Adult G, referred in 2015) with three findings, three
  recommendations (one the board decided in 2017/18 not to accept, with its reasons) and an
  action plan: two actions completed in 2017/18 with evidence of impact, one still running and
  linked to action 3.2 of Leicester SAB's current business plan (priorities/demo.py).

Every record is written through reviews.services (the rules and the history hold) by the
review subgroup's demo login, and its history dated as it happened. Idempotent: a record is
found by its natural key and saved again only when a value differs.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from priorities.models import Action
from reviews import services
from reviews.models import (
    Answer,
    Finding,
    InformationRequest,
    Recommendation,
    RecommendationAction,
    Referral,
    Review,
)
from sab.models import Board, User

D = datetime.date
Decision, Harm, Referrer = Referral.Decision, Referral.Harm, Referral.ReferrerType
YES, NO, NOT_KNOWN = Answer.YES, Answer.NO, Answer.NOT_KNOWN
CHAIR = "LSAB Independent Chair"

# The fields a referral has when it arrives; the rest come when the subgroup considers it.
RECEIVED = ("kind", "referring_organisation", "referrer_type", "referral_date")

# The 2017/18 table, row for row, then the two earlier referrals the reviews below answer.
# (label, referred by, type, referral date, first considered, s44 answers (needs, concern,
#  harm, abuse), decision, other process, decided on, rationale, panel recommendation, outcome)
REFERRALS = [
    ("Adult A", "Leicester City Council Adult Social Care", Referrer.PARTNER,
     D(2017, 6, 14), D(2017, 7, 11), (NO, NO, Harm.SERIOUS, NOT_KNOWN),
     Decision.NO_FURTHER_ACTION, "", D(2017, 7, 25),
     "SAR criteria not met: there were no needs for care and support identified. In addition, "
     "there were no concerns about how agencies worked together.",
     "",
     "No SAR. However good practice was identified and notified to agencies"),
    ("Adult B", "University Hospitals of Leicester NHS Trust", Referrer.PARTNER,
     D(2017, 12, 4), D(2017, 12, 19), (YES, NO, Harm.SERIOUS, YES),
     Decision.PENDING, "", None,
     "",
     "Mandatory SAR criteria not met. Recommendation originally made to LSAB Independent Chair "
     "not to commission a non-mandatory SAR. Independent Chair requested additional "
     "information is sought.",
     "Outcome takes us into 2018/19 and will be reported in next year's annual report"),
    ("Adult C", "Leicestershire Police", Referrer.PARTNER,
     D(2017, 12, 8), D(2018, 1, 10), (YES, YES, Harm.DIED, YES),
     Decision.MANDATORY, "", D(2018, 1, 16),
     "Mandatory SAR criteria met. SAR commissioned in line with legislation and statutory "
     "guidance",
     "",
     "SAR currently in progress"),
    ("Adult D", "Leicestershire Partnership NHS Trust", Referrer.PARTNER,
     D(2017, 12, 13), D(2018, 1, 10), (YES, NO, Harm.DIED, NO),
     Decision.OTHER_PROCESS, Referral.OtherProcess.SERIOUS_INCIDENT, D(2018, 1, 16),
     "Mandatory SAR criteria not met. Decision made not to undertake a non-mandatory SAR: "
     "whilst there were needs for care and support, there was no abuse or neglect identified "
     "and there were no concerns about how agencies worked together",
     "",
     "No SAR. Single agency Serious Incident (SI) report to be shared once complete"),
    ("Adult E", "Care Quality Commission", Referrer.PARTNER,
     D(2017, 12, 20), D(2018, 1, 10), (YES, NO, Harm.SERIOUS, YES),
     Decision.NO_FURTHER_ACTION, "", D(2018, 1, 16),
     "Mandatory SAR criteria not met. Decision made not to undertake a non-mandatory SAR: There "
     "were no concerns about how agencies worked together to safeguard. A multi-agency "
     "improvement process was already in place to ensure that improvements needed by the "
     "independent sector care provider were made",
     "",
     "No SAR"),
    ("Adult F", "East Midlands Ambulance Service NHS Trust", Referrer.PARTNER,
     D(2016, 8, 15), D(2016, 9, 13), (YES, YES, Harm.DIED, YES),
     Decision.MANDATORY, "", D(2016, 9, 27),
     "Mandatory SAR criteria met: the adult had needs for care and support and died, neglect "
     "was suspected, and there was reasonable cause for concern about how agencies worked "
     "together.",
     "",
     "SAR commissioned in 2016/17. The final report is due to be presented to the Board in "
     "July 2018."),
    ("Adult G", "Leicester City Clinical Commissioning Group", Referrer.PARTNER,
     D(2015, 5, 12), D(2015, 6, 9), (YES, YES, Harm.DIED, YES),
     Decision.MANDATORY, "", D(2015, 6, 23),
     "Mandatory SAR criteria met: the adult had needs for care and support and died following "
     "self-neglect, and agencies had not worked together to respond to it.",
     "",
     "SAR concluded in November 2016; findings reported in the 2016/17 annual report."),
]  # fmt: skip

# (label, agency, requested, due, returned)
INFORMATION_REQUESTS = [
    ("Adult B", "Leicestershire Partnership NHS Trust", D(2017, 12, 6), D(2017, 12, 15),
     D(2017, 12, 14)),
    ("Adult B", "Leicester City Council Adult Social Care", D(2018, 1, 5), D(2018, 2, 2), None),
    ("Adult C", "University Hospitals of Leicester NHS Trust", D(2017, 12, 11), D(2017, 12, 22),
     D(2017, 12, 21)),
]  # fmt: skip

Method, Status, Family = Review.Methodology, Review.Status, Review.Family

REVIEWS = {
    "Adult C": {
        "methodology": Method.HYBRID,
        "reviewer": "Independent reviewer commissioned by LSAB",
        "reviewer_is_independent": True,
        "independence_note": "Has no connection with Leicester's agencies or the case.",
        "commissioned_on": D(2018, 1, 23),
        "scope_start": D(2016, 6, 1),
        "scope_end": D(2017, 11, 30),
        "family_involvement": Family.TOOK_PART,
        "family_note": "Family have been consulted with, a learning event has been arranged for "
        "July 2018",
        "advocacy_offered": False,
        "parallel_processes": [Review.ParallelProcess.INQUEST],
        "status": Status.IN_PROGRESS,
        "concluded_on": None,
        "summary": "A mandatory review following the death of an individual in Leicester with "
        "needs for care and support. The purpose is not to apportion blame, but to establish "
        "whether there are lessons to be learned, with a view to informing and improving "
        "inter-agency working across Leicester. Findings will be published in the 2018/19 "
        "annual report.",
    },
    "Adult F": {
        "methodology": Method.CHRONOLOGY,
        "reviewer": "Independent reviewer commissioned by LSAB",
        "reviewer_is_independent": True,
        "independence_note": "Has no connection with Leicester's agencies or the case.",
        "commissioned_on": D(2016, 11, 8),
        "scope_start": D(2014, 10, 1),
        "scope_end": D(2016, 7, 31),
        "family_involvement": Family.TOOK_PART,
        "family_note": "The family contributed to the review; the Board thanks them for their "
        "patience whilst awaiting its conclusion.",
        "advocacy_offered": False,
        "parallel_processes": [Review.ParallelProcess.INQUEST],
        "status": Status.DRAFT_REPORT,
        "concluded_on": None,
        "summary": "Commissioned in 2016/17; details were published in the 2016/17 annual "
        "report. The final report is due to be presented to the Board in July 2018, and its "
        "findings will be reported in the 2018/19 annual report.",
    },
    "Adult G": {
        "methodology": Method.LEARNING_TOGETHER,
        "reviewer": "Independent reviewer accredited in SCIE Learning Together",
        "reviewer_is_independent": True,
        "independence_note": "Has no connection with Leicester's agencies or the case.",
        "commissioned_on": D(2015, 7, 20),
        "scope_start": D(2013, 4, 1),
        "scope_end": D(2015, 4, 30),
        "family_involvement": Family.TOOK_PART,
        "family_note": "Her brother met the reviewer twice; his views are in the report.",
        "advocacy_offered": False,
        "parallel_processes": [Review.ParallelProcess.INQUEST],
        "status": Status.MONITORING,
        "concluded_on": D(2016, 11, 17),
        "published_on": D(2017, 1, 26),
        "summary": "An older woman living alone who self-neglected and refused care for two "
        "years before she died. Agencies each saw part of the picture; no one brought it "
        "together, and her capacity to refuse care was never assessed.",
    },
}

# Adult G's review: (number, theme, text).
FINDINGS = [
    (1, "Self-neglect",
     "Agencies did not share an understanding of when self-neglect becomes a safeguarding "
     "concern, so repeated refusals of care were recorded but not escalated."),
    (2, "Mental capacity",
     "Her capacity to refuse care was assumed rather than assessed, although her refusals put "
     "her life at risk."),
    (3, "Multi-agency working",
     "No agency led: what the GP, the housing provider and the ambulance service knew was never "
     "brought together at a multi-agency meeting."),
]  # fmt: skip

Response, Scope = Recommendation.Response, Recommendation.Scope
# (number, finding, scope, agency, text, response, decided on, reasons not accepted)
RECOMMENDATIONS = [
    (1, 1, Scope.MULTI_AGENCY, "",
     "Revise the multi-agency self-neglect procedure so that it says when and how to escalate "
     "repeated refusals of care.",
     Response.ACCEPTED, D(2016, 11, 17), ""),
    (2, 2, Scope.MULTI_AGENCY, "",
     "Make sure practitioners assess capacity when a person's refusal of care puts them at "
     "serious risk, and record the assessment.",
     Response.ACCEPTED, D(2016, 11, 17), ""),
    (3, 3, Scope.BOARD, "",
     "Create a dedicated self-neglect panel, separate from the existing high-risk case "
     "arrangements, to hear every case of serious self-neglect.",
     Response.NOT_ACCEPTED, D(2017, 5, 18),
     "The Board agreed the aim but not a separate panel. The Vulnerable Adults Risk Management "
     "(VARM) process already hears serious self-neglect cases across Leicester, Leicestershire "
     "and Rutland; a second panel would split the same partners' time and the same cases. The "
     "VARM guidance is being revised to make self-neglect referrals explicit instead."),
]  # fmt: skip

ActionStatus = RecommendationAction.Status
# (recommendation number, owner organisation, owner, due, status, completed on, description,
#  evidence of impact, business-plan action ref)
ACTIONS = [
    (1, "Leicester City Council", "Head of Adult Safeguarding", D(2017, 9, 30),
     ActionStatus.COMPLETE, D(2017, 9, 14),
     "Publish the revised self-neglect procedure with an escalation pathway, through the LLR "
     "Policy and Procedures Sub-Group.",
     "An audit of 20 self-neglect cases in March 2018 found a multi-agency meeting held in 17, "
     "against 6 of the cases the review looked at.", None),
    (2, "Leicestershire Partnership NHS Trust", "Named Nurse for Safeguarding Adults",
     D(2018, 3, 31), ActionStatus.COMPLETE, D(2018, 2, 28),
     "Run Mental Capacity Act training on refusals of care for community nursing and GP "
     "practice staff.",
     "312 staff trained; a follow-up audit found capacity assessed and recorded in 9 of 10 "
     "cases where care was refused.", None),
    (2, "Leicester Safeguarding Adults Board", "Chair, Training Sub-Group", None,
     ActionStatus.IN_PROGRESS, None,
     "Build the review's learning on self-neglect and capacity into the multi-agency learning "
     "events run with the Training Sub-Group.",
     "", "3.2"),
]  # fmt: skip


def _say(stdout, message: str) -> None:
    if stdout is not None:
        stdout.write(message)


def _at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))


def _date_history(record, day: datetime.date) -> None:
    """Date the change just saved as it happened (the service stamps the time of the run)."""
    row = record.history.order_by("-history_id").first()
    row.history_date = _at(day)
    row.save(update_fields=["history_date"])


def _keep(model, lookup: dict, values: dict, *, save, on, first=None, first_on=None):
    """The record ``lookup`` finds, created or changed through ``save`` (its service) only when
    a value differs, the change dated ``on``. A new record can be created with ``first``
    (dated ``first_on``) and then changed, so its history shows both steps."""
    record = model.objects.filter(**lookup).first()
    if record is None and first is not None:
        record = model(**lookup, **first)
        save(record)
        _date_history(record, first_on)
    if record is None:
        record = model(**lookup)
    elif all(getattr(record, name) == value for name, value in values.items()):
        return record
    for name, value in values.items():
        setattr(record, name, value)
    save(record)
    _date_history(record, on)
    return record


def _save_plain(by):
    """A one-model record with no service (an information request): validated, then saved."""

    def save(record):
        record._history_user = by
        record.full_clean()
        record.save()

    return save


def _referral(board: Board, row, by) -> Referral:
    (label, referred_by, referrer_type, received, considered, answers, decision, other,
     decided_on, rationale, recommendation, outcome) = row  # fmt: skip
    needs, concern, harm, abuse = answers
    values = {
        "kind": Referral.Kind.SAR,
        "referring_organisation": referred_by,
        "referrer_type": referrer_type,
        "referral_date": received,
        "first_considered_on": considered,
        "care_and_support_needs": needs,
        "agencies_concern": concern,
        "harm": harm,
        "abuse_known_or_suspected": abuse,
        "panel_recommendation": recommendation,
        "decision": decision,
        "other_process": other,
        "decided_by": CHAIR if decision != Decision.PENDING else "",
        "decided_on": decided_on,
        "rationale": rationale,
        "outcome": outcome,
    }
    return _keep(
        Referral,
        {"board": board, "subject_label": label},
        values,
        save=lambda record: services.save_referral(record, by=by),
        on=decided_on or considered or received,
        first={name: values[name] for name in RECEIVED},
        first_on=received,
    )


def _plan_action(board: Board, ref: str) -> Action | None:
    """The action ``ref`` in the board's current business plan (the priorities demo's)."""
    return Action.objects.for_board(board).in_current_plans().filter(ref=ref).first()


def seed(stdout=None) -> dict:
    board = Board.objects.filter(slug="lsab").first()
    if board is None:
        return {}
    by = User.objects.filter(email="review@example.org").first()
    new = not Referral.objects.for_board(board).exists()

    referrals = {row[0]: _referral(board, row, by) for row in REFERRALS}

    for label, agency, requested, due, returned in INFORMATION_REQUESTS:
        _keep(
            InformationRequest,
            {"referral": referrals[label], "agency": agency, "requested_on": requested},
            {"due_on": due, "returned_on": returned},
            save=_save_plain(by),
            on=returned or requested,
        )

    reviews = {}
    for label, values in REVIEWS.items():
        commissioning = {
            name: value
            for name, value in values.items()
            if name not in {"status", "concluded_on", "published_on"}
        }
        reviews[label] = _keep(
            Review,
            {"referral": referrals[label]},
            values,
            save=lambda record: services.save_review(record, by=by),
            on=values.get("concluded_on") or values["commissioned_on"],
            first={**commissioning, "status": Status.COMMISSIONED},
            first_on=values["commissioned_on"],
        )

    concluded = reviews["Adult G"]
    findings = {
        number: _keep(
            Finding,
            {"review": concluded, "number": number},
            {"theme": theme, "text": text},
            save=lambda record: services.save_finding(record, by=by),
            on=concluded.concluded_on,
        )
        for number, theme, text in FINDINGS
    }
    recommendations = {}
    for number, finding, scope, agency, text, response, decided_on, reasons in RECOMMENDATIONS:
        recommendations[number] = _keep(
            Recommendation,
            {"review": concluded, "number": number},
            {
                "finding": findings[finding],
                "scope": scope,
                "agency": agency,
                "text": text,
                "response": response,
                "decided_on": decided_on,
                "reason_not_accepted": reasons,
            },
            save=lambda record: services.save_recommendation(record, by=by),
            on=decided_on,
        )

    _, year_end = board.financial_year_bounds(board.current_financial_year())
    for number, organisation, owner, due, status, completed_on, text, impact, ref in ACTIONS:
        plan_action = _plan_action(board, ref) if ref else None
        _keep(
            RecommendationAction,
            {"recommendation": recommendations[number], "description": text},
            {
                "owner_organisation": organisation,
                "owner": owner,
                # The running action is due at the end of the current plan's year.
                "due": due or year_end,
                "status": status,
                "completed_on": completed_on,
                "evidence_of_impact": impact,
                "plan_action": plan_action,
            },
            save=lambda record: services.save_action(record, by=by),
            on=completed_on or concluded.concluded_on,
        )

    if new:
        _say(
            stdout,
            f"Added {board.short_name}'s review records: {len(referrals)} referrals, "
            f"{len(reviews)} reviews.",
        )
    return {}
