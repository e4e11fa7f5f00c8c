"""The public site, as an anonymous visitor uses it: the list of boards' published documents,
a board's page, a document's page, the web page version and the PDF download (ETag, 304,
ranges, HEAD, caching), withdrawn and superseded versions, and the home page."""

import hashlib
import io
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from reports import services
from sab.models import RoleAssignment
from tests.factories import BoardFactory, BusinessPlanFactory

Role = RoleAssignment.Role
ROOT = Path(__file__).resolve().parents[2]
QUICK_EXIT = 'href="https://www.bbc.co.uk/weather"'


def _stored(file) -> bytes:
    with file.open("rb") as handle:
        return handle.read()


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.fixture
def plan(board):
    return BusinessPlanFactory(board=board, title="Business Plan 2024/25", status="approved")


@pytest.fixture
def published(publish, plan, manager):
    return publish(plan, by=manager, title="Business Plan 2024/25")


# --- The lists -----------------------------------------------------------------------------


def test_anyone_finds_the_boards_published_documents_by_year(client, publish, board, plan):
    first = publish(plan, title="Business Plan 2024/25", year=2024, page_count=12)
    second = publish(plan, title="Business Plan 2024/25", year=2024, page_count=13)
    older_plan = BusinessPlanFactory(board=board, title="Business Plan 2023/24")
    publish(older_plan, year=2023, period="2023/24")
    BoardFactory(name="Quiet Safeguarding Adults Board")  # nothing published

    response = client.get("/publications/")

    page = response.content.decode()
    assert response.status_code == 200
    assert board.name in page and "Quiet Safeguarding Adults Board" not in page
    # Newest year first; the current version listed, the older one under it.
    assert page.index("2024/25") < page.index("2023/24")
    assert second.get_absolute_url() in page and "13 pages" in page
    assert f'{first.get_absolute_url()}">Version 1</a>' in page
    assert "superseded by version 2" in page
    assert "Business plan" in page and "Version 2, published" in page
    assert QUICK_EXIT in page


def test_a_board_page_lists_its_documents_with_how_to_ask_for_another_format(
    client, published, board
):
    board.alternative_formats_contact = "Call 0116 305 0004 or email lsab@example.org"
    board.save()

    page = client.get(f"/publications/{board.slug}/").content.decode()

    assert published.title in page and published.get_pdf_url() in page
    assert "Call 0116 305 0004" in page
    assert 'href="mailto:lsab@example.org"' in page
    assert reverse("publications:accessibility", kwargs={"slug": board.slug}) in page
    assert QUICK_EXIT in page


def test_without_a_contact_the_board_page_points_to_the_board_office(client, published, board):
    board.contact_email = ""
    board.website = "https://www.lsab.example.org/"
    board.save()
    page = client.get(f"/publications/{board.slug}/").content.decode()
    assert "contact the LSAB board office" in page
    assert 'href="https://www.lsab.example.org/"' in page


def test_the_contact_email_stands_in_for_a_format_contact(client, published, board):
    board.contact_email = "office@lsab.example.org"
    board.save()
    page = client.get(f"/publications/{board.slug}/").content.decode()
    assert 'href="mailto:office@lsab.example.org"' in page


def test_a_board_that_has_published_nothing_has_no_public_page(client, board, other_board):
    BusinessPlanFactory(board=other_board, status="draft")
    for slug in (board.slug, other_board.slug, "no-such-board"):
        assert client.get(f"/publications/{slug}/").status_code == 404
        assert client.get(f"/publications/{slug}/accessibility/").status_code == 404


def test_the_accessibility_statement_is_the_boards_own_or_a_standard_one(client, published, board):
    url = reverse("publications:accessibility", kwargs={"slug": board.slug})
    page = client.get(url).content.decode()
    assert "PDF/UA" in page and "as a web page" in page
    assert QUICK_EXIT in page

    board.accessibility_statement = "Our documents meet **WCAG 2.2 AA**."
    board.save()
    page = client.get(url).content.decode()
    assert "<strong>WCAG 2.2 AA</strong>" in page and "PDF/UA standard" not in page


# --- A document's page ---------------------------------------------------------------------


