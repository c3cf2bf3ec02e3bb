"""k-suppression, including the complementary suppression that stops differencing."""

import pytest

from roundtable.anonymity import enough, withheld_groups


@pytest.mark.parametrize("sizes, k, expected", [
    ({}, 3, set()),
    ({"a": 5, "b": 4}, 3, set()),
    ({"a": 5, "b": 2, "c": 2}, 3, {"b", "c"}),        # withheld together hold 4 >= 3
    ({"a": 5, "b": 4, "c": 2}, 3, {"b", "c"}),        # c alone: total - a - b = c; b joins it
    ({"a": 5, "c": 1}, 3, {"a", "c"}),                # nothing can be shown safely
    ({"a": 3, "b": 3, "c": 3}, 3, set()),
    ({"a": 10, "b": 1, "c": 1, "d": 1}, 3, {"b", "c", "d"}),
    ({"a": 2}, 3, {"a"}),
    ({"a": 4, "b": 4}, 5, {"a", "b"}),
])
def test_withheld_groups(sizes, k, expected):
    assert withheld_groups(sizes, k) == expected


def test_withheld_remainder_never_below_k():
    import itertools

    for sizes in itertools.product(range(0, 6), repeat=4):
        groups = {f"g{i}": n for i, n in enumerate(sizes) if n}
        hidden = withheld_groups(groups, 3)
        if hidden:
            assert sum(groups[g] for g in hidden) >= 3 or hidden == set(groups)
        assert all(groups[g] >= 3 for g in set(groups) - hidden)


def test_enough():
    assert not enough(2, 3)
    assert enough(3, 3)
