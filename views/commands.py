"""Command-line tools: ``flask --app app serve``, ``store check``, ``backup``, ``restore``, ``seed-demo``."""

import os
import shutil
import sys

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext

from roundtable import demo, serving
from roundtable.settings import SECRET_KEY_FILE
from roundtable.store.api import StoreError, open_store
from roundtable.store.transfer import copy_store

store_cli = AppGroup("store", help="Inspect and maintain the data store.")


def _store():
    return current_app.config["STORE"]


@store_cli.command("check")
def store_check():
    """Report the state of every store file; exit 1 if any is damaged."""
    reports = _store().check()
    if not reports:
        click.echo("The store is empty (no data files yet).")
    damaged = 0
    for report in reports:
        click.echo(f"{report.status.upper():9} {report.path}: {report.detail}")
        damaged += not report.ok
    if damaged:
        click.echo(
            f"{damaged} damaged part(s). Roundtable refuses to use them and never overwrites them; "
            "restore them from a backup.",
            err=True,
        )
        sys.exit(1)
    click.echo(f"All {len(reports)} part(s) of the store are readable.")


@store_cli.command("init")
def store_init():
    """Create the database's tables, or bring them up to date (PostgreSQL); the file store needs none."""
    store = _store()
    if not hasattr(store, "init"):
        click.echo("The file store needs no initialisation: it makes its files as it writes them.")
        return
    try:
        store.init()
    except StoreError as error:
        raise click.ClickException(f"Not initialised: {error}") from None
    click.echo(f"Schema ready in {store.name}.")


@store_cli.command("copy")
@click.argument("from_url")
@click.argument("to_url")
def store_copy(from_url, to_url):
    """Copy every document, response, ballot and receipt from FROM_URL into the empty store at TO_URL.

    URLs: file:///path/to/data-directory, postgresql://user@host/db. Stop the
    servers first. The copy is verified part by part (counts and SHA-256 digests).
    """
    try:
        source, target = open_store(from_url), open_store(to_url)
        if hasattr(target, "init"):
            target.init()
        copied = copy_store(source, target)
    except (StoreError, ValueError) as error:
        raise click.ClickException(f"Not copied: {error}") from None
    for part, (count, digest) in sorted(copied.items()):
        click.echo(f"{part}: {count} item(s), sha256 {digest[:16]}…")
    click.echo(f"Copied and verified: {len(copied)} part(s), {sum(c for c, _ in copied.values())} item(s).")


@store_cli.command("compact")
def store_compact():
    """Fold every stream (and, on PostgreSQL, every set): arrival order and write order gone; exit 1 on a failure."""
    store = _store()
    failed = _fold_all(store)
    if not failed and hasattr(store, "vacuum"):
        store.vacuum()
    if failed:
        click.echo(f"{failed} stream(s) could not be compacted; run `store check`.", err=True)
        sys.exit(1)
    click.echo("Compacted.")


def _fold_all(store):
    """Fold every stream and set of ``store``, each on its own; report each failure and return how many."""
    parts = [(store.fold, stream) for stream in store.streams()]
    if hasattr(store, "fold_set"):
        parts += [(store.fold_set, name) for name in store.set_names()]
    failed = 0
    for fold, name in parts:
        try:
            fold(name)
        except StoreError as error:
            click.echo(f"Not compacted, left as it was: {error}", err=True)
            failed += 1
    return failed


@click.command("backup")
@with_appcontext
@click.argument("destination", type=click.Path(file_okay=False))
def backup(destination):
    """Write a consistent copy of the data directory to DESTINATION (new or empty)."""
    if not hasattr(_store(), "backup"):
        raise click.ClickException(
            "This store is a PostgreSQL database: back it up with pg_dump (see docs/scaling.md)."
        )
    if os.path.exists(destination) and os.listdir(destination):
        raise click.ClickException(f"{destination} is not empty; choose a new folder.")
    _store().backup(os.path.join(destination, "store"))
    for name in (SECRET_KEY_FILE, current_app.config["SETTINGS_FILE"]):
        source = os.path.join(current_app.config["DATA_DIR"], name)
        if os.path.exists(source):
            shutil.copy2(source, os.path.join(destination, name))
    click.echo(f"Backup written to {destination}.")


