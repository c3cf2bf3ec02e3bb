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
"""

import collections
import contextlib
import importlib.resources
import logging
import secrets
import threading

from tinydb import TinyDB

from .base import (
    POLL_SECONDS,
    Holder,
    Report,
    Store,
    Tables,
    Transaction,
    check_stream_name,
    copy_document,
    new_id,
)
from .errors import (
    AlreadyStored,
    DamagedFileError,
    StoreUnavailableError,
    WriteFailedError,
)
from .sets import check_member

log = logging.getLogger(__name__)

SCHEMA_VERSION = "1"
RECORDS_CACHED = 20_000  # records a server keeps in memory between reads (the file store keeps 5,000)
PROBE_SECONDS = 2  # how long a look at whether a database that was down answers again may take
CHANNEL = "roundtable"
_LISTENER_LOCK = threading.Lock()
_CACHE_LOCK = threading.Lock()
_SHUFFLER = secrets.SystemRandom()  # the order bulk records land in must not be predictable

try:  # an optional extra: pip install -e ".[postgres]"
    import psycopg
    from psycopg.types.json import Jsonb
    from psycopg_pool import ConnectionPool, PoolTimeout
except ImportError:  # pragma: no cover - reported when a PostgreSQL URL is used
    psycopg = None


def schema_sql():
    """The schema, as ``store init`` runs it."""
    return importlib.resources.files(__package__).joinpath("schema.sql").read_text(encoding="utf-8")


def _describe(url):
    """The database's address without its password, for messages and logs."""
    try:
        info = psycopg.conninfo.conninfo_to_dict(url)
    except psycopg.ProgrammingError:
        return "postgresql"
    host, port, name = info.get("host", "localhost"), info.get("port", "5432"), info.get("dbname", "")
    return f"postgresql://{host}:{port}/{name}"


