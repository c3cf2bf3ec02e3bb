"""Consensus: every method × decision rule × weighting, quorum, and how representatives combine."""

from fractions import Fraction

import pytest

from roundtable.consensus import METHODS, RULES, WEIGHTINGS, Ballot, Quorum, Rule, tally

ATTENDING = {"acme": "business", "local12": "labor", "college": "semi_public"}
ALL = Quorum("all_partners")


def options_of(method, kind):
    return [key for key, cls in METHODS[method] if cls == kind]


def ballots_for(method, kinds):
    """One ballot per attending partner, of the given classes."""
    return [Ballot(options_of(method, kind)[0], partner, ATTENDING[partner]) for partner, kind in zip(ATTENDING, kinds)]


EXPECTED = {
    # (rule, classes of the three partners' ballots) -> outcome
    ("unanimous", ("support", "support", "support")): "adopted",
    ("unanimous", ("support", "support", "abstain")): "adopted",
    ("unanimous", ("support", "support", "oppose")): "not_adopted",
    ("unanimous", ("support", "support", "block")): "not_adopted",
    ("consensus", ("support", "support", "support")): "adopted",
    ("consensus", ("support", "support", "oppose")): "not_adopted",  # 2/3 < 3/4
    ("consensus", ("support", "support", "abstain")): "adopted",  # abstentions don't count against
    ("consensus", ("support", "support", "block")): "not_adopted",
    ("consent", ("support", "oppose", "oppose")): "adopted",  # no objection stands
    ("consent", ("support", "support", "block")): "not_adopted",
    ("supermajority", ("support", "support", "oppose")): "not_adopted",  # round 1: still consensus
    ("supermajority", ("support", "support", "block")): "not_adopted",
}


# Consent has no "oppose" or "abstain" option: those cases do not apply to it.
CASES = [
    (method, weighting, case)
    for method in METHODS
    for weighting in WEIGHTINGS
    for case in EXPECTED
    if all(options_of(method, kind) for kind in case[1])
]


@pytest.mark.parametrize("method, weighting, case", CASES)
def test_every_method_rule_and_weighting(method, weighting, case):
    rule_kind, kinds = case
    result = tally(ballots_for(method, kinds), method, Rule(rule_kind), ALL, ATTENDING, weighting)
    assert result.outcome == EXPECTED[case]
    assert result.blocked == ("block" in kinds)


def test_every_method_rule_and_weighting_is_covered():
    assert {(m, w, rule) for m, w, (rule, _) in CASES} == {
        (m, w, r) for m in METHODS for w in WEIGHTINGS for r in RULES
    }


@pytest.mark.parametrize("method", list(METHODS))
def test_a_single_block_defeats_consensus(method):
    block = options_of(method, "block")[0]
    support = options_of(method, "support")[0]
    ballots = [Ballot(support, f"p{i}", "business") for i in range(20)] + [Ballot(block, "p20", "labor")]
    attending = {f"p{i}": "business" for i in range(20)} | {"p20": "labor"}
    result = tally(ballots, method, Rule("consensus"), ALL, attending)
    assert result.blocked and result.outcome == "not_adopted" and result.closeness == 0


def test_per_partner_weighting_gives_five_representatives_one_voice():
    ballots = [Ballot("disagree", "big", "business") for _ in range(5)] + [
        Ballot("agree", "small1", "cbo"),
        Ballot("agree", "small2", "labor"),
    ]
    attending = {"big": "business", "small1": "cbo", "small2": "labor"}
    per_partner = tally(ballots, "stance", Rule("consensus", Fraction(2, 3)), ALL, attending, "partner")
    per_person = tally(ballots, "stance", Rule("consensus", Fraction(2, 3)), ALL, attending, "person")
    assert per_partner.weights["disagree"] == 1 and per_partner.weights["agree"] == 2
    assert per_partner.supportive_share == Fraction(2, 3) and per_partner.outcome == "adopted"
    assert per_person.supportive_share == Fraction(2, 7) and per_person.outcome == "not_adopted"


def test_representatives_of_one_partner_share_its_voice_equally():
    ballots = [
        Ballot("agree", "big", "business"),
        Ballot("disagree", "big", "business"),
        Ballot("agree", "other", "cbo"),
    ]
    result = tally(ballots, "stance", Rule("consensus"), ALL, {"big": "business", "other": "cbo"})
    assert result.weights["agree"] == Fraction(3, 2) and result.weights["disagree"] == Fraction(1, 2)
    assert result.supportive_share == Fraction(3, 4) and result.outcome == "adopted"


