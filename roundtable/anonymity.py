"""k-anonymity for breakdowns: groups too small to hide a respondent are withheld.

With two responses from "Labor", everyone in the room knows who wrote what.
So a breakdown shows a group only if it holds at least k responses. And if
the withheld groups together hold fewer than k, one more group is withheld,
the smallest shown, again and again: otherwise the total minus the shown
groups would give away what the withheld ones said.
"""

DEFAULT_K = 3


def withheld_groups(sizes, k=DEFAULT_K):
    """The keys of ``sizes`` ({group: number of responses}) whose breakdown must be withheld."""
    withheld = {group for group, size in sizes.items() if size < k}
    shown = sorted((size, str(group), group) for group, size in sizes.items() if group not in withheld)
    while withheld and sum(sizes[g] for g in withheld) < k and shown:
        withheld.add(shown.pop(0)[2])
    return withheld


def enough(count, k=DEFAULT_K):
    """Whether ``count`` responses are enough to show anything drawn from them."""
    return count >= k


def distinct_sizes(memberships):
    """{group: number of distinct members} from ``(group, member)`` pairs: k counts organisations, not answers."""
    members = {}
    for group, member in memberships:
        members.setdefault(group, set()).add(member)
    return {group: len(found) for group, found in members.items()}
