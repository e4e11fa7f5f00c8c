"""The form that uploads a year's Section 42 figures (reports/figures.py imports the file)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

MAX_UPLOAD_BYTES = 1024 * 1024
SPREADSHEETS = (".xlsx", ".xlsm", ".xls", ".ods", ".numbers")


class FiguresImportForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        help_text="A CSV file saved as UTF-8 (in Excel: Save As, CSV UTF-8), up to 1 MB.",
        error_messages={
            "required": "Select a CSV file",
            "empty": "The selected file is empty",
        },
        widget=forms.FileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.name.casefold().endswith(SPREADSHEETS):
            raise ValidationError(
                "The selected file must be a CSV file: in Excel, use Save As and choose CSV UTF-8"
            )
        if upload.size > MAX_UPLOAD_BYTES:
            raise ValidationError("The selected file must be smaller than 1 MB")
        return upload