def test_a_block_by_one_representative_stands():
    ballots = [Ballot("agree", "big", "business")] * 4 + [
        Ballot("block", "big", "business"),
        Ballot("agree", "other", "cbo"),
    ]
    result = tally(ballots, "stance", Rule("consensus"), ALL, {"big": "business", "other": "cbo"})
    assert result.blocked and result.outcome == "not_adopted"


def test_quorum_not_met_gives_no_outcome():
    ballots = [Ballot("agree", "acme", "business"), Ballot("agree", "local12", "labor")]
    result = tally(ballots, "stance", Rule("consensus"), ALL, ATTENDING)
    assert result.outcome == "no_quorum" and not result.quorum_met
    assert result.missing_partners == ("college",) and result.missing_types == ("semi_public",)


def test_quorum_of_every_type_and_of_a_number():
    attending = {"a": "business", "b": "business", "c": "labor"}
    ballots = [Ballot("agree", "a", "business"), Ballot("agree", "c", "labor")]
    assert tally(ballots, "stance", Rule("consensus"), Quorum("all_types"), attending).outcome == "adopted"
    assert tally(ballots, "stance", Rule("consensus"), Quorum("all_partners"), attending).outcome == "no_quorum"
    assert tally(ballots, "stance", Rule("consensus"), Quorum("number", 2), attending).outcome == "adopted"
    assert tally(ballots, "stance", Rule("consensus"), Quorum("number", 3), attending).outcome == "no_quorum"
    # Per partner, five representatives of one partner are one voice towards a number quorum.
    crowd = [Ballot("agree", "a", "business")] * 5
    assert tally(crowd, "stance", Rule("consensus"), Quorum("number", 2), attending, "partner").outcome == "no_quorum"
    assert tally(crowd, "stance", Rule("consensus"), Quorum("number", 2), attending, "person").outcome == "adopted"


def test_no_ballots_no_quorum_and_no_outcome():
    result = tally([], "stance", Rule("consensus"), ALL, ATTENDING)
    assert result.outcome == "no_quorum" and result.ballots == 0 and result.supportive_share == 0


def test_supermajority_fallback_after_n_rounds():
    ballots = ballots_for("stance", ("support", "support", "block"))
    rule = Rule("supermajority", fallback_after=3)
    assert tally(ballots, "stance", rule, ALL, ATTENDING, round_number=2).outcome == "not_adopted"
    # From round 3, two thirds suffice and a block counts as a "no".
    late = tally(ballots, "stance", rule, ALL, ATTENDING, round_number=3)
    assert late.outcome == "adopted" and late.supportive_share == Fraction(2, 3)
    short = ballots_for("stance", ("support", "oppose", "oppose"))
    assert tally(short, "stance", rule, ALL, ATTENDING, round_number=5).outcome == "not_adopted"


def test_editable_thresholds():
    ballots = ballots_for("fist_to_five", ("support", "support", "oppose"))
    assert tally(ballots, "fist_to_five", Rule("consensus", Fraction(3, 5)), ALL, ATTENDING).outcome == "adopted"
    assert tally(ballots, "fist_to_five", Rule("consensus", Fraction(9, 10)), ALL, ATTENDING).outcome == "not_adopted"


def test_closeness_to_consensus():
    ballots = ballots_for("stance", ("support", "oppose", "oppose"))
    result = tally(ballots, "stance", Rule("consensus", Fraction(3, 4)), ALL, ATTENDING)
    assert result.closeness == Fraction(1, 3) / Fraction(3, 4)


def test_unknown_options_are_not_counted():
    ballots = [Ballot("agree", "acme", "business"), Ballot("maybe", "local12", "labor")]
    result = tally(ballots, "stance", Rule("consensus"), Quorum("number", 1), ATTENDING)
    assert result.ballots == 1 and "maybe" not in result.counts


def test_gradients_classes_follow_kaner():
    classes = dict(METHODS["gradients"])
    assert [classes[str(n)] for n in range(1, 9)] == [
        "support",
        "support",
        "support",
        "abstain",
        "oppose",
        "support",
        "oppose",
        "block",
    ]
