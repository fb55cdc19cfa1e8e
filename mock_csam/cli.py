"""The `csam-mock` command (also `python -m mock_csam`): serve the mock, optionally seeded."""

from __future__ import annotations

import errno
import ipaddress
import logging
import signal
import socket
import sys
from pathlib import Path

import click
from sqlalchemy.exc import SQLAlchemyError
from waitress.server import create_server

from . import SITE_VERSIONS, create_app
from .domain.seed import SeedError, load_care_providers, load_seed, read_care_providers, read_seed
from .domain.store import DatabaseURLError, check_driver, database_url

DEFAULT_DB = "csam-mock.sqlite3"
# Threads that answer requests at once: as many as the browsers a QA run drives in parallel (8), few enough
# for the interpreter's one lock on a small machine. More requests wait their turn in the server, not refused.
DEFAULT_WORKERS = 8
MAX_WORKERS = 128


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def check_db(_ctx: click.Context | None, _param: click.Parameter | None, value: str) -> str:
    """A --db value the mock can open: a SQLite file, :memory:, or a URL whose driver is installed."""
    try:
        check_driver(database_url(value))
    except DatabaseURLError as exc:
        raise click.BadParameter(str(exc), param_hint="--db") from None
    return value


def shown_db(db: str) -> str:
    """The --db value as the mock prints it: a URL without its password."""
    return database_url(db).render_as_string(hide_password=True) if "://" in db else db


def listening_socket(host: str, port: int) -> socket.socket:
    """One socket bound to the host's first address, as a browser would reach it (port 0: any free port)."""
    family, kind, proto, _name, address = socket.getaddrinfo(
        host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
    )[0]
    sock = socket.socket(family, kind, proto)
    try:
        # A restart may bind again at once, while the last run's connections linger in TIME_WAIT.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(1024)
    except OSError:
        sock.close()
        raise
    return sock


def parse_renames(values: tuple[str, ...]) -> dict[str, str]:
    """OLD=NEW pairs as a mapping; a value without "=" or with an empty side is refused."""
    pairs = {}
    for value in values:
        old, sep, new = value.partition("=")
        if not sep or not old.strip() or not new.strip():
            raise click.BadParameter(f"{value!r}: write OLD=NEW, e.g. Suivant=Continuer", param_hint="--rename")
        pairs[old.strip()] = new.strip()
    return pairs


@click.group()
def main() -> None:
    """A faithful mock of the eHealth portal and CSAM for the inclusion manual."""


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--port",
    default=5000,
    show_default=True,
    type=click.IntRange(0, 65535),
    help="Port to listen on (0: any free port).",
)
@click.option(
    "--db",
    "db",
    default=DEFAULT_DB,
    show_default=True,
    callback=check_db,
    help="Where the state is kept across restarts: a SQLite file, :memory:, or a SQLAlchemy URL "
    "(sqlite:///FILE, or postgresql+psycopg://USER:PASSWORD@HOST/DB with the `postgres` extra "
    "installed). SQLite files run in WAL mode: pages are read while a change is saved.",
)
@click.option(
    "--workers",
    default=DEFAULT_WORKERS,
    show_default=True,
    type=click.IntRange(1, MAX_WORKERS),
    help="Requests answered at once, by threads of this one process (waitress). Threads, not "
    "processes: the writers queue on one lock in the process instead of SQLite's busy "
    "back-off, and --db :memory: (one database in the process) works too.",
)
@click.option(
    "--site-version",
    type=click.Choice(SITE_VERSIONS),
    default=SITE_VERSIONS[0],
    show_default=True,
    help="Which version of the site to show: the manual's screens (manual-2018) or today's site (current).",
)
@click.option("--control-api", is_flag=True, help="Serve the /_mock/ control API (off by default).")
@click.option(
    "--allow-remote-control",
    is_flag=True,
    help="Allow --control-api on a non-loopback address (anyone who reaches it can change the state).",
)
@click.option(
    "--seed",
    "seed",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="YAML or JSON file of projects to record before serving (projects already there are kept).",
)
@click.option(
    "--rename",
    "renames",
    multiple=True,
    metavar="OLD=NEW",
    callback=lambda _ctx, _param, values: parse_renames(values),
    help="Show a label with other words on every page, e.g. --rename Suivant=Continuer (repeatable): "
    "a simulated change of the site, for the manual-accuracy check. OLD is the label as the page's "
    "language shows it: Suivant renames French pages only, Volgende Dutch ones.",
)
def serve(
    host: str,
    port: int,
    db: str,
    workers: int,
    site_version: str,
    control_api: bool,
    allow_remote_control: bool,
    seed: Path | None,
    renames: dict[str, str],
) -> None:
    """Serve the mock (waitress, --workers threads) and print its URL."""
    if control_api and not _is_loopback(host) and not allow_remote_control:
        raise click.UsageError(
            f"--control-api on {host} would let anyone on the network change the state; "
            "serve on 127.0.0.1 or add --allow-remote-control"
        )
    try:
        app = create_app(
            {
                "DATABASE": db,
                "SITE_VERSION": site_version,
                "CONTROL_API": control_api,
                "NAMESPACES": control_api,
                "RENAMED_LABELS": renames,
            }
        )
    except (OSError, SQLAlchemyError) as exc:
        raise click.ClickException(f"cannot open the database {shown_db(db)}: {exc}") from exc
    store = app.extensions["csam_store"]
    if seed:
        try:
            with store.transaction() as session:
                added, present = load_seed(session, read_seed(seed))
                providers = read_care_providers(seed)
                providers_added, providers_present = load_care_providers(session, providers)
        except SeedError as exc:
            raise click.ClickException(f"seed refused: {exc}") from exc
        click.echo(
            f"Seeded {len(added)} project(s) from {seed}" + (f"; {len(present)} already present" if present else "")
        )
        if providers:
            click.echo(
                f"Seeded {providers_added} care provider(s)"
                + (f"; {providers_present} already present" if providers_present else "")
            )
    try:
        sock = listening_socket(host, port)
    except OSError as exc:
        store.dispose()
        if exc.errno == errno.EADDRINUSE:
            raise click.ClickException(
                f"cannot listen on {host}:{port}: Port {port} is in use by another program; stop it, or choose "
                "another with --port (0: any free port)"
            ) from None
        raise click.ClickException(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    # Requests beyond --workers wait their turn by design: waitress would log a warning for each one that does.
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)
    # asyncore_use_poll: select() stops at file descriptor 1024, which a busy QA run can pass.
    server = create_server(app, sockets=[sock], threads=workers, asyncore_use_poll=True, ident="csam-mock")
    # Set before the URL is printed, since whoever reads it may stop the mock at once: a service manager's
    # SIGTERM stops it as cleanly as Ctrl+C, and so does Ctrl+C when a non-interactive shell started the
    # mock in the background with SIGINT ignored.
    signal.signal(signal.SIGTERM, _interrupt)
    if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
        signal.signal(signal.SIGINT, _interrupt)
    try:
        shown_host = f"[{host}]" if ":" in host else host
        url = f"http://{shown_host}:{sock.getsockname()[1]}/"
        click.echo(f"CSAM mock ({site_version}) serving on {url}")
        click.echo(f"State in {shown_db(db)}" + ("; control API under " + url + "_mock/" if control_api else ""))
        click.echo(f"{workers} worker thread(s). Press Ctrl+C to stop.")
        sys.stdout.flush()
        # waitress's run returns (rather than raises) on Ctrl+C, once its threads have finished their requests.
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()
        app.extensions["csam_stores"].dispose()
    click.echo("Stopped.")
