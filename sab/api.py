"""REST API for the core records. Same scoping as the pages: querysets start from visible_to.

Also the API's one translation of Django's ValidationError (exception_handler).
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers, viewsets
from rest_framework.views import exception_handler as drf_exception_handler

from sab.models import Board, BoardMembership, Organisation


class OrganisationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organisation
        fields = ["id", "name", "kind", "website"]


class BoardMembershipSerializer(serializers.ModelSerializer):
    organisation = OrganisationSerializer(read_only=True)

    class Meta:
        model = BoardMembership
        fields = ["organisation", "statutory", "start", "end"]


class BoardSerializer(serializers.ModelSerializer):
    chair = serializers.StringRelatedField(allow_null=True)
    memberships = BoardMembershipSerializer(many=True, read_only=True)

    class Meta:
        model = Board
        fields = [
            "id", "name", "short_name", "slug", "area", "chair", "chair_is_independent",
            "contact_email", "website", "financial_year_start_month", "memberships",
        ]  # fmt: skip


class BoardViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = BoardSerializer
    lookup_field = "slug"
    filterset_fields = ["slug"]

    def get_queryset(self):
        return (
            Board.objects.visible_to(self.request.user)
            .select_related("chair__organisation")
            .prefetch_related("memberships__organisation")
        )


class OrganisationViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = OrganisationSerializer
    filterset_fields = ["kind"]

    def get_queryset(self):
        return Organisation.objects.visible_to(self.request.user)


def exception_handler(exc, context):
    """DRF's handler, plus Django's ValidationError: a service or model rule broken by an API
    call is a 400 with the rule's messages, keyed by field as the pages show them."""
    if isinstance(exc, DjangoValidationError):
        exc = serializers.ValidationError(detail=serializers.as_serializer_error(exc))
    return drf_exception_handler(exc, context)
