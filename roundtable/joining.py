"""Join codes: the short codes people type at /join, unique across surveys and meetings."""

from . import codes

# Every table whose documents carry a join code.
JOIN_TABLES = ("surveys", "meetings")


def unique_join_code(tx):
    """A join code no survey or meeting uses yet (call inside a transaction)."""
    taken = {doc.get("join_code") for table in JOIN_TABLES for doc in tx.all(table)}
    while True:
        code = codes.random_code(codes.JOIN_CODE_LENGTH)
        if code not in taken:
            return code


def find(store, typed):
    """(table, document) that a typed join code opens, or (None, None)."""
    code = codes.normalize(typed)
    if code:
        for table in JOIN_TABLES:
            found = store.find(table, join_code=code)
            if found:
                return table, found[0]
    return None, None
