"""Demo data for the core app: the two Leicester-area boards and their partners.

Built from ../shared/seeds/annual-report-leicester-2017-18.txt (Leicester SAB) and the
Leicestershire & Rutland business plans. Idempotent: every record is found by its natural
key and updated, so running seed_demo twice changes nothing.
"""

from __future__ import annotations

import datetime
from base64 import b32encode
from binascii import unhexlify

from django_otp.plugins.otp_totp.models import TOTPDevice

from sab.models import Board, BoardMembership, Organisation, Person, RoleAssignment, User
from sab.two_factor import must_use_second_factor

DEMO_PASSWORD = "demo-safeguarding-2026"
# The demo logins that must use a second factor (board managers, review subgroup members)
# have an authenticator app with this published key: RFC 6238's test key, the bytes of
# "12345678901234567890". `python manage.py demo_code` prints its current code, or add
# DEMO_TOTP_SECRET (the same key in base32) to an authenticator app. Never on a live system.
DEMO_TOTP_KEY = "3132333435363738393031323334353637383930"
DEMO_TOTP_SECRET = b32encode(unhexlify(DEMO_TOTP_KEY)).decode()
DEMO_DEVICE_NAME = "Demo authenticator app"

Kind = Organisation.Kind
Role = RoleAssignment.Role

ORGANISATIONS = [
    ("Leicester City Council", Kind.LOCAL_AUTHORITY),
    ("Leicestershire County Council", Kind.LOCAL_AUTHORITY),
    ("Rutland County Council", Kind.LOCAL_AUTHORITY),
    ("Leicestershire Police", Kind.POLICE),
    ("Leicester City Clinical Commissioning Group", Kind.ICB),
    ("West Leicestershire Clinical Commissioning Group", Kind.ICB),
    ("East Leicestershire and Rutland Clinical Commissioning Group", Kind.ICB),
    ("University Hospitals of Leicester NHS Trust", Kind.NHS_TRUST),
    ("Leicestershire Partnership NHS Trust", Kind.NHS_TRUST),
    ("East Midlands Ambulance Service NHS Trust", Kind.NHS_TRUST),
    ("Leicestershire Fire and Rescue Service", Kind.FIRE_RESCUE),
    ("Healthwatch Leicester", Kind.HEALTHWATCH),
    ("Healthwatch Leicestershire", Kind.HEALTHWATCH),
    ("Healthwatch Rutland", Kind.HEALTHWATCH),
    ("National Probation Service", Kind.PROBATION),
    ("Derbyshire, Leicestershire, Nottinghamshire and Rutland Community Rehabilitation Company",
     Kind.PROBATION),
    ("HMP Leicester", Kind.PRISON),
    ("Leicestershire Centre for Integrated Living", Kind.VOLUNTARY),
    ("East Midlands Care", Kind.CARE_PROVIDER),
    ("Care Quality Commission", Kind.REGULATOR),
    ("NHS England", Kind.REGULATOR),
]  # fmt: skip

LSAB_STATUTORY = [
    "Leicester City Council",
    "Leicestershire Police",
    "Leicester City Clinical Commissioning Group",
]
LSAB_PARTNERS = [
    "University Hospitals of Leicester NHS Trust",
    "Leicestershire Partnership NHS Trust",
    "Leicestershire Fire and Rescue Service",
    "Healthwatch Leicester",
    "East Midlands Ambulance Service NHS Trust",
    "National Probation Service",
    "Derbyshire, Leicestershire, Nottinghamshire and Rutland Community Rehabilitation Company",
    "HMP Leicester",
    "Leicestershire Centre for Integrated Living",
    "East Midlands Care",
    "Care Quality Commission",
    "NHS England",
]
LRSAB_STATUTORY = [
    "Leicestershire County Council",
    "Rutland County Council",
    "Leicestershire Police",
    "West Leicestershire Clinical Commissioning Group",
    "East Leicestershire and Rutland Clinical Commissioning Group",
]
LRSAB_PARTNERS = [
    "University Hospitals of Leicester NHS Trust",
    "Leicestershire Partnership NHS Trust",
    "Leicestershire Fire and Rescue Service",
    "Healthwatch Leicestershire",
    "Healthwatch Rutland",
    "East Midlands Ambulance Service NHS Trust",
    "National Probation Service",
]


