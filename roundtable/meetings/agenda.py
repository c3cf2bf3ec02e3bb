"""The meeting and its agenda: the meeting document, its proposals and how each is decided.

Every change to a meeting goes through ``change``: one transaction, the
document read, changed and written back. The other modules of this package
find their proposal and round here (``proposal_in``, ``current_round``,
``open_round_in``).
"""

import datetime
from fractions import Fraction

from .. import codes, consensus, joining, partners
from ..errors import InvalidInput
from ..languages import LANGUAGES
from ..surveys import PHASES
from ..texts import as_texts, clean_texts

TABLE = "meetings"
TITLE_MAX, NOTES_MAX, PROPOSAL_MAX, RATIONALE_MAX = 200, 4000, 4000, 2000
DECISIONS = ("adopted", "not_adopted", "deferred")


def _fraction(value, field):
    try:
        fraction = Fraction(str(value))
    except (ValueError, ZeroDivisionError):
        raise InvalidInput("threshold_invalid", field) from None
    if not 0 < fraction <= 1:
        raise InvalidInput("threshold_invalid", field)
    return str(fraction)


def rule_of(proposal):
    """A proposal's decision rule as ``consensus.Rule``."""
    rule = proposal["rule"]
    return consensus.Rule(
        rule["kind"], Fraction(rule["threshold"]), rule["fallback_after"], Fraction(rule["fallback_threshold"])
    )


def quorum_of(proposal):
    """A proposal's quorum as ``consensus.Quorum``."""
    return consensus.Quorum(proposal["quorum"]["kind"], proposal["quorum"]["number"])


def create_meeting(store, title, day, default_language="en", phase=None, attending=(), notes=None):
    """A new meeting; ``attending`` lists the partner ids expected in the room.

    ``title`` and the optional agenda ``notes`` (what the facilitator reads
    out) are texts by language, the default language's required.
    """
    if default_language not in LANGUAGES:
        raise InvalidInput("language_unknown", "default_language")
    if phase is not None and phase not in PHASES:
        raise InvalidInput("phase_unknown", "phase")
    if not isinstance(day, datetime.date):
        raise InvalidInput("date_invalid", "day")
    roster = {p.id for p in partners.list_partners(store)}
    if any(p not in roster for p in attending):
        raise InvalidInput("partner_unknown", "attending")
    notes = as_texts(notes, default_language)
    notes = clean_texts(notes, "notes", NOTES_MAX, default_language if any(notes.values()) else None)
    doc = {
        "title": clean_texts(as_texts(title, default_language), "title", TITLE_MAX, default_language),
        "notes": notes,
        "day": day.isoformat(),
        "default_language": default_language,
        "phase": phase,
        "attending": sorted(set(attending)),
        "share_token": codes.share_token(),
        "proposals": [],
        "current": None,
    }
    with store.transaction() as tx:
        doc["join_code"] = joining.unique_join_code(tx)
        return tx.insert(TABLE, doc)


def get_meeting(store, meeting_id):
    """The meeting document with this id, or None."""
    return store.get(TABLE, meeting_id)


def change(store, meeting_id, change_doc):
    """Apply ``change_doc(doc)`` to the meeting in one transaction; its result, else the changed document."""
    with store.transaction() as tx:
        doc = tx.get(TABLE, meeting_id)
        if doc is None:
            raise InvalidInput("meeting_unknown")
        result = change_doc(doc)
        tx.update(TABLE, meeting_id, doc)
        return result if result is not None else doc


def add_proposal(
    store,
    meeting_id,
    text,
    method="stance",
    rule="consensus",
    threshold="3/4",
    fallback_after=3,
    fallback_threshold="2/3",
    quorum="all_partners",
    quorum_number=0,
    weighting="partner",
    live_results=False,
):
    """Add a proposal to the agenda; ``live_results`` shows the spread while a round is open (from k voices)."""
    if method not in consensus.METHODS:
        raise InvalidInput("method_unknown", "method")
    if rule not in consensus.RULES:
        raise InvalidInput("rule_unknown", "rule")
    if quorum not in consensus.QUORUMS:
        raise InvalidInput("quorum_unknown", "quorum")
    if weighting not in consensus.WEIGHTINGS:
        raise InvalidInput("weighting_unknown", "weighting")
    if not isinstance(fallback_after, int) or not 1 <= fallback_after <= 20:
        raise InvalidInput("fallback_after_invalid", "fallback_after")
    if not isinstance(quorum_number, int) or not 0 <= quorum_number <= 1000:
        raise InvalidInput("quorum_number_invalid", "quorum_number")
    proposal = {
        "id": codes.share_token()[:10],
        "method": method,
        "weighting": weighting,
        "rule": {
            "kind": rule,
            "threshold": _fraction(threshold, "threshold"),
            "fallback_after": fallback_after,
            "fallback_threshold": _fraction(fallback_threshold, "fallback_threshold"),
        },
        "quorum": {"kind": quorum, "number": quorum_number},
        "live_results": bool(live_results),
        "rounds": [],
        "decision": None,
    }

    def add(doc):
        proposal["rounds"].append(new_round(1, clean_texts(text, "text", PROPOSAL_MAX, doc["default_language"])))
        doc["proposals"].append(proposal)
        return proposal

    return change(store, meeting_id, add)


def new_round(number, text):
    """A pending round of a proposal, with its text by language."""
    return {"number": number, "text": text, "status": "pending", "ballots": [], "comments": [], "tally": None}


def shows_live_results(proposal):
    """Whether the facilitator chose to show this proposal's spread while a round is open.

    Proposals stored before the choice existed (with ``hide_distribution``) keep
    the spread hidden while open: the safe default.
    """
    return proposal.get("live_results") is True


def proposal_in(doc, proposal_id):
    """The proposal with this id on the meeting's agenda; refused if it is not on it."""
    for proposal in doc["proposals"]:
        if proposal["id"] == proposal_id:
            return proposal
    raise InvalidInput("proposal_unknown")


def current_round(doc):
    """The open round, or None."""
    if not doc["current"]:
        return None
    return proposal_in(doc, doc["current"]["proposal"])["rounds"][-1]


def open_round_in(doc):
    """The open round's ``(proposal, round)``; refused when no round is open."""
    if not doc["current"]:
        raise InvalidInput("round_closed")
    proposal = proposal_in(doc, doc["current"]["proposal"])
    return proposal, proposal["rounds"][-1]


def record_decision(store, meeting_id, proposal_id, decision, rationale=""):
    """Record the final decision on a proposal, with its rationale."""
    if decision not in DECISIONS:
        raise InvalidInput("decision_unknown", "decision")
    rationale = (rationale or "").strip()
    if len(rationale) > RATIONALE_MAX:
        raise InvalidInput("too_long", "rationale", max=RATIONALE_MAX)

    def decide(doc):
        proposal = proposal_in(doc, proposal_id)
        if doc["current"] and doc["current"]["proposal"] == proposal_id:
            raise InvalidInput("round_still_open")
        proposal["decision"] = {"status": decision, "rationale": rationale}

    return change(store, meeting_id, decide)
