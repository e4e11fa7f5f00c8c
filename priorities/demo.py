"""Demo business plans, brought in through the spreadsheet import (the real code path).

Leicestershire & Rutland SAB gets its 2014/15 plan (archived) and 2019/20 plan (approved)
from the spreadsheets in tests/data. Leicester SAB gets a short plan for the current year,
written below as the CSV a board manager would upload, drawn from the sub-group objectives
in Leicester SAB's 2017/18 annual report, with some RAG-rated progress.

The quarterly RAG cycle (priorities/rag.py, the real services): Leicestershire & Rutland's
2014/15 plan has two years of quarters (2014/15 and 2015/16) in which the Safeguarding
Effectiveness Group (its chair, Mark Allen) proposed each priority's rating and the Executive
Group (its chair, Sam Hartley, the LRSAB business manager) decided it: one rating overridden
with its reason, one proposal returned with a question, then proposed again and decided. The
plan is archived after its ratings are in. Leicester SAB's current quarter has two proposals
waiting for the executive and one still a draft.

Idempotent: a plan is imported only if the board has no plan with that title, and its ratings
are added with it.
"""

from __future__ import annotations

import csv
import datetime
import io
from pathlib import Path

from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from priorities import rag as cycle
from priorities import services
from priorities.models import (
    Action,
    BusinessPlan,
    PlanStatus,
    Priority,
    ProgressUpdate,
    Rag,
    RagAssessment,
    RagDefinition,
    ReportingPeriod,
)
from priorities.plan_import.stage import import_plan
from sab.models import Board, User
from subgroups.models import Group

DATA = Path(__file__).resolve().parent.parent / "tests" / "data"

# (board slug, title, file, status, period, first day)
ARCHIVE_PLANS = [
    ("lrsab", "Business Plan 2014/15", DATA / "lr-business-plan-2014-15.csv",
     PlanStatus.ARCHIVED, "2014/15", datetime.date(2014, 4, 1)),
    ("lrsab", "Business Plan 2019/20", DATA / "lrsab-business-plan-2019-20.csv",
     PlanStatus.APPROVED, "2019/20", datetime.date(2019, 4, 1)),
]  # fmt: skip

CSV_HEADER = [
    "priority_ref", "priority_title", "priority_statement", "delivery_group", "objective",
    "action_ref", "action", "outcome_measure", "lead", "due_date", "timescale", "status",
]  # fmt: skip