@click.command("restore")
@with_appcontext
@click.argument("source", type=click.Path(exists=True, file_okay=False))
def restore(source):
    """Restore a backup made by ``backup`` into an empty data directory."""
    backup_store = _restorable(source)
    backup_store.backup(_store().root)
    for name in (SECRET_KEY_FILE, current_app.config["SETTINGS_FILE"]):
        if os.path.exists(os.path.join(source, name)):
            shutil.copy2(os.path.join(source, name), os.path.join(current_app.config["DATA_DIR"], name))
    click.echo(f"Restored {source}.")


def _restorable(source):
    """The backup in ``source``, opened, once it is whole and this store can take it; else a ClickException."""
    if not hasattr(_store(), "backup"):
        raise click.ClickException(
            "This store is a PostgreSQL database: restore it with pg_restore, or copy "
            "a file store into it with `store copy` (see docs/scaling.md)."
        )
    backup_store = open_store(None, source)
    damaged = [r for r in backup_store.check() if not r.ok]
    if damaged:
        raise click.ClickException(f"The backup is damaged: {damaged[0].path}: {damaged[0].detail}")
    if _store().files():
        raise click.ClickException("The data directory already holds data; restore only into an empty one.")
    return backup_store


@click.command("seed-demo")
@with_appcontext
def seed_demo():
    """Fill an empty data directory with a demo partnership."""
    try:
        credentials = demo.seed_demo(_store())
    except demo.NotEmpty:
        raise click.ClickException(
            "This data directory already holds a partnership; use an empty one (ROUNDTABLE_DATA_DIR) for the demo."
        ) from None
    click.echo(
        f"Demo partnership created: {len(demo.DEMO_PARTNERS)} partners, four surveys with responses "
        "and a past meeting. Staff accounts:"
    )
    for username, password in credentials.items():
        click.echo(f"  {username:12} {password}")


@click.command("serve")
@click.option(
    "--host",
    default=serving.DEFAULT_HOST,
    show_default=True,
    help="The address to listen on; 0.0.0.0 is every network this computer is on.",
)
@click.option(
    "--port",
    default=serving.DEFAULT_PORT,
    show_default=True,
    type=click.IntRange(1, 65535),
    help="The port to listen on.",
)
@with_appcontext
def serve(host, port):
    """Serve the room: the production server (gunicorn) on every network, with the address phones open."""
    config = current_app.config
    _announce(serving.room(host, port), config)
    sys.stdout.flush()
    sys.stderr.flush()
    # Replace this process with gunicorn, so that the memory settings are in place before its C library
    # starts, and Ctrl+C (or a service manager's signal) reaches gunicorn itself.
    arguments = [sys.executable, "-m", "gunicorn", *serving.gunicorn_arguments(host, port)]
    os.execve(sys.executable, arguments, serving.server_environment(os.environ, config["DATA_DIR"]))


def _announce(room, config):
    """Say the addresses phones open (or why there is none), where links point, and where the data is."""
    for address in room.links:
        click.echo(f"Phones in this room: {address}")
    if room.problem:
        click.echo(
            f"Warning: phones cannot reach this computer: {room.problem}. Connect it to the room's "
            "Wi-Fi (or use --host 0.0.0.0), or set ROUNDTABLE_PUBLIC_URL.",
            err=True,
        )
    if config.get("PUBLIC_URL"):
        click.echo(f"Links and QR codes use PUBLIC_URL: {config['PUBLIC_URL']}")
    click.echo(f"Data directory: {config['DATA_DIR']}. Stop with Ctrl+C.")


def init_app(app):
    """Register the commands."""
    app.cli.add_command(store_cli)
    for command in (serve, backup, restore, seed_demo):
        app.cli.add_command(command)
