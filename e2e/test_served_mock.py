"""A served mock shared by several test workers: each works in its own namespace and never disturbs another; the
HTTP seeder seeds what the in-process one does, and says why the mock refused.

Two levels: two HTTP seeders in two namespaces of one `csam-mock serve` process, and a small pytest session run
with `-n 2 --served-mock` whose two workers record, reset and read the same data at the same time.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from faker import Faker

from e2e.seeding import HttpSeeder, MockSeeder, SeedingError
from e2e.served_mock import ServedMock, ServedMockError
from fixtures import builders
from mock_csam import create_app

ROOT = Path(__file__).resolve().parent.parent
# Its tests serve mocks of their own (this is where serving is tested): the same tests against any mock.
pytestmark = pytest.mark.own_mock


@pytest.fixture(scope="module")
def served() -> Iterator[str]:
    """The address of a `csam-mock serve --control-api` of this module's own, in another process."""
    with ServedMock() as mock:
        assert mock.url is not None, "a started served mock says where it serves"
        yield mock.url


def precondition(seeder, faker: Faker) -> dict[str, Any]:
    """Step 4's usual start: a project, its active GAP, a user with the «Gestionnaire» role; a patient included."""
    project = builders.project(faker)
    gap = project["persons"][0]
    seeder.project(project)
    seeder.active_gap(project, gap)
    user = builders.user_data(faker)
    seeder.user(project, gap["niss"], user, ["gestionnaire"], dt.date(2024, 1, 2))
    seeder.include(project, user["niss"], builders.niss(faker), dt.date(2024, 2, 1))
    return project


def comparable(project: dict[str, Any]) -> dict[str, Any]:
    """A project's state without what differs from mock to mock (ids, request numbers, times)."""
    text = json.dumps(project, sort_keys=True)
    for registration in project["registrations"]:
        text = text.replace(registration["request_number"], "N").replace(registration["created_at"], "T")
        if registration["signed_document_received_at"]:
            text = text.replace(registration["signed_document_received_at"], "T")
    data = json.loads(text)
    data.pop("id")
    for member in data["members"]:
        member.pop("id")
    for item in data["registrations"] + data["care_providers"]:
        item.pop("id")
    return data


def test_both_seeders_make_the_same_precondition(served: str) -> None:
    over_http = HttpSeeder(served, "same-precondition")
    over_http.reset()
    in_process = MockSeeder(create_app({"DATABASE": ":memory:", "CONTROL_API": True, "SECRET_KEY": "x"}))
    projects = [precondition(seeder, builders.belgian_faker(7)) for seeder in (over_http, in_process)]
    assert projects[0] == projects[1]
    assert comparable(over_http.project_state(projects[0]["inami_number"])) == comparable(
        in_process.project_state(projects[1]["inami_number"])
    )


def test_two_namespaces_on_one_served_mock_do_not_disturb_each_other(served: str) -> None:
    one, two = HttpSeeder(served, "one"), HttpSeeder(served, "two")
    for seeder in (one, two):
        seeder.reset()
        precondition(seeder, builders.belgian_faker(11))  # the same INAMI numbers and NISS in both
    one.set_today(dt.date(2018, 3, 1))

    assert two.today() == dt.date.today(), "the clock is the namespace's"
    one.reset()

    assert one.state()["projects"] == [] and one.today() == dt.date.today()
    [kept] = two.state()["projects"]
    assert len(kept["members"]) == 2 and len(kept["inclusions"]) == 1
    assert HttpSeeder(served).state()["projects"] == [], "nothing reached the default store"


def test_a_refusal_carries_the_mocks_message(served: str, faker: Faker) -> None:
    seeder = HttpSeeder(served, "refusals")
    seeder.reset()
    project = builders.project(faker)
    seeder.project(project)

    with pytest.raises(SeedingError) as refused:
        seeder.project(project)
    assert refused.value.status == 400
    assert refused.value.errors == [{"field": "inami_number", "message": "Un projet porte déjà ce N°INAMI."}]
    assert "inami_number: Un projet porte déjà ce N°INAMI." in str(refused.value)

    with pytest.raises(SeedingError) as unknown:
        seeder.project_state(builders.inami_number(faker))
    assert unknown.value.status == 404 and "Introuvable" in str(unknown.value)


