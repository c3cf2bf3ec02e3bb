"""What the meeting room may see: the projector screen while a round is open, and breakdowns after.

Whether a partner voted is not secret; how it voted is. A watcher who notes
what changes on the screen after each phone votes must learn nothing more
than the turnout, so while a round is open:

- the screen shows turnout, "n of N seats have voted" (N frozen at the
  round's first ballot: ``meetings.LiveState.electorate``);
- the names of partners (and types) not heard yet appear only when the
  facilitator asks, and only in a round whose spread stays hidden while open:
  names and a spread never share a screen, nor alternate on one;
- the spread of stances appears only if the facilitator chose live results
  for the proposal, and only once at least k voices (distinct partners) are
  in; from then on each further ballot's effect is visible: that is the
  facilitator's explicit choice;
- concerns never show; they appear after the close, shuffled and unsigned;
- the screen's ``version`` is a digest of what it shows and nothing else, so
  polling it tells no more than looking at it (a changed stance behind a
  hidden spread changes nothing).

Once the round closes, and until the next one opens, the screen shows that
round's ``Result``: the outcome, the spread by option, the spread by partner
type under k (as the minutes show it: ``by_partner_type``), the number of
ballots and of the voices they came from (``counted``), and the concerns in the order the close shuffled them, as bare
words. Nothing on it names a partner or a seat.
"""

import dataclasses
import hashlib
import json
import threading
import time
from fractions import Fraction

from . import consensus, meetings
from .anonymity import distinct_sizes, withheld_groups
from .languages import LANGUAGES


@dataclasses.dataclass(frozen=True)
class Result:
    """A closed round as the room may see it: what it added up to, never who chose what."""

    proposal: dict
    round: dict
    outcome: str
    counts: dict  # option -> ballots, in the method's order
    supportive_share: Fraction
    blocked: bool
    quorum_met: bool
    ballots: int
    voices: int  # the organizations the ballots came from (``counted``)
    weighting: str  # "partner": the share weighs each organization once
    by_type: list  # [(partner type, {option: ballots} or None if withheld)]
    concerns: tuple  # bare words, in the order the close shuffled them


@dataclasses.dataclass(frozen=True)
class Screen:
    """What the projector shows; a new ``version`` means what it shows changed, and only then."""

    version: str
    open: bool
    seats: int  # idle: seats taken; open: the round's electorate N
    voted: int
    proposal: dict | None = None
    round: dict | None = None
    quorum_met: bool = False
    live_results: bool = False  # the facilitator chose to show the spread while open
    names_allowed: bool = False  # the facilitator may ask for the names of who has not voted yet
    waiting: tuple | None = None  # (partner ids, partner types) not heard yet, when asked and allowed
    spread: consensus.Tally | None = None
    withheld: str | None = None  # why no spread: "until_close" or "too_few"
    result: Result | None = None  # idle: the round closed last, until the next one opens


def _digest(shown):
    return hashlib.sha256(json.dumps(shown, sort_keys=True, default=str).encode()).hexdigest()[:20]


def shown(store, meeting_id, k, waiting=False):
    """The screen of ``meeting_id`` under the room's rules; ``waiting``: the facilitator asks for names."""
    state = meetings.live_state(store, meeting_id)
    if state.proposal is None:
        result = None if state.closed is None else closed_result(*state.closed, k)
        if result is None:
            return Screen(_digest([state.stage, state.seats]), False, state.seats, 0)
        figures = [
            result.round["number"],
            result.outcome,
            result.counts,
            str(result.supportive_share),
            result.blocked,
            result.quorum_met,
            result.ballots,
            result.voices,
            result.by_type,
            result.concerns,
        ]
        return Screen(_digest([state.stage, figures]), False, state.seats, 0, result=result)
    live = meetings.shows_live_results(state.proposal)
    tally = state.tally
    spread = tally if live and tally.voices >= k else None
    withheld = None if spread else ("too_few" if live else "until_close")
    names = waiting and not live
    missing = (tally.missing_partners, tally.missing_types) if names else None
    figures = (
        None
        if spread is None
        else [
            {o: str(w) for o, w in spread.weights.items()},
            spread.counts,
            str(spread.supportive_share),
            spread.blocked,
            spread.outcome,
            spread.ballots,
            spread.voices,
        ]
    )
    version = _digest([state.stage, state.voted, state.electorate, tally.quorum_met, missing, figures, withheld])
    return Screen(
        version,
        True,
        state.electorate,
        state.voted,
        state.proposal,
        state.round,
        tally.quorum_met,
        live,
        not live,
        missing,
        spread,
        withheld,
    )