# Vision and terms of reference, from the annual report's introduction (the Care Act
# objective and duties) and its membership and structure sections. Kept short.
LSAB_VISION = (
    "Adults in Leicester with needs for care and support are helped and protected from abuse "
    "and neglect, by partners who work together and learn from what goes wrong."
)
LRSAB_VISION = (
    "Adults in Leicestershire and Rutland with needs for care and support are helped and "
    "protected from abuse and neglect, by partners who work together and learn from what "
    "goes wrong."
)
TERMS_OF_REFERENCE = """\
**Purpose.** To help and protect adults in {area} with needs for care and support who are \
experiencing, or at risk of, abuse or neglect and cannot protect themselves, by coordinating \
and ensuring the effectiveness of what each member does (Care Act 2014, section 43).

**Duties.**

- Publish a strategic plan for each financial year.
- Publish an annual report.
- Commission safeguarding adults reviews for any cases which meet the criteria.

**Membership.** The statutory partners ({statutory}) and the board's other member \
organisations.

**Chairing.** An independent chair. Sub-groups are chaired by board members; the Policy and \
Procedures and Audit sub-groups are shared by the Leicester and the Leicestershire and \
Rutland boards.
"""

# (email, first name, last name, job title, organisation, [(board, role, partner-lead org)])
DEMO_USERS = [
    ("manager@example.org", "Lindsey", "Bampton", "LSAB Manager", "Leicester City Council",
     [("lsab", Role.BOARD_MANAGER, None)]),
    ("lrsab.manager@example.org", "Sam", "Hartley", "LRSAB Business Manager",
     "Leicestershire County Council", [("lrsab", Role.BOARD_MANAGER, None)]),
    ("chair@example.org", "Priya", "Mistry", "Director, Adult Social Care and Safeguarding",
     "Leicester City Council", []),  # chairs the Performance Sub-Group (subgroups.demo)
    ("member@example.org", "Joe", "Bradley", "Safeguarding Practitioner",
     "Leicestershire Partnership NHS Trust", []),  # a Performance Sub-Group member
    ("exec@example.org", "Mark", "Goodwin", "Head of Safeguarding",
     "Leicester City Clinical Commissioning Group", [("lsab", Role.EXECUTIVE_MEMBER, None)]),
    ("review@example.org", "Claire", "Watson", "Head of Serious Crime", "Leicestershire Police",
     [("lsab", Role.REVIEW_MEMBER, None)]),
    ("partner@example.org", "Tom", "Ellis", "Safeguarding Lead",
     "University Hospitals of Leicester NHS Trust",
     [("lsab", Role.PARTNER_LEAD, "University Hospitals of Leicester NHS Trust")]),
    ("viewer@example.org", "Amina", "Okafor", "Board member", "Healthwatch Leicester",
     [("lsab", Role.VIEWER, None)]),
]  # fmt: skip


def upsert(model, defaults: dict | None = None, **lookup):
    """Like update_or_create, but saves (and writes history) only when a value changed."""
    defaults = defaults or {}
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        return model.objects.create(**lookup, **defaults), True
    changed = [name for name, value in defaults.items() if getattr(obj, name) != value]
    if changed:
        for name in changed:
            setattr(obj, name, defaults[name])
        obj.save(update_fields=changed)
    return obj, False


