"""`csam-mock serve --control-api` in a process of its own, on a port it picks, for suites and benchmarks that
must reach the mock only over HTTP (as they would any site): started, its printed URL read, stopped."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SERVING = re.compile(r"serving on (?P<url>http://\S+?)/?$", re.MULTILINE)


class ServedMockError(Exception):
    """The served mock did not start; the message carries what it printed."""


class ServedMock:
    """A `csam-mock serve --control-api --db <temporary file> --port 0` child process."""

    def __init__(self, site_version: str = "manual-2018", startup_timeout: float = 60.0) -> None:
        self.site_version = site_version
        self.startup_timeout = startup_timeout
        self.url: str | None = None
        self._dir: Path | None = None
        self._process: subprocess.Popen | None = None

    @property
    def db(self) -> Path:
        """The mock's database file (namespaces' files lie beside it)."""
        assert self._dir is not None, "start() first"
        return self._dir / "served.sqlite3"

    @property
    def log(self) -> Path:
        """What the mock printed (its URL, then one line per request)."""
        assert self._dir is not None, "start() first"
        return self._dir / "served.log"

    def start(self) -> ServedMock:
        """Start the mock and wait for the URL it prints; ServedMockError if it exits or stays silent."""
        self._dir = Path(tempfile.mkdtemp(prefix="csam-served-mock-"))
        command = [
            sys.executable,
            "-m",
            "mock_csam",
            "serve",
            "--control-api",
            "--host",
            "127.0.0.1",
            "--port",
            "0",
            "--db",
            str(self.db),
            "--site-version",
            self.site_version,
        ]
        with self.log.open("wb") as out:
            # The output goes to a file, never an unread pipe: a full pipe would stop the mock mid-request.
            self._process = subprocess.Popen(
                command,
                stdout=out,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                cwd=Path(__file__).resolve().parent.parent,
            )
        deadline = time.monotonic() + self.startup_timeout
        while time.monotonic() < deadline:
            found = SERVING.search(self.log.read_text(encoding="utf-8", errors="replace"))
            if found:
                self.url = found["url"]
                return self
            if self._process.poll() is not None:
                break
            time.sleep(0.05)  # polling a child's output until its URL appears (bounded by startup_timeout)
        printed = self.log.read_text(encoding="utf-8", errors="replace").strip()
        self.stop()
        raise ServedMockError(f"`{' '.join(command[2:])}` did not print its URL" + (f":\n{printed}" if printed else ""))

    def stop(self) -> None:
        """Stop the mock (SIGTERM, then kill) and remove its database."""
        if self._process is not None and self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait(timeout=10)
        self._process = None
        if self._dir is not None:
            shutil.rmtree(self._dir, ignore_errors=True)
            self._dir = None

    def __enter__(self) -> ServedMock:
        return self.start()

    def __exit__(self, *_exc: object) -> None:
        self.stop()
