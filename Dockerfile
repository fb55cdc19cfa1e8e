# The served mock in a container: csam-mock on waitress, its state (a SQLite file in WAL mode) in the volume /data.
#   docker build -t csam-mock . && docker run --rm -p 8000:8000 -v csam-mock-data:/data csam-mock
# Only the mock is installed: the harness (Playwright, pytest) runs elsewhere against http://HOST:8000.
FROM python:3.12-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app
# pyproject.toml names README.md as the package's description: the build needs it.
COPY pyproject.toml README.md ./
COPY mock_csam ./mock_csam
RUN pip install . \
    && useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin csam \
    && mkdir /data \
    && chown csam /data
# The demo projects, for `docker run … csam-mock csam-mock serve … --seed fixtures/demo.yaml`.
COPY fixtures/demo.yaml ./fixtures/demo.yaml

USER csam
# Declared after /data is made and given to csam: a new named volume starts as that folder, writable by csam.
VOLUME ["/data"]
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/', timeout=4)"]
# Exec form: csam-mock is PID 1 and gets docker stop's SIGTERM itself (it stops cleanly and prints "Stopped.").
# --allow-remote-control: the container's 0.0.0.0 is reached through the port you publish; publish it only where
# everyone who reaches it may change the state (-p 127.0.0.1:8000:8000 keeps it to this machine).
CMD ["csam-mock", "serve", "--host", "0.0.0.0", "--port", "8000", "--control-api", "--allow-remote-control", \
     "--workers", "8", "--db", "/data/csam-mock.sqlite3"]
