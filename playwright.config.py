"""The harness's settings for this checkout, read by e2e/conftest.py and the harness commands through
e2e/settings.py: they override the packaged defaults (e2e/default_settings.py, where every setting is
documented), and each is overridden in turn by its environment variable (CSAM_HARNESS_*, named there). A setting
left out keeps its default; an unknown name is refused. Stated here: what a checkout most often changes."""

# Chromium to drive when neither CSAM_HARNESS_CHROMIUM nor Playwright's own Chromium is there: the first found.
SYSTEM_CHROMIUM_CANDIDATES = (
    "/usr/lib/chromium/chromium",
    "chromium",
    "chromium-browser",
    "google-chrome",
    "google-chrome-stable",
)

# Web-first waits in milliseconds (CSAM_HARNESS_EXPECT_TIMEOUT_MS, CSAM_HARNESS_ACTION_TIMEOUT_MS,
# CSAM_HARNESS_NAVIGATION_TIMEOUT_MS): `expect`, an action, a navigation, in the tests, check-manual and the
# walkthrough alike.
EXPECT_TIMEOUT_MS = 5000
ACTION_TIMEOUT_MS = 10000
NAVIGATION_TIMEOUT_MS = 10000

# Every context looks the same, so screenshots and videos are comparable from run to run: the tests' and
# check-manual's window, and the walkthrough's recording (its video and the guide's screenshots).
VIEWPORT = {"width": 1280, "height": 900}
RECORDING_VIEWPORT = {"width": 1280, "height": 800}
LOCALES = {"fr": "fr-BE", "nl": "nl-BE"}
TIMEZONE = "Europe/Brussels"