def seed_second_factors(emails) -> list[str]:
    """Give each of these demo logins that must use a second factor a confirmed authenticator
    app with DEMO_TOTP_KEY (once: a second run changes nothing). Returns their addresses."""
    emails = list(dict.fromkeys(emails))
    users = User.objects.in_bulk(emails, field_name="email")
    needing = [email for email in emails if email in users and must_use_second_factor(users[email])]
    for email in needing:
        upsert(
            TOTPDevice,
            user=users[email],
            name=DEMO_DEVICE_NAME,
            defaults={"key": DEMO_TOTP_KEY, "confirmed": True},
        )
    return needing


def _organisation(name: str) -> Organisation:
    return Organisation.objects.get(name=name)


def seed(stdout=None) -> dict:
    """Create or update the core demo records. Returns the demo logins."""
    for name, kind in ORGANISATIONS:
        upsert(Organisation, name=name, defaults={"kind": kind})

    chair, _ = upsert(
        Person,
        name="Robert Lake",
        defaults={"job_title": "Independent Chair", "organisation": None},
    )
    lsab, _ = upsert(
        Board,
        slug="lsab",
        defaults={
            "name": "Leicester Safeguarding Adults Board",
            "short_name": "LSAB",
            "area": "Leicester City",
            "chair": chair,
            "chair_is_independent": True,
            "contact_email": "lsab@example.org",
            "website": "https://www.leicester.gov.uk/",
            "rag_definitions": Board.DEFAULT_RAG_DEFINITIONS,
            "vision": LSAB_VISION,
            "terms_of_reference": TERMS_OF_REFERENCE.format(
                area="Leicester", statutory=", ".join(LSAB_STATUTORY)
            ),
        },
    )
    lrsab, _ = upsert(
        Board,
        slug="lrsab",
        defaults={
            "name": "Leicestershire and Rutland Safeguarding Adults Board",
            "short_name": "LRSAB",
            "area": "Leicestershire and Rutland (two local authorities, Care Act s43(6))",
            "chair": chair,
            "chair_is_independent": True,
            "contact_email": "lrsab@example.org",
            "website": "https://lrsb.org.uk/",
            "rag_definitions": Board.DEFAULT_RAG_DEFINITIONS,
            "vision": LRSAB_VISION,
            "terms_of_reference": TERMS_OF_REFERENCE.format(
                area="Leicestershire and Rutland", statutory=", ".join(LRSAB_STATUTORY)
            ),
        },
    )
    chair.boards.add(lsab, lrsab)

    since = datetime.date(2015, 4, 1)
    for board, statutory, partners in (
        (lsab, LSAB_STATUTORY, LSAB_PARTNERS),
        (lrsab, LRSAB_STATUTORY, LRSAB_PARTNERS),
    ):
        for names, is_statutory in ((statutory, True), (partners, False)):
            for name in names:
                upsert(
                    BoardMembership,
                    board=board,
                    organisation=_organisation(name),
                    start=since,
                    defaults={"statutory": is_statutory, "end": None},
                )

    boards = {"lsab": lsab, "lrsab": lrsab}
    logins = []
    for email, first, last, title, org_name, roles in DEMO_USERS:
        user, created = User.objects.get_or_create(
            email=email, defaults={"first_name": first, "last_name": last}
        )
        if created or not user.check_password(DEMO_PASSWORD):
            user.set_password(DEMO_PASSWORD)
            user.save()
        person, _ = upsert(
            Person,
            user=user,
            defaults={
                "name": f"{first} {last}",
                "job_title": title,
                "organisation": _organisation(org_name),
                "email": email,
            },
        )
        person.boards.add(lsab)
        for slug, role, role_org in roles:
            person.boards.add(boards[slug])
            RoleAssignment.objects.get_or_create(
                user=user,
                board=boards[slug],
                role=role,
                organisation=_organisation(role_org) if role_org else None,
            )
            logins.append((email, f"{Role(role).label}, {boards[slug].short_name}"))
    seed_second_factors(email for email, *_ in DEMO_USERS)
    return {"logins": logins, "password": DEMO_PASSWORD}
