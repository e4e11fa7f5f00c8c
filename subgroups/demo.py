"""Demo governance structure for the two boards.

Leicester SAB's structure follows its 2017/18 annual report (section 6: Performance,
Engagement, Review and Training sub-groups chaired by partners; two LLR sub-groups shared
with Leicestershire & Rutland SAB under a Joint Executive Group; the Trilogy of Risk task
and finish group). Leicestershire & Rutland's groups are those its business plans name.
Meetings are placed in the current and previous reporting years, including a quarter in
which a sub-group did not meet.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from sab.demo import DEMO_PASSWORD, upsert
from sab.models import Board, Organisation, Person, User
from subgroups.models import Group, GroupMembership, Meeting

Kind = Group.Kind
MRole = GroupMembership.Role

# (name, kind, board slugs, reports to, chair (name, job title, organisation), remit)
GROUPS = [
    ("Leicester Safeguarding Adults Board", Kind.BOARD, ["lsab"], None, None,
     "The statutory board for Leicester (Care Act 2014 s43)."),
    ("Performance Sub-Group", Kind.SUBGROUP, ["lsab"], "Leicester Safeguarding Adults Board",
     ("Priya Mistry", "Director, Adult Social Care and Safeguarding", "Leicester City Council"),
     "Makes sure the Board has a clear **quality assurance framework**: requests and "
     "scrutinises performance data, audits and training information, and reports "
     "exceptions to the Board."),
    ("Engagement Sub-Group", Kind.SUBGROUP, ["lsab"], "Leicester Safeguarding Adults Board",
     ("Jas Sandhu", "Chief Executive", "Leicestershire Centre for Integrated Living"),
     "Enables the Board to hear from people who use services and the public."),
    ("Review Sub-Group", Kind.SUBGROUP, ["lsab"], "Leicester Safeguarding Adults Board",
     ("Claire Watson", "Head of Serious Crime", "Leicestershire Police"),
     "Makes sure the Board meets its duty to carry out safeguarding adults reviews "
     "(Care Act s44) and that learning is identified; oversees domestic homicide reviews "
     "for Safer Leicester Partnership."),
    ("Training Sub-Group", Kind.SUBGROUP, ["lsab"], "Leicester Safeguarding Adults Board",
     ("Helen Ward", "Designated Nurse Safeguarding Adults and Children",
      "Leicester City Clinical Commissioning Group"),
     "Makes sure the workforce is engaged in and equipped to deliver safeguarding."),
    ("LLR Joint Executive Group", Kind.JOINT_EXECUTIVE, ["lsab", "lrsab"], None, None,
     "Governs the sub-groups Leicester SAB shares with Leicestershire and Rutland SAB; "
     "feeds into both Boards."),
    ("LLR Policy and Procedures Sub-Group", Kind.SUBGROUP, ["lsab", "lrsab"],
     "LLR Joint Executive Group",
     ("Dan Pearce", "Partnership Manager", "Leicestershire Police"),
     "Develops procedures and practice guidance across Leicester, Leicestershire and Rutland."),
    ("LLR Audit Sub-Group", Kind.SUBGROUP, ["lsab", "lrsab"], "LLR Joint Executive Group",
     ("Ruth Lambert", "Head of Service, Adult Social Care", "Leicestershire County Council"),
     "Runs the multi-agency audit programme for both Boards."),
    ("Trilogy of Risk Task and Finish Group", Kind.TASK_FINISH, ["lsab", "lrsab"],
     "Leicester Safeguarding Adults Board", None,
     "Learning from reviews about risk where mental ill health, substance misuse and "
     "domestic abuse are found together."),
    ("Leicestershire and Rutland Safeguarding Adults Board", Kind.BOARD, ["lrsab"], None, None,
     "The statutory board for Leicestershire and Rutland."),
    ("Executive Group", Kind.EXECUTIVE, ["lrsab"],
     "Leicestershire and Rutland Safeguarding Adults Board",
     ("Sam Hartley", "LRSAB Business Manager", "Leicestershire County Council"),
     "Decides the quarterly RAG rating of each priority proposed by the SEG."),
    ("Safeguarding Effectiveness Group", Kind.SUBGROUP, ["lrsab"], "Executive Group",
     ("Mark Allen", "Head of Safeguarding", "West Leicestershire Clinical Commissioning Group"),
     "Delivery group: monitors the business plan and proposes RAG ratings to the Executive."),
    ("SCR Sub Group", Kind.SUBGROUP, ["lrsab"], "Executive Group", None,
     "Serious case and safeguarding adults reviews."),
    ("Procedures Subgroup", Kind.SUBGROUP, ["lrsab"], "Executive Group", None,
     "Multi-agency procedures and guidance for Leicestershire and Rutland."),
    ("Adults Training Group", Kind.SUBGROUP, ["lrsab"], "Safeguarding Effectiveness Group", None,
     "Multi-agency training for the adult workforce."),
    ("Engagement Task and Finish Group", Kind.TASK_FINISH, ["lrsab"], "Executive Group", None,
     "Set up the Board's engagement with service users and carers."),
]  # fmt: skip

TASK_FINISH_DATES = {
    "Trilogy of Risk Task and Finish Group": (
        datetime.date(2017, 4, 1),
        datetime.date(2018, 3, 31),
    ),
    "Engagement Task and Finish Group": (datetime.date(2014, 4, 1), datetime.date(2015, 3, 31)),
}  # fmt: skip


def _person(name: str, title: str, organisation: str, boards: list[Board]) -> Person:
    person = Person.objects.filter(name=name).first()
    if person is None:
        person = Person.objects.create(
            name=name,
            job_title=title,
            organisation=Organisation.objects.get(name=organisation),
        )
    person.boards.add(*boards)
    return person


def _login_for(person: Person) -> User:
    """A demo login for a chair named in the records (first.last@example.org)."""
    email = f"{person.name.lower().replace(' ', '.')}@example.org"
    first, _, last = person.name.partition(" ")
    user, created = User.objects.get_or_create(
        email=email, defaults={"first_name": first, "last_name": last}
    )
    if created or not user.check_password(DEMO_PASSWORD):
        user.set_password(DEMO_PASSWORD)
        user.save()
    person.user = user
    person.email = email
    person.save(update_fields=["user", "email"])
    return user


def _quarterly_dates(board: Board, year: int, today: datetime.date) -> list[datetime.date]:
    start, _ = board.financial_year_bounds(year)
    dates = []
    for months in (1, 4, 7, 10):
        month = (start.month - 1 + months) % 12 + 1
        yr = start.year + (start.month - 1 + months) // 12
        day = datetime.date(yr, month, 12)
        if day <= today:
            dates.append(day)
    return dates


def seed(stdout=None) -> dict:
    boards = {b.slug: b for b in Board.objects.filter(slug__in=["lsab", "lrsab"])}
    groups: dict[str, Group] = {}
    for name, kind, slugs, parent, chair, remit in GROUPS:
        established, ends = TASK_FINISH_DATES.get(name, (datetime.date(2015, 4, 1), None))
        group, _ = upsert(
            Group,
            name=name,
            defaults={
                "kind": kind,
                "reporting_board": boards[slugs[0]],
                "reports_to": groups.get(parent),
                "remit": remit,
                "established": established,
                "ends": ends,
                "active": ends is None,
            },
        )
        missing = {boards[s] for s in slugs} - set(group.boards.all())
        if missing:  # add() writes a history row even when nothing is new
            group.boards.add(*missing)
        groups[name] = group
        if chair:
            person = _person(*chair, [boards[s] for s in slugs])
            upsert(
                GroupMembership,
                group=group,
                person=person,
                role=MRole.CHAIR,
                defaults={"organisation": person.organisation, "start": datetime.date(2017, 4, 1)},
            )

    # Demo logins. Group rights come from membership (ADR 0002): the Performance Sub-Group's
    # member, and every chair the groups show, can sign in and act for their group.
    performance = groups["Performance Sub-Group"]
    member = User.objects.get(email="member@example.org").person
    upsert(
        GroupMembership,
        group=performance,
        person=member,
        role=MRole.MEMBER,
        defaults={"organisation": member.organisation},
    )
    logins = [("member@example.org", f"Member, {performance.name}, LSAB")]
    for group in groups.values():
        chair = group.memberships.filter(role=MRole.CHAIR).select_related("person").first()
        if chair is None or not group.active:
            continue
        user = chair.person.user or _login_for(chair.person)
        boards_served = "/".join(b.short_name for b in group.boards.order_by("pk"))
        logins.append((user.email, f"Chair, {group.name}, {boards_served}"))

    # Meetings: quarterly, this reporting year and last; Engagement did not meet once.
    today = timezone.localdate()
    for group in groups.values():
        if not group.active:
            continue
        board = boards[next(iter(s for n, _, s, *_ in GROUPS if n == group.name))[0]]
        year = board.current_financial_year()
        attendees = [m.person for m in group.memberships.all()]
        for fy in (year - 1, year):
            for i, day in enumerate(_quarterly_dates(board, fy, today)):
                status = Meeting.Status.HELD
                if group.name == "Engagement Sub-Group" and fy == year - 1 and i == 2:
                    status = Meeting.Status.DID_NOT_MEET
                meeting, created = upsert(
                    Meeting,
                    group=group,
                    date=day,
                    defaults={
                        "status": status,
                        "quorate": True if status == Meeting.Status.HELD else None,
                    },
                )
                if created and status == Meeting.Status.HELD:
                    meeting.summary = "Standing items: action log, exceptions report, risks."
                    meeting.save(update_fields=["summary"])
                    meeting.attendees.set(attendees)
    return {"logins": logins}
