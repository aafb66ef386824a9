"""The production URLs plus the floor: a bare Django view behind the same middleware (session, user, locale...)
on the same server. Mounted only here, never in flowparty/urls.py."""

from django.http import HttpResponse
from django.urls import path

from flowparty.urls import urlpatterns as site_urlpatterns


def bare(request):
    # Touch the user as every page does (the session and the user are loaded), render nothing.
    return HttpResponse(f"ok {request.user.pk}", content_type="text/plain")


urlpatterns = [path("__bench__/bare/", bare, name="bench_bare"), *site_urlpatterns]
