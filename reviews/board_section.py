"""The board page's link to the board's review records, for those who may see them.

Shown only to the board's review members and managers (read from the role rows the page
has already loaded: no query), so nobody else learns from the board page that review
records exist.
"""

from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString

from sab.board_page import add_section
from sab.permissions import board_ids
from sab.roles import RESTRICTED_REVIEW_ROLES


@add_section
def reviews_section(request: HttpRequest, board) -> SafeString | None:
    user = request.user
    if not (user.is_superuser or board.pk in board_ids(user, RESTRICTED_REVIEW_ROLES)):
        return None
    return format_html(
        '<h2 class="govuk-heading-m">Safeguarding Adults Reviews</h2>'
        '<p class="govuk-body">Referrals, decisions, reviews and their action plans. '
        "These records are restricted to the review subgroup and board managers, and ask for "
        "the code from your authenticator app.</p>"
        '<ul class="govuk-list">'
        '<li><a class="govuk-link" href="{}">Referrals register</a></li>'
        '<li><a class="govuk-link" href="{}">Year summary for the annual report</a></li>'
        "</ul>",
        reverse("reviews:referral-list", kwargs={"slug": board.slug}),
        reverse("reviews:year-summary-current", kwargs={"slug": board.slug}),
    )
