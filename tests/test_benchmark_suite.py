"""benchmarks/suite.py: its figures come from real pytest runs, Chromium's share from the wrapper's `times`."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks import suite


def own_output(tmp_path: Path) -> list[str]:
    """pytest-playwright empties its --output folder (test-results/ where pytest runs) at the start: the child
    run gets its own, so that it cannot delete the artifacts of the run this test is part of."""
    return [f"--pytest-args=--output={tmp_path / 'test-results'}"]


def test_a_selection_runs_in_a_child_pytest_and_its_tests_and_cpu_are_counted(tmp_path: Path, capsys) -> None:
    module = tmp_path / "test_tiny.py"
    module.write_text(
        '"""Two tests that burn a little CPU."""\n\n\ndef test_one():\n    assert sum(range(10**6))\n\n\n'
        "def test_two():\n    assert sum(range(10**6))\n"
    )
    assert suite.main([str(module), "-n", "0", "--no-chromium-meter", *own_output(tmp_path)]) == 0
    table = capsys.readouterr().out.splitlines()[-1].split()
    assert table[0] == str(module) and table[1] == "serial"
    wall, cpu, chromium, tests = float(table[2]), float(table[3]), table[4], int(table[5])
    assert tests == 2 and wall > 0 and cpu > 0 and chromium == "-"


def test_a_failing_selection_makes_the_benchmark_fail(tmp_path: Path, capsys) -> None:
    module = tmp_path / "test_red.py"
    module.write_text('"""One failing test."""\n\n\ndef test_red():\n    assert False\n')
    assert suite.main([str(module), "-n", "0", "--no-chromium-meter", *own_output(tmp_path)]) == 1
    assert "exited 1" in capsys.readouterr().err


def test_chromium_seconds_add_the_browsers_lines_of_times_not_the_shells(tmp_path: Path) -> None:
    log = tmp_path / "cpu.log"
    log.write_text("0m0.001s 0m0.002s\n0m1.500s 0m0.250s\n0m0.001s 0m0.000s\n1m2.000s 0m0.000s\n")
    assert suite.chromium_seconds(log) == pytest.approx(1.75 + 62.0)
    assert suite.chromium_seconds(tmp_path / "missing.log") == 0.0


@pytest.mark.parametrize("argv", [["-n", "-1"], ["--pytest-args", "'unclosed"]])
def test_bad_options_exit_2_with_a_message(argv: list[str], capsys) -> None:
    with pytest.raises(SystemExit) as stopped:
        suite.main(argv)
    assert stopped.value.code == 2
    assert "error:" in capsys.readouterr().err
