"""Where a file store keeps what, and how a change to any of it is seen.

Layout under the store's root::

    roundtable.json          document tables (accounts, partners, surveys...)
    streams/NAME.log         journal: records appended since the last fold
    streams/NAME.json        folded records of stream NAME (a TinyDB file)
    streams/NAME.set         set NAME: members in no order (see sets.py)
    *.lock                   inter-process locks (empty files)

A file's identity is its signature (inode, size, mtime and the generation
mark written with its data: atomic.py ``signature_of``); every write
changes one, so comparing signatures tells a cache whether to read again.
"""

import os

from .atomic import TEMP_SUFFIX, signature_of
from .base import check_stream_name

DOCUMENTS = "roundtable.json"
STREAMS = "streams"


class DataDirectory:
    """A file store's data directory: its files' paths, what it holds, and their identities."""

    def __init__(self, root):
        self.root = os.path.abspath(os.fspath(root))
        self.streams_dir = os.path.join(self.root, STREAMS)
        os.makedirs(self.streams_dir, exist_ok=True)

    @property
    def documents_path(self):
        """The TinyDB file of the document tables."""
        return os.path.join(self.root, DOCUMENTS)

    def stream_paths(self, stream):
        """(journal, folded file) of ``stream``."""
        base = os.path.join(self.streams_dir, check_stream_name(stream))
        return base + ".log", base + ".json"

    def set_path(self, name):
        """The file of set ``name``."""
        return os.path.join(self.streams_dir, check_stream_name(name)) + ".set"

    def streams(self):
        """Names of the streams that have a journal or a folded file."""
        names = set()
        for entry in os.listdir(self.streams_dir):
            name, dot, extension = entry.rpartition(".")
            if dot and extension in ("log", "json"):
                names.add(name)
        return sorted(names)

    def set_names(self):
        """Names of the sets that have a file."""
        return sorted(entry[: -len(".set")] for entry in os.listdir(self.streams_dir) if entry.endswith(".set"))

    def files(self):
        """Every data file of the store (documents, journals, folded files, set files)."""
        paths = [self.documents_path] if os.path.exists(self.documents_path) else []
        for stream in self.streams():
            paths.extend(p for p in self.stream_paths(stream) if os.path.exists(p))
        paths.extend(self.set_path(name) for name in self.set_names())
        return paths

    def version(self):
        """The identities (inode, size, mtime, generation) of every data file: any write changes one."""
        files = []
        with os.scandir(self.streams_dir) as entries:
            for entry in entries:
                if entry.name.endswith((".lock", TEMP_SUFFIX)):
                    continue
                signature = signature_of(entry.path)
                if signature is not None:  # else deleted since it was listed (a drained stream): the change
                    files.append((entry.name, *signature))
        return (signature_of(self.documents_path), tuple(sorted(files)))

    def stream_version(self, stream):
        """The identities of the stream's journal and folded file."""
        return tuple(signature_of(path) for path in self.stream_paths(stream))
