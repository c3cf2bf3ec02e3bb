"""Only roundtable/store/ (and the tests) name a backend: everything else asks ``open_store`` for a store by URL."""

import os
import re

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BACKENDS = re.compile(r"\b(FileStore|PostgresStore|MemoryStore)\b")
ALLOWED = (os.path.join("roundtable", "store") + os.sep, "tests" + os.sep)


def python_files():
    """Paths (relative to the project) of the project's Python files, but those of virtual environments."""
    for folder, dirs, names in os.walk(ROOT):
        dirs[:] = [
            d
            for d in dirs
            if not d.startswith(".")
            and d not in ("node_modules", "__pycache__", "instance")
            and not os.path.exists(os.path.join(folder, d, "pyvenv.cfg"))
        ]
        for name in names:
            if name.endswith(".py"):
                yield os.path.relpath(os.path.join(folder, name), ROOT)


def test_no_backend_is_named_outside_the_store_and_the_tests():
    named = []
    for path in python_files():
        if path.startswith(ALLOWED):
            continue
        with open(os.path.join(ROOT, path), encoding="utf-8") as file:
            named += [f"{path}:{n}" for n, line in enumerate(file, 1) if BACKENDS.search(line)]
    assert named == []


def test_the_walk_sees_the_benchmarks_and_the_store():
    found = set(python_files())
    assert os.path.join("bench", "run.py") in found and os.path.join("roundtable", "store", "files.py") in found
