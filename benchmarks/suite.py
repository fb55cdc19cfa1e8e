"""How long pytest selections take, serially and with xdist workers, and how much CPU they burn.

Each selection runs as `python -m pytest -q SELECTION` in a child process, once per mode (serial, `-n 2 --dist
loadfile` by default). For each run it prints the wall time, the CPU-seconds of the whole process tree (pytest, its
xdist workers, Playwright's driver and Chromium: `os.wait4` on the child, whose figures include every descendant
it waited for), the CPU-seconds Chromium alone spent, and both per test.

Chromium's share is measured by launching it through a small shell wrapper (CSAM_HARNESS_CHROMIUM, see
playwright.config.py) that appends the CPU time of each browser it ran to a file; pass --no-chromium-meter to
launch the configured Chromium directly (then only the tree's total is shown).

    python -m benchmarks.suite                                   # the default selections
    python -m benchmarks.suite e2e/test_step4_roles.py -n 0 -n 2 -n 4
    python -m benchmarks.suite tests/ --pytest-args "-k rules"
"""

from __future__ import annotations

import argparse
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Two browser modules of the usual kind (log in, a few screens, assertions; two files so that `--dist loadfile`
# has something to share out) and the unit tests. A selection is split like a shell line.
DEFAULT_SELECTIONS = ("e2e/test_step4_users.py e2e/test_step4_roles.py", "tests/")
DEFAULT_WORKERS = (0, 2)
SUMMARY = re.compile(r"(\d+) (passed|failed|errors?|skipped|xfailed|xpassed)")

# Runs the real Chromium and appends its user and system CPU seconds to $CSAM_BENCH_CHROMIUM_LOG. The shell
# stays the parent (no exec) so that `times` (not in a pipeline: a subshell has no children) sees the browser's
# figures; Playwright's pipes (fds 3 and 4) and
# the arguments pass through unchanged.
WRAPPER = """#!/bin/bash
"$CSAM_BENCH_CHROMIUM_REAL" "$@"
status=$?
times >>"$CSAM_BENCH_CHROMIUM_LOG"  # two lines: the shell, then its children (the browser)
exit $status
"""


@dataclass
class Run:
    """One pytest run's figures."""

    selection: str
    workers: int
    status: int
    wall: float
    cpu: float
    chromium: float | None
    tests: int
    summary: str

    @property
    def mode(self) -> str:
        return "serial" if self.workers == 0 else f"-n {self.workers}"


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.suite", description=__doc__.splitlines()[0])
    parser.add_argument(
        "selections",
        nargs="*",
        default=list(DEFAULT_SELECTIONS),
        metavar="SELECTION",
        help="pytest selections, one run each (default: %(default)s)",
    )
    parser.add_argument(
        "-n",
        "--workers",
        dest="workers",
        type=int,
        action="append",
        metavar="N",
        help="xdist workers for a run, 0 = serial; repeat for several modes (default: 0 and 2)",
    )
    parser.add_argument("--dist", default="loadfile", help="xdist's distribution mode (default: %(default)s)")
    parser.add_argument("--pytest-args", default="", help="more pytest arguments, as one shell-quoted string")
    parser.add_argument("--python", default=sys.executable, help="the Python that runs pytest (default: this one)")
    parser.add_argument(
        "--output-dir",
        type=Path,
        metavar="DIR",
        help="keep each run's pytest output in DIR (e.g. with --pytest-args --durations=40)",
    )
    parser.add_argument(
        "--no-chromium-meter",
        action="store_true",
        help="launch the configured Chromium directly (no per-browser CPU figures)",
    )
    args = parser.parse_args(argv)
    args.workers = args.workers or list(DEFAULT_WORKERS)
    if any(n < 0 for n in args.workers):
        parser.error("-n/--workers must be 0 (serial) or more")
    try:
        args.extra = shlex.split(args.pytest_args)
    except ValueError as exc:
        parser.error(f"--pytest-args: {exc}")
    return args


def real_chromium() -> str | None:
    """The Chromium a headless run of the harness would launch (None: Playwright's own, which the wrapper cannot
    stand in for)."""
    sys.path.insert(0, str(ROOT))
    from e2e.settings import harness_settings
    from e2e.toolchain import ChromiumNotFound, resolve_chromium

    settings = harness_settings(str(ROOT))
    try:
        try:
            from e2e.browsers import local_chromium
        except ImportError:  # a checkout from before e2e/browsers.py: no headless shell preference
            return resolve_chromium(settings.CHROMIUM_EXECUTABLE, None, settings.SYSTEM_CHROMIUM_CANDIDATES)
        return local_chromium(settings, None, headless=True)
    except ChromiumNotFound:
        return None


def chromium_seconds(log: Path) -> float:
    """The user + system seconds of every browser the wrapper ran: `times` wrote the shell's line, then its
    children's (`0m1.230s 0m0.450s`)."""
    total = 0.0
    if not log.exists():
        return total
    for line in log.read_text().splitlines()[1::2]:
        for minutes, seconds in re.findall(r"(\d+)m([\d.]+)s", line):
            total += int(minutes) * 60 + float(seconds)
    return total


def run_once(
    python: str,
    selection: str,
    workers: int,
    dist: str,
    extra: list[str],
    env: dict[str, str],
    log: Path | None,
    output_dir: Path | None = None,
) -> Run:
    command = [python, "-m", "pytest", "-q", "-p", "no:cacheprovider", *shlex.split(selection), *extra]
    if workers:
        command += ["-n", str(workers), "--dist", dist]
    if log is not None:
        log.write_text("")
    started = time.perf_counter()
    child = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    output = child.communicate()[0]
    wall = time.perf_counter() - started
    if output_dir is not None:
        output_dir.mkdir(parents=True, exist_ok=True)
        name = re.sub(r"[^\w.-]+", "_", selection).strip("_") or "suite"
        (output_dir / f"{name}-{'serial' if not workers else f'n{workers}'}.txt").write_text(output)
    # communicate() has reaped the child: its figures (and its waited-for descendants') are in RUSAGE_CHILDREN.
    return Run(
        selection,
        workers,
        child.returncode,
        wall,
        0.0,
        chromium_seconds(log) if log else None,
        sum(
            int(n)
            for n, kind in SUMMARY.findall(_last_line(output))
            if kind in ("passed", "failed", "xfailed", "xpassed")
        ),
        _last_line(output),
    )


def _last_line(output: str) -> str:
    lines = [line for line in output.strip().splitlines() if line.strip()]
    return lines[-1].strip("= ") if lines else "(no output)"


def children_cpu() -> float:
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    workdir = Path(tempfile.mkdtemp(prefix="csam-bench-"))
    log = None
    if not args.no_chromium_meter:
        real = real_chromium()
        if real is None:
            print("note: no system or configured Chromium to wrap; Chromium's own CPU is not shown", file=sys.stderr)
        else:
            wrapper = workdir / "chromium"
            wrapper.write_text(WRAPPER)
            wrapper.chmod(0o755)
            log = workdir / "chromium-cpu.log"
            env.update(
                CSAM_HARNESS_CHROMIUM=str(wrapper), CSAM_BENCH_CHROMIUM_REAL=real, CSAM_BENCH_CHROMIUM_LOG=str(log)
            )
    runs: list[Run] = []
    try:
        for selection in args.selections:
            for workers in args.workers:
                before = children_cpu()
                run = run_once(args.python, selection, workers, args.dist, args.extra, env, log, args.output_dir)
                run.cpu = children_cpu() - before
                runs.append(run)
                print(_row(run), flush=True)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    print()
    print(
        f"{'selection':<34} {'mode':<7} {'wall s':>8} {'CPU s':>8} {'Chromium s':>10} {'tests':>6} "
        f"{'CPU s/test':>10} {'Chr s/test':>10}"
    )
    for run in runs:
        per = run.cpu / run.tests if run.tests else 0.0
        chromium = f"{run.chromium:10.1f}" if run.chromium is not None else f"{'-':>10}"
        chromium_per = f"{run.chromium / run.tests:10.2f}" if run.chromium is not None and run.tests else f"{'-':>10}"
        print(
            f"{run.selection:<34} {run.mode:<7} {run.wall:8.1f} {run.cpu:8.1f} {chromium} {run.tests:6d} "
            f"{per:10.2f} {chromium_per}"
        )
    failed = [run for run in runs if run.status != 0]
    for run in failed:
        print(f"pytest {run.selection} ({run.mode}) exited {run.status}: {run.summary}", file=sys.stderr)
    return 1 if failed else 0


def _row(run: Run) -> str:
    return f"{run.selection} ({run.mode}): {run.wall:.1f} s wall, {run.cpu:.1f} CPU-s; {run.summary}"


if __name__ == "__main__":
    sys.exit(main())
