"""Core records: users, boards, partner organisations, people and role assignments, and the
model pieces every app builds on (board-scoped querysets, Markdown fields, unique-within
constraints).

Every permission decision in the service derives from RoleAssignment rows
(see sab/permissions.py).
"""

from __future__ import annotations

import calendar
import datetime
from functools import cache

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator, MaxValueValidator, MinValueValidator
from django.db import DEFAULT_DB_ALIAS, models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from sab import permissions
from sab.roles import BOARD_ROLE_CHOICES, GROUP_ROLES, MANAGER_ROLES, Role


class EmailUserManager(UserManager):
    """Users sign in with their e-mail address; there is no separate username."""

    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    username = None
    email = models.EmailField("e-mail address", unique=True)

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = EmailUserManager()
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta:
        ordering = ["email", "id"]

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    def clean(self) -> None:
        super().clean()
        self.email = self.email.strip().lower()


# --- What every app's models build on ---------------------------------------------------------


class BoardScopedQuerySet(models.QuerySet):
    """Records that belong to a board through ``board_path`` ("board", "plan__board",
    "boards" for a group that serves several boards...). The one home of board scoping: every
    app's querysets subclass it and set ``board_path``.

    A path through a many-valued relation is filtered with a subquery, so rows are never
    repeated and no DISTINCT is needed.
    """

    board_path = "board"

    def visible_to(self, user):
        """Records in the boards where the user holds any role (everything for a superuser)."""
        if user.is_superuser:
            return self
        return self.in_boards(permissions.board_ids(user))

    def managed_by(self, user):
        """Records in the boards the user manages."""
        if user.is_superuser:
            return self
        return self.in_boards(permissions.board_ids(user, MANAGER_ROLES))

    def for_board(self, board: Board):
        return self.in_boards([board.pk])

    def in_boards(self, ids):
        lookup = {f"{self.board_path}__in": ids}
        if _path_is_many_valued(self.model, self.board_path):
            return self.filter(pk__in=self.model._base_manager.filter(**lookup).values("pk"))
        return self.filter(**lookup)


@cache
def _path_is_many_valued(model, path: str) -> bool:
    opts = model._meta
    for name in path.split("__"):
        field = opts.get_field(name)
        if field.many_to_many or field.one_to_many:
            return True
        if not field.is_relation:
            return False
        opts = field.related_model._meta
    return False


