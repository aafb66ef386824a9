from django.urls import path

from . import views

app_name = "members"

urlpatterns = [
    path("", views.member_list, name="list"),
    path("new/", views.member_create, name="create"),
    path("<int:pk>/", views.member_detail, name="detail"),
    path("<int:pk>/edit/", views.member_edit, name="edit"),
    path("<int:pk>/reveal/", views.member_reveal, name="reveal"),
    path("<int:pk>/account/", views.member_open_account, name="open_account"),
    path("access-log/", views.access_log, name="access_log"),
    path("organizations/", views.organization_list, name="organizations"),
]
