"""k-suppression, including the complementary suppression that stops differencing."""

import pytest

from roundtable.anonymity import enough, withheld_groups, withheld_voices


@pytest.mark.parametrize(
    "sizes, k, expected",
    [
        ({}, 3, set()),
        ({"a": 5, "b": 4}, 3, set()),
        ({"a": 5, "b": 2, "c": 2}, 3, {"b", "c"}),  # withheld together hold 4 >= 3
        ({"a": 5, "b": 4, "c": 2}, 3, {"b", "c"}),  # c alone: total - a - b = c; b joins it
        ({"a": 5, "c": 1}, 3, {"a", "c"}),  # nothing can be shown safely
        ({"a": 3, "b": 3, "c": 3}, 3, set()),
        ({"a": 10, "b": 1, "c": 1, "d": 1}, 3, {"b", "c", "d"}),
        ({"a": 2}, 3, {"a"}),
        ({"a": 4, "b": 4}, 5, {"a", "b"}),
    ],
)
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


def test_a_breakdown_of_fewer_than_k_organisations_and_its_complement_are_withheld():
    """Voices are organisations: a group of two partners is withheld, and so is the smallest group shown.

    Otherwise the total minus the groups shown would give the small one away.
    """
    voices = {"labor": {"l1", "l2"}, "business": {"b1", "b2", "b3"}, "government": {"g1", "g2", "g3", "g4"}}
    assert withheld_voices(voices, 3) == {"labor", "business"}
    assert withheld_voices({**voices, "cbo": {"c1", "c2"}}, 3) == {"labor", "cbo"}  # together they hold 4
    assert withheld_voices({"labor": {"l1", "l2", "l3"}, "business": {"b1", "b2", "b3"}}, 3) == set()
    # One organisation speaking in two groups is one voice across them, not two.
    assert withheld_voices({"a": {"x", "y"}, "b": {"x", "y"}, "c": {"p", "q", "r"}}, 3) == {"a", "b", "c"}


def test_enough():
    assert not enough(2, 3)
    assert enough(3, 3)


# -- shuffles that protect anonymity draw from the system's generator ----------


def _orders_after_seeding(shuffle_once):
    """Two orders, each produced right after seeding module ``random`` identically."""
    import random

    orders = []
    for _ in range(2):
        random.seed(2026)
        orders.append(shuffle_once())
    return orders


def _survey_with_texts(store, count):
    from roundtable import surveys

    survey = surveys.create_survey(
        store,
        {"en": "Check-in"},
        "en",
        "anonymous",
        questions=[{"kind": "short_text", "text": {"en": "Say"}, "required": True}],
    )
    survey = surveys.set_status(store, survey.id, "open")
    qid = survey.questions[0].id
    surveys.add_responses(store, survey, [({qid: f"answer {n}"}, None, None) for n in range(count)])
    return survey, qid


def test_shuffles_ignore_the_random_module_state(tmp_path):
    """Seeding ``random`` gives no handle on the order of responses, text answers or folded records."""
    from roundtable import results, surveys
    from roundtable.store import FileStore, MemoryStore

    store = MemoryStore()
    survey, qid = _survey_with_texts(store, 30)

    def response_order():
        return [r.answers[qid] for r in surveys.responses_for(store, survey.id)]

    def text_order():
        return list(results.summarize_question(survey.questions[0], [f"t{n}" for n in range(30)]).texts)

    def summary_order():
        responses = surveys.responses_for(store, survey.id)
        return list(results.summarize(survey, sorted(responses, key=lambda r: r.answers[qid]), 3).questions[qid].texts)

    def bulk_order():
        fresh = MemoryStore()
        fresh.extend("s", [{"n": n} for n in range(30)])
        return [r["n"] for r in fresh.records("s")]

    def fold_order():
        files = FileStore(tmp_path / f"store-{len(list(tmp_path.iterdir()))}")
        for n in range(30):
            files.append("s", {"n": n})
        files.fold("s")
        return [r["n"] for r in files.records("s")]

    for shuffle_once in (response_order, text_order, summary_order, bulk_order, fold_order):
        first, second = _orders_after_seeding(shuffle_once)
        assert first != second, shuffle_once.__name__


def test_default_generators_are_the_systems():
    import inspect
    import secrets

    from roundtable import results, surveys

    for function in (surveys.responses_for, results.summarize_question, results.summarize):
        assert isinstance(inspect.signature(function).parameters["rng"].default, secrets.SystemRandom), function
