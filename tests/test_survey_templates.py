"""The ready-made survey templates: complete, well formed and truly translated.

Then their data files' schema: each rule of the loader refuses a broken copy.
"""

import json
import unicodedata
from importlib import resources

import pytest

from roundtable import languages, survey_templates
from roundtable.survey_templates import (
    CHOICE_KINDS,
    KINDS,
    LANGUAGES,
    PHASES,
    TEMPLATES,
    TemplateError,
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


# -- The data files' schema ----------------------------------------------------

FOLDER = resources.files("roundtable.survey_templates")
TEXT = {"en": "Pears", "es": "Peras", "vi": "Lê", "zh_Hans": "梨", "ar": "كمثرى"}


@pytest.fixture
def folder(tmp_path):
    """A copy of the shipped data files, to break."""
    for file in FOLDER.iterdir():
        if file.name.endswith(".json"):
            (tmp_path / file.name).write_bytes(file.read_bytes())
    return tmp_path


def refusal(folder, damage, name="health_check.json"):
    """The error that loading ``folder`` raises once ``damage`` has changed the data of file ``name``."""
    data = json.loads((folder / name).read_text(encoding="utf-8"))
    damage(data)
    (folder / name).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(TemplateError) as caught:
        survey_templates.load(folder)
    return str(caught.value)


def test_the_shipped_files_are_the_templates():
    """TEMPLATES is what the loader reads from the data files shipped with the package."""
    assert survey_templates.load(FOLDER) == TEMPLATES
    assert sorted(f.name for f in FOLDER.iterdir() if f.name.endswith(".json")) == [
        "_shared.json",
        "health_check.json",
        "ingredients.json",
        "strategic_planning.json",
    ]


def test_a_choice_question_loads(folder):
    """A choice question's choices are texts, loaded in the order written."""
    question = {"kind": "single", "text": TEXT, "help": {}, "required": True, "choices": [TEXT, TEXT]}
    data = json.loads((folder / "ingredients.json").read_text(encoding="utf-8"))
    data["questions"].append(question)
    (folder / "ingredients.json").write_text(json.dumps(data), encoding="utf-8")
    assert survey_templates.load(folder)["ingredients"]["questions"][-1] == question


def with_question(**changes):
    """A damage that changes the first question of a file."""
    return lambda data: data["questions"][0].update(changes)


KINDS_LISTED = ", ".join(KINDS)
PHASES_LISTED = ", ".join(PHASES)


@pytest.mark.parametrize(
    ("damage", "error"),
    [
        pytest.param(
            lambda data: data["questions"][3]["text"].pop("vi"), "questions[3].text.vi: missing", id="every language"
        ),
        pytest.param(
            lambda data: data["title"].update(fr="Bilan"),
            "title.fr: not a shipped language",
            id="only shipped languages",
        ),
        pytest.param(lambda data: data["closing"].update(es="  "), "closing.es: empty", id="no empty text"),
        pytest.param(lambda data: data["description"].update(ar=None), "description.ar: empty", id="texts are strings"),
        pytest.param(
            with_question(text=["We trust each other."]), "questions[0].text: not a text", id="texts are objects"
        ),
        pytest.param(
            with_question(help="privacy"), "questions[0].help: no shared text 'privacy'", id="known shared texts"
        ),
        pytest.param(with_question(kind="essay"), f"questions[0].kind: not one of {KINDS_LISTED}", id="known kinds"),
        pytest.param(with_question(kind="single"), "questions[0].choices: fewer than two choices", id="choice kinds"),
        pytest.param(
            with_question(kind="multiple", choices=[TEXT]),
            "questions[0].choices: fewer than two choices",
            id="two choices or more",
        ),
        pytest.param(
            with_question(choices=[TEXT, TEXT]),
            "questions[0].choices: only single and multiple questions have choices",
            id="choices only for choice kinds",
        ),
        pytest.param(
            with_question(kind="single", choices=[TEXT, {**TEXT, "vi": ""}]),
            "questions[0].choices[1].vi: empty",
            id="choices are texts",
        ),
        pytest.param(
            lambda data: data.update(phase="dreaming"), f"phase: not one of {PHASES_LISTED}", id="known phases"
        ),
        pytest.param(
            with_question(required="false"), "questions[0].required: not true or false", id="required is boolean"
        ),
        pytest.param(lambda data: data.update(titel=TEXT), "titel: unknown key", id="known template keys"),
        pytest.param(with_question(hint=TEXT), "questions[0].hint: unknown key", id="known question keys"),
        pytest.param(lambda data: data.pop("closing"), "closing: missing", id="every template key"),
        pytest.param(
            lambda data: data["questions"][0].pop("required"), "questions[0].required: missing", id="every question key"
        ),
        pytest.param(
            lambda data: data["questions"].__setitem__(0, "Do we trust each other?"),
            "questions[0]: not an object",
            id="questions are objects",
        ),
        pytest.param(lambda data: data.update(questions=[]), "questions: no questions", id="some questions"),
        pytest.param(lambda data: data.update(note=3), "note: not a string", id="notes are strings"),
    ],
)
def test_a_broken_template_is_refused(folder, damage, error):
    """A file that breaks a rule stops the load, naming the file and the place inside it."""
    assert refusal(folder, damage) == f"health_check.json: {error}"


@pytest.mark.parametrize(
    ("damage", "error"),
    [
        pytest.param(lambda data: data.pop("anonymity"), "anonymity: missing", id="the promise of anonymity"),
        pytest.param(lambda data: data["privacy_help"].pop("ar"), "privacy_help.ar: missing", id="every language"),
    ],
)
def test_broken_shared_texts_are_refused(folder, damage, error):
    """The shared texts obey the same rules, and are named by their own file."""
    assert refusal(folder, damage, name="_shared.json") == f"_shared.json: {error}"


@pytest.mark.parametrize(
    ("name", "content", "error"),
    [
        pytest.param("health_check.json", b'{"phase": ', "Expecting value: line 1 column 11 (char 10)", id="not JSON"),
        pytest.param("health_check.json", b'["stewarding"]', "the file: not an object", id="not an object"),
        pytest.param("_shared.json", b'["anonymity"]', "the file: not an object", id="shared texts not an object"),
        pytest.param(
            "health_check.json",
            '{"phase": "é"}'.encode("latin-1"),
            "'utf-8' codec can't decode byte 0xe9 in position 11: invalid continuation byte",
            id="not UTF-8",
        ),
    ],
)
def test_a_damaged_file_is_refused(folder, name, content, error):
    """A file that cannot be read as a JSON object is named, with what is wrong."""
    (folder / name).write_bytes(content)
    with pytest.raises(TemplateError) as caught:
        survey_templates.load(folder)
    assert str(caught.value) == f"{name}: {error}"
