"""The `csam-mock` command: its help, its refusals, seeding, and a real serve whose state survives a restart."""

from __future__ import annotations

import json
import os
import queue
import signal
import socket
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from click.testing import CliRunner
from faker import Faker

from fixtures import builders
from mock_csam.cli import _is_loopback, main
from mock_csam.control import serialisers
from mock_csam.domain.store import Store

ROOT = Path(__file__).resolve().parent.parent
DEMO_SEED = ROOT / "fixtures" / "demo.yaml"
START_TIMEOUT_S = 30


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=60, check=False)


def test_serve_help_lists_the_options() -> None:
    result = CliRunner().invoke(main, ["serve", "--help"])
    assert result.exit_code == 0
    for option in (
        "--host",
        "--port",
        "--db",
        "--workers",
        "--site-version",
        "--control-api",
        "--allow-remote-control",
        "--seed",
    ):
        assert option in result.output


def test_both_site_versions_are_offered_and_no_other() -> None:
    assert "[manual-2018|current]" in CliRunner().invoke(main, ["serve", "--help"]).output
    result = CliRunner().invoke(main, ["serve", "--site-version", "2030", "--db", ":memory:"])
    assert result.exit_code == 2
    assert "Invalid value for '--site-version': '2030'" in result.output


def test_the_module_and_the_command_print_the_same_help() -> None:
    command = Path(sys.executable).with_name("csam-mock")
    assert command.exists(), "the project is installed with its csam-mock script"
    by_command = _run(str(command), "serve", "--help")
    by_module = _run(sys.executable, "-m", "mock_csam", "serve", "--help")
    assert by_command.returncode == by_module.returncode == 0
    assert by_command.stdout.startswith("Usage: csam-mock serve [OPTIONS]")
    assert by_module.stdout == by_command.stdout


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.0.0.2", True),
        ("localhost", True),
        ("::1", True),
        ("0.0.0.0", False),
        ("192.168.1.20", False),
        ("::", False),
        ("example.org", False),
    ],
)
def test_which_hosts_are_loopback(host: str, loopback: bool) -> None:
    assert _is_loopback(host) is loopback


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.20"])
def test_the_control_api_is_refused_on_a_non_loopback_host(host: str, tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["serve", "--host", host, "--control-api", "--db", str(tmp_path / "db")])
    assert result.exit_code == 2
    assert f"--control-api on {host}" in result.output
    assert "--allow-remote-control" in result.output
    assert not (tmp_path / "db").exists(), "refused before anything is created"


def test_a_seed_with_an_invalid_project_is_refused_with_a_clear_message(tmp_path: Path, faker: Faker) -> None:
    good, bad = builders.project(faker), builders.project(faker)
    bad["persons"][1]["niss"] = "12345678901"
    seed = tmp_path / "seed.json"
    seed.write_text(json.dumps({"projects": [good, bad]}), encoding="utf-8")
    db = tmp_path / "mock.sqlite3"
    result = CliRunner().invoke(main, ["serve", "--port", "0", "--db", str(db), "--seed", str(seed)])
    assert result.exit_code == 1
    assert (
        f"Error: seed refused: project #2 ({bad['inami_number']}): persons[1].niss: Ce NISS n'est pas valable"
    ) in result.output
    assert "Traceback" not in result.output
    store = Store(db)
    with store.transaction() as session:
        assert serialisers.export_state(session)["projects"] == [], "nothing of the seed was kept"
    store.dispose()


