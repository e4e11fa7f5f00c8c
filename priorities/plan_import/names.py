"""Lead names as plans write them: one name, or several in one cell.

Pure functions, no database: the stage passes in ``known``, which says whether a name is one
of the board's groups (or a name the board has matched to a group before).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["LeadName", "name_key", "split_names"]

_NOT_WORD_RE = re.compile(r"[\W_]+")
_AMPERSAND_RE = re.compile(r"\s*&\s*")
# Always between two names: a line break, "/", ",", ";", "|".
_HARD_SEPARATOR_RE = re.compile(r"(\n|[/,;|])")
# Between two names only when both are known: "Police and ASC" (but "Task and Finish Group").
_SOFT_SEPARATOR_RE = re.compile(r"\s+(?:and|&)\s+", re.IGNORECASE)
_WS_RE = re.compile(r"\s+")


def name_key(text: str) -> str:
    """The key two names are compared by: case, punctuation and spacing ignored everywhere,
    "&" read as "and". "Performance & Quality Sub Group" and "Performance and Quality
    Sub-Group." both give "performanceandqualitysubgroup"."""
    return _NOT_WORD_RE.sub("", _AMPERSAND_RE.sub(" and ", text).casefold())


@dataclass(frozen=True)
class LeadName:
    text: str  # as written, on one line
    known: bool


def split_names(cell: str, known: Callable[[str], bool]) -> list[LeadName]:
    """The names in one lead cell, in order.

    - The whole cell, if it is a known name ("Performance & Quality Sub-Group").
    - Otherwise it is split at line breaks, "/", ",", ";" and "|", and the longest run of
      pieces that together make a known name is kept together ("Executive / Local
      Improvement Network" when a group is called that).
    - A piece is split again at "and" or "&" only when every part is a known name ("Police,
      ASC and Health" with all three known), so "Task and Finish Group" stays one name.
    - Two unknown names either side of a line break are one name wrapped onto two lines
      ("Procedures\\nSubgroup"), and are joined again.
    """
    text = cell.replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        return []
    whole = _one_line(text)
    if known(whole):
        return [LeadName(whole, True)]

    # (piece, the separator before it) for every non-empty piece.
    pieces: list[tuple[str, str]] = []
    separator = ""
    for part in _HARD_SEPARATOR_RE.split(text):
        if _HARD_SEPARATOR_RE.fullmatch(part):
            separator = part if separator in ("", "\n") else separator  # "/" beats a line break
        elif part.strip():
            pieces.append((_one_line(part), separator))
            separator = ""

    found: list[tuple[LeadName, str]] = []  # (name, the separator before it)
    index = 0
    while index < len(pieces):
        end = _longest_known_run(pieces, index, known)
        if end is not None:
            found.append((LeadName(_join(pieces[index:end]), True), pieces[index][1]))
            index = end
            continue
        piece, before = pieces[index]
        parts = [part for part in _SOFT_SEPARATOR_RE.split(piece) if part.strip()]
        if len(parts) > 1 and all(known(part) for part in parts):
            found.extend(
                (LeadName(part, True), before if n == 0 else "") for n, part in enumerate(parts)
            )
        else:
            found.append((LeadName(piece, known(piece)), before))
        index += 1
    return _rejoin_wrapped(found)


def _longest_known_run(
    pieces: list[tuple[str, str]], start: int, known: Callable[[str], bool]
) -> int | None:
    """The end of the longest run of pieces from ``start`` that is a known name."""
    for end in range(len(pieces), start, -1):
        if known(_join(pieces[start:end])):
            return end
    return None


_JOINERS = {"\n": " ", ",": ", ", ";": "; "}


def _join(pieces: list[tuple[str, str]]) -> str:
    """Pieces back into one name: "Executive / Local Improvement Network"."""
    text = pieces[0][0]
    for piece, separator in pieces[1:]:
        text += _JOINERS.get(separator, f" {separator} ") + piece
    return text


def _rejoin_wrapped(found: list[tuple[LeadName, str]]) -> list[LeadName]:
    names: list[LeadName] = []
    for name, before in found:
        if names and before == "\n" and not name.known and not names[-1].known:
            names[-1] = LeadName(f"{names[-1].text} {name.text}", False)
        else:
            names.append(name)
    return names


def _one_line(text: str) -> str:
    return _WS_RE.sub(" ", text).strip()
