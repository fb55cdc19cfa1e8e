"""The harness's one settings object: packaged defaults when no playwright.config.py is found (an installed harness
outside a checkout), a playwright.config.py in the working directory or above overriding them, the environment
overriding both; and the settings reaching the browser contexts of the tests, check-manual and the walkthrough."""

from __future__ import annotations

import runpy
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from playwright.sync_api import Browser, Error, Playwright

from e2e import settings as settings_module
from e2e.settings import CONFIG_FILE, DEFAULTS_FILE, SettingsError, harness_settings, load_settings

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def fresh_settings() -> Iterator[None]:
    """The cached settings forgotten before and after: the test's working directory and environment decide."""
    harness_settings.cache_clear()
    yield
    harness_settings.cache_clear()


def _config(folder: Path, text: str) -> Path:
    path = folder / CONFIG_FILE
    path.write_text(text, encoding="utf-8")
    return path


def test_outside_a_checkout_the_packaged_defaults_are_the_settings(tmp_path: Path) -> None:
    loaded = load_settings(tmp_path, environ={})
    defaults = runpy.run_path(str(DEFAULTS_FILE))
    assert loaded.source is None
    assert loaded.VIEWPORT == defaults["VIEWPORT"] == {"width": 1280, "height": 900}
    assert defaults["RECORDING_VIEWPORT"] == loaded.RECORDING_VIEWPORT
    assert defaults["ACTION_TIMEOUT_MS"] == loaded.ACTION_TIMEOUT_MS
    assert loaded.LOCALES == {"fr": "fr-BE", "nl": "nl-BE"}


def test_the_checkouts_file_states_what_the_packaged_defaults_say(tmp_path: Path) -> None:
    """A run from the checkout and one from an installed wheel behave alike."""
    assert load_settings(ROOT, environ={}).source == ROOT / CONFIG_FILE
    in_checkout = vars(load_settings(ROOT, environ={})) | {"source": None}
    installed = vars(load_settings(tmp_path, environ={}))
    assert in_checkout == installed


def test_a_config_file_in_the_working_directory_or_above_overrides_the_defaults(tmp_path: Path) -> None:
    path = _config(tmp_path, 'VIEWPORT = {"width": 1000, "height": 700}\nACTION_TIMEOUT_MS = 1234\n')
    below = tmp_path / "a" / "b"
    below.mkdir(parents=True)
    loaded = load_settings(below, environ={})
    assert loaded.source == path
    assert loaded.VIEWPORT == {"width": 1000, "height": 700} and loaded.ACTION_TIMEOUT_MS == 1234
    # What the file leaves out keeps its default.
    assert loaded.EXPECT_TIMEOUT_MS == load_settings(tmp_path.parent / "elsewhere", environ={}).EXPECT_TIMEOUT_MS


def test_the_environment_overrides_the_file(tmp_path: Path) -> None:
    _config(tmp_path, "ACTION_TIMEOUT_MS = 1234\nUSE_HEADLESS_SHELL = True\n")
    loaded = load_settings(
        tmp_path,
        environ={
            "CSAM_HARNESS_ACTION_TIMEOUT_MS": "4321",
            "CSAM_HARNESS_HEADLESS_SHELL": "0",
            "CSAM_HARNESS_CHROMIUM": "",  # empty: as if not set
        },
    )
    assert loaded.ACTION_TIMEOUT_MS == 4321 and loaded.USE_HEADLESS_SHELL is False
    assert loaded.CHROMIUM_EXECUTABLE is None


@pytest.mark.parametrize(
    ("text", "environ", "said"),
    [
        ("VIEWPOTR = {}\n", {}, "unknown setting VIEWPOTR"),
        ('VIEWPORT = {"width": 1000}\n', {}, "VIEWPORT="),
        ('LOCALES = {"fr": "fr-BE"}\n', {}, "LOCALES="),
        ("EXPECT_TIMEOUT_MS = 0\n", {}, "EXPECT_TIMEOUT_MS=0"),
        ("", {"CSAM_HARNESS_NAVIGATION_TIMEOUT_MS": "soon"}, "CSAM_HARNESS_NAVIGATION_TIMEOUT_MS"),
        ("raise RuntimeError('broken')\n", {}, "cannot be read (RuntimeError: broken)"),
    ],
)
def test_a_wrong_setting_is_refused_naming_it(tmp_path: Path, text: str, environ: dict[str, str], said: str) -> None:
    _config(tmp_path, text)
    with pytest.raises(SettingsError, match=said.replace("(", r"\(").replace(")", r"\)")):
        load_settings(tmp_path, environ=environ)