# Rows for Leicester SAB's current plan. {y0} is the year the reporting year starts in and
# {y1} the year it ends in. A priority's columns are given on its first row only.
LSAB_ROWS = [
    ["1", "Assurance: know how well adults are safeguarded in Leicester",
     "The Board has regular information about quality, performance and effectiveness and can "
     "form a view on how well adults are safeguarded in Leicester.",
     "Performance Sub-Group", "Strengthen the quality assurance framework",
     "1.1", "Refresh the quality assurance framework so that it explicitly covers the "
     "experience and outcomes of people who use services, and feedback from frontline staff.",
     "Revised framework agreed by the Board; user and staff feedback reported each quarter.",
     "Performance Sub-Group", "30/09/{y0}", "", "In progress"],
    ["", "", "", "", "",
     "1.2", "Receive and scrutinise the quarterly performance dataset and partner narratives, "
     "and report exceptions to the Board.",
     "Exceptions report to every Board meeting; partners respond to challenge within the "
     "quarter.",
     "Performance Sub-Group", "", "Quarterly", "In progress"],
    ["", "", "", "", "Test practice through audit",
     "1.3", "Run a multi-agency audit of safeguarding enquiries where self-neglect was the main "
     "concern, and track the resulting actions.",
     "Audit report with findings and an action plan; follow-up audit shows improvement.",
     "LLR Audit Sub-Group", "31/12/{y0}", "Audit in Q2; report in Q3", "Not started"],
    ["", "", "", "", "",
     "1.4", "Publish the Board's annual report and assurance statement.",
     "Annual report published and sent to the statutory partners, Healthwatch and the "
     "Health and Wellbeing Board.",
     "Performance Sub-Group", "30/09/{y0}", "", "Complete"],
    ["2", "Engagement: hear from people who use services and our communities",
     "Communities understand what abuse is and how to report it, and the Board learns from the "
     "people who have been through safeguarding.",
     "Engagement Sub-Group", "Raise awareness within our diverse communities",
     "2.1", "Launch the series of customer guides to adult safeguarding, written in clear, "
     "accessible language.",
     "Guides published and distributed through partners and community groups; feedback "
     "gathered.",
     "Engagement Sub-Group", "31/10/{y0}", "", "In progress"],
    ["", "", "", "", "",
     "2.2", "Analyse safeguarding concerns by ethnicity, age, gender and primary support need, "
     "and target engagement at under-represented communities.",
     "Baseline analysis reported to the Board; targeted activity with at least three "
     "community groups.",
     "Engagement Sub-Group", "31/03/{y1}", "", "Not started"],
    ["", "", "", "", "Make safeguarding personal",
     "2.3", "Gather feedback from people who have been through a safeguarding enquiry, and "
     "from their carers, and report it to the Performance Sub-Group.",
     "Quarterly feedback summary; number of people giving feedback.",
     "Engagement Sub-Group", "", "Quarterly from Q2", "Not started"],
    ["3", "Learning from reviews: make sure lessons change practice",
     "Learning from safeguarding adults reviews and domestic homicide reviews is shared and "
     "makes a difference to practice.",
     "Review Sub-Group", "Learn from safeguarding adults reviews",
     "3.1", "Publish the findings of the safeguarding adults review commissioned last year and "
     "track its multi-agency action plan to completion.",
     "Report published; every action in the plan complete or on track.",
     "Review Sub-Group", "31/12/{y0}", "", "In progress"],
    ["", "", "", "", "",
     "3.2", "Pass learning from reviews to the Training Sub-Group and run learning events for "
     "frontline staff.",
     "Two learning events held; attendees' confidence measured before and after.",
     "Training Sub-Group", "31/03/{y1}", "", "Not started"],
    ["", "", "", "", "",
     "3.3", "Update the Vulnerable Adults Risk Management (VARM) guidance and relaunch it across "
     "Leicester, Leicestershire and Rutland.",
     "Revised guidance published; audit of VARM meetings shows it is used.",
     "LLR Policy and Procedures Sub-Group", "31/01/{y1}", "", "In progress"],
    ["", "", "", "", "Work with Safer Leicester Partnership",
     "3.4", "Agree with Safer Leicester Partnership the Board's role and responsibilities in "
     "domestic homicide reviews.",
     "Agreement signed off by both partnerships.",
     "Review Sub-Group and Safer Leicester Partnership", "", "By the end of Q3", "Not started"],
]  # fmt: skip

# (action ref, RAG, status, what the lead group reported)
LSAB_PROGRESS = [
    ("1.1", Rag.GREEN, Action.Status.IN_PROGRESS,
     "Draft framework discussed at the sub-group; user feedback domain added."),
    ("1.2", Rag.AMBER, Action.Status.IN_PROGRESS,
     "Two partners' narratives arrived late; followed up by the Chair."),
    ("1.4", Rag.COMPLETE, Action.Status.COMPLETE,
     "Annual report published and presented to the Health and Wellbeing Board."),
    ("2.1", Rag.GREEN, Action.Status.IN_PROGRESS,
     "First two guides printed; launch planned with LCiL."),
    ("3.1", Rag.RED, Action.Status.IN_PROGRESS,
     "Publication delayed: the family asked for more time to comment on the report."),
    ("3.3", Rag.AMBER, Action.Status.IN_PROGRESS,
     "Guidance drafted; consultation with LRSAB partners runs to the end of the quarter."),
]  # fmt: skip


