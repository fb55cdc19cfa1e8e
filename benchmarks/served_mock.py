"""How the served mock holds up under a QA run's load: pages, state queries and control API writes at once.

Starts `csam-mock serve --workers N --control-api` in a subprocess on a temporary SQLite file, records ~1,000
projects through the control API, then for --seconds each runs 8 and then 32 concurrent clients over a mix of
the portal's home page, CSAM pages a logged-out person can open, `/_mock/state?inami_number=…`,
`/_mock/state?limit=50` and POST /_mock/szv/projects, and finally 32 clients that only write. It prints req/s and
p50/p95/p99 latencies per kind of route, the errors, and whether every project posted is in the state.

    python -m benchmarks.served_mock [--workers 8] [--projects 1000] [--seconds 20]

The clients run in this process (threads, http.client with keep-alive), on the same machine as the mock: on a
small machine they take some of its processor, so the figures are an upper bound of the mock's own latency.
Needs Faker (the `harness` extra) for fixtures.builders.
"""

from __future__ import annotations

import argparse
import http.client
import json
import math
import os
import queue
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from rich.console import Console
from rich.table import Table

from fixtures import builders

ROOT = Path(__file__).resolve().parent.parent
START_TIMEOUT_S = 60
REQUEST_TIMEOUT_S = 60
# Pages of the portal and CSAM that answer 200 to someone not logged in.
CSAM_PAGES = ("/csam/login", "/csam/access/", "/csam/registration/", "/fr/acces", "/fr/acces/gestion/entreprises")
# The mix of a QA run: mostly pages and state look-ups, some writes. Kind of route -> weight.
MIX = {"portal /": 20, "CSAM page": 30, "state ?inami_number": 20, "state ?limit=50": 15, "POST project": 15}
FINAL_WRITERS = 32
WRITES_PER_FINAL_WRITER = 10


class Projects:
    """Fresh valid projects (fixtures.builders) whose INAMI numbers and NISS were never used in this run."""

    def __init__(self, seed: int) -> None:
        self._faker = builders.belgian_faker(seed)
        self._lock = threading.Lock()
        self._numbers: set[str] = set()
        self._nisses: set[str] = set()

    def new(self) -> dict[str, Any]:
        with self._lock:
            while True:
                project = builders.project(self._faker)
                people = {p["niss"] for p in project["persons"]}
                if (
                    project["inami_number"] not in self._numbers
                    and not people & self._nisses
                    and len(people) == len(project["persons"])
                ):
                    self._numbers.add(project["inami_number"])
                    self._nisses |= people
                    return project


