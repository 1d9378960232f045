# Production image: the web process. Run the worker and scheduler from the same image (see docs/admin/deployment).
FROM python:3.12-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DEBUG=False
WORKDIR /app

COPY pyproject.toml README.md ./
COPY timetracker ./timetracker
COPY accounts ./accounts
COPY tracking ./tracking
COPY integrations ./integrations
COPY analytics ./analytics
COPY templates ./templates
COPY docs ./docs
COPY manage.py ./
RUN pip install --no-cache-dir -e . \
    && SECRET_KEY=build-only python manage.py collectstatic --noinput \
    && useradd --system --home /app timetracker
USER timetracker

EXPOSE 8000
CMD ["sh", "-c", "python manage.py migrate --noinput && gunicorn timetracker.wsgi --bind 0.0.0.0:8000 --workers 3"]
