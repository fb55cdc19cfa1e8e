"""Serves a Flask app in a thread of the test process, on a port the OS picks, for the browser to reach."""

from __future__ import annotations

import threading

from flask import Flask
from werkzeug.serving import BaseWSGIServer, make_server


class LiveServer:
    """A WSGI server bound inside its own thread (port 0, no bind-then-close race), stopped on `stop`."""

    def __init__(self, app: Flask, host: str = "127.0.0.1") -> None:
        self.app = app
        self.host = host
        self._ready = threading.Event()
        self._error: BaseException | None = None
        self._server: BaseWSGIServer | None = None
        self._thread = threading.Thread(target=self._serve, name="csam-mock-live-server", daemon=True)

    def _serve(self) -> None:
        try:
            self._server = make_server(self.host, 0, self.app, threaded=True)
        except BaseException as exc:  # noqa: BLE001 - re-raised in start(): the test run must see why the server did not start
            self._error = exc
            self._ready.set()
            return
        self._ready.set()
        self._server.serve_forever()

    def start(self, timeout: float = 10.0) -> LiveServer:
        """Start serving and wait until the socket listens; re-raise a start-up error."""
        self._thread.start()
        if not self._ready.wait(timeout):
            raise RuntimeError("the mock server did not start in time")
        if self._error is not None:
            raise RuntimeError("the mock server could not start") from self._error
        return self

    @property
    def url(self) -> str:
        """The base URL, ending without a slash."""
        assert self._server is not None, "start() first"
        return f"http://{self.host}:{self._server.server_port}"

    def stop(self) -> None:
        """Stop serving and wait for the thread."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        self._thread.join(timeout=10)