def test_a_seed_that_is_not_a_list_of_projects_is_refused(tmp_path: Path) -> None:
    seed = tmp_path / "seed.yaml"
    seed.write_text("name: not a list\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["serve", "--port", "0", "--db", ":memory:", "--seed", str(seed)])
    assert result.exit_code == 1
    assert "seed refused" in result.output and "expected a list of projects" in result.output


def test_a_missing_seed_file_is_refused(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["serve", "--seed", str(tmp_path / "nope.yaml")])
    assert result.exit_code == 2
    assert "nope.yaml" in result.output and "does not exist" in result.output


def test_a_port_in_use_is_refused_without_a_traceback(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(main, ["serve", "--port", str(port), "--db", str(tmp_path / "db")])
    assert result.exit_code == 1
    assert f"Port {port} is in use" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize("workers", ["0", "-2", "129", "many"])
def test_a_bad_number_of_workers_is_refused(workers: str, tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["serve", "--workers", workers, "--db", str(tmp_path / "db")])
    assert result.exit_code == 2
    assert "Invalid value for '--workers'" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("postgres://mock@db.example/csam", "write postgresql+psycopg://"),
        ("oracle://mock@db.example/csam", "the mock runs on sqlite:///FILE or postgresql+psycopg://"),
        ("postgresql+psycopg://mock:secret@db.example:port/csam", "is not a database URL"),
        ("sqlite://db.example/mock.sqlite3", "write sqlite:///relative/file"),
    ],
)
def test_a_bad_database_url_is_refused_without_a_traceback(url: str, reason: str, tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["serve", "--port", "0", "--db", url])
    assert result.exit_code == 2
    assert "Invalid value for --db" in result.output and reason in result.output
    assert "Traceback" not in result.output and "secret" not in result.output


def test_a_postgres_url_without_its_driver_says_how_to_install_it() -> None:
    try:
        import psycopg  # noqa: F401
    except ImportError:
        pass
    else:
        pytest.skip("psycopg is installed here")
    result = CliRunner().invoke(main, ["serve", "--port", "0", "--db", "postgresql://mock@db.example/csam"])
    assert result.exit_code == 2
    assert "pip install 'csam-harness[postgres]'" in result.output
    assert "Traceback" not in result.output


def test_a_database_that_cannot_be_opened_is_refused_without_a_traceback(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["serve", "--db", str(tmp_path)])
    assert result.exit_code == 1
    assert f"Error: cannot open the database {tmp_path}" in result.output


# ---------------------------------------------------------------------------------------------------------
# A real serve, as `./run demo` starts it
# ---------------------------------------------------------------------------------------------------------