def test_a_mock_that_does_not_answer_is_said_so() -> None:
    with ServedMock() as gone:
        url = gone.url
    assert url is not None, "a started served mock says where it serves"
    with pytest.raises(SeedingError, match="did not answer"):
        HttpSeeder(url, timeout=5).state()
    assert not HttpSeeder(url, timeout=5).available()


def test_a_mock_that_cannot_start_is_said_so_with_what_it_printed() -> None:
    mock = ServedMock(site_version="no-such-version")
    with pytest.raises(ServedMockError, match="did not print its URL") as refused:
        mock.start()
    assert "no-such-version" in str(refused.value)  # the child's own message, copied from its output
    assert mock._process is None and mock._dir is None  # stopped, and its files removed


def test_the_served_mocks_log_has_all_it_printed_to_its_last_line() -> None:
    with ServedMock() as mock:
        assert mock.url is not None
        HttpSeeder(mock.url, "log").state()
        mock._end_child()  # the reader has copied all the child printed
        printed = mock.log.read_text(encoding="utf-8")
    assert printed.startswith("CSAM mock (manual-2018) serving on " + mock.url) and printed.endswith("Stopped.\n")


def test_deleting_one_project_leaves_the_others(served: str) -> None:
    seeder = HttpSeeder(served, "deletion")
    seeder.reset()
    kept, gone = precondition(seeder, builders.belgian_faker(1)), precondition(seeder, builders.belgian_faker(2))
    seeder.delete_project(gone["inami_number"])
    assert [p["inami_number"] for p in seeder.state()["projects"]] == [kept["inami_number"]]


SAMPLE = '''
"""Workers that record the same project, reset and read at the same time."""
import datetime as dt
import os
from pathlib import Path

import pytest

from fixtures import builders


@pytest.mark.parametrize("n", range(12))
def test_record_reset_and_read(mock, namespace, n):
    Path(os.environ["SEEN_DIR"], f"{namespace}-{n}").write_text(namespace)
    day = dt.date(2018, 3, 1) + dt.timedelta(days=n)
    for _ in range(5):
        mock.reset()
        project = builders.project(builders.belgian_faker(2018))  # the same data on every worker
        mock.project(project)
        mock.active_gap(project, project["persons"][0])
        mock.set_today(day)
        state = mock.state()
        assert [p["inami_number"] for p in state["projects"]] == [project["inami_number"]]
        assert state["today"] == day.isoformat() == mock.today().isoformat()
        assert len(mock.members_by_niss(project["inami_number"])) == 1
'''


def test_two_xdist_workers_share_one_served_mock_without_collisions(tmp_path: Path) -> None:
    sample = tmp_path / "test_sample.py"
    sample.write_text(SAMPLE, encoding="utf-8")
    seen = tmp_path / "seen"
    seen.mkdir()
    env = {
        **os.environ,
        "SEEN_DIR": str(seen),
        "PYTHONPATH": os.pathsep.join([str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])]),
    }
    env.pop("CSAM_HARNESS_BASE_URL", None)
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            str(sample),
            "-p",
            "e2e.conftest",
            "-n",
            "2",
            "--served-mock",
            "-q",
            "-p",
            "no:cacheprovider",
            "--rootdir",
            str(tmp_path),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    assert "12 passed" in run.stdout
    namespaces = {path.read_text() for path in seen.iterdir()}
    assert len(namespaces) == 2 and all(name.endswith(("-gw0", "-gw1")) for name in namespaces), namespaces


def test_served_mock_with_a_base_url_is_refused_with_exit_2(tmp_path: Path) -> None:
    sample = tmp_path / "test_nothing.py"
    sample.write_text("def test_nothing():\n    pass\n", encoding="utf-8")
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            str(sample),
            "-p",
            "e2e.conftest",
            "--served-mock",
            "--base-url",
            "http://127.0.0.1:9",
            "-q",
            "-p",
            "no:cacheprovider",
            "--rootdir",
            str(tmp_path),
        ],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 2, run.stdout + run.stderr
    assert "--served-mock starts a mock of its own: leave out --base-url" in run.stdout + run.stderr
    assert "Traceback" not in run.stdout + run.stderr
