"""Voice metrics: is every partner heard? Pure functions over events and the roster.

An *event* is a survey or a meeting round; it has a day, a phase, and the
partners (and partner types) heard in it. See docs/metrics.md.
"""

import dataclasses
from fractions import Fraction

from .surveys import PHASES


@dataclasses.dataclass(frozen=True)
class Event:
    """One occasion to be heard: a survey, or a round of a meeting."""

    kind: str  # "survey" or "round"
    id: str
    day: str  # ISO date
    phase: str | None
    partners: frozenset  # partner ids heard (where attribution allows)
    partner_types: frozenset  # partner types heard
    attribution: str = "partner"  # what it records: "partner", "partner_type" (the type only) or "anonymous"


def active(roster):
    """The active partners of a roster (a list of ``partners.Partner``)."""
    return [p for p in roster if p.active]


def coverage(events, roster):
    """(share of active partners heard, share of their partner types heard); None without partners."""
    partners = active(roster)
    if not partners:
        return None, None
    heard = set().union(*(e.partners for e in events)) if events else set()
    heard_types = set().union(*(e.partner_types for e in events)) if events else set()
    types = {p.type for p in partners}
    return (
        Fraction(sum(1 for p in partners if p.id in heard), len(partners)),
        Fraction(len(types & heard_types), len(types)),
    )


@dataclasses.dataclass(frozen=True)
class Coverage:
    """The coverage figures that fit a period, given what its events record.

    ``by_partner``: some event records the partner, so the share of partners
    heard (``partners``) means something; ``by_type``: some event records only
    the partner type, so types heard are counted (``types_heard`` of
    ``types_total``). Where no event records the partner, ``partners`` is None:
    those surveys could not name anyone, which is not "nobody answered".
    ``anonymous``: some event records neither (a fully anonymous survey); a
    period heard only that way is ``unrecorded``, and has no share of types either.
    """

    partners: Fraction | None
    types_heard: int
    types_total: int
    by_partner: bool
    by_type: bool
    anonymous: bool = False

    @property
    def unrecorded(self):
        """Heard, but only in events that record neither the partner nor the partner type."""
        return self.anonymous and not (self.by_partner or self.by_type)

    @property
    def type_share(self):
        """The share of partner types heard; None where no event could record a type."""
        return Fraction(self.types_heard, self.types_total) if self.types_total and not self.unrecorded else None


def fitting_coverage(events, roster):
    """The ``Coverage`` of ``events`` over the active partners of ``roster``; None without active partners."""
    partners = active(roster)
    if not partners:
        return None
    by_partner = any(e.attribution == "partner" for e in events)
    named = [e for e in events if e.attribution == "partner"]
    heard = set().union(*(e.partners for e in named)) if named else set()
    heard_types = set().union(*(e.partner_types for e in events)) if events else set()
    types = {p.type for p in partners}
    return Coverage(
        Fraction(sum(1 for p in partners if p.id in heard), len(partners)) if by_partner else None,
        len(types & heard_types),
        len(types),
        by_partner,
        any(e.attribution == "partner_type" for e in events),
        any(e.attribution == "anonymous" for e in events),
    )


def coverage_by_period(events, roster, key="month"):
    """``fitting_coverage`` per month or per phase: [(group, Coverage)], groups in order."""
    return [(group, fitting_coverage(members, roster)) for group, members in by_period(events, key).items()]


def phase_trend(events, roster):
    """Coverage and equity per partnership phase: [(phase, Coverage, equity)], in a partnership's order.

    Phases follow ``surveys.PHASES``; events without a phase come last, as "".
    """
    groups = by_period(events, "phase")
    order = [phase for phase in (*PHASES, "") if phase in groups]
    return [(phase, fitting_coverage(groups[phase], roster), equity(groups[phase], roster)) for phase in order]


def contributions(events, roster):
    """Events each active partner was heard in: {partner id: count}."""
    counts = {p.id: 0 for p in active(roster)}
    for event in events:
        for partner_id in event.partners:
            if partner_id in counts:
                counts[partner_id] += 1
    return counts


def heard_by_type(events, roster):
    """Partners heard per partner type and event: (type keys, sorted; one row of counts per type, per event)."""
    partners = active(roster)
    keys = sorted({p.type for p in partners})
    return keys, [[sum(1 for p in partners if p.type == key and p.id in e.partners) for e in events] for key in keys]


def gini(values):
    """The Gini coefficient of non-negative values (0 = perfectly even); None if all are zero or none."""
    values = list(values)
    total = sum(values)
    if not values or total == 0:
        return None
    n = len(values)
    differences = sum(abs(a - b) for a in values for b in values)
    return Fraction(differences, 2 * n * total)


def equity(events, roster):
    """1 − Gini of contributions per active partner (1 = every partner heard equally); None if nobody was heard."""
    g = gini(contributions(events, roster).values())
    return None if g is None else 1 - g


def lorenz(values):
    """The Lorenz curve: (cumulative share of partners, cumulative share of contributions), from (0, 0)."""
    values = sorted(values)
    total, n = sum(values), len(values)
    points = [(Fraction(0), Fraction(0))]
    running = 0
    for index, value in enumerate(values, start=1):
        running += value
        points.append((Fraction(index, n), Fraction(running, total) if total else Fraction(0)))
    return points


def silent_partners(events, roster, last_events=None, since=None):
    """Active partners not heard in the last ``last_events`` events or since the day ``since``.

    Returns (partner, day last heard or None), the longest silent first.
    """
    ordered = sorted(events, key=lambda e: e.day)
    window = ordered
    if last_events is not None:
        window = ordered[-last_events:] if last_events else []
    if since is not None:
        window = [e for e in window if e.day >= since]
    heard_recently = set().union(*(e.partners for e in window)) if window else set()
    last_heard = {}
    for event in ordered:
        for partner_id in event.partners:
            last_heard[partner_id] = event.day
    silent = [(p, last_heard.get(p.id)) for p in active(roster) if p.id not in heard_recently]
    return sorted(silent, key=lambda item: (item[1] or "", item[0].name))


def by_period(events, key):
    """Events grouped by ``key``: "month" (YYYY-MM) or "phase"; groups in order."""
    groups = {}
    for event in sorted(events, key=lambda e: e.day):
        group = event.day[:7] if key == "month" else (event.phase or "")
        groups.setdefault(group, []).append(event)
    return groups


def agreement_sentiment(scores):
    """Mean of agreement-scale answers (1–5) mapped to −1…+1 (0 = neutral); None without answers."""
    scores = list(scores)
    return sentiment(sum(scores), len(scores))


def sentiment(total, count):
    """The same, from the sum and the number of agreement-scale answers."""
    if not count:
        return None
    return (Fraction(total, count) - 3) / 2
