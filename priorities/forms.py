from django import forms

from priorities.models import (
    Action,
    BusinessPlan,
    ConsultationRecord,
    Measure,
    MeasureValue,
    Milestone,
    Objective,
    PlanStatus,
    Principle,
    Priority,
    ProgressUpdate,
    Rag,
    ReportingPeriod,
    StrategicPlan,
    StrategicPriority,
)
from sab.fields import UKDateField
from sab.forms import ChildModelForm
from sab.models import Board
from subgroups.models import Group


class VersionedFormMixin:
    """Carries the version the editor loaded, for optimistic locking (services.save_versioned)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["seen_version"] = forms.IntegerField(
            widget=forms.HiddenInput, initial=self.instance.version
        )


class BusinessPlanForm(ChildModelForm):
    parent_fields = ("board",)
    effective_from = UKDateField(required=False)

    class Meta:
        model = BusinessPlan
        fields = ["title", "period", "strategic_plan", "effective_from", "introduction"]
        widgets = {"introduction": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, board: Board, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.board = board
        self.fields["strategic_plan"].queryset = StrategicPlan.objects.for_board(board)
        self.fields["strategic_plan"].empty_label = "Not linked to a strategic plan"


def _board_groups(board: Board):
    return Group.objects.for_board(board).filter(active=True).order_by("name")


class PriorityForm(VersionedFormMixin, ChildModelForm):
    parent_fields = ("plan",)

    class Meta:
        model = Priority
        fields = [
            "ref", "title", "statement", "rationale", "outcome", "partnership_lead",
            "board_officer", "delivery_group", "strategic_priority", "joint_with",
        ]  # fmt: skip
        widgets = {
            "statement": forms.Textarea(attrs={"rows": 3}),
            "rationale": forms.Textarea(attrs={"rows": 4}),
            "outcome": forms.Textarea(attrs={"rows": 3}),
            "joint_with": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, plan: BusinessPlan, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.plan = plan
        self.fields["delivery_group"].queryset = _board_groups(plan.board)
        self.fields["delivery_group"].empty_label = "No delivery group yet"
        self.fields["strategic_priority"].queryset = StrategicPriority.objects.filter(
            plan__board=plan.board
        )
        self.fields["joint_with"].queryset = Board.objects.exclude(pk=plan.board_id)
        if not self.instance.pk:
            del self.fields["seen_version"]


class ObjectiveForm(forms.ModelForm):
    class Meta:
        model = Objective
        fields = ["text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}
        labels = {"text": "Objective"}


class ActionForm(VersionedFormMixin, ChildModelForm):
    parent_fields = ("priority",)
    due_date = UKDateField(required=False)

    class Meta:
        model = Action
        fields = [
            "ref", "description", "objective", "outcome_measure", "lead_group", "lead_text",
            "lead_person", "due_date", "timescale", "status",
        ]  # fmt: skip
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "outcome_measure": forms.Textarea(attrs={"rows": 3}),
            "status": forms.RadioSelect,
        }

    def __init__(self, *args, priority: Priority, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.priority = priority
        board = priority.plan.board
        self.fields["objective"].queryset = priority.objectives.all()
        self.fields["objective"].empty_label = "No objective"
        self.fields["lead_group"].queryset = _board_groups(board)
        self.fields["lead_group"].empty_label = "Not one of the board's groups"
        self.fields["lead_person"].queryset = board.people.order_by("name")
        self.fields["lead_person"].empty_label = "No named person"
        if not self.instance.pk:
            del self.fields["seen_version"]


RAG_HINT = (
    "Red: off track. Amber: some slippage, with mitigation. Green: on track. "
    "Complete: delivered. Your board's own wording is on the board page."
)


class ProgressUpdateForm(forms.ModelForm):
    evidence_link = forms.URLField(
        label="Link to evidence",
        required=False,
        assume_scheme="https",
        help_text="A link to a report, minutes or other evidence.",
    )

    class Meta:
        model = ProgressUpdate
        fields = ["text", "status", "rag", "evidence_link"]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 5}),
            "status": forms.RadioSelect,
            "rag": forms.RadioSelect,
        }
        labels = {
            "text": "What has happened this quarter?",
            "status": "Status of the action",
            "rag": "RAG rating",
        }
        error_messages = {
            "text": {"required": "Enter what has happened this quarter"},
            "status": {"required": "Select the status of the action"},
        }

    def __init__(self, *args, action: Action | None = None, **kwargs):
        """For ``action``: its status and latest rating (ActionQuerySet.with_latest_update)
        are chosen to start with, so an update changes only what has changed."""
        if action is not None:
            kwargs.setdefault("initial", {}).update(
                status=action.status, rag=getattr(action, "latest_rag", None) or ""
            )
        super().__init__(*args, **kwargs)
        self.action = action
        self.fields["rag"].required = True
        self.fields["rag"].error_messages["required"] = "Select a RAG rating"
        self.fields["rag"].choices = Rag.choices
        self.fields["rag"].help_text = RAG_HINT
        self.fields["status"].choices = Action.Status.choices


class ReturnRowForm(ProgressUpdateForm):
    """One action's row in a group's quarterly return. A row left as it was (no text, the
    same status and rating) is skipped; a changed row needs its text and rating. Messages
    name the action, since the page holds many."""

    def __init__(self, *args, action: Action, **kwargs):
        super().__init__(*args, action=action, prefix=f"action-{action.pk}", **kwargs)
        ref = action.ref
        self.fields["text"].required = False
        self.fields["text"].label = f"What has happened this quarter on action {ref}?"
        self.fields["status"].label = f"Status of action {ref}"
        self.fields["rag"].required = False
        self.fields["rag"].label = f"RAG rating for action {ref}"
        self.fields["rag"].help_text = ""
        self.fields["evidence_link"].label = f"Link to evidence for action {ref}"
        self.fields["evidence_link"].help_text = ""
        self.has_update = False

    def clean(self):
        cleaned = super().clean()
        ref = self.action.ref
        self.has_update = bool(
            cleaned.get("text", "").strip()
            or cleaned.get("evidence_link")
            or cleaned.get("status", self.action.status) != self.action.status
            or cleaned.get("rag", "") != (self.initial.get("rag") or "")
        )
        if self.has_update:
            if not cleaned.get("text", "").strip():
                self.add_error("text", f"Enter what has happened this quarter on action {ref}")
            if not cleaned.get("rag"):
                self.add_error("rag", f"Select a RAG rating for action {ref}")
        return cleaned


class MilestoneForm(forms.ModelForm):
    due = UKDateField(required=False)
    completed_on = UKDateField(required=False)

    class Meta:
        model = Milestone
        fields = ["description", "due", "completed_on"]


class MeasureForm(forms.ModelForm):
    class Meta:
        model = Measure
        fields = ["name", "unit", "direction", "target", "source"]
        widgets = {"direction": forms.RadioSelect}


class MeasureValueForm(ChildModelForm):
    parent_fields = ("measure",)

    class Meta:
        model = MeasureValue
        fields = ["period", "value", "note"]

    def __init__(self, *args, measure: Measure, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.measure = measure
        self.fields["period"].queryset = ReportingPeriod.objects.for_board(
            measure.priority.plan.board
        )
        self.fields["period"].empty_label = "Choose a reporting period"


class ReportingPeriodForm(ChildModelForm):
    parent_fields = ("board",)
    start = UKDateField()
    end = UKDateField()
    update_deadline = UKDateField(required=False)
    exec_meeting_date = UKDateField(required=False, label="Executive meeting date")

    class Meta:
        model = ReportingPeriod
        fields = ["label", "start", "end", "update_deadline", "exec_meeting_date"]

    def __init__(self, *args, board: Board, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.board = board


class YearOfQuartersForm(forms.Form):
    """Set up the four quarters of a reporting year in one step (services.set_up_year)."""

    year = forms.TypedChoiceField(coerce=int, widget=forms.RadioSelect, label="Reporting year")
    updates_due_days_before_end = forms.IntegerField(
        label="Updates are due this many days before each quarter ends",
        min_value=0,
        max_value=60,
        initial=14,
        required=False,
        help_text="Leave blank to set each deadline later. You can change any date afterwards.",
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-3"}),
    )

    def __init__(self, *args, board: Board, **kwargs):
        super().__init__(*args, **kwargs)
        this_year = board.current_financial_year()
        self.fields["year"].choices = [
            (year, board.financial_year_label(year)) for year in (this_year, this_year + 1)
        ]
        self.fields["year"].initial = this_year


class RollForwardForm(forms.Form):
    """Where a plan's unfinished actions go: a new draft plan, or a draft already started."""

    into = forms.ModelChoiceField(
        queryset=BusinessPlan.objects.none(),
        required=False,
        label="Carry them into",
        empty_label="A new draft plan",
        help_text="A draft the board has already started, or a new one with the details below.",
    )
    title = forms.CharField(
        label="Title of the new plan",
        max_length=200,
        required=False,
        help_text="For example, Business Plan 2027/28.",
    )
    period = forms.CharField(max_length=20, required=False, help_text="For example, 2027/28.")
    effective_from = UKDateField(required=False)

    def __init__(self, *args, plan: BusinessPlan, **kwargs):
        super().__init__(*args, **kwargs)
        drafts = BusinessPlan.objects.for_board(plan.board).drafts().exclude(pk=plan.pk)
        if drafts.exists():
            self.fields["into"].queryset = drafts
        else:
            del self.fields["into"]

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("into") and not cleaned.get("title"):
            self.add_error("title", "Enter the title of the new plan")
        return cleaned


