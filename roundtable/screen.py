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
"""

import dataclasses
import hashlib
import json

from . import consensus, meetings
from .anonymity import distinct_sizes, withheld_groups


@dataclasses.dataclass(frozen=True)
class Screen:
    """What the projector shows; a new ``version`` means what it shows changed, and only then."""

    version: str
    open: bool
    seats: int                      # idle: seats taken; open: the round's electorate N
    voted: int
    proposal: dict | None = None
    round: dict | None = None
    quorum_met: bool = False
    live_results: bool = False      # the facilitator chose to show the spread while open
    names_allowed: bool = False     # the facilitator may ask for the names of who has not voted yet
    waiting: tuple | None = None    # (partner ids, partner types) not heard yet, when asked and allowed
    spread: consensus.Tally | None = None
    withheld: str | None = None     # why no spread: "until_close" or "too_few"


def _digest(shown):
    return hashlib.sha256(json.dumps(shown, sort_keys=True, default=str).encode()).hexdigest()[:20]


def shown(store, meeting_id, k, waiting=False):
    """The screen of ``meeting_id`` under the room's rules; ``waiting``: the facilitator asks for names."""
    state = meetings.live_state(store, meeting_id)
    if state.proposal is None:
        return Screen(_digest([state.stage, state.seats]), False, state.seats, 0)
    live = meetings.shows_live_results(state.proposal)
    tally = state.tally
    spread = tally if live and tally.voices >= k else None
    withheld = None if spread else ("too_few" if live else "until_close")
    names = waiting and not live
    missing = (tally.missing_partners, tally.missing_types) if names else None
    figures = None if spread is None else [
        {o: str(w) for o, w in spread.weights.items()}, spread.counts, str(spread.supportive_share),
        spread.blocked, spread.outcome]
    version = _digest([state.stage, state.voted, state.electorate, tally.quorum_met, missing, figures, withheld])
    return Screen(version, True, state.electorate, state.voted, state.proposal, state.round, tally.quorum_met,
                  live, not live, missing, spread, withheld)


def by_partner_type(round_, method, k):
    """A closed round's counts by partner type: ``[(type, {option: count} or None if withheld)]``.

    Where ballots carry the partner, a group counts its distinct partners
    towards k, not its ballots (several representatives of one partner are one
    organisation); a ballot from a type-only seat counts as one. A group whose
    complement would give it away is withheld too (``anonymity.withheld_groups``).
    """
    options = [key for key, _class in consensus.METHODS[method]]
    ballots = round_["ballots"]
    sizes = distinct_sizes((b.get("partner_type") or "?", b.get("partner") or ("ballot", n))
                           for n, b in enumerate(ballots))
    hidden = withheld_groups(sizes, k)
    return [(group, None if group in hidden else {
        option: sum(1 for b in ballots if (b.get("partner_type") or "?") == group and b["option"] == option)
        for option in options}) for group in sorted(sizes)]
