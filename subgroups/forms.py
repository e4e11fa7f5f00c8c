from django import forms

from sab.fields import UKDateField, YesNoUnknownField
from sab.forms import ChildModelForm
from sab.models import Board, Organisation, Person
from subgroups.models import Group, GroupMembership, Meeting


class GroupForm(forms.ModelForm):
    established = UKDateField(required=False)
    ends = UKDateField(required=False, label="End date", help_text="Task and finish groups "
                       "must have one. For example, 31/3/2025")  # fmt: skip

    class Meta:
        model = Group
        fields = ["name", "kind", "boards", "reports_to", "remit", "established", "ends", "active"]
        widgets = {
            "kind": forms.RadioSelect,
            "boards": forms.CheckboxSelectMultiple,
            "remit": forms.Textarea(attrs={"rows": 8}),
        }
        labels = {"boards": "Boards this group serves", "active": "The group is active"}

    def __init__(self, *args, user, board: Board, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.board = board
        # Any board may be chosen, so a group can be shared with a neighbouring board;
        # at least one must be a board the user manages (checked in clean_boards).
        self.fields["boards"].queryset = Board.objects.all()
        self.fields["boards"].help_text = (
            "Choose more than one board for a joint group. It will appear on each board's "
            "structure page."
        )
        groups = Group.objects.for_board(board).order_by("name")
        if self.instance.pk:
            groups = groups.exclude(pk=self.instance.pk)
        self.fields["reports_to"].queryset = groups
        self.fields["reports_to"].empty_label = "Does not report to another group"
        if not self.instance.pk:
            self.initial.setdefault("boards", [board.pk])

    def clean_boards(self):
        boards = self.cleaned_data["boards"]
        managed = set(Board.objects.managed_by(self.user).values_list("pk", flat=True))
        if not managed & {b.pk for b in boards}:
            raise forms.ValidationError("Include at least one board you manage.")
        # The board the group reports to: kept while the group still serves it, else the
        # board this page was opened from, else the first chosen board the user manages.
        chosen = {b.pk: b for b in boards}
        current = self.instance.reporting_board_id
        if current not in chosen:
            fallback = next(b for b in boards if b.pk in managed)
            self.instance.reporting_board = chosen.get(self.board.pk, fallback)
        return boards


class GroupMembershipForm(forms.ModelForm):
    start = UKDateField(required=False, label="From")
    end = UKDateField(required=False, label="Until", help_text="Leave blank if they are still a "
                      "member. For example, 31/3/2025")  # fmt: skip

    class Meta:
        model = GroupMembership
        fields = ["person", "role", "organisation", "start", "end"]
        widgets = {"role": forms.RadioSelect}

    def __init__(self, *args, group: Group, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.group = group
        boards = group.board_ids
        self.fields["person"].queryset = Person.objects.in_boards(boards).select_related(
            "organisation"
        )
        self.fields["organisation"].queryset = Organisation.objects.in_boards(boards)
        self.fields[
            "organisation"
        ].help_text = "The organisation they represent here. Leave blank to use their employer."

    def clean(self):
        cleaned = super().clean()
        person = cleaned.get("person")
        if person and not cleaned.get("organisation"):
            cleaned["organisation"] = person.organisation
            self.instance.organisation = person.organisation
        return cleaned


class MeetingForm(ChildModelForm):
    date = UKDateField()
    quorate = YesNoUnknownField(label="Was the meeting quorate?")

    class Meta:
        model = Meeting
        fields = ["date", "status", "quorate", "attendees", "summary"]
        widgets = {
            "status": forms.RadioSelect,
            "attendees": forms.CheckboxSelectMultiple,
            "summary": forms.Textarea(attrs={"rows": 6}),
        }
        labels = {"status": "What happened?"}

    parent_fields = ("group",)

    def __init__(self, *args, group: Group, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.group = group
        self.fields["attendees"].queryset = (
            Person.objects.filter(group_memberships__group=group).distinct().order_by("name")
        )
        self.fields["attendees"].help_text = "Members of the group who attended."
