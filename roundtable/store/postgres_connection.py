"""The PostgreSQL store's connection to its database: a pool, its checks and reconnection, and LISTEN.

A connection the database dropped while it sat in the pool is found out
before it is handed over. When the database is found down, requests are
refused at once (``StoreUnavailableError``) until it answers again, and then
a new pool connects at once. A write is a transaction that locks a row of
``rt_versions``, gives it a new number and notifies the channel every server
listens on, so each hears of the others' commits without polling.
"""

import contextlib
import logging
import threading

from .errors import DamagedFileError, StoreUnavailableError, WriteFailedError

try:  # an optional extra: pip install -e ".[postgres]"
    import psycopg
    from psycopg.types.json import Jsonb  # noqa: F401 - the stores' modules take it from here
    from psycopg_pool import ConnectionPool, PoolTimeout
except ImportError:  # reported when a PostgreSQL URL is used (postgres.PostgresStore)
    psycopg = Jsonb = ConnectionPool = PoolTimeout = None

# The PostgreSQL store's log: the connection's warnings are reported beside the store's own.
log = logging.getLogger(__package__ + ".postgres")

PROBE_SECONDS = 2  # how long a look at whether a database that was down answers again may take
CHANNEL = "roundtable"
_LISTENER_LOCK = threading.Lock()


class Database:
    """The connections of one store to the database at ``url``; ``changes`` hears every commit."""

    def __init__(self, url, changes, pool_size=10, timeout=10):
        self.url = url
        self.name = describe(url)
        self.changes = changes
        self._timeout = timeout
        self._pool_size = pool_size
        self._reachable = threading.Event()  # cleared when the database is found down; set again when it answers
        self._reconnecting = threading.Lock()
        self._pool = self._new_pool()
        self._local = threading.local()
        self._listener = None  # the thread that hears other servers' commits (started by the first waiter)
        self._listening = threading.Event()
        self._closed = threading.Event()
        try:
            self._pool.open(wait=True, timeout=timeout)
        except Exception as error:
            self._pool.close()
            raise StoreUnavailableError(self.name, reason(error)) from None
        self._reachable.set()

    def _new_pool(self):
        # ``check``: a connection the database dropped while it sat in the pool (a restart, a failover, an
        # administrator's pg_terminate_backend) is found out before it is handed over, and replaced;
        # without it, the next request on each such connection would fail.
        return ConnectionPool(
            self.url,
            min_size=1,
            max_size=self._pool_size,
            timeout=self._timeout,
            open=False,
            kwargs={"autocommit": True},
            name="roundtable",
            check=self._check,
        )

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
                log.warning("database unreachable, refusing requests until it answers: %s", reason(error))
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

    def start_listening(self):
        """Start the thread that hears other servers' commits, unless it runs already."""
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
                    log.warning("not hearing other servers' changes (polling meanwhile): %s", reason(error))
            self._listening.clear()
            self._closed.wait(1.0)

    @property
    def listening(self):
        """Whether this server hears other servers' commits now (else it polls)."""
        return self._listening.is_set()

    # -- connections -------------------------------------------------------

    @contextlib.contextmanager
    def connection(self):
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
            raise StoreUnavailableError(self.name, reason(error)) from None
        except psycopg.errors.DataCorrupted as error:  # pragma: no cover - the database's own damage
            raise DamagedFileError(self.name, reason(error)) from None
        except psycopg.Error as error:
            raise WriteFailedError(self.name, reason(error)) from None

    @contextlib.contextmanager
    def write(self, lock):
        """A transaction (or a savepoint inside this thread's) holding the lock of ``rt_versions`` row ``lock``.

        The row gets a new number, and the change is announced when it commits.
        """
        with self.connection() as conn, conn.transaction():
            # Lock the row first, number it last: what this write reads meanwhile is
            # what was committed under the old number, so caches keyed by it hold.
            conn.execute(
                "INSERT INTO rt_versions (name, n) VALUES (%s, nextval('rt_version_seq')) "
                "ON CONFLICT (name) DO UPDATE SET n = rt_versions.n",
                (lock,),
            )
            yield conn
            conn.execute("UPDATE rt_versions SET n = nextval('rt_version_seq') WHERE name = %s", (lock,))
            conn.execute("SELECT pg_notify(%s, %s)", (CHANNEL, lock))
        self.changes.announce()


class _Unreachable(BaseException):
    """Raised by the pool's check when the database is down: the pool stops retrying (it does on any Exception)."""


def describe(url):
    """The database's address without its password, for messages and logs."""
    try:
        info = psycopg.conninfo.conninfo_to_dict(url)
    except psycopg.ProgrammingError:
        return "postgresql"
    host, port, name = info.get("host", "localhost"), info.get("port", "5432"), info.get("dbname", "")
    return f"postgresql://{host}:{port}/{name}"


def reason(error):
    """An error's first line, without the connection string psycopg may quote."""
    return (str(error).strip().splitlines() or [type(error).__name__])[0]
