"""Seats and proxies in the room: who speaks for which partner, from which device.

A participant takes a *seat* for the partner (or partner type) they speak
for; the seat's token lives only on their device, the store keeps a keyed
hash of it. A partner's seat belongs to the first device that takes it until
the facilitator releases it; seats by partner type are one per device, as
many as come. A round's electorate is the seats taken at its first ballot,
and the proxies their partners hold (rules: ``roundtable/proxies.py``).
"""

import collections
import hmac

from .. import codes, partners, proxies
from ..errors import InvalidInput
from .agenda import TABLE, change, current_round

SEATS = "seats"


def seat_hash(secret, meeting_id, token):
    """The keyed hash a seat is stored under; the token itself is never stored."""
    return hmac.new(secret.encode(), f"{meeting_id}:{token}".encode(), "sha256").hexdigest()


def _voice(store, partner_id, partner_type):
    """The active roster by id, and the voice a seat for this partner (or partner type) speaks with."""
    roster = {p.id: p for p in partners.list_partners(store, active_only=True)}
    if partner_id:
        if partner_id not in roster:
            raise InvalidInput("partner_required", "partner")
        return roster, {"partner": partner_id, "partner_type": roster[partner_id].type}
    if partner_type in {t.key for t in partners.partner_types(store)}:
        return roster, {"partner": None, "partner_type": partner_type}
    raise InvalidInput("partner_required", "partner")


def take_seat(store, meeting_id, secret, partner_id=None, partner_type=None):
    """Give a participant a seat for their partner (or partner type); return the seat token.

    A partner's seat is taken once: another device asking for it is refused
    until the facilitator releases it. Seats by partner type are one per device.
    """
    roster, voice = _voice(store, partner_id, partner_type)
    token = codes.share_token()
    with store.transaction() as tx:
        doc = tx.get(TABLE, meeting_id)
        if doc is None:
            raise InvalidInput("meeting_unknown")
        if partner_id and tx.find(SEATS, meeting_id=meeting_id, partner=partner_id):
            raise InvalidInput("seat_taken", "partner", partner=roster[partner_id].name)
        holder = proxies.holder_of(doc, partner_id) if partner_id else None
        if holder:
            raise InvalidInput(
                "seat_proxy_given",
                "partner",
                partner=roster[partner_id].name,
                holder=roster[holder].name if holder in roster else "?",
            )
        tx.insert(SEATS, {"meeting_id": meeting_id, "hash": seat_hash(secret, meeting_id, token), **voice})
        current = current_round(doc)
        if current is not None and current.get("electorate") is not None:
            # One who joins after the first ballot widens the electorate, with the proxies it holds.
            current["electorate"] += 1 + (len(proxies.held_by(doc, partner_id)) if partner_id else 0)
            tx.update(TABLE, meeting_id, doc)
    return token


def seat_for(store, meeting_id, secret, token):
    """The seat a token opens in this meeting, or None (a forged or stale token)."""
    if not token:
        return None
    found = store.find(SEATS, hash=seat_hash(secret, meeting_id, token))
    return found[0] if found and found[0]["meeting_id"] == meeting_id else None


def seats_taken(store, meeting_id):
    """List the meeting's seats: each with its partner (or None) and partner type, never its device."""
    return store.find(SEATS, meeting_id=meeting_id)


def number_alike(labelled):
    """Sort ``[(label, seat id)]`` and number the seats that share a label: ``[(seat id, label, number or None)]``.

    Type-only seats share their type's name; numbered, each release button
    says which seat it releases. A label no other seat has gets no number.
    """
    ordered = sorted(labelled)
    sharing = collections.Counter(label for label, _seat_id in ordered)
    seen = collections.Counter()
    numbered = []
    for label, seat_id in ordered:
        seen[label] += 1
        numbered.append((seat_id, label, seen[label] if sharing[label] > 1 else None))
    return numbered


def release_seat(store, meeting_id, seat_id):
    """Free a seat (a lost phone, a seat taken by mistake): its device is no longer seated.

    The meeting records that a seat of this voice was released; not who held
    it, nor how it voted. A ballot it cast in the open round stands, and the
    partner's next device replaces it by voting (a changed stance).
    """
    with store.transaction() as tx:
        doc = tx.get(TABLE, meeting_id)
        seat = tx.get(SEATS, seat_id)
        if doc is None:
            raise InvalidInput("meeting_unknown")
        if seat is None or seat["meeting_id"] != meeting_id:
            raise InvalidInput("seat_unknown", "seat")
        tx.remove(SEATS, seat_id)
        doc.setdefault("released", []).append({"partner": seat["partner"], "partner_type": seat["partner_type"]})
        tx.update(TABLE, meeting_id, doc)


def end_meeting(store, meeting_id):
    """Drop the meeting's seats: nothing links a device to the meeting any more."""
    with store.transaction() as tx:
        for seat in tx.find(SEATS, meeting_id=meeting_id):
            tx.remove(SEATS, seat["id"])


def give_proxy(store, meeting_id, absent, holder):
    """Record that ``absent`` gives its proxy to ``holder`` (rules: ``roundtable/proxies.py``)."""
    roster = {p.id: p for p in partners.list_partners(store, active_only=True)}
    with store.transaction() as tx:
        doc = tx.get(TABLE, meeting_id)
        if doc is None:
            raise InvalidInput("meeting_unknown")
        seated = {s["partner"] for s in tx.find(SEATS, meeting_id=meeting_id) if s["partner"]}
        proxies.check_give(doc, absent, holder, {pid: p.name for pid, p in roster.items()}, seated)
        doc.setdefault("proxies", []).append({"absent": absent, "absent_type": roster[absent].type, "holder": holder})
        tx.update(TABLE, meeting_id, doc)


def withdraw_proxy(store, meeting_id, absent):
    """Withdraw ``absent``'s proxy (only while no round is open): it may take a seat again."""

    def withdraw(doc):
        proxies.check_withdraw(doc, absent)
        doc["proxies"] = [p for p in doc["proxies"] if p["absent"] != absent]

    return change(store, meeting_id, withdraw)


def proxies_held_by(doc, holder):
    """List the absent partners whose proxy ``holder`` holds in this meeting."""
    return proxies.held_by(doc, holder)


def electorate(doc, seats):
    """Seats taken, and the proxies their partners hold: a represented partner is one more voter."""
    return len(seats) + sum(len(proxies.held_by(doc, s["partner"])) for s in seats if s["partner"])


def freeze_electorate(store, meeting_id):
    """At the round's first ballot, the seats taken make its electorate: seats that leave stay counted."""
    with store.transaction() as tx:
        doc = tx.get(TABLE, meeting_id)
        current = current_round(doc)
        if current is not None and current.get("electorate") is None:
            current["electorate"] = electorate(doc, tx.find(SEATS, meeting_id=meeting_id))
            tx.update(TABLE, meeting_id, doc)
