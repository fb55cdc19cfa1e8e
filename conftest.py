"""Run-wide pytest set-up shared by tests/ and e2e/: the artifacts folder (--output) emptied once per run.

pytest-playwright empties --output in a session fixture, which under pytest-xdist runs once per worker, whenever
that worker starts its first test: one worker could delete the screenshot or trace another had just kept for a
failure. Here the run's main process empties it before any test, and the workers leave it alone.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest


def pytest_sessionstart(session: pytest.Session) -> None:
    config = session.config
    if hasattr(config, "workerinput"):  # an xdist worker: the main process has done it
        return
    output = config.getoption("--output", None)
    if output:
        shutil.rmtree(Path(config.invocation_params.dir, output), ignore_errors=True)


@pytest.fixture(scope="session", autouse=True)
def delete_output_dir() -> None:
    """pytest-playwright's per-process emptying of --output, replaced by the run's own (pytest_sessionstart)."""
