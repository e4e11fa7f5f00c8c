import time

from django.conf import settings

# How often (seconds) a signed-in user's session is written to extend its idle expiry.
TOUCH_EVERY = 60


class SessionIdleMiddleware:
    """Sessions end after SESSION_COOKIE_AGE seconds of inactivity.

    Rather than saving the session on every request (SESSION_SAVE_EVERY_REQUEST: one UPDATE
    per page), the session is marked changed at most once a minute, which renews its expiry.
    Idle expiry is then accurate to a minute, for a fraction of the writes.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            if now - request.session.get("last_seen", 0) >= min(
                TOUCH_EVERY, settings.SESSION_COOKIE_AGE
            ):
                request.session["last_seen"] = now
        return self.get_response(request)
