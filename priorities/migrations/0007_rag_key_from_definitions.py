"""Each board's RAG key as RagDefinition rows, read from its RAG definitions text.

A line such as ``- **Complete:** the action ... (shown in blue).`` or ``- **Green:** on
track.`` becomes an entry: the rating found from the word (Blue -> complete, Grey -> not
started...), the word and the definition as written. A line whose word is no rating, or a
second line for a rating already found, gives no entry; ``Board.rag_definitions`` itself is
not changed, so nothing is lost. A required rating (red, amber, green, complete) the text does
not word gets the default entry, so every key defines all four; a board whose text gives
nothing gets the default key. Boards that already have entries are left as they are.

The parser is a frozen copy of RagDefinition.parse (a migration must not change meaning when
the model's code does). Reversing deletes the entries this migration made.
"""

import re

from django.db import migrations
from django.utils import timezone

CHANGE_REASON = "RAG key read from the board's RAG definitions text"

DEFAULTS = (
    ("complete", "Complete", "The action or priority has been delivered (shown in blue)."),
    ("green", "Green", "On track."),
    ("amber", "Amber", "Some slippage or risk; mitigation is in place."),
    ("red", "Red", "Off track or at risk; needs the board's attention."),
)
WORDS = {
    "red": ("red", "r"),
    "amber": ("amber", "a", "yellow"),
    "green": ("green", "g"),
    "complete": ("complete", "completed", "blue", "b", "done", "closed", "delivered"),
    "not_started": ("not started", "not yet started", "grey", "gray", "unassessed"),
}
LINE = re.compile(
    r"^\s*(?:[-*+]|\d+[.)])?\s*"
    r"(?:(?:\*\*|__)(?P<bold>[^*_:]{1,40}?)\s*:?\s*(?:\*\*|__)\s*[:=\-\u2013\u2014]?"
    r"|(?P<plain>[A-Za-z][A-Za-z ]{0,39}?)\s*(?:[:=\u2013\u2014]|\s-))"
    r"\s*(?P<definition>\S.*?)\s*$"
)


def rating_for_word(word: str) -> str | None:
    word = " ".join(word.replace("*", "").split()).casefold()
    return next((rating for rating, words in WORDS.items() if word in words), None)


def parse(text: str) -> list[tuple[str, str, str]]:
    """(rating, word, definition) for each line of ``text`` that words a rating, in order."""
    found: dict[str, tuple[str, str, str]] = {}
    for line in (text or "").splitlines():
        match = LINE.match(line)
        if not match:
            continue
        word = " ".join((match["bold"] or match["plain"] or "").split())
        rating = rating_for_word(word)
        if rating is None or rating in found:
            continue
        definition = match["definition"].strip()
        definition = definition[:1].upper() + definition[1:]
        if len(definition) > 300:
            definition = definition[:299].rstrip() + "\u2026"
        found[rating] = (rating, word[:1].upper() + word[1:], definition)
    return list(found.values())


def key_from_text(text: str) -> list[tuple[str, str, str]]:
    """The parsed entries, then the default entry for each required rating not worded."""
    entries = parse(text)
    have = {rating for rating, _, _ in entries}
    return entries + [entry for entry in DEFAULTS if entry[0] not in have]


def forwards(apps, schema_editor):
    Board = apps.get_model("sab", "Board")
    RagDefinition = apps.get_model("priorities", "RagDefinition")
    HistoricalRagDefinition = apps.get_model("priorities", "HistoricalRagDefinition")
    now = timezone.now()
    for board in Board.objects.order_by("pk"):
        if RagDefinition.objects.filter(board=board).exists():
            continue
        for order, (rating, word, definition) in enumerate(key_from_text(board.rag_definitions)):
            entry = RagDefinition.objects.create(
                board=board, rating=rating, word=word, definition=definition, order=order
            )
            HistoricalRagDefinition.objects.create(
                id=entry.pk,
                board_id=board.pk,
                rating=rating,
                word=word,
                definition=definition,
                order=order,
                history_date=now,
                history_type="+",
                history_change_reason=CHANGE_REASON,
            )


def backwards(apps, schema_editor):
    RagDefinition = apps.get_model("priorities", "RagDefinition")
    HistoricalRagDefinition = apps.get_model("priorities", "HistoricalRagDefinition")
    made = HistoricalRagDefinition.objects.filter(
        history_type="+", history_change_reason=CHANGE_REASON
    )
    RagDefinition.objects.filter(pk__in=made.values("id")).delete()
    made.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("priorities", "0006_rag_cycle"),
        ("sab", "0007_plain_hints_and_words"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
