"""API for published documents: every published version, readable by anyone (the public
site's records, reports/public_views.py). Read-only; signed-in callers see the same."""

import django_filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.permissions import AllowAny

from reports.models import Kind, Publication


class PublicationBoardSerializer(serializers.Serializer):
    slug = serializers.SlugField(read_only=True)
    name = serializers.CharField(read_only=True)


class PublicationSerializer(serializers.ModelSerializer):
    """A published version: what it is, its files' sizes and SHA-256 (to check a download),
    and where to read and download it. A withdrawn version keeps its record and says why;
    its files are no longer served, so it has no download links."""

    board = PublicationBoardSerializer(read_only=True)
    is_current = serializers.BooleanField(read_only=True)
    withdrawn = serializers.BooleanField(source="is_withdrawn", read_only=True)
    pdf_url = serializers.SerializerMethodField()
    html_url = serializers.SerializerMethodField()
    document_url = serializers.SerializerMethodField()

    class Meta:
        model = Publication
        fields = [
            "id", "board", "kind", "title", "period", "year", "version", "published_at",
            "page_count", "pdf_size", "pdf_sha256", "html_sha256", "is_current",
            "superseded_by", "withdrawn", "withdrawal_reason",
            "pdf_url", "html_url", "document_url",
        ]  # fmt: skip
        read_only_fields = fields

    def _absolute(self, path: str) -> str:
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path

    def get_pdf_url(self, publication: Publication) -> str | None:
        """The PDF's download address; null once withdrawn."""
        return None if publication.is_withdrawn else self._absolute(publication.get_pdf_url())

    def get_html_url(self, publication: Publication) -> str | None:
        """The web page version's address; null once withdrawn."""
        return None if publication.is_withdrawn else self._absolute(publication.get_html_url())

    def get_document_url(self, publication: Publication) -> str:
        """The version's page on the public site."""
        return self._absolute(publication.get_absolute_url())


class PublicationFilter(django_filters.FilterSet):
    board = django_filters.CharFilter(field_name="board__slug", label="Board (its slug)")
    kind = django_filters.ChoiceFilter(choices=Kind.choices)
    year = django_filters.NumberFilter()
    current = django_filters.BooleanFilter(
        method="filter_current", label="Only current versions (true) or only older (false)"
    )

    class Meta:
        model = Publication
        fields: list[str] = []

    def filter_current(self, queryset, name, value):
        current = queryset.current()
        return current if value else queryset.exclude(pk__in=current.values("pk"))


@extend_schema_view(
    list=extend_schema(
        summary="Published documents",
        description="Every published version of every board's plans and reports, newest "
        "year first. Open to anyone, without signing in.",
    ),
    retrieve=extend_schema(summary="A published document", description="Open to anyone."),
)
class PublicationViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = PublicationSerializer
    filterset_class = PublicationFilter
    # Published documents are public: anyone may read them (authentication still runs, so a
    # bad token is a 401 as everywhere else in the API).
    permission_classes = [AllowAny]

    def get_queryset(self):
        return Publication.objects.public().select_related("board")
