"""Storage: one SQLAlchemy engine over SQLite, sessions with one transaction per unit of work.

Transactions run one at a time: on a file each one opens with BEGIN IMMEDIATE (it takes the write lock at once,
so two requests can never both read "no such user yet" and both write one); the in-memory database has a
single connection shared by every thread, so a lock hands it to one transaction at a time.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import threading
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import create_engine, delete, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import StaticPool

from . import clock
from .models import Base, Setting

MEMORY = ":memory:"
TODAY = "today"


class Store:
    """The mock's database and clock: created on first use, emptied by `reset`, shared by views and control API."""

    def __init__(self, db: str | Path = MEMORY, seed: int | None = None) -> None:
        self.db = str(db)
        if self.db == MEMORY:
            # One connection shared by every thread, or each thread would see its own empty database.
            self.engine: Engine = create_engine(
                "sqlite://", poolclass=StaticPool, connect_args={"check_same_thread": False}
            )
        else:
            Path(self.db).parent.mkdir(parents=True, exist_ok=True)
            self.engine = create_engine(
                f"sqlite:///{self.db}", connect_args={"check_same_thread": False, "timeout": 30}
            )
        event.listen(self.engine, "connect", _sqlite_pragmas)
        event.listen(self.engine, "begin", _begin_immediate)
        self._lock = threading.RLock() if self.db == MEMORY else contextlib.nullcontext()
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        Base.metadata.create_all(self.engine)
        self.clock = clock.MockClock(seed=seed)
        with self.transaction() as session:
            fixed = session.get(Setting, TODAY)
            self.clock.fixed_today = dt.date.fromisoformat(fixed.value) if fixed else None

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session whose work is committed together, or rolled back whole on any error."""
        with self._lock, clock.using(self.clock), self._sessions() as session, session.begin():
            yield session

    def set_today(self, today: dt.date | None) -> None:
        """Fix the mock's date (kept across restarts), or None to follow the real date again."""
        with self.transaction() as session:
            if today is None:
                session.execute(delete(Setting).where(Setting.key == TODAY))
            else:
                session.merge(Setting(key=TODAY, value=today.isoformat()))
        self.clock.fixed_today = today

    def reset(self) -> None:
        """Empty every table (children first), keeping the schema."""
        with self._lock, self.engine.begin() as conn:
            for table in reversed(Base.metadata.sorted_tables):
                conn.execute(table.delete())
        self.clock.fixed_today = None
        self.clock.reseed()

    def dispose(self) -> None:
        """Close the connections, e.g. before a served mock stops."""
        self.engine.dispose()


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    """Enforce foreign keys and let readers work while a writer commits."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()
    # SQLAlchemy, not the sqlite3 module, says when a transaction begins (see _begin_immediate).
    dbapi_connection.isolation_level = None


def _begin_immediate(conn) -> None:
    """Take the write lock when the transaction starts, waiting (busy_timeout) for the one holding it."""
    conn.exec_driver_sql("BEGIN IMMEDIATE")


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

    def path_for(self, namespace: str) -> str:
        """Where a namespace's database lives: `<db stem>.ns-<namespace><suffix>` beside the default file."""
        if self.default.db == MEMORY:
            return MEMORY
        path = Path(self.default.db)
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
