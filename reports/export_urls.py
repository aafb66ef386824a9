from django.urls import path

from . import export_views as views

app_name = "exports"

urlpatterns = [
    path("files/<str:token>/", views.export_download, name="download"),
    path("campaigns/<int:pk>/", views.export_campaign, name="campaign"),
    path("<slug:kind>/", views.export, name="export"),
    path("<slug:kind>/prepare/", views.export_prepare, name="prepare"),
]
