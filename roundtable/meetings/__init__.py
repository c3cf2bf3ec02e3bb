"""Meetings with live consensus rounds: proposals, seats, ballots and recorded decisions.

One idea a module; callers use this package's names (``meetings.open_round``):

- ``agenda``: the meeting document, its proposals, how each is decided, the decision recorded;
- ``translations``: the languages a meeting's texts are written in, and filling one in;
- ``seats``: who speaks for which partner from which device, and proxies given in the room;
- ``ballots``: casting (or changing) a stance in the open round, and reading the last of each voice;
- ``rounds``: opening a proposal's next round, counting it, and closing it;
- ``live``: the open round as it stands, which ``roundtable/screen.py`` shows under its rules.

While a round is open, ballots carry the seat's hash so a participant can
change their stance. When the round closes, the last ballot of each voice is
kept — option and voice only, shuffled by the system's random source — and
the hashed ballots are dropped: from then on nothing links a ballot to a
seat, a device or a moment.
"""

from .agenda import (
    DECISIONS,
    NOTES_MAX,
    PROPOSAL_MAX,
    RATIONALE_MAX,
    TABLE,
    TITLE_MAX,
    add_proposal,
    create_meeting,
    get_meeting,
    quorum_of,
    record_decision,
    rule_of,
    shows_live_results,
)
from .ballots import (
    COMMENT_MAX,
    SeatBallots,
    ballots_stream,
    cast_ballot,
    live_ballots,
    proxies_of,
    round_key,
    seat_ballots,
    sent_ballots_set,
)
from .live import LiveState, live_state
from .rounds import attending_types, close_round, open_round, reopens, tally_round
from .seats import (
    SEATS,
    end_meeting,
    give_proxy,
    number_alike,
    proxies_held_by,
    release_seat,
    seat_for,
    seat_hash,
    seats_taken,
    take_seat,
    withdraw_proxy,
)
from .translations import languages_behind, meeting_languages, missing_languages, translate_round

__all__ = [
    "COMMENT_MAX",
    "DECISIONS",
    "NOTES_MAX",
    "PROPOSAL_MAX",
    "RATIONALE_MAX",
    "SEATS",
    "TABLE",
    "TITLE_MAX",
    "LiveState",
    "SeatBallots",
    "add_proposal",
    "attending_types",
    "ballots_stream",
    "cast_ballot",
    "close_round",
    "create_meeting",
    "end_meeting",
    "get_meeting",
    "give_proxy",
    "languages_behind",
    "live_ballots",
    "live_state",
    "meeting_languages",
    "missing_languages",
    "number_alike",
    "open_round",
    "proxies_held_by",
    "proxies_of",
    "quorum_of",
    "record_decision",
    "release_seat",
    "reopens",
    "round_key",
    "rule_of",
    "seat_ballots",
    "seat_for",
    "seat_hash",
    "seats_taken",
    "sent_ballots_set",
    "shows_live_results",
    "tally_round",
    "take_seat",
    "translate_round",
    "withdraw_proxy",
]
