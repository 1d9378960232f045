# syntax=docker/dockerfile:1
# TimeTracker's production image: one image for every role, chosen by the command (web, worker, beat, migrate;
# see deploy/entrypoint.sh). Build: `docker compose build` or `docker build -t timetracker .`.
# docs/admin/deployment/README.md walks through an installation with compose.yaml.

# The runtime's Debian release ships postgresql-client 17 for `manage.py backup` (pg_dump must be at least as new as
# the server; compose.yaml runs PostgreSQL 17).
ARG PYTHON_IMAGE=python:3.12-slim-trixie

# --- Stage 1: wheels of every dependency (the only stage that may need a compiler) --------------------------------
FROM ${PYTHON_IMAGE} AS wheels
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
COPY pyproject.toml README.md ./
COPY timetracker ./timetracker
RUN pip wheel --wheel-dir /wheels . \
    && rm /wheels/timetracker-*.whl

# --- Stage 2: the slim runtime -----------------------------------------------------------------------------------
FROM ${PYTHON_IMAGE} AS runtime
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PATH=/opt/venv/bin:$PATH \
    PYTHONPATH=/app \
    DEBUG=False \
    DEPLOYMENT_METHOD=docker \
    STATIC_ROOT=/app/staticfiles \
    BACKUP_DIR=/backups

RUN apt-get update \
    && apt-get install -y --no-install-recommends postgresql-client \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --user-group --home-dir /app --shell /usr/sbin/nologin timetracker \
    && mkdir /backups && chown timetracker:timetracker /backups

# Dependencies from the wheels of stage 1, installed without reaching an index; the wheels stay out of the image.
RUN --mount=type=bind,from=wheels,source=/wheels,target=/wheels \
    python -m venv /opt/venv && pip install --no-index /wheels/*.whl

# The application runs from its source folder: templates/ and docs/ (the in-app help) sit beside the packages.
# .dockerignore keeps the virtualenv, databases, .env and caches out.
WORKDIR /app
COPY . .
RUN SECRET_KEY=collectstatic-at-build-time-only python manage.py collectstatic --noinput \
    && python -m compileall -q . \
    && chmod 0755 deploy/entrypoint.sh

USER timetracker
EXPOSE 8000
VOLUME ["/backups"]
HEALTHCHECK --interval=30s --timeout=6s --start-period=30s --retries=3 CMD ["python", "/app/deploy/healthcheck.py"]
ENTRYPOINT ["/app/deploy/entrypoint.sh"]
CMD ["web"]