def by_partner_type(round_, method, k):
    """A closed round's counts by partner type: ``[(type, {option: count} or None if withheld)]``.

    Where ballots carry the partner, a group counts its distinct partners
    towards k, not its ballots (several representatives of one partner are one
    organisation); a ballot from a type-only seat counts as one. A group whose
    complement would give it away is withheld too (``anonymity.withheld_groups``).
    """
    options = [key for key, _class in consensus.METHODS[method]]
    ballots = round_["ballots"]
    sizes = distinct_sizes(
        (b.get("partner_type") or "?", b.get("partner") or ("ballot", n)) for n, b in enumerate(ballots)
    )
    hidden = withheld_groups(sizes, k)
    return [
        (
            group,
            None
            if group in hidden
            else {
                option: sum(1 for b in ballots if (b.get("partner_type") or "?") == group and b["option"] == option)
                for option in options
            },
        )
        for group in sorted(sizes)
    ]


def counted(round_, method):
    """A closed round's (ballots, voices): how many ballots, from how many organizations.

    A voice is a partner; the type-only seats of one partner type share one
    voice (docs/consensus.md, "Voices and weighting"), so they count as one
    organization between them. Worked out from the stored ballots, so rounds
    stored before the tally kept its voices say it too.
    """
    classes = consensus.option_classes(method)
    ballots = [
        consensus.Ballot(b["option"], b.get("partner"), b.get("partner_type"))
        for b in round_["ballots"]
        if b["option"] in classes
    ]
    return len(ballots), len({b.voice for b in ballots})


def closed_result(proposal, round_, k):
    """Make a closed round's ``Result`` for the screen: the minutes' figures, by type under k, concerns unsigned."""
    counts = {
        option: sum(1 for b in round_["ballots"] if b["option"] == option)
        for option, _class in consensus.METHODS[proposal["method"]]
    }
    tally = round_["tally"]
    ballots, voices = counted(round_, proposal["method"])
    return Result(
        proposal,
        round_,
        tally["outcome"],
        counts,
        Fraction(tally["supportive_share"]),
        tally["blocked"],
        tally["quorum_met"],
        ballots,
        voices,
        proposal["weighting"],
        by_partner_type(round_, proposal["method"], k),
        tuple(str(concern) for concern in round_["comments"]),
    )


def room_texts(texts, default_language):
    """List the proposal in the room's languages, ``[(code, text)]``: the meeting's own first, then the others."""
    order = [default_language] + [code for code in LANGUAGES if code != default_language]
    return [(code, texts[code].strip()) for code in order if (texts.get(code) or "").strip()]


# A screen's request waits this long at most for a change; only so many wait
# at once in one process, so that long polls never take every thread a
# server has (the others are answered at once, and the screen asks again).
LONG_POLL_SECONDS = 15
_WAITERS = threading.BoundedSemaphore(2)


def next_change(store, look, known, timeout=None):
    """``look()`` once its version differs from ``known``, or after ``timeout`` seconds: a long poll.

    The screen asks with the version it shows; instead of answering "nothing
    new" at once and being asked again, the server waits for the store to
    change (this server's writes and, on a shared database, other servers'
    wake it at once) and looks again, so a ballot reaches the projector as
    soon as it is stored.
    """
    deadline = time.monotonic() + (LONG_POLL_SECONDS if timeout is None else timeout)
    mark = store.change_mark()
    seen = look()
    if seen["version"] != known or not _WAITERS.acquire(blocking=False):
        return seen
    try:
        while seen["version"] == known and (left := deadline - time.monotonic()) > 0:
            store.wait_for_change(mark, left)
            mark = store.change_mark()
            seen = look()
    finally:
        _WAITERS.release()
    return seen
