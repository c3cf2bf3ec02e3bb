"""Surveys: building, sharing, invitations, responding and receipts (domain, in memory)."""

import datetime
import json
import os
import random

import pytest

from roundtable import codes, partners, results, surveys
from roundtable.errors import InvalidInput
from roundtable.store import FileStore
from roundtable.survey_templates import TEMPLATES

from .conftest import refused

DAY = datetime.date(2026, 5, 4)


def make(store, attribution="anonymous", questions=None, **kwargs):
    questions = (
        questions
        if questions is not None
        else [
            {"kind": "agreement", "text": {"en": "We trust each other."}, "required": True},
            {"kind": "single", "text": {"en": "Best day?"}, "choices": [{"en": "Mon"}, {"en": "Tue"}]},
            {"kind": "multiple", "text": {"en": "Which?"}, "choices": [{"en": "A"}, {"en": "B"}, {"en": "C"}]},
            {"kind": "long_text", "text": {"en": "Anything else?"}},
        ]
    )
    return surveys.create_survey(
        store, {"en": "Check-in"}, "en", attribution, "planning", questions=questions, today=DAY, **kwargs
    )


def opened(store, survey):
    return surveys.set_status(store, survey.id, "open")


def answer(survey, **values):
    """Raw answers by question position: q0=["4"], ..."""
    return {survey.questions[int(k[1:])].id: v for k, v in values.items()}


def test_create_and_find(store):
    survey = make(store)
    assert survey.status == "draft" and survey.phase == "planning"
    assert len(survey.join_code) == 6 and len(survey.share_token) >= 20
    assert surveys.by_share_token(store, survey.share_token) == survey
    assert surveys.by_join_code(store, survey.join_code.lower()[:3] + " " + survey.join_code[3:]) == survey
    assert surveys.by_share_token(store, "forged") is None
    assert surveys.by_join_code(store, "") is None


@pytest.mark.parametrize(
    "kwargs, code",
    [
        ({"title": {"es": "Hola"}}, "required_in_language"),
        ({"title": {"en": "x" * 201}}, "too_long"),
        ({"title": {"xx": "Hi", "en": "Hi"}}, "language_unknown"),
        ({"attribution": "named"}, "attribution_unknown"),
        ({"phase": "nope"}, "phase_unknown"),
    ],
)
def test_invalid_details_are_refused(store, kwargs, code):
    args = {"title": {"en": "T"}, "default_language": "en", "attribution": "anonymous", "phase": None}
    args.update(kwargs)
    with pytest.raises(InvalidInput) as error:
        surveys.create_survey(store, **args)
    assert error.value.code == code
    assert store.all(surveys.TABLE) == []


@pytest.mark.parametrize(
    "question, code",
    [
        ({"kind": "essay", "text": {"en": "?"}}, "kind_unknown"),
        ({"kind": "single", "text": {"en": "?"}, "choices": [{"en": "only one"}]}, "choices_too_few"),
        ({"kind": "short_text", "text": {}}, "required_in_language"),
    ],
)
def test_invalid_questions_are_refused(store, question, code):
    survey = make(store, questions=[])
    with pytest.raises(InvalidInput) as error:
        surveys.add_question(store, survey.id, question["kind"], question["text"], choices=question.get("choices"))
    assert error.value.code == code


def test_reorder_duplicate_delete(store):
    survey = make(store)
    first, second = survey.questions[0].id, survey.questions[1].id
    survey = surveys.move_question(store, survey.id, first, +1)
    assert [q.id for q in survey.questions[:2]] == [second, first]
    with pytest.raises(InvalidInput):
        surveys.move_question(store, survey.id, second, -1)
    survey = surveys.duplicate_question(store, survey.id, second)
    assert survey.questions[1].text == survey.questions[0].text and survey.questions[1].id != second
    survey = surveys.delete_question(store, survey.id, survey.questions[1].id)
    assert len(survey.questions) == 4


def test_missing_texts_per_language(store):
    survey = surveys.create_survey(
        store,
        {"en": "T", "es": "T"},
        "en",
        questions=[{"kind": "yes_no", "text": {"en": "Q1", "es": "P1"}}, {"kind": "yes_no", "text": {"en": "Q2"}}],
    )
    assert survey.missing_texts() == {"es": 1}


