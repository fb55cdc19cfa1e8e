"""`python -m benchmarks [NAME…]`: run the benchmarks one after the other and print their figures.

NAME is `suite` (the test suites' wall time and CPU, serial and with workers), `served` (the served mock under 8
and 32 clients, and 32 concurrent writers), or `seeding` (one step-4 precondition in-process vs over HTTP);
without a name, all three. Each one's own options: `python -m benchmarks.suite --help`, and so on.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence

from rich.console import Console


def _suite(argv: list[str]) -> int:
    from . import suite

    return suite.main(argv)


def _served(argv: list[str]) -> int:
    from . import served_mock

    return served_mock.main(argv)


def _seeding(argv: list[str]) -> int:
    from . import seeding

    return seeding.main(argv)


BENCHMARKS: dict[str, Callable[[list[str]], int]] = {"suite": _suite, "served": _served, "seeding": _seeding}


def main(argv: Sequence[str] | None = None) -> int:
    names = list(sys.argv[1:] if argv is None else argv)
    if any(name in ("-h", "--help") for name in names):
        print(__doc__)
        return 0
    unknown = [name for name in names if name not in BENCHMARKS]
    if unknown:
        print(
            f"benchmarks: unknown benchmark {', '.join(unknown)}; choose from {', '.join(BENCHMARKS)}", file=sys.stderr
        )
        return 2
    console = Console()
    status = 0
    for name in names or list(BENCHMARKS):
        console.rule(f"benchmark: {name}")
        status = BENCHMARKS[name]([]) or status
    return status


if __name__ == "__main__":
    sys.exit(main())
