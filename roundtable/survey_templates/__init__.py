"""Ready-made surveys a facilitator can start from, in every shipped language.

Each template turns one list from the seed documents into an anonymous
feedback survey:

- ``health_check``: the ten "Challenges of Partnership" (seed 000), each as a
  statement of how well the partnership is doing on it;
- ``ingredients``: the thirteen "Ingredients of Success" (seed 000) as a
  self-assessment;
- ``strategic_planning``: feedback on each part of a joint strategic plan
  (seed 001: vision statement, guiding principles, goals, strategies and
  recommended actions).

A template is plain data, one JSON file beside this module, read once and
checked on import. Every text is a mapping from language code to text, with
one entry for each of :data:`LANGUAGES`; a question's ``help`` is either such
a mapping or ``{}``. The wording says "our partnership" rather than naming one
system, so that any workforce partnership can use it as it stands. Every
question is optional: a participant may skip whatever they prefer not to answer.

Sentences said in several templates are written once, in ``_shared.json``: a
file names one by its key in place of a text (``"help": "privacy_help"``),
and every introduction is followed by the promise of anonymity
(``anonymity``). A ``note`` says why a template or question is there, for
whoever edits the file; it is not loaded. A file that breaks a rule stops the
import with a :class:`TemplateError` naming the file and the place inside it
(``health_check.json: questions[3].text.vi: missing``; lists count from 0).
"""

import json
from importlib import resources

from ..languages import LANGUAGES as _LANGUAGE_NAMES
from ..surveys import CHOICE_KINDS, KINDS, PHASES

LANGUAGES = tuple(_LANGUAGE_NAMES)
SHARED = "_shared.json"
ANONYMITY = "anonymity"
TEXTS = ("title", "description", "intro", "closing")
QUESTION_KEYS = ("kind", "text", "help", "required")


class TemplateError(ValueError):
    """A template file that cannot be used: which file, where inside it, and what is wrong."""


def _fail(where, problem):
    raise TemplateError(f"{where}: {problem}")


def _at(where, key):
    return f"{where}.{key}" if where else key


def _object(where, value, keys, optional=("note",)):
    """Check that ``value`` is an object with every one of ``keys``, and no other but ``optional``."""
    if not isinstance(value, dict):
        _fail(where or "the file", "not an object")
    for key in value:
        if key not in keys and key not in optional:
            _fail(_at(where, key), "unknown key")
    for key in keys:
        if key not in value:
            _fail(_at(where, key), "missing")
    if "note" in value and not isinstance(value["note"], str):
        _fail(_at(where, "note"), "not a string")


def _text(where, value, shared):
    """A text in exactly the shipped languages, none empty; a string names a shared one."""
    if isinstance(value, str):
        if value not in shared:
            _fail(where, f"no shared text {value!r}")
        value = shared[value]
    if not isinstance(value, dict):
        _fail(where, "not a text")
    for code in value:
        if code not in LANGUAGES:
            _fail(f"{where}.{code}", "not a shipped language")
    for code in LANGUAGES:
        if code not in value:
            _fail(f"{where}.{code}", "missing")
        if not isinstance(value[code], str) or not value[code].strip():
            _fail(f"{where}.{code}", "empty")
    return {code: value[code] for code in LANGUAGES}


def _question(where, value, shared):
    """One optional or required question, its help and, for a choice kind, its choices."""
    _object(where, value, QUESTION_KEYS, optional=("note", "choices"))
    if value["kind"] not in KINDS:
        _fail(f"{where}.kind", f"not one of {', '.join(KINDS)}")
    if not isinstance(value["required"], bool):
        _fail(f"{where}.required", "not true or false")
    question = {
        "kind": value["kind"],
        "text": _text(f"{where}.text", value["text"], shared),
        "help": _text(f"{where}.help", value["help"], shared) if value["help"] != {} else {},
        "required": value["required"],
    }
    choices = value.get("choices")
    if value["kind"] in CHOICE_KINDS:
        if not isinstance(choices, list) or len(choices) < 2:
            _fail(f"{where}.choices", "fewer than two choices")
        question["choices"] = [_text(f"{where}.choices[{n}]", c, shared) for n, c in enumerate(choices)]
    elif choices is not None:
        _fail(f"{where}.choices", f"only {' and '.join(CHOICE_KINDS)} questions have choices")
    return question


def _template(data, shared):
    """The template that the data of one file describe, checked; ``shared`` holds the shared texts."""
    _object("", data, ("phase", *TEXTS, "questions"))
    if data["phase"] not in PHASES:
        _fail("phase", f"not one of {', '.join(PHASES)}")
    texts = {field: _text(field, data[field], shared) for field in TEXTS}
    # The promise of anonymity ends every introduction; Chinese sentences are not separated by spaces.
    texts["intro"] = {
        code: texts["intro"][code] + ("" if code == "zh_Hans" else " ") + shared[ANONYMITY][code] for code in LANGUAGES
    }
    if not isinstance(data["questions"], list) or not data["questions"]:
        _fail("questions", "no questions")
    questions = [_question(f"questions[{n}]", q, shared) for n, q in enumerate(data["questions"])]
    return {"phase": data["phase"], **texts, "questions": questions}


def _shared_texts(data):
    """The shared texts of ``_shared.json``, checked; one is the promise of anonymity."""
    if not isinstance(data, dict):
        _fail("the file", "not an object")
    if ANONYMITY not in data:
        _fail(ANONYMITY, "missing")
    return {name: _text(name, value, {}) for name, value in data.items()}


def _read(file, check, *args):
    """Read one data file and ``check`` its data; any fault is a TemplateError that names the file."""
    try:
        return check(json.loads(file.read_text(encoding="utf-8")), *args)
    except ValueError as error:  # a TemplateError, or a damaged file: JSONDecodeError, UnicodeDecodeError
        raise TemplateError(f"{file.name}: {error}") from None


def load(folder):
    """Every template in ``folder``, by key (its file's name), in the order of their names."""
    shared = _read(folder / SHARED, _shared_texts)
    files = sorted((f for f in folder.iterdir() if f.name.endswith(".json") and f.name != SHARED), key=lambda f: f.name)
    return {f.name.removesuffix(".json"): _read(f, _template, shared) for f in files}


TEMPLATES = load(resources.files(__name__))


def template_keys():
    """Return the keys of every template, in the order the picker lists them."""
    return list(TEMPLATES)
