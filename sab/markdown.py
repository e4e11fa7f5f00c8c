"""Markdown for narrative fields, rendered to sanitised HTML in this one place."""

import re
import threading
from html.parser import HTMLParser

import markdown as md
import nh3
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "ul", "ol", "li", "a", "h2", "h3", "h4",
    "blockquote", "code", "pre", "table", "thead", "tbody", "tr", "th", "td", "hr",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"scope"}, "td": set()}


_local = threading.local()


def _parser() -> md.Markdown:
    """This thread's Markdown parser: building one (its extensions) costs more than most
    texts take to convert, and a parser is not safe to share between threads."""
    if not hasattr(_local, "parser"):
        _local.parser = md.Markdown(extensions=["tables", "sane_lists"], output_format="html")
    return _local.parser


def render_markdown(text: str) -> SafeString:
    """Markdown to safe HTML: no raw HTML, scripts or styles; links only http(s) and mailto."""
    html = _parser().reset().convert(text or "")
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )
    return mark_safe(cleaned)  # noqa: S308 - sanitised by nh3 above


class _PlainText(HTMLParser):
    """Text from sanitised Markdown HTML: paragraphs apart, list items on their own lines with
    a bullet or their number, links with their address, table cells separated by " | "."""

    BLOCKS = frozenset({"p", "h2", "h3", "h4", "blockquote", "pre", "table", "hr"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.newlines = 0  # line breaks owed before the next text (the most asked for)
        self.marker = ""  # a list item's bullet or number, written with its first text
        self.lists: list[int | None] = []  # per open list: None (bullets) or the last number
        self.pre = 0
        self.link: tuple[str, int] | None = None  # (href, where the link's text starts)
        self.cells = 0

    def _break(self, lines: int) -> None:
        self.newlines = max(self.newlines, lines)

    def _write(self, text: str) -> None:
        if self.parts and self.newlines:
            self.parts.append("\n" * self.newlines)
        self.parts.append(self.marker + text)
        self.newlines, self.marker = 0, ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"ul", "ol"}:
            self._break(1 if self.lists else 2)
            self.lists.append(0 if tag == "ol" else None)
        elif tag == "li":
            self._break(1)
            number = self.lists[-1] if self.lists else None
            if number is not None:
                self.lists[-1] = number + 1
            indent = "  " * max(len(self.lists) - 1, 0)
            self.marker = indent + ("• " if number is None else f"{number + 1}. ")
        elif tag in {"br", "tr"}:
            self._break(1)
            self.cells = 0
        elif tag in {"td", "th"}:
            if self.cells:
                self._write(" | ")
            self.cells += 1
        elif tag == "a":
            self.link = (dict(attrs).get("href") or "", len(self.parts))
        elif tag in self.BLOCKS:
            self.pre += tag == "pre"
            if not self.marker:  # a loose list's item starts with a paragraph
                self._break(2)

    def handle_endtag(self, tag: str) -> None:
        if tag in {"ul", "ol"}:
            if self.lists:
                self.lists.pop()
            self._break(1 if self.lists else 2)
        elif tag == "a" and self.link:
            href, start = self.link
            text = "".join(self.parts[start:]).strip()
            if href and href.removeprefix("mailto:") != text:
                self._write(f" ({href})")
            self.link = None
        elif tag in self.BLOCKS:
            self.pre -= tag == "pre"
            self._break(2)

    def handle_data(self, data: str) -> None:
        if self.pre:
            self._write(data)
        elif data.strip() or "\n" not in data:  # a newline between tags is only layout
            self._write(data.lstrip("\n") if self.newlines else data)

    def text(self) -> str:
        lines = "\n".join(line.rstrip() for line in "".join(self.parts).splitlines())
        return re.sub(r"\n{3,}", "\n\n", lines).strip()


def summary_text(markdown: str | None, words: int = 30) -> str:
    """Markdown's first ``words`` words as one line of plain text, with an ellipsis when cut:
    for tables and histories that link to the whole text."""
    return Truncator(" ".join(plain_text(markdown).split())).words(int(words), truncate="…")


def plain_text(markdown: str | None) -> str:
    """Markdown as readable plain text (spreadsheets, summaries), through the same
    sanitiser as the pages (render_markdown): no raw HTML, scripts or styles."""
    if not markdown:
        return ""
    parser = _PlainText()
    parser.feed(render_markdown(markdown))
    parser.close()
    return parser.text()
