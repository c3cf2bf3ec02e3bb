"""Voice metrics against hand-computed values, with the edge cases."""

from fractions import Fraction

import pytest

from roundtable.partners import Partner
from roundtable.voice import (
    Event,
    agreement_sentiment,
    contributions,
    coverage,
    coverage_by_period,
    equity,
    fitting_coverage,
    gini,
    heard_by_type,
    lorenz,
    sentiment,
    silent_partners,
)

A = Partner("a", "Acme", "", "business", True)
B = Partner("b", "Local 12", "", "labor", True)
C = Partner("c", "College", "", "semi_public", True)
D = Partner("d", "Dormant Co", "", "business", False)
ROSTER = [A, B, C, D]


def event(day, *partners, kind="survey", phase=None, types=None):
    heard = frozenset(p.id for p in partners)
    return Event(
        kind, f"{kind}-{day}", day, phase, heard, frozenset(types if types is not None else {p.type for p in partners})
    )


def test_coverage_counts_active_partners_and_types_only():
    events = [event("2026-01-10", A, D), event("2026-02-10", A)]
    assert coverage(events, ROSTER) == (Fraction(1, 3), Fraction(1, 3))


def test_coverage_edge_cases():
    assert coverage([], []) == (None, None)
    assert coverage([], ROSTER) == (0, 0)
    assert coverage([event("2026-01-01", A, B, C)], ROSTER) == (1, 1)
    # A survey by partner type hears the type, not the partner.
    assert coverage([event("2026-01-01", types={"labor"})], ROSTER) == (0, Fraction(1, 3))


def test_gini_hand_computed():
    assert gini([1, 1, 1]) == 0
    assert gini([0, 0, 3]) == Fraction(2, 3)  # sum |xi-xj| = 12; 2 * 3 * 3 = 18
    assert gini([1, 2, 3]) == Fraction(2, 9)  # sum = 8; 2 * 3 * 6 = 36
    assert gini([]) is None and gini([0, 0]) is None
    assert gini([5]) == 0


def test_heard_by_type_counts_active_partners_of_each_type_per_event():
    E = Partner("e", "Brick Co", "", "business", True)
    events = [event("2026-01-01", A, E, D), event("2026-02-01", B), event("2026-03-01")]
    assert heard_by_type(events, ROSTER + [E]) == (
        ["business", "labor", "semi_public"],
        [[2, 0, 0], [0, 1, 0], [0, 0, 0]],
    )  # Dormant Co is inactive
    assert heard_by_type([], ROSTER) == (["business", "labor", "semi_public"], [[], [], []])
    assert heard_by_type(events, []) == ([], [])


def test_equity_and_contributions():
    events = [event("2026-01-01", A, B), event("2026-02-01", A), event("2026-03-01", A, D)]
    assert contributions(events, ROSTER) == {"a": 3, "b": 1, "c": 0}
    # values 3, 1, 0: sum |xi-xj| = 2*(2+3+1) = 12; 2 * 3 * 4 = 24 -> Gini 1/2
    assert equity(events, ROSTER) == Fraction(1, 2)
    assert equity([], ROSTER) is None  # all silent
    assert equity([event("2026-01-01", A)], [A]) == 1  # one partner
    assert equity([], []) is None  # no partners


def test_lorenz_curve():
    assert lorenz([3, 1, 0]) == [(0, 0), (Fraction(1, 3), 0), (Fraction(2, 3), Fraction(1, 4)), (1, 1)]
    assert lorenz([0, 0]) == [(0, 0), (Fraction(1, 2), 0), (1, 0)]


def test_silent_partners_with_the_day_last_heard():
    events = [event("2026-01-10", B), event("2026-02-10", A), event("2026-03-10", A)]
    silent = silent_partners(events, ROSTER, last_events=2)
    assert [(p.id, day) for p, day in silent] == [("c", None), ("b", "2026-01-10")]
    assert [p.id for p, _ in silent_partners(events, ROSTER, since="2026-01-01")] == ["c"]
    assert [p.id for p, _ in silent_partners([], ROSTER)] == ["a", "c", "b"]  # never heard: by name
    assert silent_partners(events, [D]) == []  # inactive partners are never "silent"


def test_agreement_sentiment():
    assert sentiment(9, 3) == 0 and sentiment(0, 0) is None
    assert agreement_sentiment([5, 5]) == 1
    assert agreement_sentiment([1, 3]) == Fraction(-1, 2)
    assert agreement_sentiment([]) is None


@pytest.mark.parametrize("values", [[1], [2, 2], [0, 4], [1, 2, 3, 4]])
def test_gini_is_between_zero_and_one(values):
    assert 0 <= gini(values) < 1


# -- which coverage figure fits the attribution ------------------------------------


