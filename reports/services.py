"""Publishing: a board manager asks for a document to be published (``request_publication``),
a task renders it off the request path (``run_publishing_job``, reports/tasks.py) and stores
version N+1 (``store_publication``); ``withdraw`` takes a version off the public site with
a reason. A failed render publishes nothing and the job says why."""

from __future__ import annotations

import hashlib
import logging

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from priorities.models import PlanStatus
from reports import middleware, rendering
from reports.models import (
    SOURCE_FIELDS,
    Publication,
    PublishingJob,
    can_be_published,
    kind_of,
)
from sab.models import User

logger = logging.getLogger(__name__)


def check_can_be_published(source) -> None:
    if not can_be_published(source):
        raise ValidationError(
            f"{source} is {source.get_status_display().lower()}: only an approved plan can be "
            "published. Approve it first."
        )


@transaction.atomic
def request_publication(*, source, by: User) -> PublishingJob:
    """Queue the rendering and publishing of ``source``. While a job for it is unfinished,
    asking again gives that job (a double click publishes once)."""
    source = type(source).objects.select_for_update().get(pk=source.pk)
    check_can_be_published(source)
    field = SOURCE_FIELDS[kind_of(source)]
    waiting = PublishingJob.objects.unfinished().filter(**{field: source}).first()
    if waiting is not None:
        return waiting
    job = PublishingJob.objects.create(
        board=source.board, kind=kind_of(source), requested_by=by, **{field: source}
    )
    # Inside the transaction: with the database backend the task's row commits with the job
    # (STACK.md 5); tests' immediate backend runs it here and now.
    from reports.tasks import publish_document

    publish_document.enqueue(job_id=job.pk)
    return job


def run_publishing_job(job_id: int) -> Publication | None:
    """Render the job's document and publish it as its next version; on any failure,
    publish nothing and record why on the job."""
    job = PublishingJob.objects.select_related("board").get(pk=job_id)
    if job.is_finished:
        return job.publication
    job.state = PublishingJob.State.RENDERING
    job.started_at = timezone.now()
    job.save(update_fields=["state", "started_at"])
    source = job.source
    try:
        check_can_be_published(source)
        rendered = rendering.render(source)
        publication = store_publication(source=source, rendered=rendered, by=job.requested_by)
    except (ValidationError, rendering.RenderError) as error:
        logger.exception("Publishing job %s failed", job.pk)
        message = "; ".join(error.messages) if isinstance(error, ValidationError) else str(error)
        job.state = PublishingJob.State.FAILED
        job.error = f"Nothing was published. {message}"
        job.finished_at = timezone.now()
        job.save(update_fields=["state", "error", "finished_at"])
        return None
    job.state = PublishingJob.State.PUBLISHED
    job.publication = publication
    job.finished_at = timezone.now()
    job.save(update_fields=["state", "publication", "finished_at"])
    return publication


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def store_publication(*, source, rendered: rendering.Rendered, by: User | None) -> Publication:
    """Store a rendered document as the next version of ``source``'s publication: the files
    first, then, in one transaction, the new version, the previous one marked superseded and
    the plan marked published. If the transaction fails, the files it wrote are removed."""
    html = rendered.html.encode("utf-8")
    kind = kind_of(source)
    field = SOURCE_FIELDS[kind]
    publication = Publication(
        board=source.board,
        kind=kind,
        title=rendered.title,
        period=rendered.period,
        year=rendered.year,
        version=0,  # set under the lock below
        pdf_sha256=_sha256(rendered.pdf),
        html_sha256=_sha256(html),
        pdf_size=len(rendered.pdf),
        html_size=len(html),
        page_count=rendered.page_count,
        published_by=by,
        **{field: source},
    )
    try:
        with transaction.atomic():
            # The plan's row is the lock: two publishings of one plan take turns.
            source = type(source).objects.select_for_update().get(pk=source.pk)
            check_can_be_published(source)
            versions = Publication.objects.of(source)
            previous = versions.filter(superseded_by=None).order_by("-version").first()
            publication.version = versions.next_version()
            publication.pdf.save("document.pdf", ContentFile(rendered.pdf), save=False)
            publication.html.save("document.html", ContentFile(html), save=False)
            publication.full_clean()
            publication.save()
            if previous is not None:
                previous.superseded_by = publication
                previous.save(update_fields=["superseded_by"])
            if source.status != PlanStatus.PUBLISHED:
                source.status = PlanStatus.PUBLISHED
                source.save(update_fields=["status"])
    except BaseException:
        for stored in (publication.pdf, publication.html):
            if stored.name:
                stored.storage.delete(stored.name)
        raise
    return publication


@transaction.atomic
def withdraw(*, publication: Publication, by: User, reason: str) -> Publication:
    """Take a published version off the public site: its page stays and says why; its files
    are no longer served. Nothing is deleted."""
    publication = Publication.objects.select_for_update().get(pk=publication.pk)
    if not publication.can_be_withdrawn:
        raise ValidationError("This version has already been withdrawn.")
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Enter why it is being withdrawn"})
    publication.withdrawn_at = timezone.now()
    publication.withdrawn_by = by
    publication.withdrawal_reason = reason
    publication.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawal_reason"])
    # This process stops serving it at once, and again once committed (a download between
    # the two could have cached it); the other workers within a minute.
    middleware.forget(publication.pk)
    transaction.on_commit(lambda: middleware.forget(publication.pk))
    return publication
