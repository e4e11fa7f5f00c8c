"""Import a business plan from a spreadsheet: upload, preview (nothing saved), confirm.

The upload either adds the file's priorities and actions to a plan (a new draft plan for a
new title: stage.import_plan) or re-imports it into an existing plan, updating its actions
by ref (update.update_plan). The preview asks which of the board's groups each unmatched
lead name is; the choices are used for the import and remembered for the board.

The uploaded file is kept in the default storage between the preview and the confirmation
(its path and checksum in the session), so the plan imported is exactly the one previewed.
Include ``urlpatterns`` in the "priorities" namespace.
"""

from __future__ import annotations

import hashlib
import uuid

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_http_methods, require_POST

from priorities.plan_import.parse import ImportFileError
from priorities.plan_import.stage import (
    ImportPlanPreview,
    PlanImportError,
    UnmatchedName,
    import_plan,
    preview_plan_import,
)
from priorities.plan_import.template import TEMPLATE_FILENAME, XLSX_CONTENT_TYPE, build_template
from priorities.plan_import.update import preview_plan_update, update_plan
from sab.forms import add_service_errors
from sab.models import Board
from sab.permissions import get_visible_or_404
from subgroups.models import Group

SESSION_KEY = "plan_import"
MAX_UPLOAD_BYTES = 5 * 1024 * 1024
EXTENSIONS = ("csv", "xlsx")

ADD, UPDATE = "add", "update"
# What each kind of import previews with and imports with, and its preview template.
PREVIEWS = {ADD: preview_plan_import, UPDATE: preview_plan_update}
IMPORTS = {ADD: import_plan, UPDATE: update_plan}
PREVIEW_TEMPLATES = {
    ADD: "priorities/import_preview.html",
    UPDATE: "priorities/import_update_preview.html",
}


