#!/bin/sh
# The one image's entry point: the first argument picks the role of the container.
#
#   web      gunicorn serving timetracker.wsgi (settings in deploy/gunicorn.conf.py, tuned by GUNICORN_*)
#   worker   a Celery worker (CELERY_WORKER_CONCURRENCY processes, CELERY_WORKER_QUEUES queues)
#   beat     the Celery beat scheduler (django-celery-beat's DatabaseScheduler) -- run exactly one
#   migrate  one-shot: apply migrations and create the periodic tasks, then exit (run it before web/worker/beat)
#   manage   `python manage.py ...` with the remaining arguments, e.g. `manage backup`
#   anything else is run as given, e.g. `sh`.
#
# Roles `exec` their process so it receives the container's SIGTERM and shuts down gracefully.
set -eu

cd "$(dirname "$0")/.."
# The application runs from its source folder (it is not pip-installed in the image): make its packages importable
# for every process and whatever it starts, wherever their working directory is.
PYTHONPATH="$(pwd)${PYTHONPATH:+:$PYTHONPATH}"
export PYTHONPATH

role="${1:-web}"
[ "$#" -gt 0 ] && shift

case "$role" in
  web)
    exec gunicorn --config deploy/gunicorn.conf.py timetracker.wsgi "$@"
    ;;
  worker)
    exec celery --app timetracker worker \
      --loglevel "${LOG_LEVEL:-INFO}" \
      --concurrency "${CELERY_WORKER_CONCURRENCY:-2}" \
      --queues "${CELERY_WORKER_QUEUES:-celery}" \
      "$@"
    ;;
  beat)
    exec celery --app timetracker beat --loglevel "${LOG_LEVEL:-INFO}" "$@"
    ;;
  migrate)
    python manage.py migrate --noinput "$@"
    exec python manage.py setup_periodic_tasks
    ;;
  manage)
    exec python manage.py "$@"
    ;;
  *)
    exec "$role" "$@"
    ;;
esac