class MarkdownField(models.TextField):
    """A narrative field written in Markdown. Pages (and printed documents) show it through
    the ``markdown`` template filter, which renders and sanitises it in sab/markdown.py: the
    one rendering path."""

    # Said once, under every narrative field in a form (in plain words, not "Markdown").
    FORMATTING_HINT = (
        "Leave a blank line between paragraphs. Start a line with - for a bullet point, "
        "and put **two stars** around words to make them bold."
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def formfield(self, **kwargs):
        field = super().formfield(**kwargs)
        field.help_text = " ".join(filter(None, [str(field.help_text), self.FORMATTING_HINT]))
        return field


class UniqueWithin(models.UniqueConstraint):
    """A value unique within its parent, such as an action's ref within its priority.

    Django's UniqueConstraint, with the clash reported the way a form wants it: on the last
    of ``fields`` (the one the person typed) and with the record's values in the message::

        UniqueWithin(fields=["priority", "ref"], name="action_unique_ref",
                     violation_error_message="Action %(ref)s is already in this priority.")

    A form whose parent is set by the view, not typed, must validate that parent field too
    (sab.forms.ChildModelForm), or Django skips the constraint.
    """

    def get_violation_error_message(self) -> str:
        return self.violation_error_message  # formatted with the record's values in validate()

    def validate(self, model, instance, exclude=None, using=DEFAULT_DB_ALIAS):
        try:
            super().validate(model, instance, exclude=exclude, using=using)
        except ValidationError:
            values = {name: getattr(instance, name) for name in self.fields}
            error = ValidationError(
                self.violation_error_message, code=self.violation_error_code, params=values
            )
            raise ValidationError({self.fields[-1]: error}) from None


class BoardQuerySet(BoardScopedQuerySet):
    board_path = "id"


class Board(models.Model):
    MONTHS = [(number, calendar.month_name[number]) for number in range(1, 13)]
    # The key most boards use (DOMAIN.md 4.6); each board rewords it on its details page.
    DEFAULT_RAG_DEFINITIONS = """\
- **Complete:** the action or priority has been delivered (shown in blue).
- **Green:** on track.
- **Amber:** some slippage or risk; mitigation is in place.
- **Red:** off track or at risk; needs the board's attention.
"""
    # Paths under /boards/ that are pages, not boards: no board may take them as its slug.
    RESERVED_SLUGS = frozenset({"new"})

    name = models.CharField(max_length=200, unique=True)
    short_name = models.CharField(max_length=20, help_text="For example LSAB or LRSAB.")
    slug = models.SlugField(max_length=60, unique=True)
    area = models.CharField(
        max_length=200,
        help_text="The local authority area or areas the board covers (Care Act s43(6)).",
    )
    chair = models.ForeignKey(
        "Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="boards_chaired"
    )
    chair_is_independent = models.BooleanField(
        "the chair is independent",
        default=True,
        help_text="Statutory guidance asks local authorities to consider an independent chair.",
    )
    contact_email = models.EmailField(blank=True)
    website = models.URLField(blank=True)
    financial_year_start_month = models.PositiveSmallIntegerField(
        default=4,
        choices=MONTHS,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
        help_text="Month the board's reporting year starts (April for the statutory report).",
    )
    rag_definitions = MarkdownField(
        "RAG definitions",
        default=DEFAULT_RAG_DEFINITIONS,
        help_text="How this board words red, amber, green and complete. "
        "Printed as the key in reports.",
    )
    vision = MarkdownField(
        help_text="What the board wants for adults in its area, in a sentence or two."
    )
    terms_of_reference = MarkdownField(
        "terms of reference",
        help_text="The board's purpose, membership, chairing, quorum and how it makes decisions.",
    )
    # What its published documents carry (reports app): the logo on their cover, and for the
    # public beside every document, how to ask for another format and the accessibility
    # statement (Public Sector Bodies Accessibility Regulations 2018; DOMAIN.md 5).
    logo = models.ImageField(
        upload_to="boards/logos/",
        blank=True,
        validators=[FileExtensionValidator(["png", "jpg", "jpeg"])],
        help_text="A PNG or JPEG, printed on the cover of the board's published documents.",
    )
    alternative_formats_contact = models.CharField(
        "how to ask for another format",
        max_length=300,
        blank=True,
        help_text="Where the public ask for a document in large print, easy read, audio or "
        "another format: an e-mail address or phone number. The board's contact e-mail "
        "is used when this is empty.",
    )
    accessibility_statement = MarkdownField(
        help_text="How accessible the board's published documents are, what is not yet, "
        "and how to report a problem. Shown beside every document the board publishes.",
    )

    objects = BoardQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(financial_year_start_month__gte=1, financial_year_start_month__lte=12),
                name="board_financial_year_month_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("sab:board-detail", kwargs={"slug": self.slug})

    @property
    def format_request_contact(self) -> str:
        """Where the public ask for a document in another format ("" when nowhere is set)."""
        return self.alternative_formats_contact or self.contact_email

    def clean(self) -> None:
        if self.slug in self.RESERVED_SLUGS:
            raise ValidationError({"slug": f"/boards/{self.slug}/ is a page: choose another."})

    @property
    def board_id(self) -> int:
        """A board belongs to itself, like every board-scoped record (sab.permissions)."""
        return self.pk

    @property
    def financial_year_start_name(self) -> str:
        return calendar.month_name[self.financial_year_start_month]

    def financial_year_of(self, day: datetime.date) -> int:
        """The reporting year a day falls in, named by the calendar year it starts in."""
        return day.year if day.month >= self.financial_year_start_month else day.year - 1

    def financial_year_bounds(self, year: int) -> tuple[datetime.date, datetime.date]:
        """First and last day of reporting year ``year`` (2017 -> 1 Apr 2017 to 31 Mar 2018)."""
        start = datetime.date(year, self.financial_year_start_month, 1)
        end = datetime.date(year + 1, self.financial_year_start_month, 1) - datetime.timedelta(1)
        return start, end

    def financial_year_label(self, year: int) -> str:
        if self.financial_year_start_month == 1:
            return str(year)
        return f"{year}/{str(year + 1)[-2:]}"

    def current_financial_year(self) -> int:
        return self.financial_year_of(timezone.localdate())


class OrganisationQuerySet(BoardScopedQuerySet):
    """Organisations that are (or were) partners of a board."""

    board_path = "board_memberships__board"


class Organisation(models.Model):
    class Kind(models.TextChoices):
        LOCAL_AUTHORITY = "local_authority", "Local authority"
        POLICE = "police", "Police"
        ICB = "icb", "Integrated care board (or former CCG)"
        NHS_TRUST = "nhs_trust", "NHS trust"
        FIRE_RESCUE = "fire_rescue", "Fire and rescue"
        PROBATION = "probation", "Probation"
        PRISON = "prison", "Prison"
        HEALTHWATCH = "healthwatch", "Healthwatch"
        VOLUNTARY = "voluntary", "Voluntary sector"
        CARE_PROVIDER = "care_provider", "Care provider"
        HOUSING = "housing", "Housing"
        REGULATOR = "regulator", "Regulator or national body"
        OTHER = "other", "Other"

    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=30, choices=Kind, default=Kind.OTHER)
    website = models.URLField(blank=True)

    objects = OrganisationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class TermQuerySet(models.QuerySet):
    """Records held for a term with optional ``start`` and ``end`` dates (memberships)."""

    def current(self, on: datetime.date | None = None):
        on = on or timezone.localdate()
        return self.filter(Q(start__isnull=True) | Q(start__lte=on)).filter(
            Q(end__isnull=True) | Q(end__gte=on)
        )


