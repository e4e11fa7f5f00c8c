"""Safeguarding Adults Reviews and other case reviews: referrals, the section 44 decision, the
review itself, its findings, recommendations and the action plan that answers them.

Restricted data (special category personal data, UK GDPR Art 9): only a board's review
members and board managers see any of it (``RestrictedQuerySet.visible_to``), and only after a
second factor (reviews/access.py). Subjects are recorded by a pseudonym ("Adult A"), never a
name, unless the family agreed and someone confirmed it.

The fields follow what national SAR analyses found missing from reports (DOMAIN.md 2.4): the
referral source, the time taken and the scope period are required, and the family's
involvement is always recorded, with a reason when they were not invited.
"""

from __future__ import annotations

import datetime
import re

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from sab import permissions
from sab.models import Board, BoardScopedQuerySet, MarkdownField, UniqueWithin, User
from sab.roles import RESTRICTED_REVIEW_ROLES


class RestrictedQuerySet(BoardScopedQuerySet):
    """Review records: visible only in the boards where the user is a review member or a
    board manager (other roles in the same board see nothing, not even that they exist)."""

    def visible_to(self, user):
        if user.is_superuser:
            return self
        return self.in_boards(permissions.board_ids(user, RESTRICTED_REVIEW_ROLES))


class Answer(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"
    NOT_KNOWN = "not_known", "Not known yet"


# --- Referral --------------------------------------------------------------------------------


class ReferralQuerySet(RestrictedQuerySet):
    def received_between(self, start: datetime.date, end: datetime.date) -> ReferralQuerySet:
        return self.filter(referral_date__gte=start, referral_date__lte=end)


# A pseudonym: "Adult A", "Adult AB", "Adult A1", "Mrs A", "Mrs A & Miss G", "Adults C and D",
# or initials ("J.S."). Anything with a word that looks like a name gets a warning.
_PSEUDONYM_WORDS = {"adult", "adults", "mr", "mrs", "ms", "miss", "mx", "and", "&", "family"}


def looks_like_a_name(label: str) -> bool:
    """True when the subject label has a word that is not a title, a connective or an initial:
    "John Smith", "Adult Jane". SCIE's quality marker 13: personal details only as needed."""
    for word in re.split(r"\s+", label.strip()):
        bare = word.strip(".,()'")
        if not bare or bare.lower() in _PSEUDONYM_WORDS:
            continue
        if re.fullmatch(r"([A-Za-z]\.?){1,3}\d{0,3}", bare) or re.fullmatch(r"\d+", bare):
            continue
        return True
    return False


class Referral(models.Model):
    """A case referred to the board for a review: who referred it and when, the section 44
    questions, information requested from agencies (s45), and the decision with its reasons."""

    class Kind(models.TextChoices):
        SAR = "sar", "Safeguarding Adults Review"
        DHR = "dhr", "Domestic Homicide Review"
        OTHER = "other", "Other learning review"

    class ReferrerType(models.TextChoices):
        PARTNER = "partner", "Board partner agency"
        PROVIDER = "provider", "Care or support provider"
        OTHER_AGENCY = "other_agency", "Other agency"
        FAMILY = "family", "Family member or carer"
        ADULT = "adult", "The adult"
        CORONER = "coroner", "Coroner"
        ELECTED = "elected", "MP or councillor"
        OTHER = "other", "Other"

    class Harm(models.TextChoices):
        DIED = "died", "The adult has died"
        SERIOUS = "serious", "The adult is alive and has experienced serious abuse or neglect"
        NEITHER = "neither", "Neither"
        NOT_KNOWN = "not_known", "Not known yet"

    class Decision(models.TextChoices):
        PENDING = "pending", "Decision pending"
        MANDATORY = "mandatory", "Mandatory SAR (section 44(1) to (3))"
        DISCRETIONARY = "discretionary", "Discretionary SAR (section 44(4))"
        OTHER_REVIEW = "other_review", "Other learning review"
        NO_FURTHER_ACTION = "no_further_action", "No SAR: no further action"
        OTHER_PROCESS = "other_process", "No SAR: referred to another process"

    class OtherProcess(models.TextChoices):
        DHR = "dhr", "Domestic Homicide Review"
        SERIOUS_INCIDENT = "serious_incident", "Serious incident (single agency)"
        LEDER = "leder", "LeDeR review"
        SINGLE_AGENCY = "single_agency", "Single agency review"
        OTHER = "other", "Other"

    class Pointer(models.TextChoices):
        """Where the section 44 answers point (the decision may differ, with a rationale)."""

        MANDATORY = "mandatory", "The criteria for a mandatory SAR are met (section 44(1) to (3))"
        DISCRETIONARY = (
            "discretionary",
            (
                "The mandatory criteria are not met; the board may arrange a discretionary SAR "
                "(section 44(4))"
            ),
        )
        NOT_MET = (
            "not_met",
            ("The criteria for a SAR are not met: the adult has no needs for care and support"),
        )
        INCOMPLETE = "incomplete", "Answer the section 44 questions to see where they point"

    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="referrals")
    reference = models.CharField(
        max_length=30, blank=True, help_text="Left blank, one is given, such as SAR-2017-03."
    )
    kind = models.CharField("kind of review", max_length=10, choices=Kind, default=Kind.SAR)
    subject_label = models.CharField(
        "subject",
        max_length=80,
        help_text='A pseudonym such as "Adult A", never the person\'s name unless the family '
        "agreed to it.",
    )
    subject_label_warning = models.CharField(max_length=300, blank=True, editable=False)
    subject_label_confirmed_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    subject_label_confirmed_at = models.DateTimeField(null=True, blank=True, editable=False)
    referring_organisation = models.CharField(
        "referred by", max_length=200, help_text="The organisation (or person) who referred."
    )
    referrer_type = models.CharField("type of referrer", max_length=20, choices=ReferrerType)
    referral_date = models.DateField("date of referral")
    first_considered_on = models.DateField(
        "date first considered",
        null=True,
        blank=True,
        help_text="When the review subgroup (or panel) first heard the case.",
    )
    # The section 44 questions.
    care_and_support_needs = models.CharField(
        "does the adult have needs for care and support?",
        max_length=10,
        choices=Answer,
        default=Answer.NOT_KNOWN,
    )
    agencies_concern = models.CharField(
        "is there reasonable cause for concern about how the board, its members or others "
        "worked together to safeguard the adult?",
        max_length=10,
        choices=Answer,
        default=Answer.NOT_KNOWN,
    )
    harm = models.CharField(
        "has the adult died, or experienced serious abuse or neglect?",
        max_length=10,
        choices=Harm,
        default=Harm.NOT_KNOWN,
    )
    abuse_known_or_suspected = models.CharField(
        "does the board know or suspect that abuse or neglect caused the death or the serious "
        "harm?",
        max_length=10,
        choices=Answer,
        default=Answer.NOT_KNOWN,
    )
    panel_recommendation = MarkdownField(
        "recommendation of the review subgroup",
        help_text="What the subgroup or panel recommended to the decision maker, if it did.",
    )
    decision = models.CharField(max_length=20, choices=Decision, default=Decision.PENDING)
    other_process = models.CharField(
        "other process", max_length=20, choices=OtherProcess, blank=True
    )
    decided_by = models.CharField(
        "decision maker", max_length=200, blank=True, help_text="For example: Independent Chair."
    )
    decided_on = models.DateField("date of decision", null=True, blank=True)
    rationale = MarkdownField(
        "rationale for the decision",
        help_text="Why this decision: needed for every decision (SCIE quality marker 2).",
    )
    outcome = MarkdownField("outcome", help_text="What happened next, as the annual report says.")

    objects = ReferralQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["board", "-referral_date", "-id"]
        constraints = [
            UniqueWithin(
                fields=["board", "reference"],
                condition=~Q(reference=""),
                name="referral_unique_reference",
                violation_error_message="Reference %(reference)s is already used in this board.",
            ),
            models.CheckConstraint(
                condition=Q(first_considered_on__isnull=True)
                | Q(first_considered_on__gte=models.F("referral_date")),
                name="referral_considered_after_referral",
            ),
            models.CheckConstraint(
                condition=Q(decided_on__isnull=True) | Q(decided_on__gte=models.F("referral_date")),
                name="referral_decided_after_referral",
            ),
            models.CheckConstraint(
                condition=Q(decided_on__isnull=True)
                | Q(first_considered_on__isnull=True)
                | Q(decided_on__gte=models.F("first_considered_on")),
                name="referral_decided_after_considered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference or 'Referral'}: {self.subject_label}"

    def get_absolute_url(self) -> str:
        return reverse("reviews:referral-detail", kwargs={"pk": self.pk})

    @property
    def is_decided(self) -> bool:
        return self.decision != self.Decision.PENDING

    @property
    def leads_to_review(self) -> bool:
        return self.decision in {
            self.Decision.MANDATORY,
            self.Decision.DISCRETIONARY,
            self.Decision.OTHER_REVIEW,
        }

    @property
    def days_to_decision(self) -> int | None:
        if self.decided_on is None:
            return None
        return (self.decided_on - self.referral_date).days

    def days_waiting(self, today: datetime.date | None = None) -> int:
        return ((today or timezone.localdate()) - self.referral_date).days

    def pointer(self) -> Referral.Pointer:
        return s44_pointer(
            self.care_and_support_needs,
            self.agencies_concern,
            self.harm,
            self.abuse_known_or_suspected,
        )

    def clean(self) -> None:
        errors: dict[str, str] = {}
        considered, referred = self.first_considered_on, self.referral_date
        if referred and considered and considered < referred:
            errors["first_considered_on"] = (
                f"The date first considered ({considered:%-d %B %Y}) must be "
                f"on or after the date of referral ({referred:%-d %B %Y})."
            )
        if self.is_decided:
            if not self.decided_on:
                errors["decided_on"] = "Enter the date of the decision."
            elif self.referral_date and self.decided_on < self.referral_date:
                errors["decided_on"] = (
                    f"The date of decision ({self.decided_on:%-d %B %Y}) must be on or after "
                    f"the date of referral ({self.referral_date:%-d %B %Y})."
                )
            elif self.first_considered_on and self.decided_on < self.first_considered_on:
                errors["decided_on"] = (
                    f"The date of decision ({self.decided_on:%-d %B %Y}) must be on or after "
                    f"the date first considered ({self.first_considered_on:%-d %B %Y})."
                )
            if not self.decided_by.strip():
                errors["decided_by"] = "Enter who made the decision."
            if not self.rationale.strip():
                pointer = self.pointer()
                if _decision_differs(self.decision, pointer):
                    errors["rationale"] = (
                        f"The section 44 answers point elsewhere ({pointer.label.lower()}): "
                        "give the rationale for this decision."
                    )
                else:
                    errors["rationale"] = "Enter the rationale for the decision."
            if self.decision == self.Decision.OTHER_PROCESS and not self.other_process:
                errors["other_process"] = "Select the process the case was referred to."
        elif self.decided_on:
            errors["decided_on"] = "A pending referral has no decision date: select the decision."
        if errors:
            raise ValidationError(errors)


def s44_pointer(care_needs: str, concern: str, harm: str, abuse: str) -> Referral.Pointer:
    """Where the section 44 answers point, in the statute's terms.

    Mandatory (s44(1) to (3)): care and support needs, reasonable cause for concern about how
    agencies worked together, and the adult died (abuse or neglect known or suspected to have
    caused it) or is alive and known or suspected to have suffered serious abuse or neglect.
    Discretionary (s44(4)): any other case of an adult with care and support needs.
    """
    Pointer = Referral.Pointer
    if care_needs == Answer.NO:
        return Pointer.NOT_MET
    if care_needs == Answer.NOT_KNOWN:
        return Pointer.INCOMPLETE
    if concern == Answer.NO or harm == Referral.Harm.NEITHER or abuse == Answer.NO:
        return Pointer.DISCRETIONARY
    if Answer.NOT_KNOWN in (concern, abuse) or harm == Referral.Harm.NOT_KNOWN:
        return Pointer.INCOMPLETE
    return Pointer.MANDATORY


def _decision_differs(decision: str, pointer: Referral.Pointer) -> bool:
    Decision, Pointer = Referral.Decision, Referral.Pointer
    if pointer == Pointer.INCOMPLETE:
        return False
    expected = {
        Pointer.MANDATORY: {Decision.MANDATORY},
        Pointer.DISCRETIONARY: {
            Decision.DISCRETIONARY,
            Decision.NO_FURTHER_ACTION,
            Decision.OTHER_PROCESS,
        },
        Pointer.NOT_MET: {Decision.NO_FURTHER_ACTION, Decision.OTHER_PROCESS},
    }[pointer]
    return decision not in expected


class InformationRequestQuerySet(RestrictedQuerySet):
    board_path = "referral__board"


class InformationRequest(models.Model):
    """Information asked of an agency about a referral (Care Act s45), with when it is due
    and when it came back. The purpose is recorded: s45(6) limits its use to board functions."""

    referral = models.ForeignKey(
        Referral, on_delete=models.CASCADE, related_name="information_requests"
    )
    agency = models.CharField(max_length=200)
    purpose = models.CharField(
        max_length=300,
        default="To decide whether the case meets the criteria for a review (Care Act s44, s45)",
    )
    requested_on = models.DateField("date requested")
    due_on = models.DateField("date due")
    returned_on = models.DateField("date returned", null=True, blank=True)

    objects = InformationRequestQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["referral", "requested_on", "id"]

    def __str__(self) -> str:
        return f"{self.agency} ({self.requested_on:%-d %B %Y})"

    @property
    def board_id(self) -> int:
        return self.referral.board_id

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        return self.returned_on is None and self.due_on < (today or timezone.localdate())

    def clean(self) -> None:
        errors = {}
        if self.requested_on and self.due_on and self.due_on < self.requested_on:
            errors["due_on"] = "The date due must be on or after the date requested."
        if self.requested_on and self.returned_on and self.returned_on < self.requested_on:
            errors["returned_on"] = "The date returned must be on or after the date requested."
        if errors:
            raise ValidationError(errors)


# --- Review ----------------------------------------------------------------------------------


class ReviewQuerySet(RestrictedQuerySet):
    board_path = "referral__board"

    def concluded_between(self, start: datetime.date, end: datetime.date) -> ReviewQuerySet:
        return self.filter(concluded_on__gte=start, concluded_on__lte=end)

    def ongoing_at(self, day: datetime.date) -> ReviewQuerySet:
        """Commissioned on or before ``day`` and not concluded by the end of it."""
        return self.filter(commissioned_on__lte=day).filter(
            Q(concluded_on__isnull=True) | Q(concluded_on__gt=day)
        )


class Review(models.Model):
    """The review a referral led to: how it is done, by whom, over what period, who took part,
    and where it has got to. ``concluded_on`` is the day the board received the final report:
    the date the annual report counts a review as concluded by."""

    class Methodology(models.TextChoices):
        LEARNING_TOGETHER = "learning_together", "SCIE Learning Together (systems approach)"
        RAPID_TIME = "rapid_time", "SAR in Rapid Time"
        HYBRID = "hybrid", "Hybrid (documents and a learning event)"
        THEMATIC = "thematic", "Thematic review"
        LEARNING_EVENT = "learning_event", "Practitioner learning event"
        CHRONOLOGY = "chronology", "Chronologies and individual management reviews"
        DESKTOP = "desktop", "Desktop review"
        AUDIT = "audit", "Multi-agency audit"
        OTHER = "other", "Other"

    class Status(models.TextChoices):
        COMMISSIONED = "commissioned", "Commissioned"
        IN_PROGRESS = "in_progress", "In progress"
        DRAFT_REPORT = "draft_report", "Draft report"
        REPORT_TO_BOARD = "report_to_board", "Report to the board"
        PUBLISHED = "published", "Published"
        NOT_PUBLISHED = "not_published", "Not published"
        MONITORING = "monitoring", "Action plan monitoring"
        CLOSED = "closed", "Closed"

    # Statuses a review has once the board has its final report.
    CONCLUDED_STATUSES = frozenset(
        {Status.REPORT_TO_BOARD, Status.PUBLISHED, Status.NOT_PUBLISHED, Status.MONITORING,
         Status.CLOSED}
    )  # fmt: skip

    class Family(models.TextChoices):
        TOOK_PART = "took_part", "Invited, and took part"
        DECLINED = "declined", "Invited, and declined"
        NOT_INVITED = "not_invited", "Not invited"
        NO_FAMILY = "no_family", "No family could be found"

    class ParallelProcess(models.TextChoices):
        INQUEST = "inquest", "Inquest"
        POLICE = "police", "Police investigation"
        SERIOUS_INCIDENT = "serious_incident", "Serious incident investigation"
        DHR = "dhr", "Domestic Homicide Review"
        CQC = "cqc", "CQC regulatory action"
        LEDER = "leder", "LeDeR review"
        OTHER = "other", "Other"

    referral = models.OneToOneField(Referral, on_delete=models.PROTECT, related_name="review")
    methodology = models.CharField(max_length=30, choices=Methodology)
    reviewer = models.CharField(max_length=200, help_text="The lead reviewer or author.")
    reviewer_is_independent = models.BooleanField(
        "the reviewer is independent of the case and the agencies involved", default=True
    )
    independence_note = models.CharField(
        "independence", max_length=300, blank=True,
        help_text="How the reviewer is independent, or why they are not.",
    )  # fmt: skip
    commissioned_on = models.DateField("date commissioned")
    scope_start = models.DateField("scope period from")
    scope_end = models.DateField("scope period to")
    family_involvement = models.CharField(max_length=20, choices=Family)
    family_note = models.CharField(
        "about the family's involvement", max_length=500, blank=True,
        help_text="Needed when the family was not invited: say why.",
    )  # fmt: skip
    advocacy_offered = models.BooleanField(
        "independent advocacy was offered (Care Act s68)", default=False
    )
    parallel_processes = models.JSONField(
        "parallel processes", default=list, blank=True,
        help_text="Other processes running alongside, such as an inquest.",
    )  # fmt: skip
    status = models.CharField(max_length=20, choices=Status, default=Status.COMMISSIONED)
    concluded_on = models.DateField(
        "date concluded", null=True, blank=True,
        help_text="When the board received the final report.",
    )  # fmt: skip
    published_on = models.DateField("date published", null=True, blank=True)
    not_published_reason = MarkdownField("reason for not publishing")
    closed_on = models.DateField("date closed", null=True, blank=True)
    summary = MarkdownField(help_text="What the review is about and what it found, briefly.")
    link = models.URLField("link to the published report", blank=True)

    objects = ReviewQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-commissioned_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(scope_end__gte=models.F("scope_start")),
                name="review_scope_in_order",
            ),
            models.CheckConstraint(
                condition=Q(concluded_on__isnull=True)
                | Q(concluded_on__gte=models.F("commissioned_on")),
                name="review_concluded_after_commissioned",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.referral.reference or 'Review'}: {self.referral.subject_label}"

    def get_absolute_url(self) -> str:
        return reverse("reviews:review-detail", kwargs={"pk": self.pk})

    @property
    def board_id(self) -> int:
        return self.referral.board_id

    @property
    def is_concluded(self) -> bool:
        return self.concluded_on is not None

    def days_taken(self, today: datetime.date | None = None) -> int:
        """Days from commissioning to the final report (or to today, while it runs)."""
        return ((self.concluded_on or today or timezone.localdate()) - self.commissioned_on).days

    def parallel_process_labels(self) -> list[str]:
        labels = dict(self.ParallelProcess.choices)
        return [labels.get(value, value) for value in self.parallel_processes]

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.scope_start and self.scope_end and self.scope_end < self.scope_start:
            errors["scope_end"] = "The end of the scope period must be on or after its start."
        if self.commissioned_on and self.concluded_on and self.concluded_on < self.commissioned_on:
            errors["concluded_on"] = (
                f"The date concluded ({self.concluded_on:%-d %B %Y}) must be on or after the "
                f"date commissioned ({self.commissioned_on:%-d %B %Y})."
            )
        referral = getattr(self, "referral", None) if self.referral_id else None
        if referral and self.commissioned_on and self.commissioned_on < referral.referral_date:
            errors["commissioned_on"] = (
                f"The date commissioned ({self.commissioned_on:%-d %B %Y}) must be on or after "
                f"the date of referral ({referral.referral_date:%-d %B %Y})."
            )
        decided = referral.decided_on if referral else None
        if decided and self.commissioned_on and self.commissioned_on < decided:
            errors["commissioned_on"] = (
                f"The date commissioned ({self.commissioned_on:%-d %B %Y}) must be on or after "
                f"the date of decision ({decided:%-d %B %Y})."
            )
        if self.concluded_on and self.status not in self.CONCLUDED_STATUSES:
            errors["status"] = (
                "A review with a date concluded has its final report: select Report to the "
                "board or a later status, or clear the date concluded."
            )
        if self.family_involvement == self.Family.NOT_INVITED and not self.family_note.strip():
            errors["family_note"] = "Say why the family was not invited to take part."
        if self.status in self.CONCLUDED_STATUSES and not self.concluded_on:
            errors["concluded_on"] = "Enter the date the board received the final report."
        if self.status == self.Status.NOT_PUBLISHED and not self.not_published_reason.strip():
            errors["not_published_reason"] = "Give the reason the report is not published."
        if self.status == self.Status.PUBLISHED and not self.published_on:
            errors["published_on"] = "Enter the date the report was published."
        unknown = set(self.parallel_processes or []) - set(self.ParallelProcess.values)
        if unknown:
            errors["parallel_processes"] = "Select parallel processes from the list."
        if errors:
            raise ValidationError(errors)


class ReviewPartQuerySet(RestrictedQuerySet):
    board_path = "review__referral__board"


class ReviewPart:
    """A record inside a review (a finding, a recommendation): its board is the review's."""

    @property
    def board_id(self) -> int:
        return self.review.board_id


class Finding(ReviewPart, models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="findings")
    number = models.PositiveSmallIntegerField()
    text = MarkdownField("finding", blank=False)
    theme = models.CharField(
        max_length=100, blank=True, help_text="For example: mental capacity, self-neglect."
    )

    objects = ReviewPartQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["review", "number", "id"]
        constraints = [
            UniqueWithin(
                fields=["review", "number"],
                name="finding_unique_number",
                violation_error_message="Finding %(number)s is already in this review.",
            )
        ]

    def __str__(self) -> str:
        return f"Finding {self.number}"


class Recommendation(ReviewPart, models.Model):
    class Scope(models.TextChoices):
        SINGLE_AGENCY = "single_agency", "Single agency"
        MULTI_AGENCY = "multi_agency", "Multi-agency"
        BOARD = "board", "The board"

    class Response(models.TextChoices):
        PENDING = "pending", "Not decided yet"
        ACCEPTED = "accepted", "Accepted"
        NOT_ACCEPTED = "not_accepted", "Not accepted"

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="recommendations")
    finding = models.ForeignKey(
        Finding,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="recommendations",
        help_text="The finding it answers, if one.",
    )
    number = models.PositiveSmallIntegerField()
    text = MarkdownField("recommendation", blank=False)
    scope = models.CharField(max_length=20, choices=Scope)
    agency = models.CharField(
        max_length=200, blank=True, help_text="For a single-agency recommendation."
    )
    response = models.CharField(
        "accepted?", max_length=20, choices=Response, default=Response.PENDING
    )
    reason_not_accepted = MarkdownField(
        "reasons for not accepting it",
        help_text="The annual report must give them (Care Act Schedule 2, paragraph 4(1)(g)).",
    )
    decided_on = models.DateField("date decided", null=True, blank=True)

    objects = ReviewPartQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["review", "number", "id"]
        constraints = [
            UniqueWithin(
                fields=["review", "number"],
                name="recommendation_unique_number",
                violation_error_message="Recommendation %(number)s is already in this review.",
            )
        ]

    def __str__(self) -> str:
        return f"Recommendation {self.number}"

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.response == self.Response.NOT_ACCEPTED and not self.reason_not_accepted.strip():
            errors["reason_not_accepted"] = (
                "Give the reasons for not accepting the recommendation: the annual report "
                "must include them."
            )
        if self.response != self.Response.PENDING and not self.decided_on:
            errors["decided_on"] = "Enter the date the board decided."
        if self.scope == self.Scope.SINGLE_AGENCY and not self.agency.strip():
            errors["agency"] = "Enter the agency a single-agency recommendation is for."
        if self.finding_id and self.review_id and self.finding.review_id != self.review_id:
            errors["finding"] = "Select a finding of this review."
        if errors:
            raise ValidationError(errors)


