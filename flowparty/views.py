import sys

from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import HttpResponseServerError
from django.template import loader


def server_error(request):
    """500, or a clear 503 when the database cannot be reached. Rendered without context processors or the
    database: the templates are static."""
    exc = sys.exc_info()[1]
    if isinstance(exc, OperationalError | InterfaceError) or (
        isinstance(exc, DatabaseError) and "connect" in str(exc).lower()
    ):
        return HttpResponseServerError(loader.get_template("503.html").render(), status=503)
    return HttpResponseServerError(loader.get_template("500.html").render())
