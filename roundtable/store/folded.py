"""Folded files: the records a fold moved out of a stream's journal, in one TinyDB file, in no order.

A fold (compaction) adds the journal's records to the stream's folded file
in one atomic replace, shuffled so that the file keeps no trace of arrival
order, and then empties the journal. A record is known by its ``_id``: one
the file holds already is not added again, so a fold a crash cut short
between the two steps is simply done again.
"""

import secrets

from tinydb import TinyDB

from .atomic import AtomicJSONStorage, BufferedStorage, read_json_file

TABLE = "records"
# Folds shuffle with the system's generator: module ``random`` can be seeded or its state guessed.
_SHUFFLER = secrets.SystemRandom()


def read(path):
    """The records of the folded file ``path`` (``DamagedFileError`` if it does not parse)."""
    data = read_json_file(path) or {}
    return list(data.get(TABLE, {}).values())


def add(path, records):
    """Add the records the folded file does not hold yet (by ``_id``), in one atomic replace."""
    buffered = BufferedStorage(AtomicJSONStorage(path))
    table = TinyDB(storage=lambda: buffered).table(TABLE)
    present = {record["_id"] for record in table.all()}
    fresh = [record for record in records if record["_id"] not in present]
    # Shuffled so that the folded file keeps no trace of arrival order.
    _SHUFFLER.shuffle(fresh)
    table.insert_multiple(fresh)
    buffered.commit()
