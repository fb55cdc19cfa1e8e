"""How long one step-4 precondition (a project, its active GAP, a user with the «Gestionnaire» role) takes to seed
in-process (MockSeeder, the domain layer) and over HTTP (HttpSeeder, a `csam-mock serve --control-api` in another
process): `python -m benchmarks.seeding [-n N]` prints both and their ratio."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from collections.abc import Callable, Sequence

from e2e.seeding import HttpSeeder, MockSeeder, Seeder
from e2e.served_mock import ServedMock, ServedMockError
from fixtures import builders
from mock_csam import create_app

ROLE_START = dt.date(2024, 1, 2)


def step4_precondition(seeder: Seeder, seed: int) -> None:
    """What most step-4 tests start from, with data of their own (reset first, as each test does)."""
    faker = builders.belgian_faker(seed)
    seeder.reset()
    project = builders.project(faker)
    gap = project["persons"][0]
    seeder.project(project)
    seeder.active_gap(project, gap)
    seeder.user(project, gap["niss"], builders.user_data(faker), ["gestionnaire"], ROLE_START)


def timed(make: Callable[[int], None], runs: int) -> float:
    """Seconds for `runs` preconditions, one after the other."""
    started = time.perf_counter()
    for seed in range(runs):
        make(seed)
    return time.perf_counter() - started


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("give a whole number of at least 1")
    return value


def main(argv: Sequence[str] | None = None) -> int:
    """Time N preconditions with each seeder and print the two totals, the time of one, and the ratio."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.seeding", description=__doc__)
    parser.add_argument("-n", "--runs", type=_positive, default=20, help="preconditions per seeder (default: 20)")
    args = parser.parse_args(argv)

    in_process = MockSeeder(create_app({"DATABASE": ":memory:", "CONTROL_API": True, "SECRET_KEY": "benchmark"}))
    step4_precondition(in_process, -1)  # warm-up: the first call compiles catalogues and the SQL
    local = timed(lambda seed: step4_precondition(in_process, seed), args.runs)
    try:
        with ServedMock() as served:
            over_http = HttpSeeder(served.url, "benchmark")
            step4_precondition(over_http, -1)
            remote = timed(lambda seed: step4_precondition(over_http, seed), args.runs)
    except ServedMockError as exc:
        print(f"the served mock did not start: {exc}", file=sys.stderr)
        return 1
    print(f"step-4 precondition (project, active GAP, user with a role) x {args.runs}")
    print(f"in-process (MockSeeder):         {local:8.3f} s  ({local / args.runs * 1000:7.1f} ms each)")
    print(f"over HTTP (HttpSeeder, served):  {remote:8.3f} s  ({remote / args.runs * 1000:7.1f} ms each)")
    print(f"ratio HTTP / in-process:         {remote / local:8.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
