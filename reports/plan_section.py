"""The plan pages' "Print and publish" section (registered with priorities.plan_page): a
draft PDF for every reader; for the board manager, publishing, the latest job and the
published versions with a way to withdraw one."""

from django.template.loader import render_to_string

from priorities.models import BusinessPlan
from priorities.plan_page import add_section
from reports.models import Publication, PublishingJob, can_be_published, kind_of


@add_section
def print_and_publish(request, plan):
    is_business_plan = isinstance(plan, BusinessPlan)
    can_publish = request.user.has_perm("reports.publish", plan)
    publications = list(
        Publication.objects.of(plan).select_related("board", "superseded_by").order_by("-version")
    )
    job = None
    if can_publish:
        job = (
            PublishingJob.objects.filter(board=plan.board_id, kind=kind_of(plan))
            .filter(**{"business_plan" if is_business_plan else "strategic_plan": plan})
            .first()
        )
    return render_to_string(
        "reports/_plan_section.html",
        {
            "plan": plan,
            "draft_url_name": (
                "reports:business-plan-draft"
                if is_business_plan
                else "reports:strategic-plan-draft"
            ),
            "publish_url_name": (
                "reports:business-plan-publish"
                if is_business_plan
                else "reports:strategic-plan-publish"
            ),
            "can_publish": can_publish,
            "publishable": can_be_published(plan),
            "publications": publications,
            "job": job,
        },
        request=request,
    )
