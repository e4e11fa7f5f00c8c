"""The /api/ root: every app's viewsets on one router. Route names start with "api-"."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from priorities.api import (
    ActionViewSet,
    BusinessPlanViewSet,
    PriorityViewSet,
    ProgressUpdateViewSet,
    RagAssessmentViewSet,
)
from reports.annual_api import (
    AnnualReportViewSet,
    PartnerStatementViewSet,
    ReportSectionViewSet,
)
from reports.api import PublicationViewSet
from reviews.api import (
    FindingViewSet,
    InformationRequestViewSet,
    RecommendationActionViewSet,
    RecommendationViewSet,
    ReferralViewSet,
    ReviewViewSet,
)
from sab.api import BoardViewSet, OrganisationViewSet
from subgroups.api import GroupMembershipViewSet, GroupViewSet, MeetingViewSet

router = DefaultRouter()
router.register("boards", BoardViewSet, basename="api-board")
router.register("organisations", OrganisationViewSet, basename="api-organisation")
router.register("groups", GroupViewSet, basename="api-group")
router.register("group-memberships", GroupMembershipViewSet, basename="api-group-membership")
router.register("meetings", MeetingViewSet, basename="api-meeting")
router.register("plans", BusinessPlanViewSet, basename="api-plan")
router.register("priorities", PriorityViewSet, basename="api-priority")
router.register("actions", ActionViewSet, basename="api-action")
router.register("progress-updates", ProgressUpdateViewSet, basename="api-progress-update")
router.register("rag-assessments", RagAssessmentViewSet, basename="api-rag-assessment")
# Safeguarding Adults Reviews: restricted and second-factor protected (reviews/api.py).
router.register("referrals", ReferralViewSet, basename="api-referral")
router.register(
    "information-requests", InformationRequestViewSet, basename="api-information-request"
)
router.register("reviews", ReviewViewSet, basename="api-review")
router.register("findings", FindingViewSet, basename="api-finding")
router.register("recommendations", RecommendationViewSet, basename="api-recommendation")
router.register(
    "recommendation-actions", RecommendationActionViewSet, basename="api-recommendation-action"
)
# Published documents: readable by anyone, signed in or not (reports/api.py).
router.register("publications", PublicationViewSet, basename="api-publication")
# The annual report, its sections and the partner statements (reports/annual_api.py).
router.register("annual-reports", AnnualReportViewSet, basename="api-annual-report")
router.register("report-sections", ReportSectionViewSet, basename="api-report-section")
router.register("partner-statements", PartnerStatementViewSet, basename="api-partner-statement")

urlpatterns = [
    path("", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # Interactive docs, served from our own static files (sidecar) so the CSP stays strict.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
]
