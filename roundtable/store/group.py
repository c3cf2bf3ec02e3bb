"""Group commit: appends that threads make at the same time to one journal share one write and one fsync.

An fsync costs about as much for ten lines as for one, and while one is in
progress other writers can only wait. So the first thread to arrive *leads*:
it takes every append waiting for that journal, commits them all at once
(under the journal's file lock: one write, one fsync) and then wakes their
threads, each with its own outcome. Threads that arrive meanwhile queue up,
and one of them leads the next batch. Nobody is acknowledged before the
batch's fsync has returned, and if it fails, nobody in the batch is.

Between processes nothing changes: each process's leader takes the journal's
file lock in turn.
"""

import threading


class Append:
    """One record waiting to be appended, and then its outcome."""

    __slots__ = ("line", "guard", "once", "members", "done", "error")

    def __init__(self, line, guard=None, once=None, members=()):
        self.line = line
        self.guard = guard
        self.once = once
        self.members = members
        self.done = False
        self.error = None

    def finish(self, error=None):
        """Record the outcome: stored (no error) or refused with ``error``."""
        self.error = error
        self.done = True


def refuse(batch, error):
    """Finish every entry of ``batch`` with ``error``, a store error: a copy of it for each thread that raises it."""
    for entry in batch:
        entry.finish(type(error)(error.path, error.reason))


class GroupCommit:
    """The queue of appends to one journal within this process."""

    def __init__(self):
        self._changed = threading.Condition()
        self._waiting = []
        self._leading = False

    def submit(self, entry, commit):
        """Append ``entry`` through ``commit(batch)``; return once it is stored, or raise its error.

        ``commit`` receives a list of entries and must ``finish`` each of them;
        if it raises, every entry it left unfinished gets that error.
        """
        with self._changed:
            self._waiting.append(entry)
            while self._leading and not entry.done:
                self._changed.wait()
            if not entry.done:
                self._leading = True
                batch, self._waiting = self._waiting, []
        if not entry.done:
            try:
                commit(batch)
            except BaseException as error:
                for waiting in batch:
                    if not waiting.done:
                        waiting.finish(error)
                if not isinstance(error, Exception):
                    raise
            finally:
                for waiting in batch:
                    if not waiting.done:
                        # Never acknowledge what ``commit`` did not say it stored.
                        waiting.finish(RuntimeError("append left unfinished by its batch"))
                with self._changed:
                    self._leading = False
                    self._changed.notify_all()
        if entry.error is not None:
            raise entry.error
