"""The open round as it stands, read from the store: what the screen and the phones follow.

Never shown as such: ``roundtable/screen.py`` decides what the room sees.
"""

import dataclasses

from .. import consensus
from ..errors import InvalidInput
from .agenda import get_meeting, proposal_in
from .ballots import ballots_stream, latest
from .rounds import attending_types, tally_round
from .seats import electorate, seats_taken


@dataclasses.dataclass(frozen=True)
class LiveState:
    """The open round as it stands (never shown as such: ``roundtable/screen.py`` decides what the room sees)."""

    version: str
    stage: str  # which round is open (or how many closed): what participants' screens follow
    proposal: dict | None
    round: dict | None
    seats: int  # seats taken now
    electorate: int  # the round's N: seats at its first ballot, plus later ones (else seats now)
    voted: int
    tally: consensus.Tally | None
    closed: tuple | None = None  # idle: the round closed last, (proposal, round), if any


def live_state(store, meeting_id):
    """The open round as it stands, read from the store (never process memory); ``version`` changes with any ballot."""
    doc = get_meeting(store, meeting_id)
    if doc is None:
        raise InvalidInput("meeting_unknown")
    seat_docs = seats_taken(store, meeting_id)
    seats = len(seat_docs)
    if not doc["current"]:
        stage = f"idle:{len(doc['proposals'])}:{_closed_rounds(doc)}"
        return LiveState(f"{stage}:{seats}", stage, None, None, seats, seats, 0, None, _last_closed(doc))
    proposal = proposal_in(doc, doc["current"]["proposal"])
    current = proposal["rounds"][-1]
    records = store.records(ballots_stream(meeting_id))
    ballots = latest(records, proposal["id"], current["number"])
    result = tally_round(proposal, current, ballots, attending_types(store, doc))
    stage = f"open:{proposal['id']}:{current['number']}"
    if current.get("revision"):
        stage += f":t{current['revision']}"  # a translation arrived: phones reload to show it
    frozen = current.get("electorate")
    return LiveState(
        f"{stage}:{len(records)}:{seats}",
        stage,
        proposal,
        current,
        seats,
        electorate(doc, seat_docs) if frozen is None else frozen,
        len(ballots),
        result,
    )


def _last_closed(doc):
    """Find the round closed last, as ``(proposal, round)``; None if none (or closed before this was recorded)."""
    last = doc.get("last_closed")
    if not last:
        return None
    for proposal in doc["proposals"]:
        for round_ in proposal["rounds"]:
            if (
                proposal["id"] == last["proposal"]
                and round_["number"] == last["round"]
                and round_["status"] == "closed"
            ):
                return proposal, round_
    return None


def _closed_rounds(doc):
    return sum(1 for p in doc["proposals"] for r in p["rounds"] if r["status"] == "closed")
