from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("statistics/", views.statistics, name="statistics"),
    path("statistics/campaigns/<int:pk>/", views.campaign_statistics, name="campaign_statistics"),
]
