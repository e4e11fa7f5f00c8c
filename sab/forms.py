"""Forms for the core records, and the few form helpers every app uses."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.forms.models import construct_instance
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from sab.fields import UKDateField
from sab.models import Board, BoardMembership, Organisation, Person, RoleAssignment
from sab.roles import BOARD_ROLE_CHOICES


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


class OneTimeCodeForm(forms.Form):
    """One code: the second step of signing in, or confirming a new authenticator app.

    With ``backup=True`` it asks for a backup code instead (letters and digits, so no number
    keypad on a phone). Spaces and dashes are dropped, as people copy codes in groups.
    sab.two_factor checks the code against the user's devices and adds the error if it is wrong.
    """

    code = forms.CharField(
        label="Code from your authenticator app",
        max_length=32,
        error_messages={"required": "Enter the 6-digit code your authenticator app shows now"},
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "class": "govuk-input--width-10",
            }
        ),
    )

    def __init__(self, *args, backup: bool = False, hint: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["code"]
        field.help_text = hint or "Open the app and enter the 6 digits it shows for SAB Manager."
        if backup:
            field.label = "Backup code"
            field.help_text = (
                hint
                or "One of the 10 backup codes you saved when you set up your "
                "authenticator app. Each code works once."
            )
            field.error_messages["required"] = "Enter one of your backup codes"
            field.widget.attrs.update(
                {"autocomplete": "off", "inputmode": "text", "class": "govuk-input--width-10"}
            )

    def clean_code(self) -> str:
        return "".join(self.cleaned_data["code"].split()).replace("-", "").lower()


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
        self.fields["organisation"].queryset = Organisation.objects.for_board(board)


class RoleAssignmentForm(forms.ModelForm):
    """Give a person (and so a login) a board-level role. services.grant_role saves it.
    Chairs and members of groups are added on the group's page instead (ADR 0002)."""

    person = forms.ModelChoiceField(queryset=Person.objects.none(), empty_label="Choose a person")

    class Meta:
        model = RoleAssignment
        fields = ["role", "organisation"]
        widgets = {"role": forms.RadioSelect}
        help_texts = {
            "organisation": "For partner leads: the organisation they write the statement for.",
        }

    field_order = ["person", "role", "organisation"]

    def __init__(self, *args, board: Board, **kwargs):
        super().__init__(*args, **kwargs)
        self.board = self.instance.board = board
        self.fields["person"].queryset = board.people.select_related("organisation")
        self.fields["role"].choices = BOARD_ROLE_CHOICES
        self.fields["role"].help_text = (
            "Chairs and members of a group get their rights from the group's page: add them "
            "as members there."
        )
        self.fields["organisation"].queryset = Organisation.objects.for_board(board)
        self.fields["organisation"].empty_label = "Not a partner lead"

    def clean(self):
        cleaned = super().clean()
        person = cleaned.get("person")
        if person and not person.user_id and not person.email:
            self.add_error(
                "person", f"Add an email address for {person.name} first: it is their login."
            )
        return cleaned


# --- Helpers every app's forms and views use ----------------------------------------------------


def submitted(request):
    """A form's data: the POST on a POST (even an empty one, so it is validated), else None."""
    return request.POST if request.method == "POST" else None


class ChildModelForm(forms.ModelForm):
    """A ModelForm for a record whose parent (its plan, priority, board...) is set by the view
    rather than chosen in the form: ``self.instance.plan = plan`` in ``__init__``.

    Django leaves fields that are not in the form out of model validation, and with them every
    constraint that names them, so "ref unique within its plan" would never be checked.
    ``parent_fields`` are validated like the form's own fields, so such a constraint
    (sab.models.UniqueWithin) gives its message on the form.
    """

    parent_fields: tuple[str, ...] = ()

    def _get_validation_exclusions(self):
        return super()._get_validation_exclusions() - set(self.parent_fields)


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: errors keyed by one of the form's fields
    go beside that field, everything else at the top of the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.error_dict.items():
        form.add_error(name if name in form.fields else None, errors)


def form_page(
    request: HttpRequest,
    form: forms.Form,
    *,
    title: str,
    back: str,
    submit: str = "Save",
    intro: str = "",
) -> HttpResponse:
    """A page holding one form (components/form_page.html): its title, an optional intro, the
    fields with their errors, the submit button and a way back."""
    return render(
        request,
        "components/form_page.html",
        {"form": form, "title": title, "back": back, "submit": submit, "intro": intro},
    )


# --- Starting a board and changing its details ------------------------------------------------


class BoardStartForm(forms.ModelForm):
    """Start a board and invite its first manager: services.start_board saves it (it makes
    the web address from the short name and refuses one that is taken)."""

    manager_name = forms.CharField(label="First board manager's name", max_length=200)
    manager_email = forms.EmailField(
        label="First board manager's email address",
        help_text="It is their login. Someone new is emailed a link to choose a password.",
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )

    class Meta:
        model = Board
        fields = ["name", "short_name", "area", "financial_year_start_month", "rag_definitions"]
        labels = {
            "name": "Board name",
            "financial_year_start_month": "Reporting year starts in",
            "rag_definitions": "What red, amber, green and complete mean at this board",
        }
        help_texts = {
            "name": "For example, Leicester Safeguarding Adults Board.",
            "short_name": "For example, LSAB. It makes the board's web address: /boards/lsab/.",
        }
        error_messages = {"name": {"unique": "There is already a board with this name."}}
        widgets = {"rag_definitions": forms.Textarea(attrs={"rows": 6})}


class BoardDetailsForm(forms.ModelForm):
    """What a board manager says about the board: its vision, terms of reference and when
    its reporting year starts; for its published documents, the logo on their cover, how
    the public ask for another format and its accessibility statement. How it words RAG
    ratings is its RAG key (its own page)."""

    class Meta:
        model = Board
        fields = [
            "vision",
            "terms_of_reference",
            "financial_year_start_month",
            "logo",
            "alternative_formats_contact",
            "accessibility_statement",
        ]
        labels = {
            "financial_year_start_month": "Reporting year starts in",
            "logo": "Logo for published documents",
            "alternative_formats_contact": "How the public ask for another format",
            "accessibility_statement": "Accessibility statement for published documents",
        }
        help_texts = {
            "financial_year_start_month": "Reporting periods already set up keep their dates.",
            "accessibility_statement": "Shown beside every document the board publishes. "
            "Leave it empty to use a standard statement about the web pages and PDFs.",
        }
        widgets = {
            "vision": forms.Textarea(attrs={"rows": 3}),
            "terms_of_reference": forms.Textarea(attrs={"rows": 12}),
            # A plain file input (components/_field.html draws it): a new file replaces the
            # logo, no file keeps it.
            "logo": forms.FileInput(attrs={"accept": ".png,.jpg,.jpeg,image/png,image/jpeg"}),
            "accessibility_statement": forms.Textarea(attrs={"rows": 8}),
        }

    LOGO_MAX_BYTES = 1024 * 1024

    def clean_logo(self):
        logo = self.cleaned_data.get("logo")
        if logo and getattr(logo, "size", 0) > self.LOGO_MAX_BYTES:
            raise forms.ValidationError("The logo must be smaller than 1 MB")
        return logo
