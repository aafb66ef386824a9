from django.urls import path

from . import views

app_name = "responsibilities"

urlpatterns = [
    path("items/", views.item_list, name="item_list"),
    path("items/<int:pk>/edit/", views.item_edit, name="item_edit"),
    path("", views.overview, name="overview"),
    path("organizations/<int:pk>/", views.org_matrix, name="org_matrix"),
    path("organizations/<int:pk>/export/", views.matrix_export_prepare, name="matrix_export_prepare"),
    path("members/<int:member_pk>/<str:kind>/new/", views.member_record_create, name="member_record_create"),
    path("records/<str:kind>/<int:pk>/follow-up/", views.record_follow_up, name="record_follow_up"),
    path("records/<str:kind>/<int:pk>/edit/", views.record_edit, name="record_edit"),
    path("sessions/", views.session_list, name="session_list"),
    path("sessions/new/", views.session_create, name="session_create"),
    path("sessions/<int:pk>/", views.session_detail, name="session_detail"),
    path("consultations/", views.consultation_list, name="consultation_list"),
    path("consultations/new/", views.consultation_create, name="consultation_create"),
    path("dues-allotments/", views.allocation_list, name="allocation_list"),
    path("dues-allotments/new/", views.allocation_create, name="allocation_create"),
    path("dues-allotments/<int:pk>/spend/", views.expense_create, name="expense_create"),
    path("inter-department/", views.interdept_list, name="interdept_list"),
    path("inter-department/new/", views.interdept_create, name="interdept_create"),
    path("me/", views.me, name="me"),
    path("me/<str:kind>/", views.me_record, name="me_record"),
]
