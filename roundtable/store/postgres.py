"""The PostgreSQL store: the same API as the file store, for several servers on one database.

Each write is one PostgreSQL transaction. The lock a file store takes on a
file is here the lock on a row of ``rt_versions`` (one row for the documents,
one per stream, one per set), taken by the write that changes it, which also
gives the row a new number from a sequence that never repeats: ``version``
and ``stream_version`` read those numbers, and every server sees a change
the moment it commits. A write made inside another one on the same thread
(a guard that freezes a round's electorate, a drain that closes a round)
joins it, as a savepoint, and lands with it.

Commits also ``NOTIFY roundtable`` with the row's name, so a server waiting
for a meeting's stream to change (the projector) hears of a ballot another
server stored without polling for it.

The connection to the database (its pool, reconnection, LISTEN and the
``write`` transaction) is postgres_connection.py's; reading and writing the
document tables' rows, postgres_documents.py's; streams' records as read,
postgres_records.py's; the schema, postgres_schema.py's.
"""

import contextlib
import logging
import secrets
import threading

from tinydb import TinyDB

from . import postgres_schema
from .base import POLL_SECONDS, Store, check_stream_name
from .errors import AlreadyStored, StoreUnavailableError
from .postgres_connection import Database, Jsonb, psycopg
from .postgres_documents import read_documents, tinydb_data, write_changes
from .postgres_records import StreamRecords
from .postgres_schema import SCHEMA_VERSION
from .sets import check_member
from .tables import Holder, Tables, Transaction, copy_document, new_id

log = logging.getLogger(__name__)

_SHUFFLER = secrets.SystemRandom()  # the order bulk records land in must not be predictable