def term_in_order(name: str) -> models.CheckConstraint:
    """The database rule that a term ends on or after it starts (either date may be blank)."""
    return models.CheckConstraint(
        condition=Q(end__isnull=True) | Q(start__isnull=True) | Q(end__gte=models.F("start")),
        name=name,
    )


class Term(models.Model):
    """A membership held from ``start`` to ``end``; either date may be unknown."""

    start = models.DateField("from", null=True, blank=True)
    end = models.DateField("until", null=True, blank=True)

    class Meta:
        abstract = True

    def is_current(self, on: datetime.date) -> bool:
        return (self.start is None or self.start <= on) and (self.end is None or self.end >= on)

    def clean(self) -> None:
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": "The end date must be on or after the start date."})


class BoardMembershipQuerySet(TermQuerySet, BoardScopedQuerySet):
    pass


class BoardMembership(Term):
    """An organisation's membership of a board (Care Act Schedule 2 para 1)."""

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="board_memberships"
    )
    statutory = models.BooleanField(
        "statutory partner",
        default=False,
        help_text="The local authority, integrated care board(s) and chief officer(s) of police.",
    )
    start = models.DateField("member from", null=True, blank=True)
    end = models.DateField("member until", null=True, blank=True)

    objects = BoardMembershipQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["board", "-statutory", "organisation__name", "id"]
        constraints = [
            term_in_order("boardmembership_end_after_start"),
            models.UniqueConstraint(
                fields=["board", "organisation", "start"],
                name="boardmembership_unique_per_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} on {self.board}"


class PersonQuerySet(BoardScopedQuerySet):
    board_path = "boards"


class Person(models.Model):
    """Someone named in the board's records. Not everyone named has a login."""

    name = models.CharField(max_length=200)
    job_title = models.CharField(max_length=200, blank=True)
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="people"
    )
    email = models.EmailField(blank=True)
    user = models.OneToOneField(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="person"
    )
    boards = models.ManyToManyField(
        Board, related_name="people", blank=True, help_text="Boards this person works with."
    )

    objects = PersonQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name", "id"]
        verbose_name_plural = "people"

    def __str__(self) -> str:
        if self.organisation_id:
            return f"{self.name} ({self.organisation})"
        return self.name


class RoleAssignment(models.Model):
    """What a login may do in one board: the board-level roles. Group roles (chair or member
    of a group) come from the person's current group membership instead (ADR 0002)."""

    Role = Role  # defined once, in sab/roles.py

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments")
    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(max_length=30, choices=BOARD_ROLE_CHOICES)
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="role_assignments",
        help_text="The organisation a partner lead writes for.",
    )

    objects = models.Manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["board", "role", "user", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "board", "role"],
                condition=Q(organisation__isnull=True),
                name="roleassignment_unique_role",
            ),
            models.UniqueConstraint(
                fields=["user", "board", "role", "organisation"],
                condition=Q(organisation__isnull=False),
                name="roleassignment_unique_role_organisation",
            ),
            models.CheckConstraint(
                condition=~Q(role=Role.PARTNER_LEAD) | Q(organisation__isnull=False),
                name="roleassignment_partner_lead_has_organisation",
            ),
            models.CheckConstraint(
                condition=~Q(role__in=sorted(GROUP_ROLES)),
                name="roleassignment_no_group_roles",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.describe()} ({self.board})"

    def describe(self) -> str:
        if self.organisation_id:
            return f"{self.get_role_display()} for {self.organisation}"
        return self.get_role_display()

    def clean(self) -> None:
        if self.role == self.Role.PARTNER_LEAD and not self.organisation_id:
            raise ValidationError(
                {"organisation": "Choose the organisation this partner lead writes for."}
            )