class Mock:
    """`python -m mock_csam serve` in a subprocess, on a port it picks itself."""

    def __init__(self, workers: int, db: Path) -> None:
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "mock_csam",
                "serve",
                "--port",
                "0",
                "--workers",
                str(workers),
                "--control-api",
                "--db",
                str(db),
            ],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1", "PYTHONPATH": str(ROOT)},
        )
        self.output: list[str] = []
        lines: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=self._read, args=(lines,), daemon=True).start()
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            try:
                line = lines.get(timeout=max(0.1, deadline - time.monotonic()))
            except queue.Empty:
                self.stop()
                raise RuntimeError(f"the mock printed no URL in {START_TIMEOUT_S} s: {self.output}") from None
            if line is None:
                raise RuntimeError(f"the mock stopped (exit {self.process.wait()}): {self.output}")
            if " serving on " in line:
                url = urlsplit(line.rsplit(" ", 1)[1])
                self.host, self.port = url.hostname, url.port
                return

    def _read(self, lines: queue.Queue[str | None]) -> None:
        for line in self.process.stdout:
            self.output.append(line.rstrip("\n"))
            lines.put(self.output[-1])
        lines.put(None)

    def cpu_seconds(self) -> float | None:
        """Processor time the mock has used so far (user + system), where /proc tells it (Linux)."""
        try:
            fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return None
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def stop(self) -> int:
        """Ctrl+C, as a person stops it; returns its exit code."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
        try:
            return self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            return self.process.wait()


class Client:
    """One keep-alive HTTP connection, as one browser or script holds it."""

    def __init__(self, mock: Mock) -> None:
        self.mock = mock
        self.connection: http.client.HTTPConnection | None = None

    def request(self, method: str, path: str, body: Any = None) -> tuple[int, bytes]:
        if self.connection is None:
            self.connection = http.client.HTTPConnection(self.mock.host, self.mock.port, timeout=REQUEST_TIMEOUT_S)
        headers = {"Content-Type": "application/json"} if body is not None else {}
        data = json.dumps(body).encode() if body is not None else None
        try:
            self.connection.request(method, path, body=data, headers=headers)
            response = self.connection.getresponse()
            return response.status, response.read()
        except (OSError, http.client.HTTPException):
            self.close()
            raise

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None


@dataclass
class Phase:
    """What the clients of one phase measured: latencies (s) and errors per kind of route."""

    name: str
    clients: int
    seconds: float = 0.0
    cpu: float | None = None
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    posted: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, kind: str, elapsed: float, ok: bool, posted: bool) -> None:
        with self.lock:
            self.latencies[kind].append(elapsed)
            if not ok:
                self.errors[kind] += 1
            self.posted += posted


def percentile(values: list[float], p: float) -> float:
    """The nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def one_request(client: Client, kind: str, numbers: list[str], projects: Projects) -> tuple[bool, bool]:
    """Send one request of this kind; returns (answered as expected, a project was recorded)."""
    if kind == "portal /":
        status, _ = client.request("GET", "/")
    elif kind == "CSAM page":
        status, _ = client.request("GET", random.choice(CSAM_PAGES))
    elif kind == "state ?inami_number":
        status, _ = client.request("GET", f"/_mock/state?inami_number={random.choice(numbers)}")
    elif kind == "state ?limit=50":
        status, _ = client.request("GET", f"/_mock/state?limit=50&offset={random.randrange(0, len(numbers))}")
    else:
        status, _ = client.request("POST", "/_mock/szv/projects", projects.new())
        return status == 201, status == 201
    return status == 200, False


def run_clients(mock: Mock, phase: Phase, work: Callable[[Client, Phase], None]) -> Phase:
    """Run `work` in phase.clients threads that start together; each has its own connection."""
    barrier = threading.Barrier(phase.clients + 1)

    def client_thread() -> None:
        client = Client(mock)
        barrier.wait()
        try:
            work(client, phase)
        finally:
            client.close()

    threads = [threading.Thread(target=client_thread, daemon=True) for _ in range(phase.clients)]
    for thread in threads:
        thread.start()
    cpu_before = mock.cpu_seconds()
    barrier.wait()
    started = time.monotonic()
    for thread in threads:
        thread.join()
    phase.seconds = time.monotonic() - started
    cpu_after = mock.cpu_seconds()
    if cpu_before is not None and cpu_after is not None:
        phase.cpu = cpu_after - cpu_before
    return phase


def timed(client: Client, phase: Phase, kind: str, numbers: list[str], projects: Projects) -> None:
    started = time.perf_counter()
    try:
        ok, posted = one_request(client, kind, numbers, projects)
    except (OSError, http.client.HTTPException):
        ok, posted = False, False
    phase.record(kind, time.perf_counter() - started, ok, posted)


def mixed_phase(mock: Mock, clients: int, seconds: float, numbers: list[str], projects: Projects) -> Phase:
    """`clients` clients, each sending the mix of requests one after the other for `seconds`."""
    kinds, weights = list(MIX), list(MIX.values())

    def work(client: Client, phase: Phase) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            timed(client, phase, random.choices(kinds, weights)[0], numbers, projects)

    return run_clients(mock, Phase(f"{clients} clients", clients), work)


def writers_phase(mock: Mock, numbers: list[str], projects: Projects) -> Phase:
    """FINAL_WRITERS clients that each post WRITES_PER_FINAL_WRITER projects at once."""

    def work(client: Client, phase: Phase) -> None:
        for _ in range(WRITES_PER_FINAL_WRITER):
            timed(client, phase, "POST project", numbers, projects)

    return run_clients(mock, Phase(f"{FINAL_WRITERS} writers", FINAL_WRITERS), work)


def state_total(mock: Mock) -> int:
    client = Client(mock)
    try:
        status, body = client.request("GET", "/_mock/state?limit=1")
    finally:
        client.close()
    if status != 200:
        raise RuntimeError(f"/_mock/state answered {status}: {body[:300]!r}")
    return json.loads(body)["total"]


