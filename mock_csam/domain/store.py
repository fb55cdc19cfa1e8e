"""Storage: one SQLAlchemy engine (SQLite by default, PostgreSQL by URL), one transaction per unit of work.

Reads and writes do not wait on each other. A read transaction starts with a deferred BEGIN and takes no lock:
on a SQLite file in WAL mode it sees the last committed state while a writer works. A write transaction first
takes the store's writer lock, so the writers of one process queue in it (instead of SQLite's busy back-off,
which retries on a timer), then opens with BEGIN IMMEDIATE (PostgreSQL: a transaction-level advisory lock), so
two writers, even of two processes, can never both read "no such user yet" and both write one. A read
transaction refuses to save anything: a view that writes must ask for a write transaction.

The in-memory database has a single connection shared by every thread: one lock hands it to one transaction at
a time, reads included.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import threading
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import create_engine, delete, event
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import StaticPool

from . import clock
from .models import Base, Setting

MEMORY = ":memory:"
TODAY = "today"
# How long a writer of another process may hold SQLite's write lock before a write here gives up.
BUSY_TIMEOUT_S = 30
# The execution option that tells the `begin` listener which kind of transaction starts.
_WRITE = "csam_write"
# PostgreSQL's stand-in for BEGIN IMMEDIATE: one advisory lock ("csam" in ASCII) that every writer takes.
_PG_WRITER_LOCK = 0x6373616D
# The drivers a URL may name; `postgresql://` alone means psycopg (version 3), the one the `postgres` extra installs.
BACKENDS = ("sqlite", "postgresql")
POSTGRES_DRIVER = "postgresql+psycopg"


class DatabaseURLError(ValueError):
    """A --db value that names no database the mock can use (malformed URL, unknown backend, missing driver)."""


class ReadOnlyTransaction(RuntimeError):
    """Something tried to save in a read transaction: that unit of work needs `write_transaction`."""


def database_url(db: str | Path) -> URL:
    """The SQLAlchemy URL of a --db value: a SQLite file path, `:memory:`, or a URL (sqlite:///…, postgresql…)."""
    text = str(db).strip()
    if text == MEMORY:
        return make_url("sqlite://")
    if "://" not in text:
        if not text:
            raise DatabaseURLError("give a SQLite file, :memory: or a database URL")
        return URL.create("sqlite", database=text)
    try:
        url = make_url(text)
    except (ArgumentError, ValueError) as exc:
        raise DatabaseURLError(f"{_hidden(text)} is not a database URL ({exc})") from None
    backend = url.get_backend_name()
    if backend == "postgres":
        raise DatabaseURLError("write postgresql+psycopg://… (SQLAlchemy does not read postgres://)")
    if backend not in BACKENDS:
        raise DatabaseURLError(f"{backend}: the mock runs on sqlite:///FILE or postgresql+psycopg://USER@HOST/DB")
    if url.drivername == "postgresql":
        url = url.set(drivername=POSTGRES_DRIVER)
    if backend == "postgresql" and not url.database:
        raise DatabaseURLError(f"{_hidden(text)} names no database (…/DBNAME at the end)")
    if backend == "sqlite" and (url.host or url.port or url.username):
        raise DatabaseURLError(f"{_hidden(text)}: write sqlite:///relative/file or sqlite:////absolute/file")
    if backend == "sqlite" and url.database == MEMORY:
        url = make_url("sqlite://")
    return url


def check_driver(url: URL) -> None:
    """Refuse a URL whose driver is not installed, with the command that installs it."""
    try:
        url.get_dialect().import_dbapi()
    except NoSuchModuleError:
        raise DatabaseURLError(f"{url.drivername}: SQLAlchemy knows no such driver") from None
    except ImportError as exc:
        hint = " (pip install 'csam-harness[postgres]')" if url.get_backend_name() == "postgresql" else ""
        raise DatabaseURLError(f"the driver of {url.drivername} is not installed: {exc.name or exc}{hint}") from None


def _hidden(text: str) -> str:
    """A URL as it may be shown: without its password."""
    try:
        return make_url(text).render_as_string(hide_password=True)
    except (ArgumentError, ValueError):
        return text.split("@", 1)[-1] if "@" in text else text


class Store:
    """The mock's database and clock: created on first use, emptied by `reset`, shared by views and control API."""

    def __init__(self, db: str | Path = MEMORY, seed: int | None = None) -> None:
        self.db = str(db)
        self.url = database_url(self.db)
        check_driver(self.url)
        self.is_sqlite = self.url.get_backend_name() == "sqlite"
        # The SQLite file, when the database is one (None for PostgreSQL and for SQLite in memory).
        self.sqlite_file = Path(self.url.database) if self.is_sqlite and self.url.database else None
        self.is_memory = self.is_sqlite and self.sqlite_file is None
        if self.is_memory:
            # One connection shared by every thread, or each thread would see its own empty database.
            self.engine: Engine = create_engine(
                self.url, poolclass=StaticPool, connect_args={"check_same_thread": False}
            )
        elif self.sqlite_file is not None:
            self.sqlite_file.parent.mkdir(parents=True, exist_ok=True)
            # Every served thread may hold a connection; beyond 16 they are opened and closed per use (cheap).
            self.engine = create_engine(
                self.url,
                connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT_S},
                pool_size=16,
                max_overflow=-1,
            )
        else:
            self.engine = create_engine(self.url, pool_pre_ping=True, pool_size=10, max_overflow=30)
        if self.is_sqlite:
            event.listen(self.engine, "connect", _sqlite_pragmas_wal if not self.is_memory else _sqlite_pragmas)
            event.listen(self.engine, "begin", _sqlite_begin)
        else:
            event.listen(self.engine, "begin", _postgres_begin)
        # The in-memory database's one connection serves one transaction at a time, reads included.
        self._memory_lock = threading.RLock() if self.is_memory else contextlib.nullcontext()
        # Writers of this process queue here. Re-entrant: a write nested in a write of the same thread fails on
        # SQLite's busy timeout with a message rather than hanging for ever.
        self._writer_lock = self._memory_lock if self.is_memory else threading.RLock()
        # PostgreSQL reads one snapshot for the whole transaction (as SQLite's WAL does) rather than one per
        # statement: an export never mixes a project from before a write with its members from after it.
        read_options = {_WRITE: False} if self.is_sqlite else {_WRITE: False, "isolation_level": "REPEATABLE READ"}
        self._readers = sessionmaker(self.engine.execution_options(**read_options), expire_on_commit=False)
        self._writers = sessionmaker(self.engine.execution_options(**{_WRITE: True}), expire_on_commit=False)
        event.listen(self._readers, "before_flush", _refuse_writes)
        Base.metadata.create_all(self.engine)
        self.clock = clock.MockClock(seed=seed)
        with self.read_transaction() as session:
            fixed = session.get(Setting, TODAY)
            self.clock.fixed_today = dt.date.fromisoformat(fixed.value) if fixed else None

    @contextlib.contextmanager
    def read_transaction(self) -> Iterator[Session]:
        """A session that reads one consistent state without waiting for writers; it may not save anything."""
        with self._memory_lock, clock.using(self.clock), self._readers() as session, session.begin():
            yield session

    @contextlib.contextmanager
    def write_transaction(self) -> Iterator[Session]:
        """A session whose work is committed together, or rolled back whole on any error; one writer at a time."""
        with self._writer_lock, clock.using(self.clock), self._writers() as session, session.begin():
            yield session

    def transaction(self) -> contextlib.AbstractContextManager[Session]:
        """The write transaction (what every caller had before reads were told apart)."""
        return self.write_transaction()

    def set_today(self, today: dt.date | None) -> None:
        """Fix the mock's date (kept across restarts), or None to follow the real date again."""
        with self.write_transaction() as session:
            if today is None:
                session.execute(delete(Setting).where(Setting.key == TODAY))
            else:
                session.merge(Setting(key=TODAY, value=today.isoformat()))
        self.clock.fixed_today = today

    def reset(self) -> None:
        """Empty every table (children first), keeping the schema."""
        with self.write_transaction() as session:
            for table in reversed(Base.metadata.sorted_tables):
                session.execute(table.delete())
        self.clock.fixed_today = None
        self.clock.reseed()

    def journal_mode(self) -> str | None:
        """SQLite's journal mode ("wal" on a file, "memory" in memory); None on another database."""
        if not self.is_sqlite:
            return None
        with self.read_transaction() as session:
            return str(session.connection().exec_driver_sql("PRAGMA journal_mode").scalar()).lower()

    def dispose(self) -> None:
        """Close the connections, e.g. before a served mock stops."""
        self.engine.dispose()


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    """Enforce foreign keys, wait for another process's writer rather than fail at once."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_S * 1000}")
    cursor.close()
    # SQLAlchemy, not the sqlite3 module, says when a transaction begins (see _sqlite_begin).
    dbapi_connection.isolation_level = None


def _sqlite_pragmas_wal(dbapi_connection, record) -> None:
    """A file: WAL, so readers never wait for the writer nor the writer for them.

    synchronous=NORMAL is WAL's usual companion: a commit stays atomic and the file never corrupts; only the
    last commits before a power cut (not a crash of the mock) may be lost.
    """
    _sqlite_pragmas(dbapi_connection, record)
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _sqlite_begin(conn) -> None:
    """A write takes SQLite's write lock at once (waiting busy_timeout for another process's writer); a read
    begins deferred and takes no lock."""
    conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get(_WRITE, True) else "BEGIN")


def _postgres_begin(conn) -> None:
    """A write waits for the writer lock, held until its commit or rollback; a read never waits."""
    if conn.get_execution_options().get(_WRITE, True):
        conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_PG_WRITER_LOCK})")


def _refuse_writes(session: Session, _context, _instances) -> None:
    """A read transaction that holds changes to save: a mistake of the caller, said before anything is sent."""
    if session.new or session.deleted or any(session.is_modified(o) for o in session.dirty):
        raise ReadOnlyTransaction("a read transaction cannot save changes: use the store's write_transaction()")


class NamespacesUnsupported(Exception):
    """Namespaces are databases of their own beside the default SQLite file: another database has none."""


class Stores:
    """The default store and, for tests sharing one served mock, a store of its own for each namespace.

    A namespace's store is another database (a file beside the default one, or another in-memory database), so
    one namespace's projects, persons (global by NISS within a store), logins, clock and reset never reach
    another's: two test workers may record the same NISS and each see only their own.
    """

    def __init__(self, default: Store, seed: int | None = None) -> None:
        self.default = default
        self.seed = seed
        self._namespaces: dict[str, Store] = {}
        self._lock = threading.Lock()

    @property
    def supports_namespaces(self) -> bool:
        """True on SQLite (a namespace is a file beside the default one, or another in-memory database)."""
        return self.default.is_sqlite

    def path_for(self, namespace: str) -> str:
        """Where a namespace's database lives: `<db stem>.ns-<namespace><suffix>` beside the default file."""
        if self.default.is_memory:
            return MEMORY
        path = self.default.sqlite_file if self.default.is_sqlite else None
        if path is None:
            raise NamespacesUnsupported(self.default.url.get_backend_name())
        return str(path.with_name(f"{path.stem}.ns-{namespace}{path.suffix}"))

    def get(self, namespace: str | None) -> Store:
        """The namespace's store, opened on first use; the default store for None."""
        if namespace is None:
            return self.default
        with self._lock:
            found = self._namespaces.get(namespace)
            if found is None:
                found = self._namespaces[namespace] = Store(self.path_for(namespace), seed=self.seed)
            return found

    def names(self) -> list[str]:
        """The namespaces opened since the mock started."""
        with self._lock:
            return sorted(self._namespaces)

    def dispose(self) -> None:
        """Close every store's connections."""
        with self._lock:
            stores = [self.default, *self._namespaces.values()]
        for store in stores:
            store.dispose()
