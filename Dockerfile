# Vigía: the bot on SQLite. Build: docker build -t vigia .
# Run:   docker run -d --env-file .env -v vigia-data:/data vigia
#
# Python 3.11, the version CI tests. The base is pinned by digest: the python:3.11-slim
# image index as published on Docker Hub (multi-architecture). To move to a newer
# patch release, look the digest up (`docker buildx imagetools inspect python:3.11-slim`)
# and change both FROM lines together.
ARG PYTHON_IMAGE=python:3.11-slim@sha256:9c900dea9e8fb7e16277c179b555cc72d29a352dbc33cff48ad5a0412fd5bfc7

# --- the wheel, with its catalogs compiled (build_catalogs.py) -------------------------
FROM ${PYTHON_IMAGE} AS wheel
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
# The build's own tools (setuptools, Babel) at their locked versions, checked by hash.
COPY requirements-build.lock ./
RUN pip install --require-hashes -r requirements-build.lock
COPY pyproject.toml README.md MANIFEST.in build_catalogs.py babel.cfg ./
COPY domain ./domain
COPY storage ./storage
COPY services ./services
COPY handlers ./handlers
COPY bot ./bot
COPY locales ./locales
RUN pip wheel --no-deps --no-build-isolation --wheel-dir /wheels .

# --- the runtime image ----------------------------------------------------------------
FROM ${PYTHON_IMAGE}

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DATABASE_PATH=/data/vigia.db

# The dependency layer: exactly the locked versions, checked by hash. It comes before
# any source, so a change to the code reuses it.
COPY requirements.lock /tmp/requirements.lock
RUN pip install --require-hashes -r /tmp/requirements.lock \
    && rm /tmp/requirements.lock \
    && useradd --system --uid 10001 --create-home --home-dir /home/vigia vigia \
    && mkdir -p /data \
    && chown vigia /data

# Vigía itself: the wheel only (no source tree, so nothing shadows site-packages).
COPY --from=wheel /wheels /tmp/wheels
RUN pip install --no-deps /tmp/wheels/*.whl && rm -rf /tmp/wheels

# The user's own writable HOME (and matplotlib's cache in it): the font cache is built
# once here, not in a temporary directory at every start of the chart worker.
ENV HOME=/home/vigia \
    MPLCONFIGDIR=/home/vigia/.cache/matplotlib
USER 10001
WORKDIR /home/vigia
RUN python -c "import matplotlib.font_manager"
VOLUME ["/data"]

# Healthy while the running bot rewrites its heartbeat (every 30 s) in a database of
# the current schema; the check opens the database read-only and never creates one.
HEALTHCHECK --interval=60s --timeout=10s --start-period=60s --retries=3 \
    CMD ["vigia", "health"]

CMD ["vigia"]