def by_type(day, *types):
    return Event("survey", f"type-{day}", day, None, frozenset(), frozenset(types), attribution="partner_type")


def test_a_period_heard_only_by_partner_type_counts_types_and_has_no_partner_share():
    fit = fitting_coverage([by_type("2026-01-10", "labor", "business")], ROSTER)
    assert (fit.by_partner, fit.by_type) == (False, True)
    assert fit.partners is None  # not "0 %": the surveys could not name partners
    assert (fit.types_heard, fit.types_total) == (2, 3)


def test_a_period_heard_by_partner_keeps_the_partner_share():
    fit = fitting_coverage([event("2026-01-10", A, B)], ROSTER)
    assert (fit.by_partner, fit.by_type) == (True, False)
    assert fit.partners == Fraction(2, 3) and fit.type_share == Fraction(2, 3)


def test_a_mixed_period_has_both_figures():
    fit = fitting_coverage([event("2026-01-10", A), by_type("2026-01-20", "labor")], ROSTER)
    assert (fit.by_partner, fit.by_type) == (True, True)
    assert fit.partners == Fraction(1, 3)
    assert (fit.types_heard, fit.types_total) == (2, 3)


def test_without_events_or_partners_no_figure_applies():
    assert fitting_coverage([], ROSTER) == fitting_coverage([], ROSTER)
    empty = fitting_coverage([], ROSTER)
    assert (empty.by_partner, empty.by_type, empty.partners) == (False, False, None)
    assert fitting_coverage([by_type("2026-01-10", "labor")], []) is None


def test_coverage_per_month_follows_each_months_attributions():
    months = coverage_by_period(
        [
            event("2026-01-10", A),
            by_type("2026-02-10", "labor"),
            event("2026-03-01", B),
            by_type("2026-03-20", "business"),
        ],
        ROSTER,
        "month",
    )
    assert [(m, c.by_partner, c.by_type) for m, c in months] == [
        ("2026-01", True, False),
        ("2026-02", False, True),
        ("2026-03", True, True),
    ]
    assert months[1][1].partners is None and months[1][1].types_heard == 1


def anonymous(day, phase=None):
    """Make a fully anonymous survey's event: it names neither partner nor type."""
    return Event("survey", f"anonymous-{day}", day, phase, frozenset(), frozenset(), attribution="anonymous")


def test_a_period_heard_only_anonymously_records_nothing_rather_than_nobody():
    """A fully anonymous survey names neither partner nor type: its period has no share to show, not 0 %."""
    fit = fitting_coverage([anonymous("2026-01-10")], ROSTER)
    assert fit.unrecorded and (fit.by_partner, fit.by_type) == (False, False)
    assert fit.partners is None and fit.type_share is None
    assert not fitting_coverage([], ROSTER).unrecorded  # no event at all: nothing to record
    mixed = fitting_coverage([anonymous("2026-01-10"), event("2026-01-20", A)], ROSTER)
    assert not mixed.unrecorded and mixed.type_share == Fraction(1, 3)
    typed = fitting_coverage([anonymous("2026-01-10"), by_type("2026-01-20", "labor")], ROSTER)
    assert not typed.unrecorded and (typed.types_heard, typed.partners) == (1, None)


def test_phase_trend_follows_the_partnership_phases_in_order_with_no_phase_last():
    """Each phase's coverage fits what its events record; equity per phase; phases in a partnership's order."""
    import roundtable.voice as voice

    events = [
        by_type("2026-01-05", "labor"),
        event("2026-01-10", A, phase="renewing"),
        anonymous("2026-01-15", phase="developing"),
        event("2026-02-01", A, B, phase="planning"),
        Event(
            "survey",
            "t",
            "2026-02-10",
            "stewarding",
            frozenset(),
            frozenset({"labor", "business"}),
            attribution="partner_type",
        ),
        event("2026-03-01", C, phase="planning"),
        anonymous("2026-03-05", phase="planning"),
    ]
    rows = voice.phase_trend(events, ROSTER)
    assert [row[0] for row in rows] == ["planning", "developing", "stewarding", "renewing", ""]
    planning, developing, stewarding, renewing, none = (row[1] for row in rows)
    assert (planning.partners, planning.type_share) == (1, 1)  # A, B then C: all three partners
    assert rows[0][2] == 1  # each heard once: perfectly even
    assert developing.unrecorded and rows[1][2] is None
    assert (stewarding.partners, stewarding.types_heard, stewarding.types_total) == (None, 2, 3)
    assert renewing.partners == Fraction(1, 3) and rows[3][2] == Fraction(1, 3)  # contributions 1, 0, 0
    assert (none.by_type, none.types_heard) == (True, 1)
    assert voice.phase_trend([], ROSTER) == []
