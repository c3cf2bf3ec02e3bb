"""Proxies: an absent partner gives its vote to a partner in the room.

The facilitator records, between rounds, that partner X, absent, gives its
proxy to partner Y. While the proxy stands, X cannot take a seat, and the
device holding Y's seat casts two ballots: Y's, and X's. X's ballot is kept
exactly as X's own would be (partner X, X's type): counting treats X as
present, one organisation's voice like any other, and nothing kept says which
ballot came through a proxy. The relation itself (X was represented by Y) is
public and goes into the minutes; how either voted never does.

Rules (Robert's Rules practice, kept simple for a room of partners):

- one proxy per absent partner, never to itself, and only from a partner
  with no seat in the room;
- a partner in the room holds at most ``MAX_PER_HOLDER`` proxies (one), so
  no single device speaks for many organisations;
- no chains: a partner that gave its proxy cannot hold one, and one that
  holds a proxy cannot give its own;
- recorded and withdrawn only while no round is open: a round counts the
  proxies that stood when it opened, and a change counts from the next one.

Pure functions over the meeting document; ``roundtable/meetings/seats.py`` stores.
"""

from .errors import InvalidInput

MAX_PER_HOLDER = 1


def standing(doc):
    """Return the meeting's proxies: ``[{"absent", "absent_type", "holder"}]``."""
    return list(doc.get("proxies", []))


def holder_of(doc, partner_id):
    """Return the partner holding ``partner_id``'s proxy, or None."""
    return next((p["holder"] for p in standing(doc) if p["absent"] == partner_id), None)


def held_by(doc, holder_id):
    """List the absent partners whose proxy ``holder_id`` holds."""
    return [p["absent"] for p in standing(doc) if p["holder"] == holder_id]


def type_of(doc, absent_id):
    """Return the partner type an absent partner's ballot carries."""
    return next(p["absent_type"] for p in standing(doc) if p["absent"] == absent_id)


def check_give(doc, absent, holder, roster, seated):
    """Refuse a proxy that breaks a rule; ``roster`` maps active partner ids to names, ``seated`` is a set."""
    if doc["current"]:
        raise InvalidInput("proxy_round_open")
    if absent not in roster:
        raise InvalidInput("partner_unknown", "absent")
    if holder not in roster:
        raise InvalidInput("partner_unknown", "holder")
    if absent == holder:
        raise InvalidInput("proxy_self", "holder")
    if absent in seated:
        raise InvalidInput("proxy_absent_seated", "absent", partner=roster[absent])
    given = holder_of(doc, absent)
    if given:
        raise InvalidInput("proxy_exists", "absent", partner=roster[absent], holder=roster.get(given, "?"))
    if holder_of(doc, holder) or held_by(doc, absent):
        raise InvalidInput("proxy_chain", "holder")
    if len(held_by(doc, holder)) >= MAX_PER_HOLDER:
        raise InvalidInput("proxy_limit", "holder", holder=roster[holder])


def check_withdraw(doc, absent):
    """Refuse withdrawing a proxy while a round is open, or one that is not recorded."""
    if doc["current"]:
        raise InvalidInput("proxy_round_open")
    if holder_of(doc, absent) is None:
        raise InvalidInput("proxy_unknown", "absent")


def check_cast(doc, seat, for_partner):
    """Return the voice of a seat's ballot for ``for_partner``; refused unless the seat's partner holds its proxy."""
    if not seat.get("partner") or holder_of(doc, for_partner) != seat["partner"]:
        raise InvalidInput("proxy_not_held")
    return {"partner": for_partner, "partner_type": type_of(doc, for_partner)}


def represented(doc):
    """Who represents whom, as a closed round records it: ``[{"partner", "by"}]``."""
    return [{"partner": p["absent"], "by": p["holder"]} for p in standing(doc)]