def lsab_plan_csv(year: int) -> bytes:
    """The current plan as a CSV file, dated for the reporting year starting in ``year``."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for row in LSAB_ROWS:
        writer.writerow([cell.format(y0=year, y1=year + 1) for cell in row])
    return buffer.getvalue().encode("utf-8")


def _say(stdout, message: str) -> None:
    if stdout is not None:
        stdout.write(message)


def _import(stdout, board: Board, title: str, data: bytes, filename: str) -> BusinessPlan | None:
    if BusinessPlan.objects.filter(board=board, title=title).exists():
        return None
    result = import_plan(board=board, plan_title=title, data=data, filename=filename)
    _say(stdout, f"Imported {title} for {board.short_name}: {result.summary()}.")
    return result.plan


def _set_up_this_years_quarters(stdout, board: Board) -> None:
    """This reporting year's quarters, with updates due two weeks before each quarter ends
    and the executive meeting three weeks after it (set up once)."""
    year = board.current_financial_year()
    first_day, _ = board.financial_year_bounds(year)
    if ReportingPeriod.objects.for_board(board).covering(first_day).exists():
        return
    periods = services.set_up_year(board=board, year=year, updates_due_days_before_end=14, by=None)
    for period in periods:
        period.exec_meeting_date = period.end + datetime.timedelta(days=21)
        period.save(update_fields=["exec_meeting_date"])
    _say(stdout, f"Set up {board.short_name}'s reporting periods for {periods[0].label[3:]}.")


def _date_imported_progress(plan: BusinessPlan, first_day: datetime.date) -> None:
    """Progress brought in with an old plan is as of that plan's year end, not today."""
    as_of = timezone.make_aware(
        datetime.datetime.combine(first_day.replace(year=first_day.year + 1), datetime.time(9))
    ) - datetime.timedelta(days=7)
    updates = list(ProgressUpdate.objects.filter(action__priority__plan=plan))
    for update in updates:
        update.created_at = as_of
    bulk_update_with_history(updates, ProgressUpdate, ["created_at"])


def _set_up_rag_key(stdout, board: Board) -> None:
    """The board's RAG key, as the migration makes it from its RAG definitions text (once).
    Leicestershire & Rutland calls Complete "Blue" and uses "Not started"."""
    if RagDefinition.objects.for_board(board).exists():
        return
    entries = RagDefinition.key_for(board)
    if board.slug == "lrsab":
        for entry in entries:
            if entry.rating == Rag.COMPLETE:
                entry.word = "Blue"
        rating, word, definition = RagDefinition.NOT_STARTED_DEFAULT
        entries.append(
            RagDefinition(
                board=board, rating=rating, word=word, definition=definition, order=len(entries)
            )
        )
    for entry in entries:
        entry.full_clean()
        entry.save()
    _say(stdout, f"Set up {board.short_name}'s RAG key.")


def seed(stdout=None) -> dict:
    boards = {board.slug: board for board in Board.objects.filter(slug__in=["lsab", "lrsab"])}
    for board in boards.values():
        _set_up_this_years_quarters(stdout, board)
        _set_up_rag_key(stdout, board)

    for slug, title, path, status, period, first_day in ARCHIVE_PLANS:
        if slug not in boards:
            continue
        plan = _import(stdout, boards[slug], title, path.read_bytes(), path.name)
        if plan is not None:
            plan.status = status
            plan.period = period
            plan.effective_from = first_day
            plan.approved_on = first_day - datetime.timedelta(days=14)
            if status == PlanStatus.ARCHIVED:
                # Rated while in use, for the two years of quarters the demo's RAG cycle
                # covers; archived (read only) once those ratings are in.
                plan.archived_on = first_day.replace(year=first_day.year + 2)
                plan.status = PlanStatus.APPROVED
            plan.save(
                update_fields=["status", "period", "effective_from", "approved_on", "archived_on"]
            )
            _date_imported_progress(plan, first_day)
            if status == PlanStatus.ARCHIVED:
                _rate_lrsab_plan(stdout, boards[slug], plan, first_day)
                plan.status = PlanStatus.ARCHIVED
                plan.save(update_fields=["status"])

    lsab = boards.get("lsab")
    if lsab is not None:
        year = lsab.current_financial_year()
        label = lsab.financial_year_label(year)
        title = f"Business Plan {label}"
        plan = _import(stdout, lsab, title, lsab_plan_csv(year), f"lsab-plan-{year}.csv")
        if plan is not None:
            first_day, _ = lsab.financial_year_bounds(year)
            plan.status = PlanStatus.APPROVED
            plan.period = label
            plan.effective_from = first_day
            plan.approved_on = first_day - datetime.timedelta(days=10)
            plan.save(update_fields=["status", "period", "effective_from", "approved_on"])
            _add_progress(lsab, plan)
            _propose_lsab_ratings(stdout, lsab, plan)
    return {}


