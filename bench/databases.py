"""PostgreSQL databases for the benchmarks' places, derived from one URL (``--database-url``).

A benchmark given ``postgresql://user@host:port/rt_bench`` keeps each place
in a database of its own named after it (``rt_bench_documents``,
``rt_bench_1k``...), made and dropped through an admin connection to the
URL's own database, which is left untouched. A place is copied from another
with ``CREATE DATABASE ... TEMPLATE``, the database's own copy; the tables
are made by ``flask --app app store init``, as an operator makes them.
"""

import os
import secrets
import subprocess
import sys
import urllib.parse

from harness import ROOT

try:
    import psycopg
except ImportError:  # pragma: no cover - the postgres extra is needed only with --database-url
    psycopg = None


def derived(url, suffix):
    """The URL of the database named like ``url``'s with ``_suffix`` added."""
    parts = urllib.parse.urlsplit(url)
    name = parts.path.lstrip("/")
    if not name:
        raise SystemExit(f"--database-url names no database: {url}")
    return parts._replace(path=f"/{name}_{suffix}").geturl()


def _name(url):
    return urllib.parse.unquote(urllib.parse.urlsplit(url).path.lstrip("/"))


def _admin(url):
    if psycopg is None:
        raise SystemExit('--database-url needs psycopg: pip install -e ".[postgres]"')
    return psycopg.connect(url, autocommit=True)


def create(admin_url, url, template_url=None):
    """A new database for ``url`` (dropped first if a former run left it), empty or a copy of ``template_url``."""
    with _admin(admin_url) as conn:
        ident = psycopg.sql.Identifier(_name(url))
        conn.execute(psycopg.sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(ident))
        if template_url:
            conn.execute(
                psycopg.sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                    ident, psycopg.sql.Identifier(_name(template_url))
                )
            )
        else:
            conn.execute(psycopg.sql.SQL("CREATE DATABASE {}").format(ident))


def drop(admin_url, url):
    """Drop the database of ``url`` (closing whatever connections are left to it)."""
    with _admin(admin_url) as conn:
        conn.execute(
            psycopg.sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(psycopg.sql.Identifier(_name(url)))
        )


def init(url, data_dir):
    """Make the tables with the command an operator runs: ``flask --app app store init``."""
    # A key for this command alone: without one, the app would ask the database for the shared key
    # before the command has made the table that keeps it (the servers then make and share one).
    env = dict(
        os.environ,
        ROUNDTABLE_DATABASE_URL=url,
        ROUNDTABLE_DATA_DIR=data_dir,
        ROUNDTABLE_SECRET_KEY=secrets.token_hex(32),
    )
    done = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "app", "store", "init"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    if done.returncode:
        raise SystemExit(f"store init failed on {_name(url)}:\n{done.stdout}{done.stderr}")
