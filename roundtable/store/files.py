"""The file store: TinyDB files and journals in a data directory, safe for many processes.

Layout under the store's root::

    roundtable.json          document tables (accounts, partners, surveys...)
    streams/NAME.log         journal: records appended since the last fold
    streams/NAME.json        folded records of stream NAME (a TinyDB file)
    *.lock                   inter-process locks (empty files)

Every write happens under the file's inter-process lock and on a fresh read
of the file, so no process can overwrite another's update. Reads take no
lock: files are only ever replaced atomically or appended to, and parsed
content is cached until the file's identity (inode, size, mtime) changes.
See docs/storage.md.
"""

import contextlib
import logging
import os
import random
import shutil
import threading

from filelock import FileLock, Timeout
from tinydb import TinyDB

from .atomic import TEMP_SUFFIX, AtomicJSONStorage, BufferedStorage, fsync_directory, read_json_file, replace_file
from .base import Store, Tables, Transaction, check_stream_name, new_id
from .errors import DamagedFileError, StoreError, WriteFailedError
from .journal import JournalReader, append_record, cut_torn_tail, parse_lines

log = logging.getLogger(__name__)

DOCUMENTS = "roundtable.json"
STREAMS = "streams"
FOLDED_TABLE = "records"


def _signature(path):
    try:
        stat = os.stat(path)
    except FileNotFoundError:
        return None
    return (stat.st_ino, stat.st_size, stat.st_mtime_ns)


