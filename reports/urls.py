"""Web pages of saved reports, under /reports/saved/ (the ad-hoc report stays at /reports/)."""

from django.urls import path

from . import share_views, views

urlpatterns = [
    path("s/<str:token>/", share_views.share_page, name="share_page"),
    path("s/<str:token>/data.json", share_views.share_data, name="share_data"),
    path("s/<str:token>/data.csv", share_views.share_csv, name="share_csv"),
    path("reports/saved/", views.saved_report_list, name="saved_report_list"),
    path("reports/saved/new/", views.saved_report_new, name="saved_report_new"),
    path("reports/saved/<int:pk>/", views.saved_report_detail, name="saved_report_detail"),
    path("reports/saved/<int:pk>/edit/", views.saved_report_edit, name="saved_report_edit"),
    path("reports/saved/<int:pk>/delete/", views.saved_report_delete, name="saved_report_delete"),
    path("reports/saved/<int:pk>/duplicate/", views.saved_report_duplicate, name="saved_report_duplicate"),
    path("reports/saved/<int:pk>/favourite/", views.saved_report_favourite, name="saved_report_favourite"),
    path("reports/saved/<int:pk>/share/", views.saved_report_share, name="saved_report_share"),
    path(
        "reports/saved/<int:pk>/share/<int:link_pk>/revoke/", views.share_link_revoke, name="saved_report_share_revoke"
    ),
    path("reports/saved/<int:pk>/subscribe/", views.saved_report_subscribe, name="saved_report_subscribe"),
    path(
        "reports/saved/<int:pk>/subscribe/<int:subscription_pk>/delete/",
        views.subscription_delete,
        name="saved_report_subscription_delete",
    ),
    path("reports/saved/<int:pk>/verify/", views.saved_report_verify, name="saved_report_verify"),
    path("reports/saved/<int:pk>/comments/", views.comment_add, name="saved_report_comment_add"),
    path(
        "reports/saved/<int:pk>/comments/<int:comment_pk>/edit/", views.comment_edit, name="saved_report_comment_edit"
    ),
    path(
        "reports/saved/<int:pk>/comments/<int:comment_pk>/delete/",
        views.comment_delete,
        name="saved_report_comment_delete",
    ),
    path("reports/annotations/new/", views.annotation_new, name="annotation_new"),
    path("reports/annotations/<int:pk>/delete/", views.annotation_delete, name="annotation_delete"),
]
