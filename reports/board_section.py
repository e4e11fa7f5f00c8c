"""The board page's link to the board's annual reports and Section 42 figures, for everyone
in the board (read from the role rows the page has already loaded: no query)."""

from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString

from sab.board_page import add_section
from sab.permissions import board_ids, led_organisation_ids


@add_section
def annual_reports_section(request: HttpRequest, board) -> SafeString | None:
    user = request.user
    if not (user.is_superuser or board.pk in board_ids(user)):
        return None
    statements = ""
    if led_organisation_ids(user, board):
        statements = format_html(
            '<li><a class="govuk-link" href="{}">Your organisation\'s statements for the '
            "annual report</a></li>",
            reverse("reports:my-statements"),
        )
    return format_html(
        '<h2 class="govuk-heading-m">Annual reports</h2>'
        '<p class="govuk-body">The report the board publishes each year, assembled from the '
        "year's records, with partner statements and the Section 42 figures.</p>"
        '<ul class="govuk-list">'
        '<li><a class="govuk-link" href="{}">Annual reports</a></li>{}'
        "</ul>",
        reverse("reports:annual-report-list", kwargs={"slug": board.slug}),
        statements,
    )
