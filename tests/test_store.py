"""The store's transactions: reads never wait for a writer, writers queue, SQLite files in WAL, --db's URL forms."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from faker import Faker
from sqlalchemy import func, select

from fixtures import builders
from mock_csam import create_app
from mock_csam.domain import rules
from mock_csam.domain.models import Project, Setting
from mock_csam.domain.store import DatabaseURLError, ReadOnlyTransaction, Store, check_driver, database_url
from mock_csam.web import transaction

# Long enough never to be reached when the store works; only a broken store makes a test wait this long.
SAFETY_TIMEOUT_S = 20


@pytest.fixture
def file_store(tmp_path: Path):
    """A store on a SQLite file, as `csam-mock serve` opens it."""
    store = Store(tmp_path / "mock.sqlite3")
    yield store
    store.dispose()


def project_count(store: Store) -> int:
    with store.read_transaction() as db:
        return db.scalar(select(func.count()).select_from(Project))


# ---------------------------------------------------------------------------------------------------------
# Reads and writes
# ---------------------------------------------------------------------------------------------------------


def test_a_reader_is_not_blocked_while_a_writer_holds_its_transaction(file_store: Store, faker: Faker) -> None:
    writer_holds, reader_done = threading.Event(), threading.Event()
    seen_by_writer: list[bool] = []

    def write() -> None:
        with file_store.write_transaction() as db:
            rules.record_project(db, builders.project(faker))
            writer_holds.set()
            # The writer keeps its transaction open until the reader has finished: a reader that needed the
            # write lock would never finish.
            seen_by_writer.append(reader_done.wait(SAFETY_TIMEOUT_S))

    writer = threading.Thread(target=write)
    writer.start()
    assert writer_holds.wait(SAFETY_TIMEOUT_S)
    try:
        count_during_write = project_count(file_store)
    finally:
        reader_done.set()
        writer.join()
    assert seen_by_writer == [True], "the reader finished while the writer still held its transaction"
    assert count_during_write == 0, "the reader saw the last committed state, not the write in progress"
    assert project_count(file_store) == 1


def test_concurrent_writers_all_succeed_on_a_file(file_store: Store, faker: Faker) -> None:
    projects = [builders.project(faker) for _ in range(24)]
    assert len({p["inami_number"] for p in projects}) == len(projects)
    start = threading.Barrier(8)
    failures: list[BaseException] = []

    def write(chunk: list[dict]) -> None:
        start.wait()
        for data in chunk:
            try:
                with file_store.write_transaction() as db:
                    rules.record_project(db, data)
            except BaseException as exc:  # noqa: BLE001 - reported below: a lock error would be one
                failures.append(exc)

    threads = [threading.Thread(target=write, args=(projects[i::8],)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert project_count(file_store) == len(projects)


@pytest.mark.parametrize("db", ["file", ":memory:"])
def test_a_read_transaction_refuses_to_save_and_nothing_is_saved(db: str, tmp_path: Path) -> None:
    store = Store(tmp_path / "mock.sqlite3" if db == "file" else db)
    with pytest.raises(ReadOnlyTransaction), store.read_transaction() as session:  # noqa: PT012 - the save is refused at flush
        session.add(Setting(key="today", value="2024-05-02"))
        session.flush()
    with store.read_transaction() as session:
        assert session.get(Setting, "today") is None
    store.dispose()


def test_transaction_stays_the_write_transaction(file_store: Store) -> None:
    with file_store.transaction() as session:
        session.add(Setting(key="today", value="2024-05-02"))
    with file_store.read_transaction() as session:
        assert session.get(Setting, "today").value == "2024-05-02"


@pytest.mark.parametrize(("method", "writes"), [("GET", False), ("HEAD", False), ("POST", True)])
def test_a_request_reads_on_get_and_head_and_writes_otherwise(method: str, writes: bool) -> None:
    app = create_app({"TESTING": True, "DATABASE": ":memory:", "SECRET_KEY": "t"})
    with app.test_request_context("/", method=method):
        if writes:
            with transaction() as db:
                db.add(Setting(key="k", value="v"))
        else:
            with pytest.raises(ReadOnlyTransaction), transaction() as db:  # noqa: PT012 - refused at flush
                db.add(Setting(key="k", value="v"))
                db.flush()
    with app.extensions["csam_store"].read_transaction() as db:
        assert (db.get(Setting, "k") is not None) is writes
    app.extensions["csam_store"].dispose()


def test_the_memory_database_is_shared_by_every_thread(faker: Faker) -> None:
    store = Store(":memory:")
    thread = threading.Thread(target=_record, args=(store, faker))
    thread.start()
    thread.join()
    assert project_count(store) == 1
    store.dispose()


def _record(store: Store, faker: Faker) -> None:
    with store.write_transaction() as db:
        rules.record_project(db, builders.project(faker))


# ---------------------------------------------------------------------------------------------------------
# WAL
# ---------------------------------------------------------------------------------------------------------


def test_a_file_database_runs_in_wal_mode(file_store: Store, tmp_path: Path) -> None:
    assert file_store.journal_mode() == "wal"
    # WAL is a property of the file: another process opening it finds it so.
    other = Store(tmp_path / "mock.sqlite3")
    assert other.journal_mode() == "wal"
    other.dispose()


def test_the_memory_database_keeps_its_journal_in_memory() -> None:
    store = Store(":memory:")
    assert store.journal_mode() == "memory"
    store.dispose()


# ---------------------------------------------------------------------------------------------------------
# --db: a path, :memory: or a URL
# ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "drivername", "database"),
    [
        ("csam-mock.sqlite3", "sqlite", "csam-mock.sqlite3"),
        ("data/mock.sqlite3", "sqlite", "data/mock.sqlite3"),
        (":memory:", "sqlite", None),
        ("sqlite://", "sqlite", None),
        ("sqlite:///:memory:", "sqlite", None),
        ("sqlite:///data/mock.sqlite3", "sqlite", "data/mock.sqlite3"),
        ("sqlite:////srv/data/mock.sqlite3", "sqlite", "/srv/data/mock.sqlite3"),
        ("postgresql://mock:secret@db.example/csam", "postgresql+psycopg", "csam"),
        ("postgresql+psycopg://mock@db.example:5433/csam", "postgresql+psycopg", "csam"),
    ],
)
def test_the_forms_of_db(value: str, drivername: str, database: str | None) -> None:
    url = database_url(value)
    assert (url.drivername, url.database) == (drivername, database)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("postgres://mock@db.example/csam", "write postgresql+psycopg://"),
        ("mysql://mock@db.example/csam", "mysql: the mock runs on sqlite:///FILE or postgresql+psycopg://"),
        ("postgresql+psycopg://mock@db.example", "names no database"),
        ("postgresql://mock@db.example:port/csam", "is not a database URL"),
        ("sqlite://db.example/mock.sqlite3", "write sqlite:///relative/file or sqlite:////absolute/file"),
        ("", "give a SQLite file, :memory: or a database URL"),
    ],
)
def test_a_bad_db_url_is_refused_with_its_reason(value: str, message: str) -> None:
    with pytest.raises(DatabaseURLError) as caught:
        database_url(value)
    assert message in str(caught.value)


def test_a_password_never_shows_in_the_refusal() -> None:
    with pytest.raises(DatabaseURLError) as caught:
        database_url("postgresql+psycopg://mock:hunter2@db.example")
    assert "hunter2" not in str(caught.value)


def test_a_missing_postgres_driver_says_how_to_install_it() -> None:
    try:
        import psycopg  # noqa: F401
    except ImportError:
        pass
    else:
        pytest.skip("psycopg is installed here")
    with pytest.raises(DatabaseURLError) as caught:
        check_driver(database_url("postgresql://mock@db.example/csam"))
    assert "pip install 'csam-harness[postgres]'" in str(caught.value)


def test_a_sqlite_url_opens_the_file_it_names(tmp_path: Path, faker: Faker) -> None:
    path = tmp_path / "sub" / "mock.sqlite3"
    store = Store(f"sqlite:///{path}")
    _record(store, faker)
    store.dispose()
    reopened = Store(path)
    assert project_count(reopened) == 1
    reopened.dispose()