class StrategicPlanForm(forms.ModelForm):
    approved_on = UKDateField(required=False)

    class Meta:
        model = StrategicPlan
        fields = [
            "title",
            "first_year",
            "last_year",
            "vision",
            "principles",
            "status",
            "approved_on",
        ]
        widgets = {"status": forms.RadioSelect, "vision": forms.Textarea(attrs={"rows": 4}),
                   "principles": forms.Textarea(attrs={"rows": 4})}  # fmt: skip

    def __init__(self, *args, board: Board, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.board = board
        if self.instance.status != PlanStatus.PUBLISHED:
            # "Published" is what publishing it (its page's "Print and publish") makes it,
            # with the document on the public site; never a word chosen here.
            status = self.fields["status"]
            status.choices = [c for c in status.choices if c[0] != PlanStatus.PUBLISHED]
            status.help_text = "It becomes Published when you publish it from its page."

    def clean(self):
        cleaned = super().clean()
        first, last = cleaned.get("first_year"), cleaned.get("last_year")
        if first and last and last < first:
            self.add_error(
                "last_year", "The last year must be the same as or after the first year."
            )
        return cleaned


class StrategicPriorityForm(ChildModelForm):
    parent_fields = ("plan",)
    principles = forms.MultipleChoiceField(
        choices=Principle.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="The safeguarding principles this priority serves.",
    )

    class Meta:
        model = StrategicPriority
        fields = ["number", "title", "description", "principles"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, plan: StrategicPlan, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.plan = plan


class ConsultationForm(forms.ModelForm):
    consulted_on = UKDateField(label="Date consulted")

    class Meta:
        model = ConsultationRecord
        fields = ["consultee", "who", "consulted_on", "summary", "what_changed"]
        widgets = {"consultee": forms.RadioSelect, "summary": forms.Textarea(attrs={"rows": 4}),
                   "what_changed": forms.Textarea(attrs={"rows": 4})}  # fmt: skip

    def __init__(self, *args, plan: StrategicPlan, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.plan = plan


class ReopenPlanForm(forms.Form):
    reason = forms.CharField(
        label="Why is the plan being reopened?",
        help_text="For example, the board asked for a priority to be rewritten. The plan's "
        "history keeps this.",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=500,
        error_messages={"required": "Enter why the plan is being reopened"},
    )
