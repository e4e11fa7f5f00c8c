"""A board's RAG key: its words and definitions for each rating, and the page to change them.
Included in the "priorities" namespace through ``urlpatterns``.

The key has one entry for each of red, amber, green and complete, and optionally one for "not
started". The page is a model formset of the board's entries (RagDefinition), with a form for
each rating the board has no entry for yet: filled in from the key it prints now
(RagDefinition.key_for: its RAG definitions text, else the defaults), except "not started",
which stays blank and is added only if the manager words it. An existing "not started" entry
can be removed.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import SuspiciousOperation, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import path
from django.utils.safestring import SafeString
from django.views.decorators.http import require_http_methods

from priorities.models import NOT_STARTED, RAG_KEY_CHOICES, RagDefinition
from sab.board_page import add_section
from sab.forms import ChildModelForm, submitted
from sab.models import Board, User
from sab.permissions import get_visible_or_404

RATING_LABELS = dict(RAG_KEY_CHOICES)


class RagDefinitionForm(ChildModelForm):
    """One entry: the board's word and definition for the rating the view sets."""

    parent_fields = ("board", "rating")

    class Meta:
        model = RagDefinition
        fields = ["word", "definition"]
        labels = {"word": "Word", "definition": "What it means"}
        help_texts = {"word": ""}
        widgets = {"definition": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        label = self.rating_label
        self.fields["word"].error_messages["required"] = f"Enter the board's word for {label}"
        self.fields["definition"].error_messages["required"] = f"Enter what {label} means"
        if self.is_optional and self.instance.pk is None:
            self.fields["word"].help_text = (
                "Only if the board uses it. Leave both boxes empty to keep Not started out of "
                "the key."
            )

    @property
    def rating_label(self) -> str:
        return RATING_LABELS[self.instance.rating]

    @property
    def is_optional(self) -> bool:
        return self.instance.rating == NOT_STARTED


class BaseRagKeyFormSet(forms.BaseModelFormSet):
    """The board's entries, then a form for each rating it has none for (see the module)."""

    def __init__(self, data=None, *, board: Board):
        self.board = board
        entries = list(RagDefinition.objects.for_board(board).in_key_order())
        have = {entry.rating for entry in entries}
        printed = {entry.rating: entry for entry in RagDefinition.key_for(board)}
        order = max((entry.order for entry in entries), default=-1) + 1
        self.new_entries = []
        ratings = [*printed, *(rating for rating, _ in RAG_KEY_CHOICES if rating not in printed)]
        for rating in sorted(ratings, key=lambda rating: rating == NOT_STARTED):
            if rating in have:
                continue
            shown = printed.get(rating) if rating != NOT_STARTED else None
            self.new_entries.append(
                RagDefinition(
                    board=board,
                    rating=rating,
                    word=shown.word if shown else "",
                    definition=shown.definition if shown else "",
                    order=order,
                )
            )
            order += 1
        super().__init__(
            data,
            queryset=RagDefinition.objects.filter(pk__in=[e.pk for e in entries]).in_key_order(),
            prefix="key",
        )
        self.extra = len(self.new_entries)

    def _existing_object(self, pk):
        entry = super()._existing_object(pk)
        if entry is None:  # an id that is not one of this board's entries: a tampered form
            raise SuspiciousOperation("The RAG key form names an entry that is not the board's.")
        return entry

    def _construct_form(self, i, **kwargs):
        if i >= self.initial_form_count():
            kwargs["instance"] = self.new_entries[i - self.initial_form_count()]
        form = super()._construct_form(i, **kwargs)
        # The four ratings are always in the key; only "not started" may be left empty.
        form.empty_permitted = form.is_optional
        form.use_required_attribute = False
        return form

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if not (form.is_optional and form.instance.pk):
            form.fields.pop("DELETE", None)
        else:
            form.fields["DELETE"].label = "Remove Not started from the key"

    @property
    def errors_in_order(self) -> list[tuple[forms.BoundField, str]]:
        """(field, message) for the error summary, in page order."""
        return [
            (form[name], error)
            for form in self.forms
            for name, errors in form.errors.items()
            if name in form.fields
            for error in errors
        ]

    @property
    def form_errors(self) -> list[str]:
        """Errors that belong to no field: the formset's, and each form's own."""
        own = [error for form in self.forms for error in form.non_field_errors()]
        return [*self.non_form_errors(), *own]


RagKeyFormSet = forms.modelformset_factory(
    RagDefinition, form=RagDefinitionForm, formset=BaseRagKeyFormSet, extra=0, can_delete=True
)


@transaction.atomic
def save_key(*, formset: BaseRagKeyFormSet, by: User) -> list[RagDefinition]:
    """Save a valid key formset: changed and new entries, and "not started" added or
    removed. Every entry is saved when the board had none (the key it printed becomes its
    own), so the history shows who set it."""
    saved = []
    for form in formset.forms:
        entry = form.instance
        if form.cleaned_data.get("DELETE"):
            entry._history_user = by
            entry.delete()
            continue
        if entry.pk is None and not form.cleaned_data.get("word"):
            continue  # "not started" left empty: not in the key
        if entry.pk is not None and not form.has_changed():
            saved.append(entry)
            continue
        entry = form.save(commit=False)
        entry._history_user = by
        entry.full_clean()
        entry.save()
        saved.append(entry)
    return saved


@require_http_methods(["GET", "POST"])
def rag_key(request: HttpRequest, slug: str) -> HttpResponse:
    """The board manager words the board's RAG key."""
    board = get_visible_or_404(request.user, Board.objects, "sab.manage_board", slug=slug)
    formset = RagKeyFormSet(submitted(request), board=board)
    if request.method == "POST" and formset.is_valid():
        try:
            save_key(formset=formset, by=request.user)
        except ValidationError as error:
            formset._non_form_errors = formset.error_class(error.messages)
        else:
            messages.success(request, "The RAG key has been saved.")
            return redirect("priorities:rag-key", slug=board.slug)
    return render(
        request,
        "priorities/rag_key.html",
        {"board": board, "formset": formset, "key": RagDefinition.key_for(board)},
    )


urlpatterns: list = [path("boards/<slug:slug>/rag-key/", rag_key, name="rag-key")]


@add_section
def rag_key_section(request: HttpRequest, board: Board) -> SafeString:
    """The board page's "How this board rates progress": its key, and for its managers the
    link to change it."""
    return render_to_string(
        "priorities/_rag_key_section.html",
        {
            "board": board,
            "key": RagDefinition.key_for(board),
            "can_manage": request.user.has_perm("sab.manage_board", board),
        },
        request=request,
    )
