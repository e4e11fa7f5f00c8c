#!/usr/bin/env bash
# Container entrypoint for SAB Manager.
#   web     apply database migrations, then serve the site with gunicorn on port 8000
#   worker  run the background task worker (queues "default" and "pdf")
#   other   run the given command, e.g. `python manage.py createsuperuser`
set -euo pipefail

cd /app

case "${1:-web}" in
  web)
    python manage.py migrate --noinput
    exec gunicorn sab.wsgi:application \
      --workers "${GUNICORN_WORKERS:-3}" \
      --bind 0.0.0.0:8000 \
      --access-logfile - \
      --error-logfile -
    ;;
  worker)
    # The web container applies migrations; wait for them rather than crash on missing tables.
    waited=0
    until python manage.py migrate --check >/dev/null 2>&1; do
      if [ "$waited" -ge "${WORKER_MIGRATION_WAIT:-300}" ]; then
        echo "worker: database unreachable or migrations not applied after ${waited}s" >&2
        python manage.py migrate --check
        exit 1
      fi
      sleep 5
      waited=$((waited + 5))
    done
    # --queue-name takes one comma-separated list (repeating the flag keeps only the last).
    # --max-tasks makes the worker exit after that many tasks (PDF rendering holds on to
    # memory); the container's restart policy starts a fresh one.
    exec python manage.py db_worker \
      --queue-name default,pdf \
      --max-tasks "${WORKER_MAX_TASKS:-100}" \
      --no-reload
    ;;
  *)
    exec "$@"
    ;;
esac
