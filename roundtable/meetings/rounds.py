"""Rounds: opening a proposal's next round (amended or not), counting it, and closing it.

When a round closes, the last ballot of each voice is kept — option and voice
only, shuffled by the system's random source — and the hashed ballots are
dropped: from then on nothing links a ballot to a seat, a device or a moment.
"""

import secrets

from .. import consensus, partners, proxies
from ..errors import InvalidInput
from .agenda import change, new_round, open_round_in, proposal_in, quorum_of, rule_of
from .ballots import ballots_stream, latest
from .translations import amended


def open_round(store, meeting_id, proposal_id, amended_text=None, later=()):
    """Open the proposal's next round (amending its text if given); one open round at a time.

    An amended text carries each language the facilitator updated; a language
    in ``later``, or not given, is left out of the new round, so its readers
    get the default language's text marked "Not yet translated" (``texts.text_for``),
    never the previous round's wording. A translation kept word for word while
    the default language's text changed is refused: update it or leave it for later.
    """

    def open_next(doc):
        if doc["current"]:
            raise InvalidInput("round_already_open")
        proposal = proposal_in(doc, proposal_id)
        if proposal["decision"]:
            raise InvalidInput("proposal_decided")
        last = proposal["rounds"][-1]
        if last["status"] == "closed":
            text = (
                amended(last["text"], amended_text, later, doc["default_language"])
                if (amended_text or later)
                else last["text"]
            )
            proposal["rounds"].append(new_round(last["number"] + 1, text))
            last = proposal["rounds"][-1]
        last["status"] = "open"
        doc["current"] = {"proposal": proposal_id, "round": last["number"]}

    return change(store, meeting_id, open_next)


def reopens(doc, proposal_id):
    """Whether opening this proposal now starts another round after a closed one, with no decision yet.

    A round cannot be taken back once opened; the facilitator confirms first.
    """
    proposal = next((p for p in doc["proposals"] if p["id"] == proposal_id), None)
    return bool(
        proposal and not doc["current"] and proposal["rounds"][-1]["status"] == "closed" and not proposal["decision"]
    )


def tally_round(proposal, round_, ballots, attending):
    """Apply the proposal's method, rule and quorum to a round's ballots."""
    return consensus.tally(
        [consensus.Ballot(b["option"], b.get("partner"), b.get("partner_type")) for b in ballots],
        proposal["method"],
        rule_of(proposal),
        quorum_of(proposal),
        attending,
        proposal["weighting"],
        round_["number"],
    )


def attending_types(store, doc):
    """The attending partners with their types, as the quorum needs them."""
    types = {p.id: p.type for p in partners.list_partners(store)}
    attending = {partner_id: types.get(partner_id, "?") for partner_id in doc["attending"]}
    # A partner represented by proxy is present.
    attending.update((p["absent"], p["absent_type"]) for p in proxies.standing(doc))
    return attending


def close_round(store, meeting_id, rng=None):
    """Close the open round: keep each voice's last ballot without its seat, shuffled; record the tally.

    Runs under the ballot stream's lock, so no ballot lands between the count
    and the close; the hashed ballots, in arrival order, are then dropped with
    the stream. The shuffle draws from the system (``secrets``), which nobody
    can seed or replay; ``rng`` is for reproducible demo data only.
    """
    rng = rng or secrets.SystemRandom()

    def close(records):
        def close_in(doc):
            proposal, current = open_round_in(doc)
            ballots = latest(records, proposal["id"], current["number"])
            kept = [
                {"option": b["option"], "partner": b["partner"], "partner_type": b["partner_type"]} for b in ballots
            ]
            comments = [b["comment"] for b in ballots if b["comment"]]
            rng.shuffle(kept)
            rng.shuffle(comments)
            result = tally_round(proposal, current, kept, attending_types(store, doc))
            current.update(
                status="closed",
                ballots=kept,
                comments=comments,
                represented=proxies.represented(doc),
                tally={
                    "outcome": result.outcome,
                    "supportive_share": str(result.supportive_share),
                    "blocked": result.blocked,
                    "quorum_met": result.quorum_met,
                    "ballots": result.ballots,
                    "voices": result.voices,
                },
            )
            doc["current"] = None
            # The room's screen shows this round's result until the next round opens.
            doc["last_closed"] = {"proposal": proposal["id"], "round": current["number"]}

        return change(store, meeting_id, close_in)

    return store.drain(ballots_stream(meeting_id), close)
