from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from members import views as member_views
from members.permissions import is_org_department

# The admin login goes through allauth (rate limits, two-factor), and the admin is the organisation department's.
admin.site.login = secure_admin_login(admin.site.login)
admin.site.has_permission = lambda request: (
    request.user.is_active and request.user.is_staff and is_org_department(request.user)
)
admin.site.site_header = _("flowparty administration")
admin.site.site_title = _("flowparty")

handler500 = "flowparty.views.server_error"

urlpatterns = [
    path("", member_views.home, name="home"),
    path("accounts/", include("allauth.urls")),
    path("privacy/", member_views.privacy, name="privacy"),
    path("members/", include("members.urls")),
    path("registrations/", include("registrations.urls")),
    path("reports/", include("reports.urls")),
    path("notifications/", include("members.notification_urls")),
    path("checklists/", include("responsibilities.urls")),
    path("exports/", include("reports.export_urls")),
    path("imports/", include("reports.import_urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    from django.views import defaults

    urlpatterns += [
        path("__errors__/403/", defaults.permission_denied, {"exception": Exception()}),
        path("__errors__/404/", defaults.page_not_found, {"exception": Exception()}),
    ]
