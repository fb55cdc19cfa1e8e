"""benchmarks/seeding.py: it times both seeders and prints their ratio; a bad count is refused."""

from __future__ import annotations

import pytest

from benchmarks import seeding


def test_the_benchmark_prints_both_timings_and_the_ratio(capsys: pytest.CaptureFixture[str]) -> None:
    assert seeding.main(["-n", "1"]) == 0
    out = capsys.readouterr().out
    assert "in-process (MockSeeder)" in out and "over HTTP (HttpSeeder, served)" in out
    assert "ratio HTTP / in-process" in out


@pytest.mark.parametrize("count", ["0", "-3", "many"])
def test_a_bad_count_is_refused_with_exit_2(count: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        seeding.main(["-n", count])
    assert exited.value.code == 2
    assert "Traceback" not in capsys.readouterr().err