class Served:
    """`python -m mock_csam serve …` in a subprocess, with its printed lines and its URL."""

    def __init__(self, *args: str) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "mock_csam", "serve", "--port", "0", *args],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        self.lines: list[str] = []
        self._queue: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()
        self.url = self._wait_for_url()

    def _read(self) -> None:
        for line in self.process.stdout:
            self._queue.put(line.rstrip("\n"))
        self._queue.put(None)

    def _wait_for_url(self) -> str:
        while True:
            try:
                line = self._queue.get(timeout=START_TIMEOUT_S)
            except queue.Empty:
                self.stop()
                raise AssertionError(f"no URL printed in {START_TIMEOUT_S} s: {self.lines}") from None
            if line is None:
                raise AssertionError(f"the mock stopped (exit {self.process.wait()}): {self.lines}")
            self.lines.append(line)
            if " serving on " in line:
                return line.rsplit(" ", 1)[1]

    def get(self, path: str) -> Any:
        with urllib.request.urlopen(self.url + path.lstrip("/"), timeout=10) as response:
            return json.load(response)

    def post(self, path: str, body: Any) -> Any:
        request = urllib.request.Request(
            self.url + path.lstrip("/"),
            data=json.dumps(body).encode(),
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.load(response)

    def stop(self, signum: int = signal.SIGINT) -> int:
        """Ctrl+C, as a person stops it (or another signal); returns the exit code."""
        if self.process.poll() is None:
            self.process.send_signal(signum)
        try:
            code = self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            code = self.process.wait()
        while (line := self._queue.get(timeout=5)) is not None:
            self.lines.append(line)
        return code


@pytest.fixture
def served() -> Iterator[list[Served]]:
    """Servers started by a test; any still running at its end is stopped."""
    started: list[Served] = []
    yield started
    for server in started:
        if server.process.poll() is None:
            server.stop()


def test_the_served_mock_keeps_its_state_across_a_restart(tmp_path: Path, served: list[Served], faker: Faker) -> None:
    db = tmp_path / "mock.sqlite3"
    first = Served("--db", str(db), "--seed", str(DEMO_SEED), "--control-api")
    served.append(first)
    assert first.url.startswith("http://127.0.0.1:") and first.url.endswith("/")
    assert f"Seeded 2 project(s) from {DEMO_SEED}" in first.lines
    state = first.get("/_mock/state")
    assert [p["inami_number"] for p in state["projects"]] == ["71000436", "78901184"]
    extra = builders.project(faker)
    assert first.post("/_mock/szv/projects", extra)[0] == 201
    assert first.stop() == 0
    assert "Stopped." in first.lines

    second = Served("--db", str(db), "--seed", str(DEMO_SEED), "--control-api")
    served.append(second)
    assert f"Seeded 0 project(s) from {DEMO_SEED}; 2 already present" in second.lines
    numbers = [p["inami_number"] for p in second.get("/_mock/state")["projects"]]
    assert numbers == ["71000436", "78901184", extra["inami_number"]]
    assert second.stop() == 0


def test_without_control_api_the_served_mock_hides_it(tmp_path: Path, served: list[Served]) -> None:
    server = Served("--db", str(tmp_path / "mock.sqlite3"))
    served.append(server)
    with pytest.raises(urllib.error.HTTPError) as caught:
        server.get("/_mock/state")
    assert caught.value.code == 404
    assert not any("_mock" in line for line in server.lines)


def test_a_service_manager_stops_it_cleanly(tmp_path: Path, served: list[Served]) -> None:
    server = Served("--db", str(tmp_path / "mock.sqlite3"))
    served.append(server)
    assert server.stop(signal.SIGTERM) == 0
    assert "Stopped." in server.lines


def test_the_current_site_version_is_served(tmp_path: Path, served: list[Served]) -> None:
    server = Served("--db", str(tmp_path / "mock.sqlite3"), "--site-version", "current")
    served.append(server)
    assert any(line.startswith("CSAM mock (current) serving on ") for line in server.lines)
    with urllib.request.urlopen(server.url + "fr/acces/demande", timeout=10) as response:
        assert response.read().decode().count(">Enregistrez-vous via le site CSAM</a>") == 3
    # Today's CSAM page asks for the login first (urllib follows the redirect).
    csam_page = server.url + "app032/camregistration/?processType=EH_ORGANIZATION&locale=fr"
    with urllib.request.urlopen(csam_page, timeout=10) as response:
        assert urlsplit(response.url).path == "/csam/login"
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(server.url + "csam/registration/", timeout=10)
    assert caught.value.code == 404
    assert server.stop() == 0


def test_workers_answer_requests_at_once_on_a_sqlite_url(tmp_path: Path, served: list[Served], faker: Faker) -> None:
    db = tmp_path / "sub" / "mock.sqlite3"
    server = Served("--db", f"sqlite:///{db}", "--workers", "3", "--control-api")
    served.append(server)
    projects = [builders.project(faker) for _ in range(6)]
    assert len({p["inami_number"] for p in projects}) == len(projects)
    with ThreadPoolExecutor(max_workers=6) as pool:
        statuses = list(pool.map(lambda project: server.post("/_mock/szv/projects", project)[0], projects))
        states = list(pool.map(lambda _: server.get("/_mock/state?limit=2")["total"], range(6)))
    assert statuses == [201] * 6
    assert all(0 <= total <= 6 for total in states)
    assert server.get("/_mock/state")["total"] == 6
    assert server.stop() == 0
    assert f"State in sqlite:///{db}; control API under {server.url}_mock/" in server.lines
    assert "3 worker thread(s). Press Ctrl+C to stop." in server.lines
    assert "Stopped." in server.lines
    assert db.exists()


def test_workers_share_the_memory_database(served: list[Served], faker: Faker) -> None:
    server = Served("--db", ":memory:", "--workers", "4", "--control-api")
    served.append(server)
    project = builders.project(faker)
    assert server.post("/_mock/szv/projects", project)[0] == 201
    assert [p["inami_number"] for p in server.get("/_mock/state")["projects"]] == [project["inami_number"]]
    assert server.stop(signal.SIGTERM) == 0