def test_the_command_says_a_wrong_setting_in_one_line_and_exits_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh_settings: None
) -> None:
    from e2e.cli import main

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CSAM_HARNESS_EXPECT_TIMEOUT_MS", "five")
    answer = CliRunner().invoke(main, ["doctor"])
    assert answer.exit_code == 2, answer.output
    assert "CSAM_HARNESS_EXPECT_TIMEOUT_MS" in answer.output and "Traceback" not in answer.output


# ---------------------------------------------------------------------------------------------------------
# The settings reach the browser
# ---------------------------------------------------------------------------------------------------------


@pytest.fixture
def browser(playwright: Playwright) -> Iterator[Browser]:
    """The harness's Chromium, launched as the harness launches it, from the worker's one Playwright (a second
    Playwright in the same process fails when browser suites ran there first)."""
    from e2e.browsers import local_chromium

    settings = load_settings(ROOT)
    executable = local_chromium(settings, playwright.chromium.executable_path, headless=True)
    launched = playwright.chromium.launch(executable_path=executable, args=list(settings.LAUNCH_ARGS))
    yield launched
    launched.close()


@pytest.fixture
def changed_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh_settings: None) -> None:
    """A playwright.config.py with another window, locale and timeouts, in the working directory."""
    _config(
        tmp_path,
        'VIEWPORT = {"width": 1000, "height": 700}\nRECORDING_VIEWPORT = {"width": 900, "height": 600}\n'
        'LOCALES = {"fr": "fr-FR", "nl": "nl-NL"}\nTIMEZONE = "Asia/Tokyo"\n'
        "ACTION_TIMEOUT_MS = 321\nNAVIGATION_TIMEOUT_MS = 432\n",
    )
    monkeypatch.chdir(tmp_path)
    for variable in settings_module.ENVIRONMENT.values():
        monkeypatch.delenv(variable, raising=False)


def test_changed_settings_reach_the_tests_contexts(browser: Browser, changed_settings: None) -> None:
    from e2e.contexts import context_options, with_timeouts

    context = browser.new_context(**context_options("nl"))
    page = with_timeouts(context.new_page())
    assert page.viewport_size == {"width": 1000, "height": 700}
    assert page.evaluate("navigator.language") == "nl-NL"
    assert page.evaluate("Intl.DateTimeFormat().resolvedOptions().timeZone") == "Asia/Tokyo"
    page.set_content("<p>nothing to click</p>")
    with pytest.raises(Error, match="Timeout 321ms"):
        page.get_by_role("button").click()
    with pytest.raises(Error, match="Timeout 432ms"):
        page.wait_for_url("**/never")
    context.close()


def test_changed_settings_reach_check_manuals_walk(browser: Browser, changed_settings: None) -> None:
    from e2e.check_manual import Walk
    from e2e.control_api import walk_data

    walk = Walk(browser, "http://127.0.0.1:9", walk_data(), control=None)
    walk.start_step(2)
    assert walk.page is not None
    assert walk.page.viewport_size == {"width": 1000, "height": 700}
    assert walk.page.evaluate("navigator.language") == "fr-FR"
    walk.page.set_content("<p>nothing to click</p>")
    with pytest.raises(Error, match="Timeout 321ms"):
        walk.page.get_by_role("button").click()
    walk.page.context.close()


def test_changed_settings_reach_the_walkthroughs_recording(browser: Browser, changed_settings: None) -> None:
    from e2e.walkthrough import Walkthrough

    page = Walkthrough(browser, "http://127.0.0.1:9", Path("unused"), control=None).new_page()
    assert page.viewport_size == {"width": 900, "height": 600}
    assert page.evaluate("navigator.language") == "fr-FR"
    assert page.evaluate("Intl.DateTimeFormat().resolvedOptions().timeZone") == "Asia/Tokyo"
    page.set_content("<p>nothing to click</p>")
    with pytest.raises(Error, match="Timeout 321ms"):
        page.get_by_role("button").click()
    page.context.close()