def test_a_documents_page_says_what_it_is_and_how_to_check_a_download(client, published):
    response = client.get(published.get_absolute_url())

    page = response.content.decode()
    assert response.status_code == 200
    assert '<h1 class="govuk-heading-xl">Business Plan 2024/25</h1>' in page
    assert "Business plan" in page and "2024/25" in page
    size = f"{published.pdf_size / 1024:.1f}\xa0KB"
    assert f"Download PDF ({size}, 3 pages)" in page
    assert published.get_pdf_url() in page and published.get_html_url() in page
    assert "Read it as a web page" in page
    assert published.pdf_sha256 in page
    assert timezone.localtime(published.published_at).strftime("%-d %B %Y") in page
    assert "Request a document in another format" in page
    assert QUICK_EXIT in page


def test_only_published_versions_have_pages(client, board, other_board, published):
    draft = BusinessPlanFactory(board=board, status="draft")
    missing = published.pk + 100
    for slug, pk in [
        (other_board.slug, published.pk),  # the wrong board's address
        ("no-such-board", published.pk),
        (board.slug, missing),
        (board.slug, draft.pk + 100),
    ]:
        for name in ("document", "pdf", "html"):
            url = reverse(f"publications:{name}", kwargs={"slug": slug, "pk": pk})
            assert client.get(url).status_code == 404, url
    # A draft's own pages stay behind the sign-in.
    response = client.get(draft.get_absolute_url())
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_publishing_again_makes_version_2_current_and_keeps_version_1(
    client, publish, plan, tiny_pdf
):
    first = publish(plan, pdf=tiny_pdf + b"\n% version 1")
    second = publish(plan, pdf=tiny_pdf + b"\n% version 2")
    first.refresh_from_db()

    assert second.version == 2 and second.is_current and not first.is_current
    old = client.get(first.get_pdf_url())
    assert old.status_code == 200 and _body(old) == tiny_pdf + b"\n% version 1"
    page = client.get(first.get_absolute_url()).content.decode()
    assert "It was superseded by version 2." in page
    assert f'href="{second.get_absolute_url()}">Read the current version (version 2)' in page
    current = client.get(second.get_absolute_url()).content.decode()
    assert "2 (current)" in current and "It was superseded" not in current
    assert "Superseded by version 2" in current  # version 1, in the list of versions


def test_a_withdrawn_version_says_why_and_serves_no_files(client, published, manager):
    services.withdraw(publication=published, by=manager, reason="It named a person by mistake.")

    page = client.get(published.get_absolute_url())
    assert page.status_code == 200
    text = page.content.decode()
    assert "This version was withdrawn on" in text and "It named a person by mistake." in text
    assert published.get_pdf_url() not in text and published.get_html_url() not in text
    for url in (published.get_pdf_url(), published.get_html_url()):
        response = client.get(url)
        assert response.status_code == 410
        assert "It named a person by mistake." in response.content.decode()
        assert QUICK_EXIT in response.content.decode()
    listed = client.get("/publications/").content.decode()
    assert "Withdrawn" in listed and published.get_pdf_url() not in listed


# --- The PDF download ----------------------------------------------------------------------


def test_the_pdf_is_the_stored_file_byte_for_byte_with_its_sha256_as_etag(client, published):
    response = client.get(published.get_pdf_url())

    body = _body(response)
    assert response.status_code == 200
    assert body == _stored(published.pdf) and body.startswith(b"%PDF-")
    assert response["ETag"] == f'"{hashlib.sha256(body).hexdigest()}"' == published.etag
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (f'attachment; filename="{published.pdf_filename}"')
    assert published.pdf_filename == "lsab-business-plan-202425-v1.pdf"
    assert response["Content-Length"] == str(len(body)) == str(published.pdf_size)
    assert response["Cache-Control"] == "public, max-age=3600"
    assert response["Accept-Ranges"] == "bytes"


@pytest.mark.parametrize(
    "if_none_match",
    ["{etag}", "W/{etag}", '"something-else", {etag}', "*"],
    ids=["strong", "weak", "list", "any"],
)
def test_a_matching_if_none_match_gets_304(client, published, if_none_match):
    header = if_none_match.format(etag=published.etag)
    response = client.get(published.get_pdf_url(), headers={"If-None-Match": header})
    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == published.etag
    assert response["Cache-Control"] == "public, max-age=3600"


