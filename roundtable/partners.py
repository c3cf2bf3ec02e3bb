"""The partner roster: organizations (never people), each of a partner type."""

import csv
import dataclasses
import io
import re
import unicodedata

from .errors import InvalidInput

# The six partner types of the WorkSource partnership, in the seed's order.
BUILTIN_TYPES = ("business", "cbo", "government", "foundation", "labor", "semi_public")
NAME_MAX, SHORT_NAME_MAX, TYPE_LABEL_MAX = 120, 30, 80
IMPORT_MAX_ROWS = 2000
TABLE, TYPES_TABLE = "partners", "partner_types"

# English labels and common words accepted for the built-in types in a CSV.
_BUILTIN_ALIASES = {
    "business": ("business",),
    "cbo": (
        "cbo",
        "community-based organization",
        "community based organization",
        "community-based organization (not-for-profit)",
        "nonprofit",
        "non-profit",
    ),
    "government": ("government", "government (local, regional, state, federal)"),
    "foundation": ("foundation", "foundation (community and private family)"),
    "labor": ("labor", "labour"),
    "semi_public": (
        "semi_public",
        "semi-public",
        "semi public",
        "semi-public organization",
        "semi-public organization (universities, colleges, health authorities, transportation)",
    ),
}
_TRUE = {"yes", "y", "true", "1", "active", ""}
_FALSE = {"no", "n", "false", "0", "inactive"}


@dataclasses.dataclass(frozen=True)
class PartnerType:
    """A kind of partner; built-in types have no stored label (the interface translates them)."""

    key: str
    label: str | None
    builtin: bool


@dataclasses.dataclass(frozen=True)
class Partner:
    """An organization on the roster."""

    id: str
    name: str
    short_name: str
    type: str
    active: bool

    @property
    def display_name(self):
        """The short name where there is one, else the full name."""
        return self.short_name or self.name


@dataclasses.dataclass(frozen=True)
class RowError:
    """Why one CSV row was refused."""

    line: int
    error: InvalidInput


class ImportRefused(Exception):
    """A CSV import with bad rows; nothing was imported."""

    def __init__(self, errors):
        super().__init__(f"{len(errors)} bad rows")
        self.errors = errors


def _partner(doc):
    return Partner(doc["id"], doc["name"], doc.get("short_name", ""), doc["type"], doc["active"])


def _key(text):
    return unicodedata.normalize("NFKC", text).strip().casefold()


def _clean(text):
    # Collapse runs of whitespace; remove control characters a paste may carry.
    text = "".join(c for c in (text or "") if unicodedata.category(c)[0] != "C" or c.isspace())
    return re.sub(r"\s+", " ", text).strip()


def partner_types(store):
    """Built-in types, then the ones an administrator added."""
    custom = sorted(store.all(TYPES_TABLE), key=lambda d: _key(d["label"]))
    return [PartnerType(key, None, True) for key in BUILTIN_TYPES] + [
        PartnerType(d["key"], d["label"], False) for d in custom
    ]


def add_partner_type(store, label):
    """Add a custom partner type; its key is made from the label."""
    label = _clean(label)
    if not label:
        raise InvalidInput("required", "label")
    if len(label) > TYPE_LABEL_MAX:
        raise InvalidInput("too_long", "label", max=TYPE_LABEL_MAX)
    with store.transaction() as tx:
        taken = {d["key"] for d in tx.all(TYPES_TABLE)} | set(BUILTIN_TYPES)
        labels = {_key(d["label"]) for d in tx.all(TYPES_TABLE)}
        aliases = {a for names in _BUILTIN_ALIASES.values() for a in names}
        if _key(label) in labels or _key(label) in aliases:
            raise InvalidInput("type_taken", "label")
        base = "custom_" + (re.sub(r"[^a-z0-9]+", "_", _key(label)).strip("_") or "type")[:40]
        key, n = base, 2
        while key in taken:
            key, n = f"{base}_{n}", n + 1
        tx.insert(TYPES_TABLE, {"key": key, "label": label})
    return PartnerType(key, label, False)


def list_partners(store, active_only=False):
    """The roster, by name."""
    partners = [_partner(d) for d in store.all(TABLE)]
    if active_only:
        partners = [p for p in partners if p.active]
    return sorted(partners, key=lambda p: _key(p.name))


def get_partner(store, partner_id):
    """The partner with this id, or None."""
    doc = store.get(TABLE, partner_id)
    return _partner(doc) if doc else None


