from django.urls import path

from . import transfer_views, views

app_name = "registrations"

urlpatterns = [
    path("outflows/", views.outflow_list, name="outflow_list"),
    path("outflows/new/", views.outflow_create, name="outflow_create"),
    path("outflows/<int:pk>/", views.outflow_detail, name="outflow_detail"),
    path("outflows/<int:pk>/edit/", views.outflow_edit, name="outflow_edit"),
    path("outflows/<int:pk>/<str:action>/", views.outflow_action, name="outflow_action"),
    path("inflows/", views.inflow_list, name="inflow_list"),
    path("inflows/new/", views.inflow_create, name="inflow_create"),
    path("inflows/<int:pk>/", views.inflow_detail, name="inflow_detail"),
    path("inflows/<int:pk>/edit/", views.inflow_edit, name="inflow_edit"),
    path("inflows/<int:pk>/<str:action>/", views.inflow_action, name="inflow_action"),
    path("change-reports/", views.change_report_list, name="change_report_list"),
    path("change-reports/<int:pk>/", views.change_report_detail, name="change_report_detail"),
    path("change-reports/<int:pk>/apply/", views.change_report_apply, name="change_report_apply"),
    path("change-reports/<int:pk>/decline/", views.change_report_decline, name="change_report_decline"),
    path("screenings/", views.screening_list, name="screening_list"),
    path("screenings/new/", views.screening_create, name="screening_create"),
    path("whereabouts/<int:member_pk>/flag/", views.whereabouts_flag, name="whereabouts_flag"),
    path("whereabouts/<int:member_pk>/clear/", views.whereabouts_clear, name="whereabouts_clear"),
    path("whereabouts/unknown/", views.unknown_queue, name="unknown_queue"),
    path("me/", views.me, name="me"),
    path("me/departure/", views.me_departure, name="me_departure"),
    path("me/arrival/", views.me_arrival, name="me_arrival"),
    path("me/change/", views.me_change, name="me_change"),
    path("places/children/", views.place_children, name="place_children"),
    # Formal relation transfers and membership retention (Art. 5)
    path("transfers/", transfer_views.transfer_list, name="transfer_list"),
    path("transfers/new/", transfer_views.transfer_create, name="transfer_create"),
    path("transfers/due/", transfer_views.transfer_due, name="transfer_due"),
    path("transfers/batch-approve/", transfer_views.transfer_batch, name="transfer_batch"),
    path("transfers/<int:pk>/", transfer_views.transfer_detail, name="transfer_detail"),
    path("transfers/<int:pk>/edit/", transfer_views.transfer_edit, name="transfer_edit"),
    path("transfers/<int:pk>/check/", transfer_views.transfer_check, name="transfer_check"),
    path("transfers/<int:pk>/letter/", transfer_views.transfer_letter, name="transfer_letter"),
    path("transfers/<int:pk>/<str:action>/", transfer_views.transfer_action, name="transfer_action"),
    path("retentions/", transfer_views.retention_list, name="retention_list"),
    path("retentions/new/", transfer_views.retention_create, name="retention_create"),
    path("retentions/<int:pk>/", transfer_views.retention_detail, name="retention_detail"),
    path("retentions/<int:pk>/contact/", transfer_views.retention_contact, name="retention_contact"),
    path("retentions/<int:pk>/end/", transfer_views.retention_end, name="retention_end"),
]
