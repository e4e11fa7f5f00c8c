"""The annual report's forms: starting a year's report, its narrative, and the sections the
board office adds around the parts built from the records."""

from __future__ import annotations

from django import forms

from reports.models import AnnualReport, DistributionRecord, ReportSection
from sab.fields import UKDateField
from subgroups.models import Group


class AnnualReportStartForm(forms.Form):
    year = forms.TypedChoiceField(
        label="Which reporting year is the report for?",
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the reporting year"},
    )

    def __init__(self, *args, board, **kwargs):
        super().__init__(*args, **kwargs)
        self.board = board
        taken = set(board.annual_reports.values_list("year", flat=True))
        current = board.current_financial_year()
        # The year just ended first: that is the report a board office writes next.
        years = [year for year in range(current, current - 6, -1) if year not in taken]
        self.fields["year"].choices = [(year, board.financial_year_label(year)) for year in years]


class AnnualReportForm(forms.ModelForm):
    report_date = UKDateField(required=False, label="Report date")

    class Meta:
        model = AnnualReport
        fields = [
            "author",
            "report_date",
            "easy_read_note",
            "foreword",
            "foreword_by",
            "executive_summary",
            "introduction",
        ]
        widgets = {
            "foreword": forms.Textarea(attrs={"rows": 10}),
            "executive_summary": forms.Textarea(attrs={"rows": 12}),
            "introduction": forms.Textarea(attrs={"rows": 8}),
        }


class ReportSectionForm(forms.ModelForm):
    class Meta:
        model = ReportSection
        fields = ["title", "part", "group", "order", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 12})}
        labels = {"order": "Order within its part"}
        help_texts = {"order": "Sections in the same part are printed lowest number first."}
        error_messages = {"title": {"required": "Enter the section's title"}}

    def __init__(self, *args, report: AnnualReport, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = Group.objects.for_board(report.board).order_by("name", "pk")
        self.fields["group"].empty_label = "No group"


class DistributionForm(forms.ModelForm):
    sent_on = UKDateField(label="When was it sent?")

    class Meta:
        model = DistributionRecord
        fields = ["recipient", "name", "sent_on", "method"]
        widgets = {"recipient": forms.RadioSelect, "method": forms.RadioSelect}
        labels = {"recipient": "Who was it sent to?", "method": "How was it sent?"}
        error_messages = {
            "recipient": {"required": "Select who it was sent to"},
            "name": {"required": "Enter the recipient's name"},
        }
