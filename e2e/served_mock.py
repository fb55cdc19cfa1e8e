"""`csam-mock serve --control-api` in a process of its own, on a port it picks, for suites and benchmarks that
must reach the mock only over HTTP (as they would any site): started, its printed URL read, stopped.

A thread reads everything the child prints as it comes (so its pipe never fills and stops it mid-request), copies
it to `log`, and says when the URL has appeared or the child has ended: start() waits on that, no polling."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
import threading
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
        self._reader: threading.Thread | None = None

    @property
    def db(self) -> Path:
        """The mock's database file (namespaces' files lie beside it)."""
        assert self._dir is not None, "start() first"
        return self._dir / "served.sqlite3"

    @property
    def log(self) -> Path:
        """What the mock printed (its URL and database, and «Stopped.» once stopped)."""
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
        self._process = subprocess.Popen(
            command,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            cwd=Path(__file__).resolve().parent.parent,
        )
        answered = threading.Event()
        self._reader = threading.Thread(
            target=self._read, args=(self._process, self.log, answered), name="served-mock-output", daemon=True
        )
        self._reader.start()
        answered.wait(self.startup_timeout)
        if self.url is not None:
            return self
        self._end_child()  # the reader has then copied everything the child printed
        printed = self.log.read_text(encoding="utf-8", errors="replace").strip() if self.log.exists() else ""
        self.stop()
        raise ServedMockError(f"`{' '.join(command[2:])}` did not print its URL" + (f":\n{printed}" if printed else ""))

    def _read(self, process: subprocess.Popen, log: Path, answered: threading.Event) -> None:
        """Copy the child's output to `log` line by line; set `answered` once its URL is printed, or at its end."""
        assert process.stdout is not None
        with log.open("wb") as out:
            for line in process.stdout:
                out.write(line)
                out.flush()
                if self.url is None:
                    found = SERVING.search(line.decode("utf-8", errors="replace").rstrip("\r\n"))
                    if found:
                        self.url = found["url"]
                        answered.set()
        process.stdout.close()
        answered.set()

    def stop(self) -> None:
        """Stop the mock (SIGTERM, then kill) and remove its database."""
        self._end_child()
        if self._dir is not None:
            shutil.rmtree(self._dir, ignore_errors=True)
            self._dir = None

    def _end_child(self) -> None:
        """Stop the child (SIGTERM, then kill) and let the reader copy the last of its output."""
        if self._process is not None and self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait(timeout=10)
        self._process = None
        if self._reader is not None:  # the child is gone: its output ends, and the reader with it
            self._reader.join(timeout=10)
            self._reader = None

    def __enter__(self) -> ServedMock:
        return self.start()

    def __exit__(self, *_exc: object) -> None:
        self.stop()
