from django.urls import path

from subgroups import views

app_name = "subgroups"

urlpatterns = [
    path("boards/<slug:slug>/groups/", views.structure, name="structure"),
    path("boards/<slug:slug>/groups/new/", views.group_create, name="group-create"),
    path("groups/<int:pk>/", views.group_detail, name="group-detail"),
    path("groups/<int:pk>/edit/", views.group_edit, name="group-edit"),
    path("groups/<int:pk>/delete/", views.group_delete, name="group-delete"),
    path("groups/<int:pk>/members/new/", views.membership_form, name="membership-create"),
    path(
        "groups/<int:pk>/members/<int:membership_pk>/edit/",
        views.membership_form,
        name="membership-edit",
    ),
    path("groups/<int:pk>/meetings/new/", views.meeting_form, name="meeting-create"),
    path(
        "groups/<int:pk>/meetings/<int:meeting_pk>/edit/", views.meeting_form, name="meeting-edit"
    ),
]
