import time

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import redirect, resolve_url
from django.utils import translation
from django.utils.translation import gettext as _

from .permissions import is_org_department

_EXEMPT_PREFIXES = ("/accounts/", "/static/", "/i18n/")


class RequireTwoFactorMiddleware:
    """Organisation-department staff see everyone's data: they must set up TOTP before using the app.

    On only when FLOWPARTY_REQUIRE_2FA_FOR_ORG_DEPARTMENT is set (production); the embedded demo leaves it off.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            settings.FLOWPARTY_REQUIRE_2FA_FOR_ORG_DEPARTMENT
            and request.user.is_authenticated
            and not request.path.startswith(_EXEMPT_PREFIXES)
            and is_org_department(request.user)
            and not Authenticator.objects.filter(user=request.user, type=Authenticator.Type.TOTP).exists()
        ):
            messages.warning(
                request,
                _(
                    "The organisation department must use two-factor authentication: "
                    "set up an authenticator app to continue."
                ),
            )
            return redirect("mfa_activate_totp")
        return self.get_response(request)


class DefaultLanguageMiddleware(LocaleMiddleware):
    """Chinese unless the person chose another language with the switcher (the language cookie).

    The browser's Accept-Language is ignored on purpose: the measures' wording is Chinese, and an English
    browser on a shared office computer must not change what a secretary sees.
    """

    def process_request(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in dict(settings.LANGUAGES):
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class SessionTimeoutMiddleware:
    """Log out after FLOWPARTY_SESSION_IDLE_TIMEOUT seconds without a request, and FLOWPARTY_SESSION_ABSOLUTE_TIMEOUT
    seconds after logging in, whatever the activity (PIPL: a forgotten browser must not keep personal data open)."""

    STARTED, SEEN = "flowparty_session_started", "flowparty_session_seen"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            started = request.session.setdefault(self.STARTED, now)
            seen = request.session.get(self.SEEN, now)
            idle = now - seen > settings.FLOWPARTY_SESSION_IDLE_TIMEOUT
            expired = now - started > settings.FLOWPARTY_SESSION_ABSOLUTE_TIMEOUT
            if idle or expired:
                logout(request)
                messages.info(
                    request,
                    _("You were logged out after a period without activity. Please log in again.")
                    if idle
                    else _("Your session has ended. Please log in again."),
                )
                return redirect_to_login(request.get_full_path(), resolve_url(settings.LOGIN_URL))
            # Write the activity stamp at most once a minute, not on every request.
            if now - seen >= 60 or self.SEEN not in request.session:
                request.session[self.SEEN] = now
        return self.get_response(request)


def stamp_session_on_login(sender, request, user, **kwargs):
    """Start both session clocks at login, so that the first page after it writes nothing extra."""
    if request is not None and hasattr(request, "session"):
        now = int(time.time())
        request.session[SessionTimeoutMiddleware.STARTED] = now
        request.session[SessionTimeoutMiddleware.SEEN] = now