def test_another_etag_gets_the_file(client, published):
    response = client.get(published.get_pdf_url(), headers={"If-None-Match": '"stale"'})
    assert response.status_code == 200 and _body(response) == _stored(published.pdf)


@pytest.mark.parametrize(
    ("header", "first", "last"),
    [
        ("bytes=0-9", 0, 9),
        ("bytes=10-", 10, None),
        ("bytes=-7", -7, None),
        ("bytes=5-99999999", 5, None),  # past the end: up to the end
    ],
)
def test_a_range_request_gets_206_with_exactly_those_bytes(client, published, header, first, last):
    stored = _stored(published.pdf)
    size = len(stored)
    wanted = stored[first:] if last is None else stored[first : last + 1]
    start = first % size

    response = client.get(published.get_pdf_url(), headers={"Range": header})

    assert response.status_code == 206
    assert _body(response) == wanted
    assert response["Content-Range"] == f"bytes {start}-{start + len(wanted) - 1}/{size}"
    assert response["Content-Length"] == str(len(wanted))
    assert response["ETag"] == published.etag


@pytest.mark.parametrize("header", ["bytes={size}-", "bytes={size}-{more}", "bytes=-0"])
def test_a_range_outside_the_file_gets_416(client, published, header):
    size = published.pdf_size
    response = client.get(
        published.get_pdf_url(), headers={"Range": header.format(size=size, more=size + 5)}
    )
    assert response.status_code == 416
    assert response["Content-Range"] == f"bytes */{size}"


@pytest.mark.parametrize(
    "headers",
    [
        {"Range": "bytes=0-1, 5-6"},  # several ranges: the whole file instead
        {"Range": "lines=1-2"},
        {"Range": "bytes=9-3"},  # not a valid range: ignored
        {"Range": "bytes=0-9", "If-Range": '"an-older-file"'},
        {"Range": "bytes=0-9", "If-Range": "Wed, 21 Oct 2015 07:28:00 GMT"},
    ],
    ids=["multiple", "other-unit", "backwards", "if-range-other", "if-range-date"],
)
def test_ranges_it_does_not_serve_get_the_whole_file(client, published, headers):
    response = client.get(published.get_pdf_url(), headers=headers)
    assert response.status_code == 200
    assert _body(response) == _stored(published.pdf)


def test_if_range_with_the_files_etag_gets_the_range(client, published):
    response = client.get(
        published.get_pdf_url(), headers={"Range": "bytes=0-4", "If-Range": published.etag}
    )
    assert response.status_code == 206 and _body(response) == b"%PDF-"


def test_head_gives_the_headers_without_the_file(client, published):
    response = client.head(published.get_pdf_url())
    assert response.status_code == 200 and response.content == b""
    assert response["Content-Length"] == str(published.pdf_size)
    assert response["ETag"] == published.etag
    assert response["Content-Type"] == "application/pdf"
    ranged = client.head(published.get_pdf_url(), headers={"Range": "bytes=0-9"})
    assert ranged.status_code == 206 and ranged["Content-Length"] == "10"


def test_the_files_take_only_get_and_head(client, published):
    assert client.post(published.get_pdf_url()).status_code == 405
    assert client.post(published.get_absolute_url()).status_code == 405


def test_a_download_reads_one_row_then_none(client, published, django_assert_num_queries):
    """The first download is one query (the version and its board); after that, for a
    minute, a download or a 304 is answered from memory (reports/middleware.py)."""
    with django_assert_num_queries(1):
        assert client.get(published.get_pdf_url()).status_code == 200
    with django_assert_num_queries(0):
        response = client.get(published.get_pdf_url())
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == published.pdf.open("rb").read()
    with django_assert_num_queries(0):
        response = client.get(published.get_pdf_url(), headers={"If-None-Match": published.etag})
        assert response.status_code == 304


