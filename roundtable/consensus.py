"""Consensus methods, weighting, quorum and decision rules: a round's ballots to an outcome.

Pure functions over plain values. A ballot is the option chosen and the voice
it belongs to: the partner (or, when a participant joined as a partner type,
that type), never a person. See docs/consensus.md.
"""

import dataclasses
from fractions import Fraction

# Each option: (key, class). Classes: "support", "abstain", "oppose", "block".
METHODS = {
    # Kaner et al., gradients of agreement.
    "gradients": (
        ("1", "support"),  # whole-hearted endorsement
        ("2", "support"),  # agreement with a minor point of contention
        ("3", "support"),  # support with reservations
        ("4", "abstain"),  # abstain
        ("5", "oppose"),  # more discussion needed
        ("6", "support"),  # don't like it but will support it
        ("7", "oppose"),  # serious disagreement
        ("8", "block"),  # veto
    ),
    "fist_to_five": (
        ("5", "support"),  # champion
        ("4", "support"),  # support
        ("3", "support"),  # will go along
        ("2", "oppose"),  # more discussion
        ("1", "oppose"),  # serious concerns
        ("0", "block"),  # fist: block
    ),
    # Sociocracy: a concern is voiced but does not stop consent; an objection does.
    "consent": (("consent", "support"), ("concern", "support"), ("objection", "block")),
    "stance": (("agree", "support"), ("abstain", "abstain"), ("disagree", "oppose"), ("block", "block")),
}
RULES = ("unanimous", "consensus", "consent", "supermajority")
QUORUMS = ("all_partners", "all_types", "number")
WEIGHTINGS = ("partner", "person")


@dataclasses.dataclass(frozen=True)
class Rule:
    """A decision rule with its thresholds.

    ``unanimous``: no block and no opposition (abstentions allowed).
    ``consensus``: no block and at least ``threshold`` of the non-abstaining weight supportive.
    ``consent``: no block (objection) stands.
    ``supermajority``: consensus; from round ``fallback_after`` on, at least ``fallback_threshold``
    of the non-abstaining weight supportive, where a block counts as opposition.
    """

    kind: str = "consensus"
    threshold: Fraction = Fraction(3, 4)
    fallback_after: int = 3
    fallback_threshold: Fraction = Fraction(2, 3)


@dataclasses.dataclass(frozen=True)
class Quorum:
    """Whose voice must be in before an outcome counts."""

    kind: str = "all_partners"
    number: int = 0


@dataclasses.dataclass(frozen=True)
class Ballot:
    """One ballot: an option, and the voice it speaks for (partner id, else partner type)."""

    option: str
    partner: str | None = None
    partner_type: str | None = None

    @property
    def voice(self):
        """The unit whose voice this ballot is part of."""
        return self.partner or f"type:{self.partner_type or '?'}"


@dataclasses.dataclass(frozen=True)
class Tally:
    """What a round's ballots add up to."""

    ballots: int
    voices: int
    weights: dict  # option -> weight (Fraction), in the method's order
    counts: dict  # option -> number of ballots
    supportive_share: Fraction  # of the non-abstaining weight
    blocked: bool
    quorum_met: bool
    missing_partners: tuple  # attending partners with no ballot
    missing_types: tuple  # partner types present with no ballot
    outcome: str
    closeness: Fraction  # supportive share / the rule's threshold, capped at 1; 0 when blocked


def option_classes(method):
    """Option key -> class for a method."""
    return dict(METHODS[method])


def weigh(ballots, weighting):
    """Each ballot's weight: 1 per person, or each voice's 1 shared equally by its ballots."""
    if weighting == "person":
        return [Fraction(1)] * len(ballots)
    per_voice = {}
    for ballot in ballots:
        per_voice[ballot.voice] = per_voice.get(ballot.voice, 0) + 1
    return [Fraction(1, per_voice[ballot.voice]) for ballot in ballots]


def quorum_status(ballots, quorum, attending, weighting):
    """(met, missing partners, missing types); ``attending`` maps partner id -> partner type."""
    voted_partners = {b.partner for b in ballots if b.partner}
    voted_types = {b.partner_type for b in ballots if b.partner_type}
    missing_partners = tuple(sorted(p for p in attending if p not in voted_partners))
    missing_types = tuple(sorted(set(attending.values()) - voted_types))
    if quorum.kind == "all_partners":
        met = bool(attending) and not missing_partners
    elif quorum.kind == "all_types":
        met = bool(attending) and not missing_types
    else:
        units = len(ballots) if weighting == "person" else len({b.voice for b in ballots})
        met = units >= max(1, quorum.number)
    return met, missing_partners, missing_types


def tally(ballots, method, rule, quorum, attending, weighting="partner", round_number=1):
    """Count a round and apply the rule; an outcome only when the quorum is met."""
    classes = option_classes(method)
    ballots = [b for b in ballots if b.option in classes]
    weights = weigh(ballots, weighting)
    by_option = {option: Fraction(0) for option in classes}
    counts = {option: 0 for option in classes}
    for ballot, weight in zip(ballots, weights):
        by_option[ballot.option] += weight
        counts[ballot.option] += 1
    weight_of = {
        kind: sum((w for o, w in by_option.items() if classes[o] == kind), Fraction(0))
        for kind in ("support", "abstain", "oppose", "block")
    }
    # A block by any representative stands as a block, whatever its weight.
    blocked = any(classes[b.option] == "block" for b in ballots)
    deciding = weight_of["support"] + weight_of["oppose"] + weight_of["block"]
    share = weight_of["support"] / deciding if deciding else Fraction(0)
    met, missing_partners, missing_types = quorum_status(ballots, quorum, attending, weighting)

    fallback = rule.kind == "supermajority" and round_number >= rule.fallback_after
    if rule.kind == "unanimous":
        passes = not blocked and weight_of["oppose"] == 0 and weight_of["support"] > 0
        threshold = Fraction(1)
    elif rule.kind == "consent":
        passes = not blocked and bool(ballots)
        threshold = Fraction(0)
    elif fallback:
        passes = deciding > 0 and share >= rule.fallback_threshold
        threshold = rule.fallback_threshold
    else:
        passes = not blocked and deciding > 0 and share >= rule.threshold
        threshold = rule.threshold
    if not met:
        outcome = "no_quorum"
    else:
        outcome = "adopted" if passes else "not_adopted"
    if blocked and not fallback:
        closeness = Fraction(0)
    elif threshold == 0:
        closeness = Fraction(1) if ballots else Fraction(0)
    else:
        closeness = min(Fraction(1), share / threshold)
    return Tally(
        len(ballots),
        len({b.voice for b in ballots}),
        by_option,
        counts,
        share,
        blocked,
        met,
        missing_partners,
        missing_types,
        outcome,
        closeness,
    )
