"""Review records in the admin (superusers only, sab/admin_site.py). They are restricted
data, so the admin shows them only to a superuser who has confirmed a code from their
authenticator app in this session, as the review pages do (sab/two_factor.py)."""

from django.contrib import admin
from django.db import models
from simple_history.admin import SimpleHistoryAdmin

from reviews.models import (
    Finding,
    InformationRequest,
    Recommendation,
    RecommendationAction,
    Referral,
    Review,
)
from sab import two_factor
from sab.admin_site import ReadOnlyAdminMixin


class RestrictedAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    """Nothing of it, not even the model's name, without a verified second factor; and read
    only, since every change goes through the review services (reviews/services.py: the
    subject-label check, references, closing only with every action complete)."""

    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def has_module_permission(self, request) -> bool:
        return two_factor.is_verified(request.user) and super().has_module_permission(request)

    def has_view_permission(self, request, obj=None) -> bool:
        return two_factor.is_verified(request.user) and super().has_view_permission(request, obj)


class ReadOnlyInline(ReadOnlyAdminMixin, admin.TabularInline):
    extra = 0


class InformationRequestInline(ReadOnlyInline):
    model = InformationRequest
    extra = 0


@admin.register(Referral)
class ReferralAdmin(RestrictedAdmin):
    list_display = ["reference", "subject_label", "board", "referral_date", "decision"]
    list_filter = ["board", "decision", "kind"]
    list_select_related = ["board"]
    search_fields = ["reference", "subject_label", "referring_organisation"]
    readonly_fields = [
        "subject_label_warning",
        "subject_label_confirmed_by",
        "subject_label_confirmed_at",
    ]
    inlines = [InformationRequestInline]


class FindingInline(ReadOnlyInline):
    model = Finding
    extra = 0


@admin.register(Review)
class ReviewAdmin(RestrictedAdmin):
    list_display = ["__str__", "methodology", "status", "commissioned_on", "concluded_on"]
    list_filter = ["status", "methodology", "referral__board"]
    list_select_related = ["referral"]
    raw_id_fields = ["referral"]
    inlines = [FindingInline]


@admin.register(Finding)
class FindingAdmin(RestrictedAdmin):
    list_display = ["__str__", "review", "theme"]
    list_select_related = ["review__referral"]
    raw_id_fields = ["review"]


@admin.register(Recommendation)
class RecommendationAdmin(RestrictedAdmin):
    list_display = ["__str__", "review", "scope", "response", "decided_on"]
    list_filter = ["response", "scope"]
    list_select_related = ["review__referral"]
    raw_id_fields = ["review", "finding"]


@admin.register(RecommendationAction)
class RecommendationActionAdmin(RestrictedAdmin):
    list_display = ["__str__", "recommendation", "status", "due", "completed_on"]
    list_filter = ["status"]
    list_select_related = ["recommendation"]
    raw_id_fields = ["recommendation", "plan_action"]


@admin.register(InformationRequest)
class InformationRequestAdmin(RestrictedAdmin):
    list_display = ["__str__", "referral", "due_on", "returned_on"]
    list_select_related = ["referral"]
    raw_id_fields = ["referral"]
