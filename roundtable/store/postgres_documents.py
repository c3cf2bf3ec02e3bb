"""The PostgreSQL store's document tables: reading them in one statement, writing what a transaction changed.

Documents live as rows of ``rt_documents`` (table, id, JSON document, place);
a transaction works on TinyDB's layout of them (``Holder``), and what it
changed is written back as upserts and deletes, nothing else.
"""

from .postgres_connection import Jsonb
from .tables import copy_document


def read_documents(conn):
    """(the documents' version, {table: {id: document}}), read in one statement."""
    rows = conn.execute(
        "SELECT n, NULL, NULL FROM rt_versions WHERE name = 'documents' "
        "UNION ALL (SELECT NULL, tbl, doc FROM rt_documents ORDER BY place)"
    ).fetchall()
    version, data = None, {}
    for n, table, doc in rows:
        if n is not None:
            version = n
        else:
            data.setdefault(table, {})[doc["id"]] = doc
    return version, data


def tinydb_data(data):
    """TinyDB's layout of ``{table: {id: doc}}``: each table's documents under 1, 2, 3... in stored order."""
    return {
        table: {str(i): copy_document(doc) for i, doc in enumerate(docs.values(), start=1)}
        for table, docs in data.items()
    }


def write_changes(conn, before, after):
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
            cursor.executemany(
                "INSERT INTO rt_documents (tbl, id, doc) VALUES (%s, %s, %s) "
                "ON CONFLICT (tbl, id) DO UPDATE SET doc = EXCLUDED.doc",
                upserts,
            )
