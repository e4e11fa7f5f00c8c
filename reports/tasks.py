"""Background tasks: publishing renders a document with WeasyPrint, which takes seconds, so
it runs in the task worker (`manage.py db_worker --queue-name default,pdf`), never in a web
request (STACK.md 5)."""

from django_tasks import task


@task(queue_name="pdf")
def publish_document(job_id: int) -> int | None:
    """Render and publish a PublishingJob's document; the publication's id, or None when
    nothing was published (the job says why)."""
    from reports.services import run_publishing_job

    publication = run_publishing_job(job_id)
    return publication.pk if publication else None