def test_a_response_keeps_only_answers_day_and_attribution(store):
    partner = partners.add_partner(store, "Local 12", "labor")
    survey = opened(store, make(store, "partner"))
    answers, errors = surveys.validate_answers(
        survey, answer(survey, q0=["4"], q1=["c2"], q2=["c3", "c1"], q3=["Meet less often"])
    )
    assert errors == {}
    receipt = surveys.submit_response(store, survey, answers, partner_id=partner.id, today=DAY, secret="test key")
    [record] = store.records(surveys.stream(survey.id))
    assert set(record) == {"_id", "answers", "day", "partner", "partner_type"}
    assert record["day"] == "2026-05-04" and record["partner_type"] == "labor"
    assert record["answers"][survey.questions[2].id] == ["c1", "c3"]
    assert receipt.startswith(survey.join_code + "-")
    assert receipt not in json.dumps(store.records(surveys.stream(survey.id)))


def test_attribution_modes(store):
    partner = partners.add_partner(store, "Local 12", "labor")
    anonymous = opened(store, make(store, "anonymous"))
    answers, _ = surveys.validate_answers(anonymous, answer(anonymous, q0=["5"]))
    surveys.submit_response(store, anonymous, answers, partner_id=partner.id, partner_type="labor", secret="test key")
    assert set(store.records(surveys.stream(anonymous.id))[0]) == {"_id", "answers", "day"}

    by_type = opened(store, make(store, "partner_type"))
    with pytest.raises(InvalidInput) as error:
        surveys.submit_response(store, by_type, answers, partner_type="nope", secret="test key")
    assert error.value.code == "partner_type_required"
    surveys.submit_response(store, by_type, answers, partner_id=partner.id, partner_type="cbo", secret="test key")
    assert "partner" not in store.records(surveys.stream(by_type.id))[0]

    by_partner = opened(store, make(store, "partner"))
    with pytest.raises(InvalidInput):
        surveys.submit_response(store, by_partner, answers, partner_id="forged", secret="test key")
    partners.set_active(store, partner.id, False)
    with pytest.raises(InvalidInput):
        surveys.submit_response(store, by_partner, answers, partner_id=partner.id, secret="test key")


@pytest.mark.parametrize(
    "values, code",
    [
        ({"q0": ["6"]}, "answer_out_of_range"),
        ({"q0": ["x"]}, "answer_out_of_range"),
        ({"q0": ["3", "4"]}, "answer_out_of_range"),
        ({"q1": ["c9"]}, "answer_invalid"),
        ({"q1": ["c1", "c2"]}, "answer_invalid"),
        ({"q2": ["c1", "c1"]}, "answer_invalid"),
        ({"q3": ["x" * 5001]}, "too_long"),
        ({}, "answer_required"),
    ],
)
def test_invalid_answers(store, values, code):
    survey = opened(store, make(store))
    raw = {survey.questions[0].id: ["3"]}
    raw.update(answer(survey, **values))
    if not values:
        raw = {}
    _, errors = surveys.validate_answers(survey, raw)
    assert code in {e.code for e in errors.values()}


def test_unknown_question_ids_are_refused(store):
    survey = opened(store, make(store))
    _, errors = surveys.validate_answers(survey, {survey.questions[0].id: ["3"], "made-up": ["1"]})
    assert errors["made-up"].code == "question_unknown"


def test_closed_or_draft_survey_takes_nothing(store):
    survey = make(store)
    answers, _ = surveys.validate_answers(survey, answer(survey, q0=["3"]))
    with pytest.raises(InvalidInput) as error:
        surveys.submit_response(store, survey, answers, secret="test key")
    assert error.value.code == "survey_closed"
    surveys.set_status(store, survey.id, "closed")
    with pytest.raises(InvalidInput):
        surveys.submit_response(store, surveys.get_survey(store, survey.id), answers, secret="test key")
    assert surveys.response_count(store, survey.id) == 0


