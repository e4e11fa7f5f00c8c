# syntax=docker/dockerfile:1
# SAB Manager production image: gunicorn web server or background task worker.
#   docker build -t sab-manager .
#   docker run ... sab-manager web      (migrate, then serve on port 8000)
#   docker run ... sab-manager worker   (process the "default" and "pdf" task queues)
# Every setting comes from the environment (see .env.example); docker-compose.yml wires them.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=sab.settings \
    STATIC_ROOT=/srv/sab/static \
    MEDIA_ROOT=/srv/sab/media

# WeasyPrint (PDF reports) needs Pango/HarfBuzz and fonts; shared-mime-info for image types.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 \
        libpangoft2-1.0-0 \
        libharfbuzz0b \
        libharfbuzz-subset0 \
        fonts-liberation2 \
        shared-mime-info \
    && rm -rf /var/lib/apt/lists/*

# Unprivileged runtime user with a fixed UID/GID (so volume ownership is predictable and
# orchestrators can verify runAsNonRoot).
RUN groupadd --system --gid 10001 sab \
    && useradd --system --uid 10001 --gid sab --home-dir /app --no-create-home \
        --shell /usr/sbin/nologin sab

WORKDIR /app

# Dependencies first, so code changes do not reinstall them. The project installs no packages
# of its own ([tool.setuptools] packages = []); the apps run from /app via manage.py.
COPY pyproject.toml requirements.lock ./
RUN pip install --upgrade pip==25.3 \
    && pip install --constraint requirements.lock .

COPY . .
COPY --chmod=0755 docker/entrypoint.sh /usr/local/bin/sab-entrypoint

# Static files are collected into the image (whitenoise's manifest storage needs them when
# DEBUG is off). The key and host below exist only for this build step.
RUN DEBUG=false SECRET_KEY=collectstatic-build-only ALLOWED_HOSTS=localhost \
        python manage.py collectstatic --noinput \
    && python -m compileall -q /app \
    && mkdir -p /srv/sab/media \
    && chown sab:sab /srv/sab/media

# Uploaded documents live in /srv/sab/media: mount a named volume there (docker-compose.yml
# does) or they are lost with the container. A fresh named volume inherits the sab ownership.
USER 10001:10001

EXPOSE 8000

# /healthz is exempt from the HTTPS redirect. The Host header is taken from ALLOWED_HOSTS so
# the probe is not refused as a disallowed host.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request as r; h = next((x.strip().lstrip('.') for x in os.environ.get('ALLOWED_HOSTS', '').split(',') if x.strip() and '*' not in x), 'localhost'); r.urlopen(r.Request('http://127.0.0.1:8000/healthz', headers={'Host': h}), timeout=4)"]

ENTRYPOINT ["sab-entrypoint"]
CMD ["web"]
