"""The PostgreSQL store's schema: its SQL (schema.sql), its version, creating or upgrading it, checking it."""

import importlib.resources

from .base import Report

SCHEMA_VERSION = "1"


def schema_sql():
    """The schema, as ``store init`` runs it."""
    return importlib.resources.files(__package__).joinpath("schema.sql").read_text(encoding="utf-8")


def init(database):
    """Create the schema, or bring an older one up to date (never dropping data)."""
    with database.connection() as conn, conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(hashtext('roundtable schema'))")
        conn.execute(schema_sql())


def schema_version(database):
    """The schema version the database holds (None before ``store init``)."""
    with database.connection() as conn:
        exists = conn.execute("SELECT to_regclass('rt_meta')").fetchone()[0]
        if exists is None:
            return None
        row = conn.execute("SELECT value FROM rt_meta WHERE key = 'schema_version'").fetchone()
        return row[0] if row else None


def check(database):
    """One report per part of the store, as ``store check`` prints them."""
    version = schema_version(database)
    if version != SCHEMA_VERSION:
        return [
            Report(
                database.name,
                "damaged",
                f"schema version {version}, expected {SCHEMA_VERSION}: run `flask --app app store init`",
                0,
            )
        ]
    with database.connection() as conn:
        counts = [
            ("documents", conn.execute("SELECT count(*) FROM rt_documents").fetchone()[0]),
            ("records", conn.execute("SELECT count(*) FROM rt_records").fetchone()[0]),
            ("set members", conn.execute("SELECT count(*) FROM rt_members").fetchone()[0]),
        ]
    return [Report(f"{database.name} {what}", "ok", f"{count} {what}", count) for what, count in counts]