def test_answered_questions_cannot_change_meaning_or_be_deleted(store):
    survey = opened(store, make(store))
    answers, _ = surveys.validate_answers(survey, answer(survey, q0=["3"]))
    surveys.submit_response(store, survey, answers, secret="test key")
    answered, unanswered = survey.questions[0], survey.questions[1]
    for action, code in (
        (lambda: surveys.update_question(store, survey.id, answered.id, "yes_no", {"en": "Changed"}), "answered_kind"),
        (lambda: surveys.delete_question(store, survey.id, answered.id), "question_answered"),
    ):
        with pytest.raises(InvalidInput) as error:
            action()
        assert error.value.code == code
    assert surveys.get_survey(store, survey.id).questions[0] == answered
    surveys.update_question(store, survey.id, unanswered.id, "yes_no", {"en": "Changed"})
    with pytest.raises(InvalidInput) as error:
        surveys.update_details(store, survey.id, {"en": "T"}, "en", "partner", None, {}, {}, False)
    assert error.value.code == "attribution_fixed"


def test_invitations_work_once_and_leave_no_trace(store):
    survey = opened(store, make(store, invitations_only=True))
    [code] = surveys.create_invitations(store, survey.id, 1)
    answers, _ = surveys.validate_answers(survey, answer(survey, q0=["2"]))
    with pytest.raises(InvalidInput) as error:
        surveys.submit_response(store, survey, answers, invitation="WRONG-CODE", secret="test key")
    assert error.value.code == "invitation_unknown"
    surveys.submit_response(store, survey, answers, invitation=code.lower(), secret="test key")
    with pytest.raises(InvalidInput) as error:
        surveys.submit_response(store, survey, answers, invitation=code, secret="test key")
    assert error.value.code == "invitation_used"
    assert surveys.invitation_counts(store, survey.id) == (1, 1)
    stored = json.dumps(store.records(surveys.stream(survey.id)))
    bare = code.replace("-", "")
    assert bare not in stored and code not in stored
    assert bare not in json.dumps(store.all(surveys.INVITATIONS))


def test_invitation_for_a_partner_sets_the_partner(store):
    partner = partners.add_partner(store, "Valley College", "semi_public")
    survey = opened(store, make(store, "partner", invitations_only=True))
    [code] = surveys.create_invitations(store, survey.id, 1, partner_id=partner.id)
    answers, _ = surveys.validate_answers(survey, answer(survey, q0=["2"]))
    surveys.submit_response(store, survey, answers, invitation=code, secret="test key")
    assert store.records(surveys.stream(survey.id))[0]["partner"] == partner.id


def test_receipts_prove_counting_without_naming_the_response(store):
    survey = opened(store, make(store))
    answers, _ = surveys.validate_answers(survey, answer(survey, q0=["2"]))
    receipt = surveys.submit_response(store, survey, answers, secret="test key")
    assert surveys.check_receipt(store, receipt, secret="test key") == survey
    assert surveys.check_receipt(store, receipt.lower().replace("-", " "), secret="test key") == survey
    assert surveys.check_receipt(store, receipt[:-1] + ("A" if receipt[-1] != "A" else "B"), secret="test key") is None
    assert surveys.check_receipt(store, "nonsense", secret="test key") is None
    assert "receipt" not in json.dumps(store.records(surveys.stream(survey.id)))


def test_duplicate_survey(store):
    survey = opened(store, make(store))
    copy = surveys.duplicate_survey(store, survey.id)
    assert copy.id != survey.id and copy.status == "draft" and copy.join_code != survey.join_code
    assert copy.questions == survey.questions and copy.title == survey.title


@pytest.mark.parametrize("key", list(TEMPLATES))
def test_templates_make_valid_surveys_in_every_language(store, key):
    survey = surveys.create_from_template(store, TEMPLATES[key])
    assert survey.phase == TEMPLATES[key]["phase"]
    assert survey.missing_texts() == {}
    assert len(survey.languages()) == 5


