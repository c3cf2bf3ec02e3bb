"""k-anonymity for breakdowns: groups too small to hide a respondent are withheld.

With two responses from "Labor", everyone in the room knows who wrote what.
So a breakdown shows a group only if it holds at least k *voices*. And if
the withheld groups together hold fewer than k, one more group is withheld,
the smallest shown, again and again: otherwise the total minus the shown
groups would give away what the withheld ones said.

A voice is an organisation wherever responses carry the partner: a partner
that sent two of a group's three responses subtracts its own and reads the
third, so that group holds two voices, not three. Where responses carry only
the partner type (or nothing), each response is a voice of its own.
"""

DEFAULT_K = 3


def withheld_voices(voices, k=DEFAULT_K):
    """The keys of ``voices`` ({group: set of who spoke in it}) whose breakdown must be withheld."""
    withheld = {group for group, who in voices.items() if len(who) < k}
    shown = sorted((len(who), str(group), group) for group, who in voices.items() if group not in withheld)
    while withheld and len(set().union(*(voices[g] for g in withheld))) < k and shown:
        withheld.add(shown.pop(0)[2])
    return withheld


def withheld_groups(sizes, k=DEFAULT_K):
    """The keys of ``sizes`` ({group: number of responses}) whose breakdown must be withheld."""
    return withheld_voices({group: {(group, n) for n in range(size)} for group, size in sizes.items()}, k)


def enough(count, k=DEFAULT_K):
    """Whether ``count`` voices are enough to show anything drawn from them."""
    return count >= k


def distinct_sizes(memberships):
    """{group: number of distinct members} from ``(group, member)`` pairs: k counts organisations, not answers."""
    members = {}
    for group, member in memberships:
        members.setdefault(group, set()).add(member)
    return {group: len(found) for group, found in members.items()}
