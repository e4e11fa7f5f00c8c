"""Template filters for the printed documents (templates/reports/documents/)."""

import base64
import mimetypes

from django import template

register = template.Library()


@register.filter(name="data_uri")
def data_uri(image) -> str:
    """A stored image (a board's logo) as a ``data:`` URI, so the document carries it: the
    HTML version needs no media URL and the PDF renderer fetches nothing (CSP allows
    ``img-src data:``). Read while the document renders, so a missing file fails the render."""
    with image.open("rb") as file:
        body = file.read()
    content_type = mimetypes.guess_type(image.name)[0] or "application/octet-stream"
    return f"data:{content_type};base64,{base64.b64encode(body).decode('ascii')}"