class RecommendationActionQuerySet(RestrictedQuerySet):
    board_path = "recommendation__review__referral__board"

    def open(self) -> RecommendationActionQuerySet:
        return self.exclude(status=RecommendationAction.Status.COMPLETE)


class RecommendationAction(models.Model):
    """What an agency does to carry out a recommendation, and the difference it made
    (SCIE quality marker 15). May point at the business-plan action it feeds."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        IN_PROGRESS = "in_progress", "In progress"
        COMPLETE = "complete", "Complete"

    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, related_name="actions"
    )
    description = MarkdownField("action", blank=False)
    owner_organisation = models.CharField("owner organisation", max_length=200)
    owner = models.CharField("owner", max_length=200, blank=True, help_text="The person.")
    due = models.DateField("due by")
    status = models.CharField(max_length=20, choices=Status, default=Status.NOT_STARTED)
    completed_on = models.DateField("date completed", null=True, blank=True)
    evidence_of_impact = MarkdownField(
        "evidence of impact", help_text="What changed in practice as a result."
    )
    plan_action = models.ForeignKey(
        "priorities.Action",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="business plan action",
        help_text="The action in the board's business plan this feeds, if one.",
    )

    objects = RecommendationActionQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["recommendation", "due", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="complete") | Q(completed_on__isnull=False),
                name="recommendationaction_complete_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.owner_organisation}: due {self.due:%-d %B %Y}"

    @property
    def board_id(self) -> int:
        return self.recommendation.board_id

    @property
    def review(self) -> Review:
        return self.recommendation.review

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        return self.status != self.Status.COMPLETE and self.due < (today or timezone.localdate())

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.status == self.Status.COMPLETE and not self.completed_on:
            errors["completed_on"] = "Enter the date the action was completed."
        if self.status != self.Status.COMPLETE and self.completed_on:
            errors["status"] = "An action with a completion date is complete: select Complete."
        linked = self.plan_action_id and self.recommendation_id
        if linked and self.plan_action.board_id != self.recommendation.board_id:
            errors["plan_action"] = "Select an action from this board's business plans."
        if errors:
            raise ValidationError(errors)
