from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.forms.models import construct_instance

from sab.fields import UKDateField
from sab.models import Board, BoardMembership, Organisation, Person, RoleAssignment


class LoginForm(AuthenticationForm):
    username = forms.EmailField(
        label="Email address",
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )
    error_messages = {
        "invalid_login": "Enter a correct email address and password.",
        "inactive": "This account is inactive.",
    }

    def clean_username(self) -> str:
        # Addresses are stored in lower case, so "Chair@Example.org" signs in too.
        return self.cleaned_data["username"].strip().lower()


class BoardMembershipForm(forms.ModelForm):
    """Add or change a partner organisation's membership of a board."""

    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.all(),
        required=False,
        empty_label="Choose an organisation",
        help_text="Or add a new organisation below.",
    )
    new_organisation = forms.CharField(
        label="New organisation name", required=False, max_length=200
    )
    new_organisation_kind = forms.ChoiceField(
        label="Kind of new organisation", choices=Organisation.Kind.choices, required=False
    )
    start = UKDateField(required=False, label="Member from")
    end = UKDateField(required=False, label="Member until", help_text="Leave blank while they "
                      "are a member. For example, 31/3/2025")  # fmt: skip

    class Meta:
        model = BoardMembership
        fields = ["organisation", "statutory", "start", "end"]

    def __init__(self, *args, board: Board, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.board = board
        if self.instance.pk:
            for name in ("new_organisation", "new_organisation_kind"):
                del self.fields[name]

    def clean(self):
        cleaned = super().clean()
        new_name = (cleaned.get("new_organisation") or "").strip()
        if cleaned.get("organisation") and new_name:
            self.add_error("new_organisation", "Choose an organisation or add a new one, not both.")
        elif not cleaned.get("organisation") and not new_name:
            self.add_error("organisation", "Choose an organisation or add a new one.")
        elif new_name and Organisation.objects.filter(name__iexact=new_name).exists():
            self.add_error("new_organisation", f"{new_name} already exists: choose it above.")
        return cleaned

    def save(self, commit=True):
        new_name = (self.cleaned_data.get("new_organisation") or "").strip()
        if new_name:
            self.instance.organisation = Organisation.objects.create(
                name=new_name,
                kind=self.cleaned_data.get("new_organisation_kind") or Organisation.Kind.OTHER,
            )
        return super().save(commit)

    def _post_clean(self):
        # A new organisation is only created in save(); validate the rest of the membership
        # (dates) without it until then.
        if not self.cleaned_data.get("organisation") and self.cleaned_data.get("new_organisation"):
            construct_instance(self, self.instance, fields=["statutory", "start", "end"])
            try:
                self.instance.full_clean(exclude=["organisation"], validate_unique=False)
            except forms.ValidationError as error:
                self._update_errors(error)
            return
        super()._post_clean()


class PersonForm(forms.ModelForm):
    class Meta:
        model = Person
        fields = ["name", "job_title", "organisation", "email"]
        labels = {"email": "Email address"}
        help_texts = {"email": "Needed to give them a login."}

    def __init__(self, *args, board: Board, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(
            board_memberships__board=board
        ).distinct()


class RoleAssignmentForm(forms.Form):
    """Give a person (and so a login) a role in a board."""

    person = forms.ModelChoiceField(queryset=Person.objects.none(), empty_label="Choose a person")
    role = forms.ChoiceField(choices=RoleAssignment.Role.choices, widget=forms.RadioSelect)
    group = forms.ModelChoiceField(
        queryset=None,
        required=False,
        empty_label="Not a subgroup role",
        help_text="For subgroup chairs and members: the group they chair or sit on.",
    )
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(),
        required=False,
        empty_label="Not a partner lead",
        help_text="For partner leads: the organisation they write the statement for.",
    )

    def __init__(self, *args, board: Board, **kwargs):
        from subgroups.models import Group

        super().__init__(*args, **kwargs)
        self.board = board
        self.fields["person"].queryset = board.people.select_related("organisation")
        self.fields["group"].queryset = Group.objects.for_board(board)
        self.fields["organisation"].queryset = Organisation.objects.filter(
            board_memberships__board=board
        ).distinct()

    def clean(self):
        cleaned = super().clean()
        person = cleaned.get("person")
        if person and not person.user_id and not person.email:
            self.add_error(
                "person", f"Add an email address for {person.name} first: it is their login."
            )
        return cleaned


def submitted(request):
    """A form's data: the POST on a POST (even an empty one, so it is validated), else None."""
    return request.POST if request.method == "POST" else None