def test_results_withhold_small_groups(store):
    survey = opened(store, make(store, "partner_type"))
    for partner_type, value in [
        ("labor", "1"),
        ("labor", "2"),
        ("business", "4"),
        ("business", "5"),
        ("business", "5"),
        ("cbo", "3"),
        ("cbo", "3"),
        ("cbo", "4"),
    ]:
        answers, _ = surveys.validate_answers(survey, answer(survey, q0=[value], q3=["note " + value]))
        surveys.submit_response(store, survey, answers, partner_type=partner_type, secret="test key")
    responses = surveys.responses_for(store, survey.id, rng=random.Random(1))
    summary = results.summarize(survey, responses, 3, by="partner_type")
    overall = summary.questions[survey.questions[0].id]
    assert overall.answered == 8 and overall.counts == {1: 1, 2: 1, 3: 2, 4: 2, 5: 2}
    assert overall.mean == pytest.approx(27 / 8) and overall.median == 3.5
    groups = {g.key: g for g in summary.groups}
    assert groups["labor"].withheld and groups["labor"].questions == {}
    # labor (2) alone would be total minus the others: the smallest shown group joins it.
    assert groups["business"].withheld or groups["cbo"].withheld
    assert sorted(summary.questions[survey.questions[3].id].texts) == sorted("note " + v for v in "12455334")


def test_results_hidden_below_k(store):
    survey = opened(store, make(store))
    answers, _ = surveys.validate_answers(survey, answer(survey, q0=["2"]))
    surveys.submit_response(store, survey, answers, secret="test key")
    summary = results.summarize(survey, surveys.responses_for(store, survey.id), 3)
    assert not summary.shown and summary.questions == {}


def test_breakdown_only_as_attribution_allows(store):
    survey = opened(store, make(store, "partner_type"))
    summary = results.summarize(survey, [], 0, by="partner")
    assert summary.breakdown_by is None


def _by_partner_survey_with_a_subtracting_partner(store):
    """Labor: partner A twice and partner B once (3 responses, 2 organisations); 3 businesses, 3 cbos."""
    a = partners.add_partner(store, "Local 12", "labor")
    b = partners.add_partner(store, "Local 99", "labor")
    others = [partners.add_partner(store, f"Shop {n}", "business") for n in range(3)] + [
        partners.add_partner(store, f"Food bank {n}", "cbo") for n in range(3)
    ]
    survey = opened(store, make(store, "partner"))
    for partner, value in [(a, "1"), (a, "1"), (b, "5")] + [(p, "3") for p in others]:
        answers, _ = surveys.validate_answers(survey, answer(survey, q0=[value]))
        surveys.submit_response(store, survey, answers, partner_id=partner.id, secret="test key")
    return survey


def test_k_counts_organisations_when_responses_carry_the_partner(store):
    """A partner that sent two of a type group's three responses must not read the third by subtraction."""
    survey = _by_partner_survey_with_a_subtracting_partner(store)
    summary = results.summarize(survey, surveys.responses_for(store, survey.id), 3, by="partner_type")
    groups = {g.key: g for g in summary.groups}
    assert groups["labor"].responses == 3 and groups["labor"].withheld and groups["labor"].questions == {}
    assert groups["labor"].partners == 2
    # labor's two organisations would otherwise be the total minus the rest: another group joins them
    assert groups["business"].withheld or groups["cbo"].withheld
    # by partner, every group is one organisation: never enough
    by_partner = results.summarize(survey, surveys.responses_for(store, survey.id), 3, by="partner")
    assert by_partner.groups and all(g.withheld for g in by_partner.groups)
    # the response export attributes nothing below k organisations either
    keys = results.attributions(survey, surveys.responses_for(store, survey.id), 3)
    assert keys.count(None) >= 6 and "labor" not in keys


def test_nothing_is_shown_until_k_organisations_answered(store):
    a, b = (partners.add_partner(store, name, "labor") for name in ("Local 12", "Local 99"))
    survey = opened(store, make(store, "partner"))
    answers, _ = surveys.validate_answers(survey, answer(survey, q0=["2"]))
    for partner in (a, a, b):
        surveys.submit_response(store, survey, answers, partner_id=partner.id, secret="test key")
    summary = results.summarize(survey, surveys.responses_for(store, survey.id), 3)
    assert summary.responses == 3 and not summary.shown and summary.questions == {}
    assert summary.partners == 2 and summary.counts_partners
    # where only the type is stored, k still counts responses
    typed = opened(store, make(store, "partner_type"))
    for _ in range(3):
        surveys.submit_response(store, typed, answers, partner_type="labor", secret="test key")
    assert results.summarize(typed, surveys.responses_for(store, typed.id), 3).shown


