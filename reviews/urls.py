from django.urls import path

from reviews import views

app_name = "reviews"

urlpatterns = [
    path("", views.home, name="home"),
    path("boards/<slug:slug>/", views.referral_list, name="referral-list"),
    path("boards/<slug:slug>/referrals.csv", views.referral_export, name="referral-export"),
    path("boards/<slug:slug>/referrals/new/", views.referral_create, name="referral-create"),
    path("boards/<slug:slug>/years/", views.year_summary_current, name="year-summary-current"),
    path("boards/<slug:slug>/years/<int:year>/", views.year_summary_page, name="year-summary"),
    path("referrals/<int:pk>/", views.referral_detail, name="referral-detail"),
    path("referrals/<int:pk>/edit/", views.referral_edit, name="referral-edit"),
    path("referrals/<int:pk>/decision/", views.referral_decision, name="referral-decision"),
    path(
        "referrals/<int:pk>/information-requests/new/",
        views.information_request_create,
        name="information-request-create",
    ),
    path(
        "information-requests/<int:pk>/edit/",
        views.information_request_edit,
        name="information-request-edit",
    ),
    path("referrals/<int:pk>/review/new/", views.review_create, name="review-create"),
    path("review/<int:pk>/", views.review_detail, name="review-detail"),
    path("review/<int:pk>/edit/", views.review_edit, name="review-edit"),
    path("review/<int:pk>/findings/new/", views.finding_create, name="finding-create"),
    path("findings/<int:pk>/edit/", views.finding_edit, name="finding-edit"),
    path(
        "review/<int:pk>/recommendations/new/",
        views.recommendation_create,
        name="recommendation-create",
    ),
    path("recommendations/<int:pk>/edit/", views.recommendation_edit, name="recommendation-edit"),
    path("recommendations/<int:pk>/actions/new/", views.action_create, name="action-create"),
    path("actions/<int:pk>/edit/", views.action_edit, name="action-edit"),
]
