"""Ballots in the open round: cast (or changed) from a seat, read back as each voice's last.

While a round is open, ballots carry the seat's hash so a participant can
change their stance; they are appended to the meeting's ballot stream, which
closing the round empties (``rounds.close_round``).
"""

import dataclasses

from .. import consensus, proxies, retries
from ..errors import InvalidInput
from ..store.api import AlreadyStored
from .agenda import current_round, get_meeting, open_round_in
from .seats import freeze_electorate

COMMENT_MAX = 1000


def ballots_stream(meeting_id):
    """The stream of a meeting's live, hashed ballots (emptied as each round closes)."""
    return f"ballots-{meeting_id}"


def sent_ballots_set(meeting_id):
    """The set of digests of the ballots' client ids: a retried ballot counts once (see ``retries``)."""
    return f"sent-ballots-{meeting_id}"


def round_key(proposal_id, round_number):
    """What a ballot form says it was for, so a ballot kept on a phone never lands in a later round."""
    return f"{proposal_id}-{round_number}"


def _once(store, meeting_id, seat, option, comment, client_id, secret, for_partner):
    """The set member that makes a ballot sent with ``client_id`` stored once; refused if it already is."""
    client_id = retries.checked(client_id)
    if client_id is None:
        return None
    once = (
        sent_ballots_set(meeting_id),
        retries.digest(
            secret,
            "ballot",
            meeting_id,
            client_id,
            seat["hash"],
            str(for_partner or ""),
            str(option),
            str(comment or ""),
        ),
    )
    if store.has_member(*once):
        raise retries.AlreadyReceived()
    return once


def cast_ballot(
    store, meeting_id, seat, option, comment="", client_id=None, for_round=None, *, secret=None, for_partner=None
):
    """Record (or change) a seat's stance in the open round.

    With ``for_partner``: the stance of the absent partner whose proxy the seat's partner holds.
    With a ``client_id`` (and the app's ``secret``), a ballot sent again with
    the same id, stance and concern is stored once: ``retries.AlreadyReceived``
    answers the retry, even after the round closed. A changed stance is a new
    ballot, and a stale retry of an older one never overwrites a newer one.
    ``for_round`` (``round_key``), if given, must be the round still open.
    """
    once = _once(store, meeting_id, seat, option, comment, client_id, secret, for_partner)
    doc = get_meeting(store, meeting_id)
    if doc is None:
        raise InvalidInput("meeting_unknown")
    proposal, current = open_round_in(doc)
    voice = {"partner": seat["partner"], "partner_type": seat["partner_type"]}
    if for_partner is not None:
        voice = proxies.check_cast(doc, seat, for_partner)  # proxies change only while no round is open
    if for_round is not None and for_round != round_key(proposal["id"], current["number"]):
        raise InvalidInput("round_closed")
    if option not in consensus.option_classes(proposal["method"]):
        raise InvalidInput("option_unknown", "option")
    comment = (comment or "").strip()
    if len(comment) > COMMENT_MAX:
        raise InvalidInput("too_long", "comment", max=COMMENT_MAX)

    def still_open():
        # Checked under the stream's lock, which closing the round also holds.
        fresh = get_meeting(store, meeting_id)
        if fresh["current"] != doc["current"]:
            raise InvalidInput("round_closed")
        if current_round(fresh).get("electorate") is None:
            freeze_electorate(store, meeting_id)

    try:
        store.append(
            ballots_stream(meeting_id),
            {
                "proposal": proposal["id"],
                "round": current["number"],
                "seat": seat["hash"],
                "option": option,
                **voice,
                "comment": comment,
            },
            guard=still_open,
            once=once,
        )
    except AlreadyStored:
        raise retries.AlreadyReceived() from None


def latest(records, proposal_id, round_number):
    """The last ballot of each voice: a partner's (whichever device of its one seat cast it), else a seat's."""
    last = {}
    for record in records:
        if record["proposal"] == proposal_id and record["round"] == round_number:
            last[record["partner"] or record["seat"]] = record
    return list(last.values())


def live_ballots(store, meeting_id, proposal_id, round_number):
    """The open round's ballots: the last one of each seat."""
    return latest(store.records(ballots_stream(meeting_id)), proposal_id, round_number)


@dataclasses.dataclass(frozen=True)
class SeatBallots:
    """The open round as a seat's phone shows it: the seat's own ballot, and one per proxy its partner holds."""

    proposal: dict
    round: dict
    key: str  # ``round_key``: what the phone's ballot forms say they are for
    mine: dict | None  # the seat's own last ballot in this round, if any
    proxies: tuple  # ((absent partner id, its last ballot from this seat or None), ...)


def seat_ballots(store, doc, seat):
    """The open round as ``seat``'s phone shows it; None while no round is open (or without a seat)."""
    if not doc["current"] or not seat:
        return None
    proposal, round_ = open_round_in(doc)
    ours = {
        b["partner"]: b
        for b in live_ballots(store, doc["id"], proposal["id"], round_["number"])
        if b["seat"] == seat["hash"]
    }
    return SeatBallots(
        proposal,
        round_,
        round_key(proposal["id"], round_["number"]),
        ours.get(seat["partner"]),
        tuple((p, ours.get(p)) for p in proxies_of(doc, seat)),
    )


def proxies_of(doc, seat):
    """List the absent partners whose proxy a seat's partner holds: one more ballot each, apart from its own."""
    return proxies.held_by(doc, seat["partner"]) if seat and seat["partner"] else []
