"""The report plugin (e2e/reporting.py) without a browser: a failing test's report names its manual instructions,
a passing one's says nothing more, and a test with neither a marker nor a page is left as pytest reports it."""

from __future__ import annotations

import pytest

pytest_plugins = ["pytester"]

INNER = """
import pytest


@pytest.mark.manual("2.7", "2.6")
@pytest.mark.manual("2.6", "2.8")
def test_fails_on_step_2():
    assert 1 == 2, "the form did not come"


@pytest.mark.manual("4.17")
def test_passes():
    pass


def test_fails_without_marker():
    assert False, "plain failure"
"""


@pytest.fixture
def outcome(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> pytest.RunResult:
    """The inner suite run with the plugin, its report as the terminal shows it."""
    monkeypatch.setenv("COLUMNS", "300")
    pytester.makeconftest('pytest_plugins = ["e2e.reporting"]')
    pytester.makeini("[pytest]\nmarkers =\n    manual(*ids): manual instructions\n")
    pytester.makepyfile(test_inner=INNER)
    return pytester.runpytest("-rfE", "-p", "no:cacheprovider")


def test_a_failing_test_names_its_manual_instructions_once_each_nearest_marker_first(outcome: pytest.RunResult) -> None:
    outcome.assert_outcomes(failed=2, passed=1)
    text = outcome.stdout.str()
    assert text.count("manual instructions and what the page said") == 1
    assert "manual instruction(s): 2.6, 2.8, 2.7" in text
    assert (
        "FAILED test_inner.py::test_fails_on_step_2 - [manual 2.6, 2.8, 2.7] AssertionError: the form did not come"
        in text
    )


def test_a_test_without_marker_or_page_is_reported_as_pytest_does(outcome: pytest.RunResult) -> None:
    text = outcome.stdout.str()
    assert "FAILED test_inner.py::test_fails_without_marker - AssertionError: plain failure" in text
    assert "(no manual marker)" not in text
