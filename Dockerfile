# The gateway on a slim Python image, as a non-root user. It calls Wix (GATEWAY_UPSTREAM=wix) and
# refuses to start without WIX_API_KEY and WIX_SITE_ID (README, "Configuration"); the demo
# business needs GATEWAY_UPSTREAM=sandbox explicitly.

# GraphiQL's files and the reference app's build (web/package-lock.json pins them).
FROM node:20-bookworm-slim AS web
WORKDIR /web
COPY web/package.json web/package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error
COPY web/build.mjs ./
COPY web/app ./app
RUN node build.mjs

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
# Only the files the gateway serves (gateway/http/graphiql.py lists them); `python -m gateway`
# runs from /app, so they are found beside the code.
COPY --from=web /web/dist ./web/dist
COPY --from=web /web/node_modules/react ./web/node_modules/react
COPY --from=web /web/node_modules/react-dom ./web/node_modules/react-dom
COPY --from=web /web/node_modules/js-cookie ./web/node_modules/js-cookie
COPY --from=web /web/node_modules/graphiql ./web/node_modules/graphiql
COPY --from=web /web/node_modules/@graphiql/plugin-explorer ./web/node_modules/@graphiql/plugin-explorer
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