def _validated(tx, name, short_name, type_key, exclude_id=None):
    name, short_name = _clean(name), _clean(short_name)
    if not name:
        raise InvalidInput("required", "name")
    if len(name) > NAME_MAX:
        raise InvalidInput("too_long", "name", max=NAME_MAX)
    if len(short_name) > SHORT_NAME_MAX:
        raise InvalidInput("too_long", "short_name", max=SHORT_NAME_MAX)
    known = set(BUILTIN_TYPES) | {d["key"] for d in tx.all(TYPES_TABLE)}
    if type_key not in known:
        raise InvalidInput("type_unknown", "type", value=_clean(str(type_key or ""))[:40])
    for doc in tx.all(TABLE):
        if doc["id"] == exclude_id:
            continue
        if _key(doc["name"]) == _key(name):
            raise InvalidInput("name_taken", "name", name=name)
        if short_name and _key(doc.get("short_name", "")) == _key(short_name):
            raise InvalidInput("short_name_taken", "short_name", name=short_name)
    return {"name": name, "short_name": short_name, "type": type_key}


def add_partner(store, name, type_key, short_name="", active=True):
    """Add a partner to the roster."""
    with store.transaction() as tx:
        doc = _validated(tx, name, short_name, type_key)
        doc["active"] = bool(active)
        return _partner(tx.insert(TABLE, doc))


def update_partner(store, partner_id, name, type_key, short_name="", active=True):
    """Change a partner's names, type and active flag."""
    with store.transaction() as tx:
        if not tx.get(TABLE, partner_id):
            raise InvalidInput("partner_unknown")
        changes = _validated(tx, name, short_name, type_key, exclude_id=partner_id)
        changes["active"] = bool(active)
        return _partner(tx.update(TABLE, partner_id, changes))


def set_active(store, partner_id, active):
    """Activate or deactivate a partner (history is kept either way)."""
    with store.transaction() as tx:
        doc = tx.update(TABLE, partner_id, {"active": bool(active)})
        if doc is None:
            raise InvalidInput("partner_unknown")
        return _partner(doc)


def _type_for(text, types):
    key = _key(text)
    for partner_type in types:
        if key == partner_type.key:
            return partner_type.key
        if partner_type.builtin and key in _BUILTIN_ALIASES[partner_type.key]:
            return partner_type.key
        if not partner_type.builtin and key == _key(partner_type.label):
            return partner_type.key
    return None


def _read_csv(payload):
    if isinstance(payload, bytes):
        try:
            payload = payload.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise InvalidInput("csv_encoding") from None
    # The header row names the columns, so its most frequent separator is the
    # file's (csv.Sniffer gives up on Windows line ends with a blank line).
    header_line = payload.split("\n", 1)[0]
    delimiter = max(",;\t", key=header_line.count)
    try:
        rows = list(csv.reader(io.StringIO(payload, newline=""), delimiter=delimiter))
    except csv.Error as error:
        raise InvalidInput("csv_malformed", detail=str(error)) from None
    return rows


def import_csv(store, payload):
    """Add every partner of a CSV file (columns: name, type, short_name, active), or none.

    Returns the partners added; raises ImportRefused listing every bad row, or
    InvalidInput when the file itself cannot be read.
    """
    rows = _read_csv(payload)
    if not rows or not any(cell.strip() for cell in rows[0]):
        raise InvalidInput("csv_empty")
    header = [_key(cell).replace(" ", "_") for cell in rows[0]]
    if "name" not in header or "type" not in header:
        raise InvalidInput("csv_header")
    body = [(n, row) for n, row in enumerate(rows[1:], start=2) if any(c.strip() for c in row)]
    if not body:
        raise InvalidInput("csv_no_rows")
    if len(body) > IMPORT_MAX_ROWS:
        raise InvalidInput("csv_too_many", max=IMPORT_MAX_ROWS)
    column = {name: header.index(name) for name in ("name", "type", "short_name", "active") if name in header}
    errors, added = [], []
    with store.transaction() as tx:
        types = partner_types(tx)
        for line, row in body:
            cells = {name: (row[i] if i < len(row) else "") for name, i in column.items()}
            try:
                type_key = _type_for(cells["type"], types)
                if type_key is None:
                    raise InvalidInput("type_unknown", "type", value=_clean(cells["type"])[:40])
                active = _key(cells.get("active", ""))
                if active not in _TRUE | _FALSE:
                    raise InvalidInput("active_value", "active", value=active[:20])
                doc = _validated(tx, cells["name"], cells.get("short_name", ""), type_key)
                doc["active"] = active in _TRUE
                added.append(_partner(tx.insert(TABLE, doc)))
            except InvalidInput as error:
                errors.append(RowError(line, error))
        if errors:
            # Leaving the block by an exception discards the whole transaction.
            raise ImportRefused(errors)
    return added
