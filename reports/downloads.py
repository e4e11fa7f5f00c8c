"""Serving a stored file to the public: read through Django's storage API (so the files may
live in object storage), never rendered on the way out.

``serve_stored_file`` answers a GET or HEAD for one file whose SHA-256 is known: the hash is
the ETag, a matching If-None-Match gets 304, and a single byte range (RFC 9110 section 14)
gets 206, so a browser or download manager can resume a large PDF.
"""

from __future__ import annotations

import re

from django.core.files import File
from django.http import FileResponse, HttpRequest, HttpResponse
from django.utils.http import content_disposition_header

_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
# Published files never change, but a version can be withdrawn: an hour's caching keeps a
# withdrawn file from lingering long in shared caches.
FILE_CACHE_CONTROL = "public, max-age=3600"


def _opaque(tag: str) -> str:
    """An entity tag without its weak prefix, for the weak comparison If-None-Match uses."""
    tag = tag.strip()
    return tag[2:] if tag.startswith("W/") else tag


def etag_matches(header: str, etag: str) -> bool:
    """Whether an If-None-Match header (``*``, one tag or a list, weak or strong) names
    ``etag``."""
    tags = [part.strip() for part in header.split(",") if part.strip()]
    return "*" in tags or _opaque(etag) in {_opaque(tag) for tag in tags}


def byte_range(header: str, size: int) -> tuple[int, int] | bool | None:
    """The one range a Range header asks for, as (first, last) byte positions; ``None`` when
    the whole file should be sent (no Range, another unit, a malformed header, or several
    ranges); ``False`` when the range cannot be satisfied (416)."""
    # Several ranges would need a multipart/byteranges body; sending the whole file instead
    # is allowed (RFC 9110 14.2: a server may ignore Range) and is what clients expect.
    match = _RANGE.match(header.strip().replace(" ", ""))
    if match is None:
        return None
    first, last = match.groups()
    if not first and not last:
        return None
    if not first:  # "bytes=-n": the last n bytes
        suffix = int(last)
        if suffix == 0 or size == 0:
            return False
        return max(size - suffix, 0), size - 1
    start = int(first)
    if last and int(last) < start:
        return None  # not a valid range: ignored
    if start >= size:
        return False
    end = int(last) if last else size - 1
    return start, min(end, size - 1)


class _Part:
    """``length`` bytes of an open file from ``start``, read like a file (FileResponse
    streams it and closes the file after the response). No ``fileno``: a server's
    sendfile would send the rest of the file, not the part."""

    def __init__(self, file: File, start: int, length: int) -> None:
        file.seek(start)
        self.file = file
        self.remaining = length

    def read(self, size: int = -1) -> bytes:
        if self.remaining <= 0:
            return b""
        size = self.remaining if size < 0 else min(size, self.remaining)
        chunk = self.file.read(size)
        self.remaining -= len(chunk)
        return chunk

    def close(self) -> None:
        self.file.close()


def serve_stored_file(
    request: HttpRequest,
    field_file,
    *,
    etag: str,
    size: int,
    content_type: str,
    filename: str = "",
    as_attachment: bool = True,
    cache_control: str = FILE_CACHE_CONTROL,
) -> HttpResponse:
    """The stored file ``field_file`` (a FieldFile) as the answer to a GET or HEAD.

    ``etag`` is the quoted entity tag (the file's SHA-256) and ``size`` its length in bytes,
    both as stored when it was published, so a 304 or a HEAD never touches the storage.
    """
    headers = {
        "ETag": etag,
        "Cache-Control": cache_control,
        "Accept-Ranges": "bytes",
    }
    if etag_matches(request.headers.get("If-None-Match", ""), etag):
        return HttpResponse(status=304, headers=headers)
    headers["Content-Type"] = content_type
    if filename:
        headers["Content-Disposition"] = content_disposition_header(as_attachment, filename)

    wanted = None
    if "Range" in request.headers:
        # If-Range: the range only if the file is still the one the client has part of (its
        # ETag; a date, or a weak tag, never matches a strong comparison: send it whole).
        if_range = request.headers.get("If-Range")
        if if_range is None or if_range.strip() == etag:
            wanted = byte_range(request.headers["Range"], size)
    if wanted is False:
        headers["Content-Range"] = f"bytes */{size}"
        headers["Content-Type"] = "text/plain; charset=utf-8"
        headers.pop("Content-Disposition", None)
        return HttpResponse(b"That range is not in the file.", status=416, headers=headers)

    start, end = wanted or (0, size - 1)
    length = end - start + 1 if size else 0
    status = 206 if wanted else 200
    if wanted:
        headers["Content-Range"] = f"bytes {start}-{end}/{size}"
    if request.method == "HEAD":
        response = HttpResponse(status=status, headers=headers)
        response["Content-Length"] = str(length)
        return response
    file = field_file.open("rb")
    # The whole file goes to the server's sendfile (wsgi.file_wrapper) where it has one.
    response = FileResponse(_Part(file, start, length) if wanted else file, status=status)
    if not filename:
        # FileResponse names the file after its stored name; a page read in the browser
        # needs no name.
        response.headers.pop("Content-Disposition", None)
    for name, value in headers.items():
        response[name] = value
    response["Content-Length"] = str(length)
    return response