class PostgresStore(Store):
    """Documents, streams and sets in PostgreSQL, behind the store API."""

    def __init__(self, url, pool_size=10, timeout=10):
        if psycopg is None:
            raise StoreUnavailableError("postgresql", "psycopg is not installed: pip install -e \".[postgres]\"")
        self.url = url
        self.name = _describe(url)
        self._timeout = timeout
        self._pool_size = pool_size
        self._reachable = threading.Event()  # cleared when the database is found down; set again when it answers
        self._reconnecting = threading.Lock()
        self._pool = self._new_pool()
        self._local = threading.local()
        self._listener = None  # the thread that hears other servers' commits (started by the first waiter)
        self._listening = threading.Event()
        self._closed = threading.Event()
        self._cached = (None, None)  # (documents version, frozen Tables)
        self._cached_data = (None, None)  # (documents version, {table: {id: document}}): never changed in place
        self._records_cache = collections.OrderedDict()  # stream -> (its version, records), least recently used first
        self._records_cached = 0  # records held in _records_cache, at most RECORDS_CACHED
        try:
            self._pool.open(wait=True, timeout=timeout)
        except Exception as error:
            self._pool.close()
            raise StoreUnavailableError(self.name, _reason(error)) from None
        self._reachable.set()
        if self.schema_version() != SCHEMA_VERSION:
            # A new database (or one from an older version): its tables, as `store init` makes them.
            log.warning("creating or upgrading Roundtable's tables in %s", self.name)
            self.init()

    def _new_pool(self):
        # ``check``: a connection the database dropped while it sat in the pool (a restart, a failover, an
        # administrator's pg_terminate_backend) is found out before it is handed over, and replaced;
        # without it, the next request on each such connection would fail.
        return ConnectionPool(self.url, min_size=1, max_size=self._pool_size, timeout=self._timeout, open=False,
                              kwargs={"autocommit": True}, name="roundtable", check=self._check)

    def _check(self, conn):
        """Check a connection before the pool hands it over; when it fails and the database is down, stop there."""
        try:
            ConnectionPool.check_connection(conn)
        except psycopg.Error:
            if not self._answers():
                raise _Unreachable() from None
            raise

    def _answers(self):
        """Whether the database accepts a new connection now; if not, requests are refused at once until it does."""
        try:
            psycopg.connect(self.url, connect_timeout=PROBE_SECONDS).close()
        except psycopg.Error as error:
            if self._reachable.is_set():
                log.warning("database unreachable, refusing requests until it answers: %s", _reason(error))
            self._reachable.clear()
            return False
        return True

    def _reconnect(self):
        """While the database was down: refuse at once, or, once it answers, start a new pool.

        The old pool would wait out its own growing delays between attempts (up to minutes) before it
        noticed; a new one connects at once.
        """
        with self._reconnecting:
            if self._reachable.is_set():
                return
            if not self._answers():
                raise StoreUnavailableError(self.name, "the database does not answer")
            old, self._pool = self._pool, self._new_pool()
            self._pool.open(wait=False)
            threading.Thread(target=old.close, kwargs={"timeout": 1.0}, daemon=True).start()
            self._reachable.set()
            log.warning("database answers again: reconnected")

    def close(self):
        """Close every connection of the pool, and stop listening."""
        self._closed.set()
        self._pool.close()
        if self._listener is not None:
            self._listener.join(timeout=5)

    # -- changes other servers make ----------------------------------------

    def _start_listening(self):
        if self._listener is None:
            with _LISTENER_LOCK:
                if self._listener is None:
                    self._listener = threading.Thread(target=self._listen, name="roundtable-listen", daemon=True)
                    self._listener.start()

    def _listen(self):
        """LISTEN on the channel every commit notifies; wake waiters on each notification. Reconnects after a loss."""
        while not self._closed.is_set():
            try:
                with psycopg.connect(self.url, autocommit=True, connect_timeout=5) as conn:
                    conn.execute(f"LISTEN {CHANNEL}")
                    self._listening.set()
                    self.changes.announce()  # what was missed while not listening
                    while not self._closed.is_set():
                        for _ in conn.notifies(timeout=1.0):
                            self.changes.announce()
            except psycopg.Error as error:
                if not self._closed.is_set():
                    log.warning("not hearing other servers' changes (polling meanwhile): %s", _reason(error))
            self._listening.clear()
            self._closed.wait(1.0)

    @property
    def listening(self):
        """Whether this server hears other servers' commits now (else it polls)."""
        return self._listening.is_set()

    def wait_for_change(self, mark, timeout):
        """Wait for a commit (this server's or another's, heard through LISTEN); poll while not listening."""
        limit = 2.0 if self._listening.is_set() else POLL_SECONDS
        return self.changes.wait(mark, min(timeout, limit))

    # -- connections -------------------------------------------------------

    @contextlib.contextmanager
    def _connection(self):
        """This thread's connection: the one of the write in progress, or one from the pool."""
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            yield conn
            return
        try:
            if not self._reachable.is_set():
                self._reconnect()
            with self._pool.connection() as conn:
                self._local.conn = conn
                try:
                    yield conn
                finally:
                    self._local.conn = None
        except _Unreachable:
            raise StoreUnavailableError(self.name, "the database does not answer") from None
        except psycopg.OperationalError as error:
            if not isinstance(error, PoolTimeout):  # no connection free in time: the database may well be up
                self._answers()  # a connection lost mid-request: is it the database that went?
            raise StoreUnavailableError(self.name, _reason(error)) from None
        except psycopg.errors.DataCorrupted as error:  # pragma: no cover - the database's own damage
            raise DamagedFileError(self.name, _reason(error)) from None
        except psycopg.Error as error:
            raise WriteFailedError(self.name, _reason(error)) from None

    @contextlib.contextmanager
    def _write(self, lock):
        """A transaction (or a savepoint inside this thread's) holding the lock of ``rt_versions`` row ``lock``.

        The row gets a new number, and the change is announced when it commits.
        """
        with self._connection() as conn, conn.transaction():
            # Lock the row first, number it last: what this write reads meanwhile is
            # what was committed under the old number, so caches keyed by it hold.
            conn.execute("INSERT INTO rt_versions (name, n) VALUES (%s, nextval('rt_version_seq')) "
                         "ON CONFLICT (name) DO UPDATE SET n = rt_versions.n", (lock,))
            yield conn
            conn.execute("UPDATE rt_versions SET n = nextval('rt_version_seq') WHERE name = %s", (lock,))
            conn.execute("SELECT pg_notify(%s, %s)", (CHANNEL, lock))
        self.changes.announce()

    # -- documents ---------------------------------------------------------

    def snapshot(self):
        """Tables over the documents as last committed (or as this thread's write has them)."""
        with self._connection() as conn:
            (version,) = conn.execute("SELECT n FROM rt_versions WHERE name = 'documents'").fetchone()
            cached_version, tables = self._cached
            if cached_version == version:
                return tables
            version, data = _read_documents(conn)
            tables = Tables.over(_tinydb_data(data))
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
                    version, before = _read_documents(conn)
                holder = Holder(_tinydb_data(before))
                yield Transaction(TinyDB(storage=lambda: holder))
                _write_changes(conn, before, holder.data)
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
            conn.execute("INSERT INTO rt_records (stream, id, record) VALUES (%s, %s, %s)",
                          (stream, record["_id"], Jsonb(record)))
            if once:
                conn.execute("INSERT INTO rt_members (set_name, member) VALUES (%s, %s)", once)
            if marks:
                with conn.cursor() as cursor:
                    cursor.executemany("INSERT INTO rt_members (set_name, member) VALUES (%s, %s) "
                                       "ON CONFLICT DO NOTHING", marks)
        return record["_id"]

    def extend(self, stream, records):
        """Store many records in ``stream`` at once, in random order."""
        check_stream_name(stream)
        added = [dict(copy_document(record), _id=new_id()) for record in records]
        _SHUFFLER.shuffle(added)
        with self._write(f"stream:{stream}") as conn, conn.cursor() as cursor:
            cursor.executemany("INSERT INTO rt_records (stream, id, record) VALUES (%s, %s, %s)",
                               [(stream, r["_id"], Jsonb(r)) for r in added])
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
        row = conn.execute("SELECT n FROM rt_versions WHERE name = %s", (f"stream:{stream}",)).fetchone()
        cached = self._records_cache.get(stream)
        if row is not None and cached is not None and cached[0] == row[0]:
            with contextlib.suppress(KeyError):
                self._records_cache.move_to_end(stream)
            return cached
        rows = conn.execute(
            "SELECT n, NULL FROM rt_versions WHERE name = %s "
            "UNION ALL (SELECT NULL, record FROM rt_records WHERE stream = %s ORDER BY place)",
            (f"stream:{stream}", stream)).fetchall()
        version = next((n for n, record in rows if n is not None), None)
        found = (version, tuple(record for n, record in rows if n is None))
        if version is not None:
            self._cache_records(stream, found)
        return found

    def _cache_records(self, stream, found):
        """Keep a stream's records for the next read, forgetting the least recently read beyond the limit."""
        with _CACHE_LOCK:
            old = self._records_cache.pop(stream, None)
            self._records_cached -= len(old[1]) if old else 0
            if len(found[1]) > RECORDS_CACHED:
                return
            self._records_cache[stream] = found
            self._records_cached += len(found[1])
            while self._records_cached > RECORDS_CACHED:
                _, dropped = self._records_cache.popitem(last=False)
                self._records_cached -= len(dropped[1])

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
            cursor.executemany("INSERT INTO rt_members (set_name, member) VALUES (%s, %s) ON CONFLICT DO NOTHING",
                               [(name, member) for member in checked])

    def has_member(self, name, member):
        """Whether the set ``name`` holds ``member``."""
        check_stream_name(name)
        with self._connection() as conn:
            return conn.execute("SELECT 1 FROM rt_members WHERE set_name = %s AND member = %s",
                                (name, member)).fetchone() is not None

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
            conn.execute("INSERT INTO rt_meta (key, value) VALUES ('secret_key', %s) ON CONFLICT (key) DO NOTHING",
                         (secrets.token_hex(32),))
            return conn.execute("SELECT value FROM rt_meta WHERE key = 'secret_key'").fetchone()[0]

    # -- administration ----------------------------------------------------

    def init(self):
        """Create the schema, or bring an older one up to date (never dropping data)."""
        with self._connection() as conn, conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(hashtext('roundtable schema'))")
            conn.execute(schema_sql())

    def schema_version(self):
        """The schema version the database holds (None before ``store init``)."""
        with self._connection() as conn:
            exists = conn.execute("SELECT to_regclass('rt_meta')").fetchone()[0]
            if exists is None:
                return None
            row = conn.execute("SELECT value FROM rt_meta WHERE key = 'schema_version'").fetchone()
            return row[0] if row else None

    def table_names(self):
        """Names of the document tables that hold documents."""
        with self._connection() as conn:
            return [t for (t,) in conn.execute("SELECT DISTINCT tbl FROM rt_documents ORDER BY tbl")]

    def check(self):
        """One report per part of the store, as ``store check`` prints them."""
        version = self.schema_version()
        if version != SCHEMA_VERSION:
            return [Report(self.name, "damaged", f"schema version {version}, expected {SCHEMA_VERSION}: "
                                                 "run `flask --app app store init`", 0)]
        with self._connection() as conn:
            counts = [("documents", conn.execute("SELECT count(*) FROM rt_documents").fetchone()[0]),
                      ("records", conn.execute("SELECT count(*) FROM rt_records").fetchone()[0]),
                      ("set members", conn.execute("SELECT count(*) FROM rt_members").fetchone()[0])]
        return [Report(f"{self.name} {what}", "ok", f"{count} {what}", count) for what, count in counts]

    def reset_for_tests(self):
        """Delete every row (the test suite's fresh store on one database)."""
        with self._connection() as conn, conn.transaction():
            conn.execute("TRUNCATE rt_documents, rt_records, rt_members")
            conn.execute("DELETE FROM rt_versions WHERE name <> 'documents'")
            conn.execute("DELETE FROM rt_meta WHERE key = 'secret_key'")
        self._cached = self._cached_data = (None, None)
        with _CACHE_LOCK:
            self._records_cache.clear()
            self._records_cached = 0


