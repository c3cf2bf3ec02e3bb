"""The file store's sets: one set file each in the streams directory, added to under its lock.

The file format (a hash table of fixed slots, with no order) is sets.py's;
this module is where a store keeps those files and how its threads write
them: adds to one set at the same time share the fsync (group commit).
"""

from . import sets
from .atomic import replace_file
from .errors import StoreError
from .group import Append, GroupCommit, refuse


class SetFiles:
    """The set files of one file store, each where ``path(name)`` says."""

    def __init__(self, path, locks, groups):
        self.path = path  # set name -> its file (files_layout.DataDirectory.set_path)
        self._locks = locks
        self._groups = groups  # shared with the store's journals: one queue per file

    def add(self, name, member):
        """Write ``member`` into a random free slot of the set's file; return once it is fsynced.

        Adds that threads make to the same set at the same time share the fsync (group commit).
        """
        path = self.path(name)
        if self._locks.held(path):
            raise RuntimeError(f"{path} is already locked by this thread (nested write)")
        line = sets.check_member(member)
        group = self._groups.get(path) or self._groups.setdefault(path, GroupCommit())
        group.submit(Append(line), lambda batch: self._commit(path, batch))

    def _commit(self, path, batch):
        with self._locks.locked(path):
            try:
                sets.add(path, [entry.line for entry in batch])
            except StoreError as error:
                refuse(batch, error)
                return
            for entry in batch:
                entry.finish()

    def add_many(self, name, members):
        """Add ``members`` to the set's file: one atomic replace that places every member anew."""
        path = self.path(name)
        added = [sets.check_member(member) for member in members]
        with self._locks.locked(path):
            replace_file(path, sets.layout(sets.read_members(path) + added))

    def add_marks(self, marks):
        """Add (set, member) pairs to their set files, each set under its lock (taken after the journal's)."""
        by_path = {}
        for name, member in marks:
            by_path.setdefault(self.path(name), []).append(member.encode("ascii"))
        for path in sorted(by_path):
            with self._locks.locked(path):
                sets.add(path, by_path[path])

    def has(self, name, member):
        """Whether the set holds ``member`` (reads one bucket of its file)."""
        try:
            line = sets.check_member(member)
        except ValueError:
            return False
        return sets.contains(self.path(name), line)

    def members(self, name):
        """Every member of the set."""
        return {member.decode() for member in sets.read_members(self.path(name))}
