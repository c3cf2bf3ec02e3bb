"""The ready-made survey templates: complete, well formed and truly translated."""

import unicodedata

import pytest

from roundtable import languages
from roundtable.survey_templates import (
    CHOICE_KINDS,
    KINDS,
    LANGUAGES,
    PHASES,
    TEMPLATES,
    template_keys,
)

TEMPLATE_FIELDS = ("title", "description", "intro", "closing")
QUESTION_FIELDS = {"kind", "text", "help", "required", "choices"}
EXPECTED_KINDS = {
    "health_check": ["agreement"] * 10 + ["long_text"],
    "ingredients": ["agreement"] * 13 + ["long_text"],
    "strategic_planning": ["agreement", "long_text"] * 5,
}
EXPECTED_PHASES = {
    "health_check": "stewarding",
    "ingredients": "renewing",
    "strategic_planning": "planning",
}
# Vietnamese letters that carry a diacritic once decomposed, and the one that
# does not decompose.
VIETNAMESE_EXTRA = {"đ", "Đ"}


def texts_of(template):
    """Every translated text in ``template``, as (where, text) pairs."""
    found = [(field, template[field]) for field in TEMPLATE_FIELDS]
    for number, question in enumerate(template["questions"], 1):
        found.append((f"question {number}", question["text"]))
        if question["help"]:
            found.append((f"question {number} help", question["help"]))
        for index, choice in enumerate(question.get("choices", ()), 1):
            found.append((f"question {number} choice {index}", choice["text"]))
    return found


ALL_TEXTS = [
    pytest.param(text, id=f"{key}: {where}")
    for key, template in TEMPLATES.items()
    for where, text in texts_of(template)
]


def has_arabic(text):
    """Whether ``text`` contains an Arabic letter."""
    return any("ARABIC" in unicodedata.name(c, "") and c.isalpha() for c in text)


def has_cjk(text):
    """Whether ``text`` contains a CJK ideograph."""
    return any("CJK UNIFIED IDEOGRAPH" in unicodedata.name(c, "") for c in text)


def has_vietnamese_diacritic(text):
    """Whether ``text`` contains a Latin letter with a Vietnamese diacritic."""
    for c in text:
        if c in VIETNAMESE_EXTRA:
            return True
        decomposed = unicodedata.normalize("NFD", c)
        if c.isalpha() and len(decomposed) > 1 and decomposed[0].isascii():
            return True
    return False


def test_languages_are_the_shipped_ones():
    """Templates are written in exactly the languages the app ships."""
    assert LANGUAGES == tuple(languages.LANGUAGES)


def test_template_keys():
    """The picker lists the three templates, health check first."""
    assert template_keys() == ["health_check", "ingredients", "strategic_planning"]
    assert template_keys() == list(TEMPLATES)


@pytest.mark.parametrize("key", list(TEMPLATES))
def test_template_shape(key):
    """A template has a known phase, every field, and only known keys."""
    template = TEMPLATES[key]
    assert set(template) == {"phase", "questions", *TEMPLATE_FIELDS}
    assert template["phase"] in PHASES
    assert template["phase"] == EXPECTED_PHASES[key]
    assert template["questions"]


@pytest.mark.parametrize("key", list(TEMPLATES))
def test_question_kinds(key):
    """Each template asks the expected kinds of question, in order."""
    kinds = [question["kind"] for question in TEMPLATES[key]["questions"]]
    assert kinds == EXPECTED_KINDS[key]


@pytest.mark.parametrize("key", list(TEMPLATES))
def test_questions_are_well_formed(key):
    """Known kinds, optional answers, help empty or translated, choices if needed."""
    for question in TEMPLATES[key]["questions"]:
        assert set(question) <= QUESTION_FIELDS
        assert {"kind", "text", "help", "required"} <= set(question)
        assert question["kind"] in KINDS
        assert question["required"] is False
        assert isinstance(question["help"], dict)
        assert question["help"] == {} or set(question["help"]) == set(LANGUAGES)
        if question["kind"] in CHOICE_KINDS:
            assert len(question["choices"]) >= 2
            for choice in question["choices"]:
                assert set(choice["text"]) == set(LANGUAGES)
        else:
            assert "choices" not in question


def test_questions_do_not_share_objects():
    """Editing one question's texts cannot change another question or template."""
    seen = set()
    for template in TEMPLATES.values():
        for question in template["questions"]:
            for part in (question, question["text"], question["help"]):
                if part:
                    assert id(part) not in seen
                    seen.add(id(part))


@pytest.mark.parametrize("text", ALL_TEXTS)
def test_text_is_complete(text):
    """Every text exists, non-blank and tidy, in every shipped language."""
    assert set(text) == set(LANGUAGES)
    for code in LANGUAGES:
        value = text[code]
        assert isinstance(value, str)
        assert value.strip(), code
        assert value == value.strip(), code
        assert "  " not in value, code
        assert unicodedata.is_normalized("NFC", value), code


@pytest.mark.parametrize("text", ALL_TEXTS)
def test_text_is_translated(text):
    """No language just repeats the English, and each is in its own script."""
    for code in LANGUAGES:
        if code != "en":
            assert text[code] != text["en"], code
    assert has_arabic(text["ar"]), text["ar"]
    assert has_cjk(text["zh_Hans"]), text["zh_Hans"]
    assert has_vietnamese_diacritic(text["vi"]), text["vi"]


@pytest.mark.parametrize("key", list(TEMPLATES))
def test_intro_promises_anonymity(key):
    """Participants are told, before they answer, that answers are anonymous."""
    intro = TEMPLATES[key]["intro"]
    assert "anonymous" in intro["en"]
    assert "anónimas" in intro["es"]
    assert "ẩn danh" in intro["vi"]
    assert "匿名" in intro["zh_Hans"]
    assert "مجهولة الهوية" in intro["ar"]


def test_partner_terminology():
    """The agreed words for "partner" and "partnership" are used throughout."""
    health = TEMPLATES["health_check"]["questions"][0]["text"]
    assert "socios" in health["es"]
    assert "đối tác" in health["vi"]
    assert "合作伙伴" in health["zh_Hans"]
    assert "الشركاء" in health["ar"]
    closing = TEMPLATES["health_check"]["closing"]
    assert "alianza" in closing["es"]
    assert "quan hệ đối tác" in closing["vi"]
    assert "合作伙伴关系" in closing["zh_Hans"]
    assert "شراك" in closing["ar"]


def test_no_system_specific_names():
    """The templates suit any workforce partnership: no "WorkSource" anywhere."""
    for template in TEMPLATES.values():
        for _, text in texts_of(template):
            for value in text.values():
                assert "WorkSource" not in value