def test_a_response_export_carries_nothing_below_k_and_no_group_that_k_withholds(store):
    survey = opened(store, make(store, "partner_type"))
    rows = [
        ("labor", "1"),
        ("business", "4"),
        ("business", "5"),
        ("business", "5"),
        ("cbo", "3"),
        ("cbo", "3"),
        ("cbo", "4"),
    ]
    for partner_type, value in rows[:2]:
        answers, _ = surveys.validate_answers(survey, answer(survey, q0=[value]))
        surveys.submit_response(store, survey, answers, partner_type=partner_type, secret="test key")
    assert results.exported_responses(survey, surveys.responses_for(store, survey.id), 3) == []
    for partner_type, value in rows[2:]:
        answers, _ = surveys.validate_answers(survey, answer(survey, q0=[value]))
        surveys.submit_response(store, survey, answers, partner_type=partner_type, secret="test key")
    responses = surveys.responses_for(store, survey.id)
    exported = results.exported_responses(survey, responses, 3)
    assert [answers for _, answers in exported] == [r.answers for r in responses]  # every response, in its order
    groups = [group for group, _ in exported]
    assert "labor" not in groups and groups.count(None) >= 1 + 3  # labor, and a group that would give it away
    assert set(groups) - {None} and set(groups) <= {"business", "cbo", None}


def make_open_anonymous(store, count):
    survey = opened(store, make(store))
    answers, _ = surveys.validate_answers(survey, answer(survey, q0=["2"]))
    for _ in range(count):
        surveys.submit_response(store, survey, answers, secret="test key")
    return survey


def test_an_anonymous_export_carries_every_response_and_no_group(store):
    survey = make_open_anonymous(store, 3)
    exported = results.exported_responses(survey, surveys.responses_for(store, survey.id), 3)
    assert [group for group, _ in exported] == [None] * 3
    assert all(answers == {survey.questions[0].id: 2} for _, answers in exported)


def test_heard_names_the_partners_and_types_that_responses_carry(store):
    union = partners.add_partner(store, "Local 12", "labor")
    partners.add_partner(store, "Main Street Bakery", "business")
    survey = opened(store, make(store, "partner"))
    answers, _ = surveys.validate_answers(survey, answer(survey, q0=["2"]))
    assert surveys.heard(store, survey.id) == (set(), set())
    surveys.submit_response(store, survey, answers, partner_id=union.id, secret="test key")
    assert surveys.heard(store, survey.id) == ({union.id}, {"labor"})
    anonymous = make_open_anonymous(store, 2)
    assert surveys.heard(store, anonymous.id) == (set(), set())


# -- receipts: inclusion, and nothing else -----------------------------------------

KEY = "the app's secret key, which the operator also holds"


def _folder_bytes(root):
    found = {}
    for directory, _dirs, names in os.walk(root):
        for name in names:
            with open(os.path.join(directory, name), "rb") as file:
                found[os.path.join(directory, name)] = file.read()
    return found


def test_a_receipt_and_the_data_folder_single_out_no_response(tmp_path):
    """An operator holding every file's bytes, the key and one receipt code cannot tell which response it is."""
    count, orders = 24, []
    for trial in range(3):
        store = FileStore(tmp_path / f"trial{trial}")
        survey = opened(store, make(store, questions=[{"kind": "short_text", "text": {"en": "Say"}, "required": True}]))
        qid = survey.questions[0].id
        codes_given = [
            surveys.submit_response(store, survey, {qid: f"answer number {n:02d}"}, secret=KEY) for n in range(count)
        ]
        files = _folder_bytes(tmp_path / f"trial{trial}")
        journal = files[store.stream_paths(surveys.stream(survey.id))[0]]
        # Unfolded, the responses' journal is in arrival order: response n is line n.
        assert [journal.index(f"answer number {n:02d}".encode()) for n in range(count)] == sorted(
            journal.index(f"answer number {n:02d}".encode()) for n in range(count)
        )
        where = []
        for code in codes_given:
            bare = code.replace("-", "")[len(survey.join_code) :]
            digest = surveys.receipt_digest(KEY, survey.id, bare).encode()
            [(path, offset)] = [(p, data.index(digest)) for p, data in files.items() if digest in data]
            where.append((path, offset))
            for leak in (code, code.replace("-", ""), bare, codes.digest(survey.id, bare)):
                assert not any(leak.encode() in data for data in files.values()), leak
        assert len({path for path, _ in where}) == 1 and where[0][0] != store.stream_paths(surveys.stream(survey.id))[0]
        # Where a receipt lies among receipts says nothing of which response line it belongs to.
        ranks = [sorted(where).index(place) for place in where]
        assert ranks != list(range(count)), "receipts are stored in submission order"
        orders.append(ranks)
    assert len({tuple(order) for order in orders}) == 3
    # Nothing of a receipt is kept with a response.
    assert "digest" not in json.dumps(store.records(surveys.stream(survey.id)))