class _Unreachable(BaseException):
    """Raised by the pool's check when the database is down: the pool stops retrying (it does on any Exception)."""



def _reason(error):
    """An error's first line, without the connection string psycopg may quote."""
    return (str(error).strip().splitlines() or [type(error).__name__])[0]


def _read_documents(conn):
    """(the documents' version, {table: {id: document}}), read in one statement."""
    rows = conn.execute("SELECT n, NULL, NULL FROM rt_versions WHERE name = 'documents' "
                        "UNION ALL (SELECT NULL, tbl, doc FROM rt_documents ORDER BY place)").fetchall()
    version, data = None, {}
    for n, table, doc in rows:
        if n is not None:
            version = n
        else:
            data.setdefault(table, {})[doc["id"]] = doc
    return version, data


def _tinydb_data(data):
    """TinyDB's layout of ``{table: {id: doc}}``: each table's documents under 1, 2, 3... in stored order."""
    return {table: {str(i): copy_document(doc) for i, doc in enumerate(docs.values(), start=1)}
            for table, docs in data.items()}


def _write_changes(conn, before, after):
    """Write what a transaction changed: documents inserted, updated and removed."""
    upserts, removals = [], []
    for table, docs in after.items():
        old = before.get(table, {})
        seen = set()
        for doc in docs.values():
            seen.add(doc["id"])
            if old.get(doc["id"]) != doc:
                upserts.append((table, doc["id"], Jsonb(doc)))
        removals.extend((table, doc_id) for doc_id in old if doc_id not in seen)
    for table, docs in before.items():
        if table not in after:
            removals.extend((table, doc_id) for doc_id in docs)
    with conn.cursor() as cursor:
        if removals:
            cursor.executemany("DELETE FROM rt_documents WHERE tbl = %s AND id = %s", removals)
        if upserts:
            cursor.executemany("INSERT INTO rt_documents (tbl, id, doc) VALUES (%s, %s, %s) "
                               "ON CONFLICT (tbl, id) DO UPDATE SET doc = EXCLUDED.doc", upserts)
