"""The file store: TinyDB files and journals in a data directory, safe for many processes.

This module holds the documents and the streams (appends, group-committed
under the journal's lock, and folds); where each file lives, and how a
change to any of them is seen, is files_layout.py's; the set files are files_sets.py's,
completing a batch a crash left unfinished files_recovery.py's, and
``check`` and ``backup`` files_check.py's.

Every write happens under the file's inter-process lock and on a fresh read
of the file, so no process can overwrite another's update. Reads take no
lock: files are only ever replaced atomically or appended to, and parsed
content is cached until the file's identity (inode, size, mtime) changes.
See docs/storage.md.
"""

import contextlib
import logging
import os

from tinydb import TinyDB

from . import files_check, folded, sets
from .atomic import (
    AtomicJSONStorage,
    BufferedStorage,
    fsync_directory,
    read_json_file,
    replace_file,
    signature_of,
)
from .base import Store, check_stream_name
from .cache import RecordCache
from .errors import AlreadyStored, StoreError, WriteFailedError
from .files_layout import DataDirectory
from .files_recovery import complete_unfinished
from .files_sets import SetFiles
from .group import Append, GroupCommit, refuse
from .journal import (
    append_lines,
    cut_torn_tail,
    encode_record,
    erase_intent,
    erased,
    intent_line,
    parse_lines,
)
from .journal_reader import JournalReader
from .locks import FileLocks
from .tables import Tables, Transaction, new_id

log = logging.getLogger(__name__)


