"""Forms for review records. Each record is saved by its service (reviews/services.py), which
validates it whole and records who changed it; these forms only collect and check the
fields. Dates are typed in UK order (sab.fields.UKDateField)."""

from __future__ import annotations

from django import forms
from django.db import models

from priorities.models import Action
from reviews.models import (
    Answer,
    Finding,
    InformationRequest,
    Recommendation,
    RecommendationAction,
    Referral,
    Review,
    s44_pointer,
)
from sab.fields import DATE_HINT, UKDateField
from sab.forms import ChildModelForm

S44_FIELDS = ("care_and_support_needs", "agencies_concern", "harm", "abuse_known_or_suspected")
LABEL_WARNING_CODE = "looks_like_a_name"  # reviews.services.check_subject_label's code


def _formfield(model_field: models.Field, **kwargs) -> forms.Field | None:
    """Dates as one text box in UK order, with the example after the model's own hint."""
    if isinstance(model_field, models.DateField):
        hint = kwargs.pop("help_text", model_field.help_text)
        kwargs["help_text"] = " ".join(filter(None, [str(hint), DATE_HINT]))
        return model_field.formfield(form_class=UKDateField, **kwargs)
    if isinstance(model_field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return model_field.formfield(**kwargs)


def _radios(form: forms.Form, name: str, choices) -> None:
    """A choice field as GOV.UK radios, offering only ``choices`` (no "---------")."""
    field = form.fields[name]
    field.widget = forms.RadioSelect()
    field.choices = list(choices)


def _choose(form: forms.Form, name: str, prompt: str) -> None:
    """A select whose empty option reads as words ("Choose ...")."""
    field = form.fields[name]
    field.choices = [("", prompt), *[choice for choice in field.choices if choice[0] != ""]]


# --- Referrals -------------------------------------------------------------------------------


class ReferralForm(ChildModelForm):
    """A referral: who referred it and when, and the section 44 questions. A subject label
    that looks like a name is refused by the service until the user ticks ``confirm_label``
    (shown only then)."""

    parent_fields = ("board",)
    confirm_label = forms.BooleanField(
        label="Yes, the family agreed to this name",
        required=False,
        help_text="The record keeps who confirmed it, and when.",
    )

    class Meta:
        model = Referral
        fields = [
            "kind", "subject_label", "referring_organisation", "referrer_type",
            "referral_date", "first_considered_on", *S44_FIELDS, "panel_recommendation",
        ]  # fmt: skip
        formfield_callback = _formfield
        widgets = {"panel_recommendation": forms.Textarea(attrs={"rows": 4})}
        error_messages = {
            "subject_label": {"required": 'Enter the subject, such as "Adult A"'},
            "referring_organisation": {"required": "Enter who referred the case"},
            "referrer_type": {"required": "Select the type of referrer"},
            "referral_date": {"required": "Enter the date of referral"},
        }

    def __init__(self, *args, board, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.board = board
        _radios(self, "kind", Referral.Kind.choices)
        _choose(self, "referrer_type", "Choose the type of referrer")
        for name in S44_FIELDS:
            _radios(self, name, self.fields[name].choices)
        self.fields["subject_label"].widget.attrs["class"] = "govuk-input--width-20"

    def fields_before_questions(self) -> list[forms.BoundField]:
        return [self[name] for name in self.Meta.fields[:6]]

    def questions(self) -> list[forms.BoundField]:
        return [self[name] for name in S44_FIELDS]

    def asks_to_confirm_label(self) -> bool:
        """The service warned that the subject label looks like a name (or the user is
        confirming it): show the confirmation box."""
        warned = any(
            error.code == LABEL_WARNING_CODE
            for error in self.errors.as_data().get("subject_label", [])
        )
        return warned or bool(self["confirm_label"].value())

    def pointer(self) -> Referral.Pointer:
        """Where the answers as typed point (the page shows it after the questions)."""
        return s44_pointer(*(self[name].value() or Answer.NOT_KNOWN for name in S44_FIELDS))


def pointer_from(query) -> Referral.Pointer:
    """Where answers sent in a query string point (the form's live pointer, with htmx)."""
    return s44_pointer(*(query.get(name) or Answer.NOT_KNOWN for name in S44_FIELDS))


class DecisionForm(forms.ModelForm):
    """The decision on a referral, who made it, when and why. Referral.clean refuses a date
    before the referral and a decision without a rationale."""

    class Meta:
        model = Referral
        fields = ["decision", "other_process", "decided_by", "decided_on", "rationale", "outcome"]
        formfield_callback = _formfield
        widgets = {
            "rationale": forms.Textarea(attrs={"rows": 6}),
            "outcome": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {"other_process": "Only when the case was referred to another process."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _radios(self, "decision", Referral.Decision.choices)
        _choose(self, "other_process", "Not referred to another process")


class InformationRequestForm(ChildModelForm):
    parent_fields = ("referral",)

    class Meta:
        model = InformationRequest
        fields = ["agency", "purpose", "requested_on", "due_on", "returned_on"]
        formfield_callback = _formfield
        help_texts = {
            "purpose": "Information given to the board may be used only for its functions "
            "(Care Act s45(6)).",
        }

    def __init__(self, *args, referral: Referral, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.referral = referral


# --- Reviews ---------------------------------------------------------------------------------

COMMISSION_FIELDS = [
    "methodology", "reviewer", "reviewer_is_independent", "independence_note",
    "commissioned_on", "scope_start", "scope_end", "family_involvement", "family_note",
    "advocacy_offered", "parallel_processes", "summary",
]  # fmt: skip
PROGRESS_FIELDS = [
    "status", "concluded_on", "published_on", "not_published_reason", "link", "closed_on",
]  # fmt: skip


class ReviewForm(ChildModelForm):
    """Commissioning a review (``commission=True``: how it is done, by whom, over what
    period, who takes part), or changing it later, with its status and dates."""

    parent_fields = ("referral",)
    parallel_processes = forms.MultipleChoiceField(
        label="Parallel processes",
        choices=Review.ParallelProcess.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Other processes running alongside, such as an inquest. Select all that apply.",
    )

    class Meta:
        model = Review
        fields = [*COMMISSION_FIELDS, *PROGRESS_FIELDS]
        formfield_callback = _formfield
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 4}),
            "not_published_reason": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {"family_involvement": "Family involvement"}
        error_messages = {
            "methodology": {"required": "Select the methodology"},
            "reviewer": {"required": "Enter the lead reviewer"},
            "family_involvement": {"required": "Select how the family is involved"},
        }

    def __init__(self, *args, referral: Referral, commission: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.referral = referral
        _radios(self, "methodology", Review.Methodology.choices)
        _radios(self, "family_involvement", Review.Family.choices)
        if commission:
            for name in PROGRESS_FIELDS:
                del self.fields[name]
        else:
            _radios(self, "status", Review.Status.choices)
            self.fields[
                "closed_on"
            ].help_text = f"Left blank when the review closes, today's date is used. {DATE_HINT}"


class FindingForm(ChildModelForm):
    parent_fields = ("review",)

    class Meta:
        model = Finding
        fields = ["number", "text", "theme"]
        widgets = {
            "number": forms.NumberInput(attrs={"class": "govuk-input--width-3"}),
            "text": forms.Textarea(attrs={"rows": 5}),
        }
        error_messages = {"text": {"required": "Enter the finding"}}

    def __init__(self, *args, review: Review, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.review = review
        self.fields["number"].required = False
        self.fields["number"].help_text = "Left blank, the next number is given."


class RecommendationForm(ChildModelForm):
    parent_fields = ("review",)

    class Meta:
        model = Recommendation
        fields = [
            "number", "text", "finding", "scope", "agency", "response",
            "reason_not_accepted", "decided_on",
        ]  # fmt: skip
        formfield_callback = _formfield
        widgets = {
            "number": forms.NumberInput(attrs={"class": "govuk-input--width-3"}),
            "text": forms.Textarea(attrs={"rows": 5}),
            "reason_not_accepted": forms.Textarea(attrs={"rows": 4}),
        }
        error_messages = {
            "text": {"required": "Enter the recommendation"},
            "scope": {"required": "Select who the recommendation is for"},
        }

    def __init__(self, *args, review: Review, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.review = review
        self.fields["number"].required = False
        self.fields["number"].help_text = "Left blank, the next number is given."
        self.fields["finding"].queryset = Finding.objects.filter(review=review)
        self.fields["finding"].empty_label = "Not linked to a finding"
        self.fields["finding"].label_from_instance = lambda finding: (
            f"Finding {finding.number}: {_short(finding.text)}"
        )
        _radios(self, "scope", Recommendation.Scope.choices)
        _radios(self, "response", Recommendation.Response.choices)


def _short(text: str, words: int = 12) -> str:
    cut = text.split()
    return " ".join(cut[:words]) + ("…" if len(cut) > words else "")


class PlanActionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, action: Action) -> str:
        return (
            f"{action.ref} \N{EN DASH} {_short(action.description)} ({action.priority.plan.title})"
        )


class RecommendationActionForm(ChildModelForm):
    """An action answering a recommendation, optionally feeding one of the board's
    business-plan actions (one query for the list, whatever its length)."""

    parent_fields = ("recommendation",)

    class Meta:
        model = RecommendationAction
        fields = [
            "description", "owner_organisation", "owner", "due", "status", "completed_on",
            "evidence_of_impact", "plan_action",
        ]  # fmt: skip
        formfield_callback = _formfield
        field_classes = {"plan_action": PlanActionChoiceField}
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "evidence_of_impact": forms.Textarea(attrs={"rows": 4}),
        }
        error_messages = {
            "description": {"required": "Enter the action"},
            "owner_organisation": {"required": "Enter the organisation that owns the action"},
            "due": {"required": "Enter the date the action is due by"},
        }

    def __init__(self, *args, recommendation: Recommendation, board, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.recommendation = recommendation
        _radios(self, "status", RecommendationAction.Status.choices)
        field = self.fields["plan_action"]
        field.queryset = (
            Action.objects.filter(priority__plan__board=board)
            .select_related("priority__plan")
            .order_by("-priority__plan_id", *Action._meta.ordering)
        )
        field.empty_label = "Not linked to the business plan"
