from django.urls import path

from . import import_views as views

app_name = "imports"

urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:kind>/", views.upload, name="upload"),
    path("<slug:kind>/template/", views.template, name="template"),
    path("<slug:kind>/confirm/", views.confirm, name="confirm"),
]
