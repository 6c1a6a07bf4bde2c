# Vigía: the bot on SQLite. Build: docker build -t vigia .
# Run:   docker run -d --env-file .env -v vigia-data:/data vigia
FROM python:3.12-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    DATABASE_PATH=/data/vigia.db

WORKDIR /app
COPY pyproject.toml README.md babel.cfg ./
COPY domain ./domain
COPY storage ./storage
COPY services ./services
COPY handlers ./handlers
COPY bot ./bot
COPY locales ./locales

# Catalogs are compiled at build time; .mo files are never committed.
RUN pip install . \
    && python -m bot.i18n_tools compile \
    && useradd --system --uid 10001 --home-dir /app vigia \
    && mkdir -p /data && chown vigia /data

USER vigia
VOLUME ["/data"]

# Healthy while the database opens and its schema is current.
HEALTHCHECK --interval=60s --timeout=10s --start-period=30s \
    CMD ["python", "-m", "bot", "health"]

CMD ["python", "-m", "bot"]