class PlanImportForm(forms.Form):
    plan_title = forms.CharField(
        label="Plan title",
        max_length=200,
        help_text="An existing plan's title adds to it; a new title creates a draft plan.",
        error_messages={"required": "Enter the plan's title"},
    )
    mode = forms.ChoiceField(
        label="What should the import do?",
        choices=[
            (ADD, "Add the file's priorities and actions to the plan"),
            (UPDATE, "Update the plan's actions from the file, matching them by ref"),
        ],
        widget=forms.RadioSelect,
        required=False,
        initial=ADD,
        help_text="Updating shows each change before anything is saved; actions the plan "
        "does not have yet are added.",
        error_messages={"invalid_choice": "Select what the import should do"},
    )
    file = forms.FileField(
        label="Spreadsheet",
        help_text="A CSV file or an Excel workbook (.xlsx), up to 5 MB.",
        error_messages={
            "required": "Select a CSV or Excel file",
            "empty": "The selected file is empty",
        },
        widget=forms.FileInput(
            attrs={
                "accept": ".csv,.xlsx,text/csv,"
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )

    def clean_mode(self) -> str:
        return self.cleaned_data["mode"] or ADD

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise ValidationError("The selected file must be smaller than 5 MB")
        return upload


class LeadChoicesForm(forms.Form):
    """A select per unmatched name in the preview: one of the board's groups, or none (the
    name is kept as text). ``names`` are as written in the file, in the preview's order."""

    def __init__(self, data=None, *, names: list[str], groups: list[Group]) -> None:
        super().__init__(data, prefix="lead")
        self.names = names
        self.groups = {str(group.pk): group for group in groups}
        choices = [("", "Keep it as text"), *((pk, g.name) for pk, g in self.groups.items())]
        for index, name in enumerate(names):
            self.fields[f"name_{index}"] = forms.ChoiceField(
                label=name,
                choices=choices,
                required=False,
                error_messages={
                    "invalid_choice": f"Select a group for {name.replace('%', '%%')}, or "
                    "keep it as text"
                },
            )

    def rows(self, unmatched: list[UnmatchedName]) -> list[tuple[forms.BoundField, str]]:
        """(field, where the name is used) for the template."""
        where = {item.name: item.rows for item in unmatched}
        return [(self[f"name_{n}"], where.get(name, "")) for n, name in enumerate(self.names)]

    def mappings(self) -> dict[str, Group]:
        """Name as written -> the group chosen for it (names kept as text are left out)."""
        return {
            name: self.groups[self.cleaned_data[f"name_{n}"]]
            for n, name in enumerate(self.names)
            if self.cleaned_data.get(f"name_{n}")
        }


def _stored(request: HttpRequest) -> dict | None:
    return request.session.get(SESSION_KEY)


def _forget(request: HttpRequest) -> None:
    """Delete the stored upload (if any) and clear the session key."""
    stored = request.session.pop(SESSION_KEY, None)
    if stored and stored.get("path"):
        default_storage.delete(stored["path"])


def _extension(filename: str) -> str:
    extension = filename.rsplit(".", 1)[-1].casefold() if "." in filename else ""
    return extension if extension in EXTENSIONS else "bin"


def _board_groups(board: Board) -> list[Group]:
    return list(Group.objects.for_board(board).order_by("name", "pk"))


def _preview_page(
    request: HttpRequest,
    board: Board,
    preview: ImportPlanPreview,
    filename: str,
    *,
    mode: str = ADD,
    choices: LeadChoicesForm | None = None,
) -> HttpResponse:
    if choices is None:
        names = [item.name for item in preview.unmatched_names] if preview.is_valid else []
        choices = LeadChoicesForm(names=names, groups=_board_groups(board))
    return render(
        request,
        PREVIEW_TEMPLATES[mode],
        {
            "board": board,
            "preview": preview,
            "filename": filename,
            "can_confirm": preview.is_valid,
            "choices": choices,
            "choice_rows": choices.rows(preview.unmatched_names),
        },
    )


@require_http_methods(["GET", "POST"])
def plan_import(request: HttpRequest, slug: str) -> HttpResponse:
    """Upload a spreadsheet and preview what it would create. Nothing is saved here."""
    board = get_visible_or_404(request.user, Board.objects, "sab.manage_board", slug=slug)
    posted = request.method == "POST"
    form = PlanImportForm(request.POST if posted else None, request.FILES if posted else None)
    if posted and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read()
        title = form.cleaned_data["plan_title"]
        mode = form.cleaned_data["mode"]
        try:
            preview = PREVIEWS[mode](board=board, plan_title=title, data=data, filename=upload.name)
        except ImportFileError as exc:
            form.add_error("file", str(exc))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            _forget(request)  # a previous upload that was never confirmed
            if preview.is_valid:
                stored_path = default_storage.save(
                    f"imports/{uuid.uuid4().hex}.{_extension(upload.name)}", ContentFile(data)
                )
                request.session[SESSION_KEY] = {
                    "board": board.pk,
                    "path": stored_path,
                    "filename": upload.name,
                    "plan_title": title,
                    "sha256": hashlib.sha256(data).hexdigest(),
                    "mode": mode,
                    "names": [item.name for item in preview.unmatched_names],
                }
            return _preview_page(request, board, preview, upload.name, mode=mode)
    return render(request, "priorities/import_upload.html", {"board": board, "form": form})


def _stored_file(request: HttpRequest, board: Board) -> tuple[dict, bytes] | None:
    """The upload waiting for this board and its bytes; None (with a message, and the
    upload forgotten) if there is none or it has changed."""
    stored = _stored(request)
    if not stored or stored.get("board") != board.pk:
        messages.info(request, "There is no file waiting to be imported. Upload it again.")
        return None
    try:
        with default_storage.open(stored["path"], "rb") as handle:
            data = handle.read()
    except OSError:
        data = None
    if data is None or hashlib.sha256(data).hexdigest() != stored["sha256"]:
        _forget(request)
        messages.info(request, "The uploaded file is missing or has changed. Upload it again.")
        return None
    return stored, data


@require_POST
def plan_import_confirm(request: HttpRequest, slug: str) -> HttpResponse:
    """Import the previewed file with the groups chosen for unmatched names: all of it, or
    nothing. With "check", show the preview again with those groups instead."""
    board = get_visible_or_404(request.user, Board.objects, "sab.manage_board", slug=slug)
    upload_url = reverse("priorities:plan-import", kwargs={"slug": board.slug})
    found = _stored_file(request, board)
    if found is None:
        return redirect(upload_url)
    stored, data = found
    mode = stored.get("mode", ADD)
    names = stored.get("names", [])
    choices = LeadChoicesForm(request.POST, names=names, groups=_board_groups(board))
    checking = "check" in request.POST or not choices.is_valid()
    arguments = {
        "board": board,
        "plan_title": stored["plan_title"],
        "data": data,
        "filename": stored["filename"],
        "lead_mappings": choices.mappings() if choices.is_valid() else {},
    }
    try:
        if checking:  # nothing is saved; the file stays waiting
            preview = PREVIEWS[mode](**arguments)
            return _preview_page(
                request, board, preview, stored["filename"], mode=mode, choices=choices
            )
        result = IMPORTS[mode](**arguments, by=request.user)
    except PlanImportError as exc:
        _forget(request)
        return _preview_page(request, board, exc.preview, stored["filename"], mode=mode)
    except (ImportFileError, ValidationError) as exc:
        _forget(request)
        messages.info(request, " ".join(getattr(exc, "messages", [str(exc)])))
        return redirect(upload_url)
    _forget(request)
    messages.success(request, _done_message(mode, result))
    return redirect(result.plan.get_absolute_url())


def _done_message(mode: str, result: ImportPlanPreview) -> str:
    if mode == UPDATE:
        return f"Updated {result.plan}: {result.summary()}."
    return f"Imported {result.summary()} into {result.plan}."


@require_http_methods(["GET"])
def plan_import_template(request: HttpRequest, slug: str) -> HttpResponse:
    """The spreadsheet template (XLSX): the headings the import reads best, an example row."""
    get_visible_or_404(request.user, Board.objects, "sab.manage_board", slug=slug)
    response = HttpResponse(build_template(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{TEMPLATE_FILENAME}"'
    return response


urlpatterns = [
    path("boards/<slug:slug>/plans/import/", plan_import, name="plan-import"),
    path(
        "boards/<slug:slug>/plans/import/confirm/",
        plan_import_confirm,
        name="plan-import-confirm",
    ),
    path(
        "boards/<slug:slug>/plans/import/template/",
        plan_import_template,
        name="plan-import-template",
    ),
]
