"""Import a business plan from a spreadsheet: upload, preview (nothing saved), confirm.

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
    import_plan,
    preview_plan_import,
)
from sab.forms import add_service_errors
from sab.models import Board
from sab.permissions import get_visible_or_404

SESSION_KEY = "plan_import"
MAX_UPLOAD_BYTES = 5 * 1024 * 1024
EXTENSIONS = ("csv", "xlsx")


class PlanImportForm(forms.Form):
    plan_title = forms.CharField(
        label="Plan title",
        max_length=200,
        help_text="An existing plan's title adds to it; a new title creates a draft plan.",
        error_messages={"required": "Enter the plan's title"},
    )
    file = forms.FileField(
        label="Spreadsheet",
        help_text="A CSV file or an Excel workbook (.xlsx), up to 5 MB.",
        error_messages={
            "required": "Select a CSV or Excel file",
            "empty": "The selected file is empty",
        },
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise ValidationError("The selected file must be smaller than 5 MB")
        return upload


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


def _preview_page(
    request: HttpRequest, board: Board, preview: ImportPlanPreview, filename: str
) -> HttpResponse:
    return render(
        request,
        "priorities/import_preview.html",
        {
            "board": board,
            "preview": preview,
            "filename": filename,
            "can_confirm": preview.is_valid,
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
        try:
            preview = preview_plan_import(
                board=board, plan_title=title, data=data, filename=upload.name
            )
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
                }
            return _preview_page(request, board, preview, upload.name)
    return render(request, "priorities/import_upload.html", {"board": board, "form": form})


@require_POST
def plan_import_confirm(request: HttpRequest, slug: str) -> HttpResponse:
    """Import the previewed file: all of it, or nothing."""
    board = get_visible_or_404(request.user, Board.objects, "sab.manage_board", slug=slug)
    upload_url = reverse("priorities:plan-import", kwargs={"slug": board.slug})
    stored = _stored(request)
    if not stored or stored.get("board") != board.pk:
        messages.info(request, "There is no file waiting to be imported. Upload it again.")
        return redirect(upload_url)
    try:
        with default_storage.open(stored["path"], "rb") as handle:
            data = handle.read()
    except OSError:
        data = None
    if data is None or hashlib.sha256(data).hexdigest() != stored["sha256"]:
        _forget(request)
        messages.info(request, "The uploaded file is missing or has changed. Upload it again.")
        return redirect(upload_url)

    try:
        result = import_plan(
            board=board,
            plan_title=stored["plan_title"],
            data=data,
            filename=stored["filename"],
            by=request.user,
        )
    except PlanImportError as exc:
        _forget(request)
        return _preview_page(request, board, exc.preview, stored["filename"])
    except (ImportFileError, ValidationError) as exc:
        _forget(request)
        messages.info(request, " ".join(getattr(exc, "messages", [str(exc)])))
        return redirect(upload_url)
    _forget(request)
    messages.success(request, f"Imported {result.summary()} into {result.plan}.")
    return redirect(result.plan.get_absolute_url())


urlpatterns = [
    path("boards/<slug:slug>/plans/import/", plan_import, name="plan-import"),
    path(
        "boards/<slug:slug>/plans/import/confirm/",
        plan_import_confirm,
        name="plan-import-confirm",
    ),
]