class FileStore(Store):
    """Documents in one TinyDB file; each stream in its own journal and TinyDB file."""

    def __init__(self, root, fold_bytes=1 << 20, lock_timeout=30):
        self.root = os.path.abspath(os.fspath(root))
        self.fold_bytes = fold_bytes
        self.lock_timeout = lock_timeout
        os.makedirs(os.path.join(self.root, STREAMS), exist_ok=True)
        self._held = threading.local()
        self._documents = (None, {})
        self._folded = {}
        self._journals = {}

    # -- paths and locks -------------------------------------------------

    @property
    def documents_path(self):
        """The TinyDB file of the document tables."""
        return os.path.join(self.root, DOCUMENTS)

    def stream_paths(self, stream):
        """(journal, folded file) of ``stream``."""
        base = os.path.join(self.root, STREAMS, check_stream_name(stream))
        return base + ".log", base + ".json"

    @contextlib.contextmanager
    def _locked(self, path):
        held = getattr(self._held, "paths", None)
        if held is None:
            held = self._held.paths = set()
        if path in held:
            # Waiting for a lock this thread holds would hang until the timeout.
            raise RuntimeError(f"{path} is already locked by this thread (nested write)")
        lock = FileLock(path + ".lock", timeout=self.lock_timeout)
        try:
            # A short poll: waiting writers are served soon after the lock frees.
            lock.acquire(poll_interval=0.002)
        except Timeout as error:
            raise WriteFailedError(path, "timed out waiting for the file lock") from error
        except OSError as error:
            raise WriteFailedError(path, f"cannot lock ({error})") from error
        held.add(path)
        try:
            yield
        finally:
            held.discard(path)
            lock.release()

    # -- documents -------------------------------------------------------

    def _read_documents(self):
        signature = _signature(self.documents_path)
        if signature is None:
            return {}
        if self._documents[0] != signature:
            data = read_json_file(self.documents_path) or {}
            self._documents = (signature, data)
        return self._documents[1]

    def snapshot(self):
        """Tables over the documents as they are on disk now."""
        return Tables.over(self._read_documents())

    @contextlib.contextmanager
    def transaction(self):
        """Lock the document file, read it fresh, and replace it atomically on success."""
        with self._locked(self.documents_path):
            buffered = BufferedStorage(AtomicJSONStorage(self.documents_path))
            yield Transaction(TinyDB(storage=lambda: buffered))
            buffered.commit()

    # -- streams ---------------------------------------------------------

    def append(self, stream, record, guard=None):
        """Append ``record`` to the stream's journal and fsync it before returning."""
        journal, folded_path = self.stream_paths(stream)
        record = dict(record)
        record["_id"] = new_id()
        with self._locked(journal):
            # A damaged stream is refused, not added to: restoring it from a
            # backup would lose whatever was appended since. Both reads are cached.
            self._journals.setdefault(journal, JournalReader(journal)).read()
            self._read_folded(folded_path, _signature(folded_path))
            if guard:
                guard()
            append_record(journal, record)
            if os.path.getsize(journal) >= self.fold_bytes:
                try:
                    self._fold_locked(stream)
                except StoreError as error:
                    # The record itself is safely journalled; folding can wait.
                    log.error("could not fold %s: %s", journal, error)
        return record["_id"]

    def drain(self, stream, use):
        """Use the stream's records under its lock, then delete its files durably."""
        journal, folded_path = self.stream_paths(stream)
        with self._locked(journal):
            result = use(self.records(stream))
            try:
                for path in (journal, folded_path):
                    if os.path.exists(path):
                        os.unlink(path)
                fsync_directory(os.path.dirname(journal))
            except OSError as error:
                raise WriteFailedError(journal, str(error)) from error
            self._journals.pop(journal, None)
            self._folded.pop(folded_path, None)
        return result

    def _read_folded(self, path, signature):
        cached = self._folded.get(path)
        if cached is None or cached[0] != signature:
            data = read_json_file(path) or {} if signature else {}
            cached = (signature, list(data.get(FOLDED_TABLE, {}).values()))
            self._folded[path] = cached
        return cached[1]

    def records(self, stream):
        """Folded records followed by the journal's, each once."""
        journal, folded_path = self.stream_paths(stream)
        reader = self._journals.setdefault(journal, JournalReader(journal))
        while True:
            # A fold replaces the folded file, then empties the journal; reading
            # the journal between two identical looks at the folded file makes
            # sure no record is missed while a fold runs.
            signature = _signature(folded_path)
            folded = self._read_folded(folded_path, signature)
            tail = reader.read()
            if _signature(folded_path) == signature:
                break
        if not tail:
            return list(folded)
        seen = {record["_id"] for record in folded}
        return folded + [record for record in tail if record["_id"] not in seen]

    def fold(self, stream):
        """Move the journal's records into the stream's TinyDB file (compaction)."""
        journal, _ = self.stream_paths(stream)
        with self._locked(journal):
            self._fold_locked(stream)

    def _fold_locked(self, stream):
        journal, folded_path = self.stream_paths(stream)
        cut_torn_tail(journal)
        try:
            with open(journal, "rb") as file:
                pending, _ = parse_lines(journal, file.read())
        except FileNotFoundError:
            return
        if pending:
            buffered = BufferedStorage(AtomicJSONStorage(folded_path))
            table = TinyDB(storage=lambda: buffered).table(FOLDED_TABLE)
            present = {record["_id"] for record in table.all()}
            fresh = [record for record in pending if record["_id"] not in present]
            # Shuffled so that the folded file keeps no trace of arrival order.
            random.shuffle(fresh)
            table.insert_multiple(fresh)
            buffered.commit()
        # Replaced, not truncated in place: a reader that opened the journal
        # before the fold goes on reading the old file, never a mix of both.
        replace_file(journal, b"")

    def streams(self):
        """Names of the streams that have a journal or a folded file."""
        names = set()
        for entry in os.listdir(os.path.join(self.root, STREAMS)):
            name, dot, extension = entry.rpartition(".")
            if dot and extension in ("log", "json"):
                names.add(name)
        return sorted(names)

    def version(self):
        """The identities (inode, size, mtime) of every data file: any write changes one."""
        streams_dir = os.path.join(self.root, STREAMS)
        with os.scandir(streams_dir) as entries:
            files = sorted((e.name, e.inode(), e.stat().st_size, e.stat().st_mtime_ns) for e in entries
                           if not e.name.endswith((".lock", TEMP_SUFFIX)))
        return (_signature(self.documents_path), tuple(files))

    def stream_version(self, stream):
        """The identities of the stream's journal and folded file."""
        return tuple(_signature(path) for path in self.stream_paths(stream))

    # -- administration --------------------------------------------------

    def files(self):
        """Every data file of the store (documents, journals, folded files)."""
        paths = [self.documents_path] if os.path.exists(self.documents_path) else []
        for stream in self.streams():
            paths.extend(p for p in self.stream_paths(stream) if os.path.exists(p))
        return paths

    def check(self):
        """Report the state of every file: a list of ``FileReport``."""
        reports = []
        for path in self.files():
            reports.append(_check_file(path))
        streams_dir = os.path.join(self.root, STREAMS)
        for directory in (self.root, streams_dir):
            for entry in sorted(os.listdir(directory)):
                if entry.endswith(TEMP_SUFFIX):
                    path = os.path.join(directory, entry)
                    reports.append(FileReport(path, "leftover", "unfinished write, never acknowledged; safe to delete", 0))
        return reports

    def backup(self, destination):
        """Copy every store file into ``destination`` (new or empty), all at one instant."""
        destination = os.path.abspath(os.fspath(destination))
        os.makedirs(os.path.join(destination, STREAMS), exist_ok=True)
        locked = [self.documents_path] + [self.stream_paths(s)[0] for s in self.streams()]
        with contextlib.ExitStack() as stack:
            for path in locked:
                stack.enter_context(self._locked(path))
            for path in self.files():
                target = os.path.join(destination, os.path.relpath(path, self.root))
                shutil.copyfile(path, target)
                with open(target, "rb") as file:
                    os.fsync(file.fileno())
        return destination


class FileReport:
    """The state of one store file as ``store check`` reports it."""

    def __init__(self, path, status, detail, records):
        self.path = path
        self.status = status
        self.detail = detail
        self.records = records

    @property
    def ok(self):
        """Whether the file can be served as it is."""
        return self.status in ("ok", "leftover")


def _check_file(path):
    try:
        if path.endswith(".log"):
            with open(path, "rb") as file:
                payload = file.read()
            records, consumed = parse_lines(path, payload)
            if consumed < len(payload):
                return FileReport(path, "ok", f"{len(records)} records; an unacknowledged partial last line will be cut", len(records))
            return FileReport(path, "ok", f"{len(records)} records", len(records))
        data = read_json_file(path) or {}
        count = sum(len(table) for table in data.values())
        return FileReport(path, "ok", f"{count} records", count)
    except DamagedFileError as error:
        return FileReport(path, "damaged", error.reason, 0)