def test_receipts_digested_the_old_way_still_verify_and_move_into_the_set(store):
    """A data folder from before: receipts as plain SHA-256 digests in a stream, in arrival order."""
    survey = opened(store, make(store))
    old_codes = [codes.random_code(12) for _ in range(3)]
    for code in old_codes:
        store.append(surveys.receipts_stream(survey.id), {"digest": codes.digest(survey.id, code)})
    typed = f"{survey.join_code}-{codes.grouped(old_codes[1])}"
    assert surveys.check_receipt(store, typed, secret=KEY) == survey
    assert store.records(surveys.receipts_stream(survey.id)) == []  # moved: the ordered stream is gone
    members = store.members(surveys.receipts_set(survey.id))
    assert len(members) == 3 and codes.digest(survey.id, old_codes[1]) not in members
    assert surveys.check_receipt(store, typed, secret=KEY) == survey
    assert surveys.check_receipt(store, f"{survey.join_code}-{codes.grouped(old_codes[0])}", secret=KEY) == survey
    assert surveys.check_receipt(store, typed, secret="another key") is None


def test_old_receipts_move_on_the_next_submission_too(tmp_path):
    store = FileStore(tmp_path / "store")
    survey = opened(store, make(store))
    old = codes.random_code(12)
    store.append(surveys.receipts_stream(survey.id), {"digest": codes.digest(survey.id, old)})
    answers, _ = surveys.validate_answers(survey, answer(survey, q0=["2"]))
    new = surveys.submit_response(store, survey, answers, secret=KEY)
    assert not any(codes.digest(survey.id, old).encode() in data for data in _folder_bytes(tmp_path).values())
    assert surveys.check_receipt(store, new, secret=KEY) == survey
    assert surveys.check_receipt(store, f"{survey.join_code}{old}", secret=KEY) == survey


def test_invitation_for_a_partner_binds_its_type_on_a_survey_by_type(store):
    partner = partners.add_partner(store, "Valley College", "semi_public")
    survey = opened(store, make(store, "partner_type", invitations_only=True))
    first, second = surveys.create_invitations(store, survey.id, 2, partner_id=partner.id)
    answers, _ = surveys.validate_answers(survey, answer(survey, q0=["2"]))
    with pytest.raises(InvalidInput) as error:
        surveys.submit_response(store, survey, answers, partner_type="business", invitation=first, secret="k")
    assert (error.value.code, error.value.field) == ("invitation_other_type", "partner_type")
    assert surveys.invitation_counts(store, survey.id) == (0, 2)  # a refused answer leaves the code unused
    surveys.submit_response(store, survey, answers, invitation=first, secret="k")  # the type is filled in
    surveys.submit_response(store, survey, answers, partner_type="semi_public", invitation=second, secret="k")
    assert [r.get("partner_type") for r in store.records(surveys.stream(survey.id))] == ["semi_public"] * 2
    assert all("partner" not in r for r in store.records(surveys.stream(survey.id)))


# -- one language's texts joining a survey's (the builder's forms edit one at a time) ---------------