def seed(mock: Mock, count: int, projects: Projects) -> list[str]:
    """Record `count` projects through the control API (8 at a time); returns their INAMI numbers."""
    wanted = [projects.new() for _ in range(count)]

    def post(project: dict[str, Any]) -> str:
        client = Client(mock)
        try:
            status, body = client.request("POST", "/_mock/szv/projects", project)
        finally:
            client.close()
        if status != 201:
            raise RuntimeError(f"seeding: {status} {body[:300]!r}")
        return project["inami_number"]

    with ThreadPoolExecutor(max_workers=8) as pool:
        return list(pool.map(post, wanted))


def table(phases: list[Phase]) -> Table:
    """req/s and latencies per phase and kind of route."""
    result = Table(title="Served mock: latency per kind of route")
    for column in ("phase", "route", "requests", "req/s", "p50 ms", "p95 ms", "p99 ms", "errors"):
        result.add_column(column, justify="left" if column in ("phase", "route") else "right")
    for phase in phases:
        rows = [(kind, phase.latencies[kind]) for kind in MIX if phase.latencies.get(kind)]
        everything = [value for _kind, values in rows for value in values]
        for kind, values in [*rows, ("all", everything)]:
            errors = sum(phase.errors.values()) if kind == "all" else phase.errors.get(kind, 0)
            result.add_row(
                phase.name,
                kind,
                str(len(values)),
                f"{len(values) / phase.seconds:.1f}",
                *(f"{percentile(values, p) * 1000:.1f}" for p in (50, 95, 99)),
                str(errors),
                style="bold" if kind == "all" else None,
            )
        result.add_section()
    return result


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its table; 1 when a request failed or a posted project is missing."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.served_mock", description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=8, help="csam-mock serve --workers (default 8)")
    parser.add_argument("--projects", type=int, default=1000, help="projects recorded first (default 1000)")
    parser.add_argument("--seconds", type=float, default=20.0, help="length of each mixed phase (default 20)")
    parser.add_argument("--seed", type=int, default=12, help="seed of the projects' data and the mix")
    args = parser.parse_args(argv)
    if args.workers < 1 or args.projects < 1 or args.seconds <= 0:
        parser.error("--workers and --projects take a positive number, --seconds a positive duration")
    random.seed(args.seed)
    # Wide enough for the table even when the output goes to a file or a pipe.
    console = Console(width=max(Console().width, 100))
    projects = Projects(args.seed)
    with tempfile.TemporaryDirectory(prefix="csam-bench-") as folder:
        mock = Mock(args.workers, Path(folder) / "bench.sqlite3")
        try:
            console.print(
                f"Serving on {mock.host}:{mock.port} with --workers {args.workers}; recording {args.projects} projects…"
            )
            started = time.monotonic()
            numbers = seed(mock, args.projects, projects)
            console.print(f"Recorded {len(numbers)} projects in {time.monotonic() - started:.1f} s.")
            phases = []
            for clients in (8, 32):
                console.print(f"{clients} clients for {args.seconds:g} s…")
                phases.append(mixed_phase(mock, clients, args.seconds, numbers, projects))
            before = state_total(mock)
            writers = writers_phase(mock, numbers, projects)
            phases.append(writers)
            after = state_total(mock)
        finally:
            code = mock.stop()
    console.print(table(phases))
    for phase in phases:
        if phase.cpu is not None:
            answered = sum(len(values) for values in phase.latencies.values())
            console.print(
                f"{phase.name}: the mock used {phase.cpu:.1f} s of processor in {phase.seconds:.1f} s "
                f"({phase.cpu / phase.seconds:.0%} of one core; {phase.cpu / answered * 1000:.1f} ms "
                "per request)."
            )
    errors = sum(sum(phase.errors.values()) for phase in phases)
    posted_in_all = len(numbers) + sum(phase.posted for phase in phases)
    console.print(f"Errors: {errors}. Projects in the state: {after} of {posted_in_all} posted in the whole run.")
    console.print(
        f"{FINAL_WRITERS} concurrent writers: {writers.posted} projects posted, {after - before} in the state"
    )
    console.print(f"The mock stopped with exit code {code}.")
    return 0 if errors == 0 and writers.posted == after - before and after == posted_in_all and code == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
