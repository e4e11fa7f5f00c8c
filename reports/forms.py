from django import forms


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label="Why is this version being withdrawn?",
        help_text="The public sees this on the document's page, for example: it named a "
        "person by mistake; a corrected version will follow.",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        error_messages={"required": "Enter why this version is being withdrawn"},
    )
