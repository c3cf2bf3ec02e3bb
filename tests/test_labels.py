"""Translated names for the domain's vocabularies: every option of every voting method has its words."""

import pytest

from roundtable import consensus
from views.labels import OPTION_WORDS, option_labels


def test_every_voting_method_words_exactly_its_options():
    assert set(OPTION_WORDS) == set(consensus.METHODS)
    for method, options in consensus.METHODS.items():
        assert set(OPTION_WORDS[method]) == {key for key, _class in options}, method


@pytest.mark.parametrize("method", list(consensus.METHODS))
def test_option_labels_follow_the_methods_order_in_the_visitors_language(app, method):
    with app.test_request_context(headers={"Accept-Language": "es"}):
        labelled = option_labels(method)
        assert [key for key, _name, _meaning in labelled] == [key for key, _class in consensus.METHODS[method]]
        english = OPTION_WORDS[method]
        assert all(name and meaning for _key, name, meaning in labelled)
        assert any((name, meaning) != english[key] for key, name, meaning in labelled)  # translated


def test_fist_to_five_reads_from_five_down_to_the_fist(app):
    with app.test_request_context():
        assert option_labels("fist_to_five")[0] == ("5", "Five: champion", "I will lead the way on this.")
        assert option_labels("fist_to_five")[-1] == ("0", "Fist: block", "I block this proposal.")