TWO_DAYS = surveys.Question(
    "q1",
    "single",
    {"en": "Best day?", "fr": "Quel jour ?"},
    {"en": "Pick one."},
    True,
    ({"id": "c1", "text": {"en": "Mon", "fr": "lun."}}, {"id": "c2", "text": {"en": "Tue"}}),
)


def test_merged_texts_set_one_language_and_keep_the_others():
    current = {"en": "Hello", "fr": "Bonjour"}
    assert surveys.merged_texts(current, "fr", "Salut") == {"en": "Hello", "fr": "Salut"}
    assert surveys.merged_texts(current, "es", None) == {"en": "Hello", "fr": "Bonjour", "es": ""}
    assert surveys.merged_texts(None, "en", "Hi") == {"en": "Hi"}
    assert current == {"en": "Hello", "fr": "Bonjour"}  # a copy: the survey's own texts stay as they are


def test_a_new_question_takes_its_kind_texts_and_choices_from_the_form():
    args = surveys.merged_question(None, "en", "en", "Which?", "", ["A", "B"], meaning=("multiple", True))
    assert args == {
        "kind": "multiple",
        "text": {"en": "Which?"},
        "help_text": {"en": ""},
        "required": True,
        "choices": [{"en": "A"}, {"en": "B"}],
    }


def test_another_language_changes_only_texts_and_keeps_the_number_of_choices():
    args = surveys.merged_question(
        TWO_DAYS, "fr", "en", "Le jour ?", "Un seul.", ["lundi", "mardi"], meaning=("long_text", False)
    )
    assert args["kind"] == "single" and args["required"] is True  # kind and required change in the default language
    assert args["text"] == {"en": "Best day?", "fr": "Le jour ?"} and args["help_text"] == {
        "en": "Pick one.",
        "fr": "Un seul.",
    }
    assert args["choices"] == [{"en": "Mon", "fr": "lundi"}, {"en": "Tue", "fr": "mardi"}]
    assert surveys.merged_question(TWO_DAYS, "fr", "en", "Le jour ?", "", [])["choices"] == [
        {"en": "Mon", "fr": "lun."},
        {"en": "Tue"},
    ]
    error = refused("choices_count", surveys.merged_question, TWO_DAYS, "fr", "en", "Le jour ?", "", ["lundi"])
    assert error.field == "choices" and error.params == {"count": 2}


def test_the_default_language_sets_kind_and_choices_and_keeps_other_languages_labels():
    args = surveys.merged_question(
        TWO_DAYS, "en", "en", "Day?", "", ["Monday", "Tuesday", "Friday"], meaning=("multiple", False)
    )
    assert args["kind"] == "multiple" and args["required"] is False
    assert args["choices"] == [{"en": "Monday", "fr": "lun."}, {"en": "Tuesday"}, {"en": "Friday"}]
    # An answered question's form sets no meaning: its kind and required flag stay.
    reworded = surveys.merged_question(TWO_DAYS, "en", "en", "Day?", "", ["Mon", "Tue"])
    assert (reworded["kind"], reworded["required"]) == ("single", True)


def test_errors_naming_no_question_of_the_survey_go_above_the_form(store):
    survey = opened(store, make(store))
    first = survey.questions[0].id
    _, errors = surveys.validate_answers(survey, {first: ["9"], "forged": ["1"], "other": ["2"]})
    beside, above = surveys.placed_errors(errors)
    assert set(beside) == {first} and beside[first].code == "answer_out_of_range"
    assert above is errors["forged"] and above.code == "question_unknown"
    assert surveys.placed_errors({first: errors[first]}) == ({first: errors[first]}, None)


def test_charted_questions_are_those_with_counts_once_results_are_shown(store):
    survey = opened(store, make(store))
    for value in "123":
        answers, _ = surveys.validate_answers(survey, answer(survey, q0=[value]))
        surveys.submit_response(store, survey, answers, secret="test key")
    responses = surveys.responses_for(store, survey.id)
    shown = results.summarize(survey, responses, 3)
    # every closed question counts its options, answered or not; a text question has no counts to chart
    charted = [q.id for q in results.charted_questions(survey, shown)]
    assert shown.shown and charted == [q.id for q in survey.questions[:3]]
    assert results.charted_questions(survey, results.summarize(survey, responses, 4)) == []