class FileStore(DataDirectory, Store):
    """Documents in one TinyDB file; each stream in its own journal and TinyDB file."""

    def __init__(self, root, fold_bytes=1 << 20, lock_timeout=30, cache_records=5_000):
        super().__init__(root)
        self.fold_bytes = fold_bytes
        self.lock_timeout = lock_timeout
        self._locks = FileLocks(lock_timeout)
        self._groups = {}
        self._sets = SetFiles(self.set_path, self._locks, self._groups)
        self._documents = (None, None)
        self._cache = RecordCache(cache_records)
        self._journals = {}

    # -- locks -----------------------------------------------------------

    def _locked(self, path):
        return self._locks.locked(path)

    # -- documents -------------------------------------------------------

    def snapshot(self):
        """Tables over the documents as they are on disk now (shared, with their indexes, until the file changes)."""
        signature = signature_of(self.documents_path)
        if self._documents[0] != signature or self._documents[1] is None:
            data = read_json_file(self.documents_path) or {} if signature else {}
            self._documents = (signature, Tables.over(data))
        return self._documents[1]

    @contextlib.contextmanager
    def transaction(self):
        """Lock the document file, read it fresh, and replace it atomically on success."""
        with self._locked(self.documents_path):
            buffered = BufferedStorage(AtomicJSONStorage(self.documents_path))
            yield Transaction(TinyDB(storage=lambda: buffered))
            buffered.commit()
        self.changes.announce()

    # -- streams ---------------------------------------------------------

    def append(self, stream, record, guard=None, once=None, members=()):
        """Append ``record`` to the stream's journal, with ``members`` in their sets; return its id once durable.

        Appends that other threads make to the same stream at the same time
        share the write and the fsync (group commit: see group.py), so
        ``guard`` may be called from one of those threads. ``once`` (a set
        and a member) is checked, and then added, under the journal's lock.
        The record, the ``once`` member and ``members`` land together or not
        at all, even across a crash (docs/storage.md, "One atomic submission").
        """
        journal, _ = self.stream_paths(stream)
        if self._locks.held(journal):
            raise RuntimeError(f"{journal} is already locked by this thread (nested write)")
        marks = [(check_stream_name(name), sets.check_member(member).decode()) for name, member in members]
        if once is not None:
            marks.append((check_stream_name(once[0]), sets.check_member(once[1]).decode()))
            once = (self.set_path(once[0]), sets.check_member(once[1]))
        record = dict(record)
        record["_id"] = new_id()
        group = self._groups.get(journal) or self._groups.setdefault(journal, GroupCommit())
        group.submit(Append(encode_record(record), guard, once, marks), lambda batch: self._commit(stream, batch))
        self.changes.announce()
        return record["_id"]

    def _commit(self, stream, batch):
        """Write a batch of appends with one write and one fsync, under the stream's lock; then their set members."""
        journal, folded_path = self.stream_paths(stream)
        with self._locked(journal):
            try:
                # A damaged stream is refused, not added to: restoring it from a
                # backup would lose whatever was appended since. Both reads are cached.
                reader = self._reader(journal)
                reader.check()
                if reader.pending:
                    reader = self._recover(journal)
                self._cache.check_folded(
                    folded_path, signature_of(folded_path), lambda: self._parse_folded(folded_path)
                )
            except StoreError as error:
                refuse(batch, error)
                return
            accepted, claimed = [], set()
            for entry in batch:
                try:
                    # A submission already stored (or racing in this batch) is recognised first:
                    # a retry after its round closed was still stored, not refused.
                    if entry.once and (entry.once in claimed or sets.contains(*entry.once)):
                        raise AlreadyStored()
                    if entry.guard:
                        entry.guard()
                except Exception as error:
                    entry.finish(error)
                else:
                    accepted.append(entry)
                    claimed.add(entry.once)
            if not accepted:
                return
            lines = [entry.line for entry in accepted]
            marks = [mark for entry in accepted for mark in entry.members]
            if marks:
                # The intent opens the batch: once it and the records after it are
                # fsynced, the batch is stored, and a crash is completed from it.
                lines.insert(0, intent_line(len(accepted), marks))
            try:
                before, after = append_lines(journal, lines)
            except StoreError as error:
                refuse(accepted, error)
                return
            if marks:
                try:
                    self._sets.add_marks(marks)
                    after = erase_intent(journal, after[1] - sum(map(len, lines)), lines[0])
                    lines[0] = erased(lines[0])
                except StoreError as error:
                    # The records are stored, their members are in the intent: the next write completes them.
                    log.error("submissions stored, their set members left to the next write: %s", error)
                    self._journals.pop(journal, None)
                    reader = None
            for entry in accepted:
                entry.finish()
            if reader is not None:
                # The reader takes our own lines as written, without reading the file back.
                reader.appended(before, after, lines)
                self._cache.journal(journal, reader)
            if after[1] >= self.fold_bytes:
                try:
                    self._fold_locked(stream)
                except StoreError as error:
                    # The records themselves are safely journalled; folding can wait.
                    log.error("could not fold %s: %s", journal, error)

    def _recover(self, journal):
        """Finish the batches a crash (or a failed set write) left unfinished; return a fresh reader of the journal.

        Called under the journal's lock. See files_recovery.py.
        """
        complete_unfinished(journal, self._reader(journal).pending, self._sets.add_marks)
        # Lines were erased or cut: a new reader reads the journal from the top.
        self._journals.pop(journal, None)
        self._cache.forget(journal)
        reader = self._reader(journal)
        reader.check()
        return reader

    def extend(self, stream, records):
        """Add ``records`` straight to the stream's folded file, in one atomic replace."""
        journal, folded_path = self.stream_paths(stream)
        added = [dict(record, _id=new_id()) for record in records]
        with self._locked(journal):
            self._add_folded(folded_path, added)
        return [record["_id"] for record in added]

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
            self._cache.forget(folded_path)
            self._cache.forget(journal)
        self.changes.announce()
        return result

    # -- sets ------------------------------------------------------------

    def add_member(self, name, member):
        """Write ``member`` into a random free slot of the set's file; return once it is fsynced (group commit)."""
        self._sets.add(name, member)

    def add_members(self, name, members):
        """Add ``members`` to the set's file: one atomic replace that places every member anew."""
        self._sets.add_many(name, members)

    def has_member(self, name, member):
        """Whether the set holds ``member`` (reads one bucket of its file)."""
        return self._sets.has(name, member)

    def members(self, name):
        """Every member of the set."""
        return self._sets.members(name)

    # -- streams' reads and folds ------------------------------------------

    def _reader(self, journal):
        reader = self._journals.get(journal)
        if reader is None:
            reader = self._journals.setdefault(journal, JournalReader(journal))
        return reader

    def _parse_folded(self, path):
        return folded.read(path)

    def _read_folded(self, path, signature):
        if signature is None:
            return []
        return self._cache.folded(path, signature, lambda: self._parse_folded(path))

    def records(self, stream):
        """Folded records followed by the journal's, each once."""
        journal, folded_path = self.stream_paths(stream)
        reader = self._reader(journal)
        while True:
            # A fold replaces the folded file, then empties the journal; reading
            # the journal between two identical looks at the folded file makes
            # sure no record is missed while a fold runs.
            signature = signature_of(folded_path)
            folded_records = self._read_folded(folded_path, signature)
            tail = reader.read()
            if signature_of(folded_path) == signature:
                break
        self._cache.journal(journal, reader)
        if not tail:
            return list(folded_records)
        seen = {record["_id"] for record in folded_records}
        return folded_records + [record for record in tail if record["_id"] not in seen]

    def fold(self, stream):
        """Move the journal's records into the stream's TinyDB file (compaction)."""
        journal, _ = self.stream_paths(stream)
        with self._locked(journal):
            self._fold_locked(stream)

    def _fold_locked(self, stream):
        journal, folded_path = self.stream_paths(stream)
        reader = self._reader(journal)
        reader.check()
        if reader.pending:
            self._recover(journal)
        cut_torn_tail(journal)
        try:
            with open(journal, "rb") as file:
                pending, _ = parse_lines(journal, file.read())
        except FileNotFoundError:
            return
        if pending:
            self._add_folded(folded_path, pending)
        # Replaced, not truncated in place: a reader that opened the journal
        # before the fold goes on reading the old file, never a mix of both.
        replace_file(journal, b"")

    def _add_folded(self, folded_path, records):
        """Add the records the folded file does not hold yet (by ``_id``), in one atomic replace (folded.py)."""
        folded.add(folded_path, records)
        # Written from records that parsed, under the lock: the next append need not parse it again.
        self._cache.checked(folded_path, signature_of(folded_path))

    # -- administration --------------------------------------------------

    def check(self):
        """Report the state of every file: a list of ``Report`` (files_check.py)."""
        return files_check.check(self)

    def backup(self, destination):
        """Copy every store file into ``destination`` (new or empty), all at one instant."""
        return files_check.backup(self, self._locks, destination)
