"""The gate in front of every review page and endpoint, in this order:

1. Restricted: someone who is neither a review member nor a board manager in any board gets
   404, so they never learn the pages exist (the records themselves are scoped the same way:
   reviews.models.RestrictedQuerySet).
2. Second factor: a review member or manager not yet verified with their authenticator app
   in this session is sent to verify (or to set one up), and comes back afterwards
   (sab/two_factor.py). The API refuses instead: a token cannot carry a second factor.
"""

from __future__ import annotations

from functools import wraps

from django.http import Http404
from rest_framework.exceptions import NotFound
from rest_framework.permissions import BasePermission

from sab import two_factor
from sab.permissions import board_ids, reads_restricted_records
from sab.roles import RESTRICTED_REVIEW_ROLES


def may_see_reviews(user) -> bool:
    """A review member or board manager somewhere (or a superuser)."""
    return reads_restricted_records(user)


def review_boards(user):
    """The boards whose review records the user may see."""
    from sab.models import Board

    if user.is_superuser:
        return Board.objects.all()
    return Board.objects.filter(pk__in=board_ids(user, RESTRICTED_REVIEW_ROLES))


def restricted(view_func):
    """Decorate a review page: 404 for anyone without review access, then the second factor."""
    verified_view = two_factor.second_factor_required(view_func)

    @wraps(view_func)
    def wrapper(request, *args, **kwargs):
        if not may_see_reviews(request.user):
            raise Http404
        return verified_view(request, *args, **kwargs)

    return wrapper


class ReviewAccess(BasePermission):
    """The API's gate: 404 without review access (before anything else is said)."""

    def has_permission(self, request, view) -> bool:
        if not may_see_reviews(request.user):
            raise NotFound
        return True