def _add_progress(board: Board, plan: BusinessPlan) -> None:
    actions = {a.ref: a for a in Action.objects.filter(priority__plan=plan)}
    author = User.objects.filter(email="manager@example.org").first()
    period = ReportingPeriod.current_for(board)
    when = timezone.now() - datetime.timedelta(days=7)
    for ref, rag, status, text in LSAB_PROGRESS:
        update = ProgressUpdate(
            action=actions[ref],
            period=period,
            text=text,
            status=status,
            rag=rag,
            author=author,
            created_at=when,
        )
        update.full_clean()
        update.save()


# --- The quarterly RAG cycle ----------------------------------------------------------------

R, A, G, C = Rag.RED, Rag.AMBER, Rag.GREEN, Rag.COMPLETE
# Leicestershire & Rutland's 2014/15 priorities, rated each quarter of 2014/15 and 2015/16
# (what the SEG proposed; the Executive agreed unless LRSAB_OVERRIDE says otherwise).
LRSAB_RATINGS = {
    "1": [A, A, G, G, G, G, C, C],
    "2a": [R, A, A, G, G, G, G, C],
    "2b": [A, A, A, G, G, G, G, G],
    "2c": [G, G, G, G, C, C, C, C],
    "3a": [R, A, A, A, G, G, G, G],
    "3b": [A, G, G, G, G, G, C, C],
    "4": [G, G, A, A, G, G, G, G],
    "5": [A, A, A, A, G, G, G, C],
}
# (priority, quarter index): the Executive's rating and its reason.
LRSAB_OVERRIDE = {
    ("3a", 1): (
        R,
        "The Executive does not agree Amber: the audit of self-neglect cases found no "
        "progress on the pathway since Q1, and no partner has agreed to lead it. Red until "
        "the action plan is agreed.",
    ),
}
# (priority, quarter index): the Executive's question, the SEG's answer and new rating.
LRSAB_RETURNED = {
    ("2a", 2): (
        "The proposal says Green, but the Mental Capacity Act training figures for the quarter "
        "are missing. How many staff completed the training, and in which agencies?",
        "412 staff completed MCA training this quarter; two agencies have not yet reported "
        "their figures, so the SEG now proposes Amber.",
        A,
    ),
}
COMMENTS = {
    R: "Progress has stalled: the lead agency has not been able to start the work this quarter.",
    A: "Work is under way but behind the timescale; the lead group has a recovery plan.",
    G: "Work is on track against the plan; the SEG received the lead's report this quarter.",
    C: "Delivered: the evidence was presented to the SEG and the outcome measure is met.",
}
RISKS = {
    R: "Capacity in the lead agency. Mitigation: the Executive to agree who leads.",
    A: "Competing demands on partners. Mitigation: monthly check-ins by the business office.",
}


def _login(email: str) -> User | None:
    return User.objects.filter(email=email).first()


def _at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))


def _backdate(assessment: RagAssessment, steps: list[tuple[str, datetime.date, User]]) -> None:
    """Date an assessment's history as it happened (the services stamp the time of the
    seed run): its creation and each step (the field it stamps, the day, who took it)."""
    rows = list(assessment.history.order_by("history_id"))
    for row, (_, day, user) in zip(rows, steps, strict=True):
        row.history_date = _at(day)
        row.history_user = user
        row.save(update_fields=["history_date", "history_user"])
    stamps = {name: _at(day) for name, day, _ in steps if name}
    RagAssessment.objects.filter(pk=assessment.pk).update(**stamps)