def test_a_withdrawn_version_stops_downloading_at_once(client, published, manager):
    from reports import services

    assert client.get(published.get_pdf_url()).status_code == 200  # now remembered
    services.withdraw(publication=published, by=manager, reason="It named a person.")
    response = client.get(published.get_pdf_url())
    assert response.status_code == 410 and b"It named a person." in response.content


def test_the_fast_path_and_the_view_answer_alike(client, published, settings):
    """Without the fast path, the view answers a download with the same status, headers and
    bytes."""
    fast = client.get(published.get_pdf_url(), headers={"Range": "bytes=0-9"})
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if "PublishedPdfMiddleware" not in m]
    slow = Client().get(published.get_pdf_url(), headers={"Range": "bytes=0-9"})  # new stack
    # The view's answer went through the whole middleware stack; the fast path's did not.
    assert "X-Frame-Options" in slow and "X-Frame-Options" not in fast
    assert fast.status_code == slow.status_code == 206
    headers = ["Content-Type", "Content-Disposition", "ETag", "Cache-Control", "Content-Range"]
    assert [fast[h] for h in headers] == [slow[h] for h in headers]
    assert b"".join(fast.streaming_content) == b"".join(slow.streaming_content)


def test_a_wrong_board_for_the_version_is_not_found_on_the_fast_path(
    client, published, other_board
):
    client.get(published.get_pdf_url())  # remembered under its own board
    wrong = published.get_pdf_url().replace(f"/{published.board.slug}/", f"/{other_board.slug}/")
    assert client.get(wrong).status_code == 404


def test_nothing_on_the_public_path_imports_weasyprint():
    """The web process never renders: loading every URL's views leaves WeasyPrint unloaded
    (about 0.9 s and 54 MB, reports/rendering.py)."""
    code = (
        "import sys, django; django.setup(); "
        "from django.urls import get_resolver; get_resolver().url_patterns; "
        "import reports.public_views, reports.downloads, reports.api; "
        "print('weasyprint' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={"DJANGO_SETTINGS_MODULE": "tests.settings", "PATH": "/usr/bin:/bin"},
        timeout=60,
        check=True,
    )
    assert result.stdout.strip() == "False", result.stderr


# --- The web page version ------------------------------------------------------------------


def test_the_html_version_is_the_stored_page_as_published(client, published):
    response = client.get(published.get_html_url())

    body = _body(response)
    assert response.status_code == 200
    assert body == _stored(published.html)
    assert "“quotes”" in body.decode("utf-8")
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert response["ETag"] == f'"{published.html_sha256}"'
    assert response["ETag"] == f'"{hashlib.sha256(body).hexdigest()}"'
    assert response["Cache-Control"].startswith("public")
    assert "Content-Disposition" not in response
    again = client.get(published.get_html_url(), headers={"If-None-Match": response["ETag"]})
    assert again.status_code == 304


# --- Query counts --------------------------------------------------------------------------


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_lists_queries_do_not_grow_with_publications(client, publish, board):
    """Every board, year, document and older version comes from one query, so a site
    with many boards and years of documents reads no more than one with a single one."""
    plan = BusinessPlanFactory(board=board)
    publish(plan)
    few = (_queries(client, "/publications/"), _queries(client, f"/publications/{board.slug}/"))
    for n in range(3):
        other = BoardFactory()
        for year in (2022, 2023):
            other_plan = BusinessPlanFactory(board=other)
            publish(other_plan, year=year)
            publish(other_plan, year=year)
        publish(BusinessPlanFactory(board=board), year=2020 + n)
        publish(plan)
    many = (_queries(client, "/publications/"), _queries(client, f"/publications/{board.slug}/"))
    assert many == few


def test_a_documents_page_queries_do_not_grow_with_versions(client, publish, plan):
    first = publish(plan)
    few = _queries(client, first.get_absolute_url())
    for _ in range(4):
        publish(plan)
    assert _queries(client, first.get_absolute_url()) == few


# --- The home page and the board's public details -----------------------------------------


def test_the_home_page_leads_the_public_to_the_publications(client, db):
    response = client.get("/")
    page = response.content.decode()
    assert response.status_code == 200
    assert 'href="/publications/"' in page and "Published plans and reports" in page
    assert 'href="/accounts/login/">Sign in</a>' in page
    assert QUICK_EXIT in page
    assert "Signed in as" not in page and "Search your boards" not in page


