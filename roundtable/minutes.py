"""What a meeting's record shows of its closed rounds: results, who took part, proxies, released seats.

The minutes give each closed round the figures the room saw
(``screen.closed_result``: the spread by option, by partner type under k,
ballots and the organizations they came from, concerns unsigned) and which
partners voted in it; never how a partner voted. Names and labels are the
views' business: these functions speak in ids and keys.
"""

import dataclasses
from fractions import Fraction

from . import screen


@dataclasses.dataclass(frozen=True)
class RoundMinutes:
    """A closed round in the minutes: its result as the room saw it, and the partners that voted in it."""

    result: screen.Result
    voted: frozenset  # partner ids; type-only seats name nobody


@dataclasses.dataclass(frozen=True)
class Item:
    """A proposal in the minutes: its closed rounds, and the decision recorded on it (or None)."""

    proposal: dict
    rounds: tuple  # (RoundMinutes, ...) in round order
    decision: dict | None  # {"status", "rationale"}


def closed_rounds(meeting):
    """Yield every closed round of the meeting as ``(proposal, round)``, in agenda order."""
    for proposal in meeting["proposals"]:
        for round_ in proposal["rounds"]:
            if round_["status"] == "closed":
                yield proposal, round_


def minutes(meeting, k):
    """List the meeting's proposals with their closed rounds' results (by type under k) and decisions."""
    rounds = {}
    for proposal, round_ in closed_rounds(meeting):
        voted = frozenset(b["partner"] for b in round_["ballots"] if b["partner"])
        rounds.setdefault(proposal["id"], []).append(RoundMinutes(screen.closed_result(proposal, round_, k), voted))
    return [Item(p, tuple(rounds.get(p["id"], ())), p["decision"]) for p in meeting["proposals"]]


def counted(meeting):
    """Map each closed round, by ``(proposal id, round number)``, to its (ballots, organizations, supportive share)."""
    return {
        (p["id"], r["number"]): (*screen.counted(r, p["method"]), Fraction(r["tally"]["supportive_share"]))
        for p, r in closed_rounds(meeting)
    }


def heard(meeting):
    """The partners heard in at least one closed round (never how they voted)."""
    return {b["partner"] for _proposal, r in closed_rounds(meeting) for b in r["ballots"] if b.get("partner")}


def represented(meeting):
    """The set of ``(absent partner, holder)`` id pairs: who represented whom by proxy in a closed round."""
    return {
        (r["partner"], r["by"]) for _proposal, round_ in closed_rounds(meeting) for r in round_.get("represented", [])
    }


def released(meeting):
    """List the seats the facilitator released, as ``(partner id or None, partner type)``: never who held them."""
    return [(r["partner"], r["partner_type"]) for r in meeting.get("released", [])]
