# The gateway on a slim Python image, as a non-root user. It calls Wix (GATEWAY_UPSTREAM=wix) and
# refuses to start without WIX_API_KEY and WIX_SITE_ID (README, "Configuration"); the demo
# business needs GATEWAY_UPSTREAM=sandbox explicitly.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    GATEWAY_HOST=0.0.0.0 \
    GATEWAY_PORT=8000 \
    GATEWAY_WORKERS=1 \
    GATEWAY_UPSTREAM=wix \
    GATEWAY_OUTBOX_DB=data/outbox.sqlite3

WORKDIR /app
COPY pyproject.toml README.md ./
COPY gateway ./gateway
# `data/` is the one writable place, for a file-backed sandbox (SANDBOX_DB=data/sandbox.sqlite3).
RUN pip install . \
    && useradd --create-home --uid 10001 gateway \
    && mkdir data && chown gateway data

USER gateway
EXPOSE 8000

HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
    CMD python -c "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ['GATEWAY_PORT'], timeout=4)"

# uvicorn (uvloop + httptools) with GATEWAY_WORKERS processes; SIGTERM drains in-flight requests.
CMD ["python", "-m", "gateway"]
