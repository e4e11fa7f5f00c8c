"""The plan pages' "Print and publish" section (registered with priorities.plan_page): a
draft PDF for every reader; for the board manager, publishing, the latest job and the
published versions with a way to withdraw one."""

from django.template.loader import render_to_string

from priorities.plan_page import add_section
from reports.models import (
    SOURCE_FIELDS,
    Kind,
    Publication,
    PublishingJob,
    can_be_published,
    kind_of,
)

# The pages for each kind of plan: its draft PDF and its publishing (reports/urls.py).
URL_NAMES = {
    Kind.BUSINESS_PLAN: ("reports:business-plan-draft", "reports:business-plan-publish"),
    Kind.STRATEGIC_PLAN: ("reports:strategic-plan-draft", "reports:strategic-plan-publish"),
}


@add_section
def print_and_publish(request, plan):
    kind = kind_of(plan)
    can_publish = request.user.has_perm("reports.publish", plan)
    publications = list(
        Publication.objects.of(plan).select_related("board", "superseded_by").order_by("-version")
    )
    job = None
    if can_publish:
        job = PublishingJob.objects.filter(**{SOURCE_FIELDS[kind]: plan}).first()
    draft_url_name, publish_url_name = URL_NAMES[kind]
    return render_to_string(
        "reports/_plan_section.html",
        {
            "plan": plan,
            "draft_url_name": draft_url_name,
            "publish_url_name": publish_url_name,
            "can_publish": can_publish,
            "publishable": can_be_published(plan),
            "publications": publications,
            "job": job,
        },
        request=request,
    )