def _rate_lrsab_plan(stdout, board: Board, plan: BusinessPlan, first_day: datetime.date) -> None:
    """Two years of quarters, each priority proposed by the SEG and decided by the
    Executive, through the services (so their rules and the history hold)."""
    seg = Group.objects.filter(name="Safeguarding Effectiveness Group").first()
    proposer = _login("mark.allen@example.org")
    decider = _login("lrsab.manager@example.org")
    if seg is None or proposer is None or decider is None:
        return
    priorities = {p.ref: p for p in Priority.objects.filter(plan=plan)}
    for priority in priorities.values():
        if priority.delivery_group_id is None:
            priority.delivery_group = seg
            priority.save(update_fields=["delivery_group"])
    periods = []
    for year in (first_day.year, first_day.year + 1):
        if (
            not ReportingPeriod.objects.for_board(board)
            .covering(board.financial_year_bounds(year)[0])
            .exists()
        ):
            quarters = services.set_up_year(
                board=board, year=year, updates_due_days_before_end=14, by=decider
            )
            for period in quarters:
                period.exec_meeting_date = period.end + datetime.timedelta(days=21)
                period.save(update_fields=["exec_meeting_date"])
        periods += sorted(
            ReportingPeriod.objects.for_board(board).filter(
                start__gte=board.financial_year_bounds(year)[0],
                end__lte=board.financial_year_bounds(year)[1],
            ),
            key=lambda period: period.start,
        )
    for ref, ratings in LRSAB_RATINGS.items():
        priority = priorities.get(ref)
        if priority is None:
            continue
        for index, (period, proposed) in enumerate(zip(periods, ratings, strict=False)):
            _rate(priority, period, index, proposed, proposer, decider)
    _say(stdout, f"Rated {board.short_name}'s {plan.title} for {len(periods)} quarters.")


def _rate(priority, period, index, proposed, proposer, decider) -> None:
    key = (priority.ref, index)
    meeting = period.exec_meeting_date
    proposed_on = period.end + datetime.timedelta(days=7)
    assessment = cycle.start_assessment(priority=priority, period=period, by=proposer)
    steps = [("", period.end, proposer)]
    assessment = cycle.propose(
        assessment=assessment,
        by=proposer,
        comments=COMMENTS[proposed],
        risks=RISKS.get(proposed, ""),
        proposed_rating=proposed,
    )
    steps.append(("proposed_at", proposed_on, proposer))
    if key in LRSAB_RETURNED:
        question, answer, proposed = LRSAB_RETURNED[key]
        assessment = cycle.return_proposal(assessment=assessment, by=decider, question=question)
        steps.append(("returned_at", meeting, decider))
        assessment = cycle.propose(
            assessment=assessment,
            by=proposer,
            comments=f"{COMMENTS[proposed]}\n\n**Answer to the Executive:** {answer}",
            proposed_rating=proposed,
        )
        meeting += datetime.timedelta(days=14)  # decided at the next extra meeting
        steps.append(("proposed_at", meeting - datetime.timedelta(days=7), proposer))
    decided, reason = LRSAB_OVERRIDE.get(key, (proposed, ""))
    assessment = cycle.decide(
        assessment=assessment,
        by=decider,
        executive_comments="Agreed by the Executive Group."
        if decided == proposed
        else "The Executive Group rated this differently from the SEG.",
        decided_rating=decided,
        decision_reason=reason,
    )
    steps.append(("decided_at", meeting, decider))
    _backdate(assessment, steps)


# Leicester SAB's current quarter: (priority ref, proposer's e-mail or None for a draft,
# rating, comments).
LSAB_PROPOSALS = [
    ("1", "chair@example.org", A,
     "The framework refresh is on track, but two partners' narratives arrived late, so the "
     "exceptions report was incomplete."),
    ("2", "jas.sandhu@example.org", G,
     "The first customer guides are printed and the launch with LCiL is planned."),
    ("3", None, R,
     "Draft: publication of the review is delayed at the family's request."),
]  # fmt: skip


def _propose_lsab_ratings(stdout, board: Board, plan: BusinessPlan) -> None:
    period = ReportingPeriod.current_for(board)
    if period is None or RagAssessment.objects.filter(priority__plan=plan).exists():
        return
    priorities = {p.ref: p for p in Priority.objects.filter(plan=plan)}
    waiting = 0
    for ref, email, rating, comments in LSAB_PROPOSALS:
        priority = priorities.get(ref)
        proposer = _login(email) if email else _login("manager@example.org")
        if priority is None or proposer is None:
            continue
        assessment = cycle.start_assessment(priority=priority, period=period, by=proposer)
        if email is None:
            cycle.save_draft(
                assessment=assessment, by=proposer, comments=comments, proposed_rating=rating
            )
            continue
        cycle.propose(assessment=assessment, by=proposer, comments=comments, proposed_rating=rating)
        waiting += 1
    _say(stdout, f"{waiting} of {board.short_name}'s ratings for {period.label} await a decision.")
