from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from simple_history.admin import SimpleHistoryAdmin

from sab.models import Board, BoardMembership, Organisation, Person, RoleAssignment, User


@admin.register(User)
class UserAdmin(DjangoUserAdmin, SimpleHistoryAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_active", "is_superuser"]
    search_fields = ["email", "first_name", "last_name"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Name", {"fields": ("first_name", "last_name")}),
        ("Access", {"fields": ("is_active", "is_staff", "is_superuser")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)


class BoardMembershipInline(admin.TabularInline):
    model = BoardMembership
    extra = 0
    autocomplete_fields = ["organisation"]


@admin.register(Board)
class BoardAdmin(SimpleHistoryAdmin):
    list_display = ["name", "short_name", "area"]
    prepopulated_fields = {"slug": ["short_name"]}
    search_fields = ["name", "short_name"]
    inlines = [BoardMembershipInline]


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind"]
    list_filter = ["kind"]
    search_fields = ["name"]


@admin.register(Person)
class PersonAdmin(SimpleHistoryAdmin):
    list_display = ["name", "job_title", "organisation", "user"]
    search_fields = ["name", "email"]
    autocomplete_fields = ["organisation", "user"]
    filter_horizontal = ["boards"]


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(SimpleHistoryAdmin):
    list_display = ["user", "board", "role", "organisation"]
    list_filter = ["board", "role"]
    autocomplete_fields = ["user", "organisation"]


@admin.register(BoardMembership)
class BoardMembershipAdmin(SimpleHistoryAdmin):
    list_display = ["organisation", "board", "statutory", "start", "end"]
    list_filter = ["board", "statutory"]
