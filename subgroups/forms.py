from django import forms

from sab.fields import UKDateField, YesNoUnknownField
from sab.forms import ChildModelForm
from sab.models import Board, Organisation, Person
from subgroups.models import Group, GroupMembership, Meeting
from subgroups.services import ONLY_MANAGED_BOARDS


class GroupForm(forms.ModelForm):
    """A group's details. subgroups.services.save_group saves it with its boards.

    The boards field offers only boards the user manages. Someone who does not manage every
    board a group serves edits the rest of it, without the boards field (``boards_note``
    says who can change them)."""

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
        error_messages = {"boards": {"invalid_choice": ONLY_MANAGED_BOARDS}}

    def __init__(self, *args, user, board: Board, **kwargs):
        super().__init__(*args, **kwargs)
        self.boards_note = ""
        if self.instance.pk and not user.has_perm("subgroups.change_group_boards", self.instance):
            del self.fields["boards"]
            names = [b.name for b in self.instance.boards.all()]
            self.boards_note = (
                f"This group serves {_and(names)}. Only someone who manages every one of "
                "these boards can change which boards it serves."
            )
        else:
            self.fields["boards"].queryset = Board.objects.managed_by(user)
            self.fields["boards"].help_text = (
                "Choose more than one board for a joint group. It will appear on each board's "
                "structure page. You can choose only boards you manage, and remove a board "
                "only while none of its priorities or actions use the group."
            )
        groups = Group.objects.for_board(board).order_by("name")
        if self.instance.pk:
            groups = groups.exclude(pk=self.instance.pk)
        self.fields["reports_to"].queryset = groups
        self.fields["reports_to"].empty_label = "Does not report to another group"
        if not self.instance.pk:
            self.initial.setdefault("boards", [board.pk])
            # A new group reports to the board whose page it was added from, if it serves it
            # (save_group chooses another board if not).
            self.instance.reporting_board = board

    def chosen_boards(self) -> list[Board]:
        """The boards the group will serve: as chosen, or as they are if it is not a choice."""
        if "boards" in self.fields:
            return list(self.cleaned_data["boards"])
        return list(self.instance.boards.all())


def _and(names: list[str]) -> str:
    return " and ".join([", ".join(names[:-1]), names[-1]]) if len(names) > 1 else "".join(names)


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
        self.fields["attendees"].queryset = group.attendee_choices().order_by("name")
        self.fields["attendees"].help_text = "Members of the group who attended."