def test_signed_in_the_home_page_is_as_before(client, board, other_board, make_user):
    user = make_user(Role.VIEWER, board)
    client.force_login(user)
    response = client.get("/")
    assert response.status_code == 302 and response["Location"] == board.get_absolute_url()
    RoleAssignment.objects.create(user=user, board=other_board, role=Role.VIEWER)
    page = client.get("/").content.decode()
    assert "Your boards" in page and other_board.name in page
    assert "Published plans and reports" not in page and QUICK_EXIT not in page


def test_a_signed_in_reader_sees_the_public_pages_too(client, published, board, make_user):
    client.force_login(make_user(Role.VIEWER, board))
    page = client.get("/publications/").content.decode()
    assert published.title in page and "Signed in as" in page


def test_a_manager_sets_the_boards_public_details(client, manager, board, published):
    logo = io.BytesIO()
    Image.new("RGB", (40, 20), "teal").save(logo, "PNG")
    data = {
        "vision": board.vision,
        "terms_of_reference": board.terms_of_reference,
        "financial_year_start_month": board.financial_year_start_month,
        "alternative_formats_contact": "Phone 0116 305 7130",
        "accessibility_statement": "Tell us about **any problem** with our documents.",
        "logo": SimpleUploadedFile("logo.png", logo.getvalue(), "image/png"),
    }
    client.force_login(manager)

    response = client.post(reverse("sab:board-edit", kwargs={"slug": board.slug}), data)

    assert response.status_code == 302, response.context["form"].errors
    board.refresh_from_db()
    assert board.format_request_contact == "Phone 0116 305 7130"
    assert board.logo.name.startswith("boards/logos/")
    client.logout()
    assert "Phone 0116 305 7130" in client.get(published.get_absolute_url()).content.decode()
    statement = client.get(reverse("publications:accessibility", kwargs={"slug": board.slug}))
    assert "<strong>any problem</strong>" in statement.content.decode()


def test_the_board_edit_form_asks_for_the_public_details(client, manager, board):
    client.force_login(manager)
    form = client.get(reverse("sab:board-edit", kwargs={"slug": board.slug})).context["form"]
    assert {"logo", "alternative_formats_contact", "accessibility_statement"} <= set(form.fields)
    assert form.is_multipart()


def test_the_board_edit_page_uploads_a_file(client, manager, board):
    client.force_login(manager)
    page = client.get(reverse("sab:board-edit", kwargs={"slug": board.slug})).content.decode()
    assert 'enctype="multipart/form-data"' in page
    assert 'class="govuk-file-upload" id="id_logo" name="logo" type="file"' in page


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("logo.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>", "Upload a valid image"),
        ("logo.png", b"not an image at all", "Upload a valid image"),
    ],
)
def test_a_logo_that_is_not_a_png_or_jpeg_is_refused(
    client, manager, board, name, content, message
):
    client.force_login(manager)
    data = {
        "vision": board.vision,
        "terms_of_reference": board.terms_of_reference,
        "financial_year_start_month": board.financial_year_start_month,
        "logo": SimpleUploadedFile(name, content),
    }
    response = client.post(reverse("sab:board-edit", kwargs={"slug": board.slug}), data)
    assert response.status_code == 200 and message in response.content.decode()
    board.refresh_from_db()
    assert not board.logo


def test_a_logo_over_1_mb_is_refused(client, manager, board):
    big = io.BytesIO()
    Image.effect_noise((800, 800), 100).convert("RGB").save(big, "PNG")
    assert big.tell() > 1024 * 1024
    client.force_login(manager)
    data = {
        "vision": board.vision,
        "terms_of_reference": board.terms_of_reference,
        "financial_year_start_month": board.financial_year_start_month,
        "logo": SimpleUploadedFile("logo.png", big.getvalue(), "image/png"),
    }
    response = client.post(reverse("sab:board-edit", kwargs={"slug": board.slug}), data)
    assert "The logo must be smaller than 1 MB" in response.content.decode()
