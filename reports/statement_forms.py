"""The partner statements' forms: asking organisations for a statement, writing one, and
returning one for changes. The services in reports/statements.py check the rules (a due
date not in the past, a report not yet approved, the statement's status)."""

from __future__ import annotations

from django import forms

from reports.models import AnnualReport, PartnerStatement
from reports.statements import not_yet_asked
from sab.fields import UKDateField


class OrganisationChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.name} (statutory partner)" if obj.statutory else obj.name


class RequestStatementsForm(forms.Form):
    organisations = OrganisationChoiceField(
        label="Which organisations are you asking for a statement?",
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        help_text="The board's current members not asked yet. Their partner leads are "
        "e-mailed a link to write it.",
        error_messages={"required": "Select at least one organisation"},
    )
    due = UKDateField(
        label="When is it due?",
        error_messages={"required": "Enter the date the statement is due"},
    )

    def __init__(self, *args, report: AnnualReport, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisations"].queryset = not_yet_asked(report)


class StatementForm(forms.ModelForm):
    class Meta:
        model = PartnerStatement
        fields = ["text"]
        labels = {"text": "Your organisation's statement"}
        help_texts = {
            "text": "What your organisation did during the year to implement the board's "
            "strategy, and what difference it made."
        }
        widgets = {"text": forms.Textarea(attrs={"rows": 15})}
        error_messages = {"text": {"required": "Enter your organisation's statement"}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text"].required = True


class ReturnStatementForm(forms.Form):
    comment = forms.CharField(
        label="What should change?",
        help_text="The partner lead is e-mailed this comment and sees it beside the statement.",
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "Enter what should change in the statement"},
    )