class PostgresStore(Store):
    """Documents, streams and sets in PostgreSQL, behind the store API."""

    def __init__(self, url, pool_size=10, timeout=10):
        if psycopg is None:
            raise StoreUnavailableError("postgresql", 'psycopg is not installed: pip install -e ".[postgres]"')
        self.url = url
        self._database = Database(url, self.changes, pool_size, timeout)
        self.name = self._database.name
        self._local = threading.local()
        self._cached = (None, None)  # (documents version, frozen Tables)
        self._cached_data = (None, None)  # (documents version, {table: {id: document}}): never changed in place
        self._records = StreamRecords()
        if self.schema_version() != SCHEMA_VERSION:
            # A new database (or one from an older version): its tables, as `store init` makes them.
            log.warning("creating or upgrading Roundtable's tables in %s", self.name)
            self.init()

    def close(self):
        """Close every connection of the pool, and stop listening."""
        self._database.close()

    # -- changes other servers make ----------------------------------------

    def _start_listening(self):
        self._database.start_listening()

    @property
    def listening(self):
        """Whether this server hears other servers' commits now (else it polls)."""
        return self._database.listening

    def wait_for_change(self, mark, timeout):
        """Wait for a commit (this server's or another's, heard through LISTEN); poll while not listening."""
        limit = 2.0 if self._database.listening else POLL_SECONDS
        return self.changes.wait(mark, min(timeout, limit))

    # -- connections (postgres_connection.py) ------------------------------

    def _connection(self):
        """This thread's connection: the one of the write in progress, or one from the pool."""
        return self._database.connection()

    def _write(self, lock):
        """A transaction (or a savepoint inside this thread's) holding the lock of ``rt_versions`` row ``lock``."""
        return self._database.write(lock)

    # -- documents ---------------------------------------------------------

    def snapshot(self):
        """Tables over the documents as last committed (or as this thread's write has them)."""
        with self._connection() as conn:
            (version,) = conn.execute("SELECT n FROM rt_versions WHERE name = 'documents'").fetchone()
            cached_version, tables = self._cached
            if cached_version == version:
                return tables
            version, data = read_documents(conn)
            tables = Tables.over(tinydb_data(data))
            self._cached = (version, tables)
            self._cached_data = (version, data)
            return tables

    @contextlib.contextmanager
    def transaction(self):
        """A transaction over the documents; every write lands together, or none does."""
        if getattr(self._local, "documents", False):
            raise RuntimeError("a transaction is already open on this thread")
        with self._write("documents") as conn:
            self._local.documents = True
            try:
                # Under the documents' lock nobody else changes them: the version read now is what holds.
                (version,) = conn.execute("SELECT n FROM rt_versions WHERE name = 'documents'").fetchone()
                cached_version, before = self._cached_data
                if cached_version != version:
                    version, before = read_documents(conn)
                holder = Holder(tinydb_data(before))
                yield Transaction(TinyDB(storage=lambda: holder))
                write_changes(conn, before, holder.data)
            finally:
                self._local.documents = False

    # -- streams -----------------------------------------------------------

    def append(self, stream, record, guard=None, once=None, members=()):
        """Store ``record`` in ``stream`` with ``members`` in their sets, in one transaction under the stream's lock."""
        check_stream_name(stream)
        record = copy_document(record)
        record["_id"] = new_id()
        marks = [(check_stream_name(name), check_member(member).decode()) for name, member in members]
        if once is not None:
            once = (check_stream_name(once[0]), check_member(once[1]).decode())
        with self._write(f"stream:{stream}") as conn:
            if once and conn.execute("SELECT 1 FROM rt_members WHERE set_name = %s AND member = %s", once).fetchone():
                raise AlreadyStored()
            if guard:
                guard()
            conn.execute(
                "INSERT INTO rt_records (stream, id, record) VALUES (%s, %s, %s)",
                (stream, record["_id"], Jsonb(record)),
            )
            if once:
                conn.execute("INSERT INTO rt_members (set_name, member) VALUES (%s, %s)", once)
            if marks:
                with conn.cursor() as cursor:
                    cursor.executemany(
                        "INSERT INTO rt_members (set_name, member) VALUES (%s, %s) ON CONFLICT DO NOTHING", marks
                    )
        return record["_id"]

    def extend(self, stream, records):
        """Store many records in ``stream`` at once, in random order."""
        check_stream_name(stream)
        added = [dict(copy_document(record), _id=new_id()) for record in records]
        _SHUFFLER.shuffle(added)
        with self._write(f"stream:{stream}") as conn, conn.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO rt_records (stream, id, record) VALUES (%s, %s, %s)",
                [(stream, r["_id"], Jsonb(r)) for r in added],
            )
        return [record["_id"] for record in added]

    def drain(self, stream, use):
        """Call ``use(records)`` under the stream's lock, then delete them, in one transaction."""
        check_stream_name(stream)
        with self._write(f"stream:{stream}") as conn:
            result = use(self._read_records(conn, stream)[1])
            conn.execute("DELETE FROM rt_records WHERE stream = %s", (stream,))
        return result

    def records(self, stream):
        """Every record of ``stream``, in the order they arrived."""
        check_stream_name(stream)
        with self._connection() as conn:
            return list(self._read_records(conn, stream)[1])

    def _read_records(self, conn, stream):
        return self._records.read(conn, stream)

    def fold(self, stream):
        """Compaction: the stream's rows in a random order, each rewritten by this one transaction.

        Until then a stream's rows keep their arrival order (``place``) and the
        id of the transaction that wrote each (PostgreSQL's ``xmin``), which the
        same transaction gave the receipt of a response too. Afterwards every
        row of the stream carries this transaction's id and a random place.
        ``vacuum`` then removes the old row versions.
        """
        check_stream_name(stream)
        with self._write(f"stream:{stream}") as conn:
            conn.execute("UPDATE rt_records SET place = floor(random() * 9e18)::bigint WHERE stream = %s", (stream,))

    def fold_set(self, name):
        """Rewrite every member of the set ``name`` in one transaction: none keeps the id of the one that added it."""
        check_stream_name(name)
        with self._write(f"set:{name}") as conn:
            conn.execute("UPDATE rt_members SET member = member WHERE set_name = %s", (name,))

    def vacuum(self):
        """Remove old row versions (and the transaction ids they carry) for good: after ``fold`` and ``fold_set``."""
        with self._connection() as conn:
            conn.execute("VACUUM rt_records, rt_members")

    def streams(self):
        """Names of the streams that hold records."""
        with self._connection() as conn:
            return [name for (name,) in conn.execute("SELECT DISTINCT stream FROM rt_records ORDER BY stream")]

    # -- sets --------------------------------------------------------------

    def add_member(self, name, member):
        """Add ``member`` to the set ``name``; return once it is committed."""
        self.add_members(name, [member])

    def add_members(self, name, members):
        """Add many members to the set ``name`` in one transaction."""
        check_stream_name(name)
        checked = [check_member(member).decode() for member in members]
        with self._write(f"set:{name}") as conn, conn.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO rt_members (set_name, member) VALUES (%s, %s) ON CONFLICT DO NOTHING",
                [(name, member) for member in checked],
            )

    def has_member(self, name, member):
        """Whether the set ``name`` holds ``member``."""
        check_stream_name(name)
        with self._connection() as conn:
            return (
                conn.execute("SELECT 1 FROM rt_members WHERE set_name = %s AND member = %s", (name, member)).fetchone()
                is not None
            )

    def members(self, name):
        """Every member of the set ``name``."""
        check_stream_name(name)
        with self._connection() as conn:
            return {m for (m,) in conn.execute("SELECT member FROM rt_members WHERE set_name = %s", (name,))}

    def set_names(self):
        """Names of the sets that hold members."""
        with self._connection() as conn:
            return [n for (n,) in conn.execute("SELECT DISTINCT set_name FROM rt_members ORDER BY set_name")]

    # -- versions ----------------------------------------------------------

    def version(self):
        """Changes with every commit: each one gives its row a number larger than any before."""
        with self._connection() as conn:
            return tuple(conn.execute("SELECT count(*), coalesce(sum(n), 0) FROM rt_versions").fetchone())

    def stream_version(self, stream):
        """The number the stream's last write gave it (None before any)."""
        check_stream_name(stream)
        with self._connection() as conn:
            row = conn.execute("SELECT n FROM rt_versions WHERE name = %s", (f"stream:{stream}",)).fetchone()
            return row[0] if row else None

    # -- shared settings -----------------------------------------------------

    def shared_secret(self):
        """The secret key every server shares: made by the first server to ask, kept in the database."""
        with self._connection() as conn:
            conn.execute(
                "INSERT INTO rt_meta (key, value) VALUES ('secret_key', %s) ON CONFLICT (key) DO NOTHING",
                (secrets.token_hex(32),),
            )
            return conn.execute("SELECT value FROM rt_meta WHERE key = 'secret_key'").fetchone()[0]

    # -- administration ----------------------------------------------------

    def init(self):
        """Create the schema, or bring an older one up to date (never dropping data)."""
        postgres_schema.init(self._database)

    def schema_version(self):
        """The schema version the database holds (None before ``store init``)."""
        return postgres_schema.schema_version(self._database)

    def table_names(self):
        """Names of the document tables that hold documents."""
        with self._connection() as conn:
            return [t for (t,) in conn.execute("SELECT DISTINCT tbl FROM rt_documents ORDER BY tbl")]

    def check(self):
        """One report per part of the store, as ``store check`` prints them."""
        return postgres_schema.check(self._database)

    def reset_for_tests(self):
        """Delete every row (the test suite's fresh store on one database)."""
        with self._connection() as conn, conn.transaction():
            conn.execute("TRUNCATE rt_documents, rt_records, rt_members")
            conn.execute("DELETE FROM rt_versions WHERE name <> 'documents'")
            conn.execute("DELETE FROM rt_meta WHERE key = 'secret_key'")
        self._cached = self._cached_data = (None, None)
        self._records.clear()
