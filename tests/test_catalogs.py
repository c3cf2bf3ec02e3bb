"""Every shipped catalog is complete, current and compiled."""

import io
import pathlib
import subprocess
import sys

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from roundtable.languages import LANGUAGES

ROOT = pathlib.Path(__file__).resolve().parent.parent
LOCALES = ROOT / "locales"
TRANSLATED = [code for code in LANGUAGES if code != "en"]


def catalog(code):
    """The parsed ``.po`` catalog of one language."""
    with open(LOCALES / code / "LC_MESSAGES" / "messages.po", "rb") as file:
        return read_po(file, locale=code)


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    """The message ids a fresh extract finds in the code today."""
    target = tmp_path_factory.mktemp("extract") / "messages.pot"
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "locales/babel.cfg",
         "-k", "_l", "-k", "N_", "--no-location", "-o", str(target), "."],
        cwd=ROOT, check=True, capture_output=True,
    )
    with open(target, "rb") as file:
        return {message.id for message in read_po(file) if message.id}


@pytest.mark.parametrize("code", TRANSLATED)
def test_catalog_has_every_id_the_code_uses(code, extracted):
    ids = {message.id for message in catalog(code) if message.id}
    missing = sorted(str(i) for i in extracted - ids)
    assert not missing, f"{code}: run pybabel update; missing {missing[:5]}"


@pytest.mark.parametrize("code", TRANSLATED)
def test_catalog_is_fully_translated(code):
    problems = []
    for message in catalog(code):
        if not message.id:
            continue
        if message.fuzzy:
            problems.append(("fuzzy", message.id))
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if not all(strings):
            problems.append(("untranslated", message.id))
    assert not problems, f"{code}: {problems[:5]} ({len(problems)} in all)"


@pytest.mark.parametrize("code", TRANSLATED)
def test_placeholders_survive_translation(code):
    import re

    placeholder = re.compile(r"%\((\w+)\)[sd]")
    for message in catalog(code):
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        expected = set(placeholder.findall(ids[-1]))
        for string in strings:
            # A plural form may leave the number out ("one partner"), never add a name.
            assert set(placeholder.findall(string)) <= expected, (code, message.id, string)
            assert expected - {"num"} <= set(placeholder.findall(string)), (code, message.id, string)


def test_arabic_has_six_plural_forms():
    assert catalog("ar").num_plurals == 6


@pytest.mark.parametrize("code", TRANSLATED)
def test_compiled_catalog_is_current(code):
    compiled = LOCALES / code / "LC_MESSAGES" / "messages.mo"
    assert compiled.exists(), f"{code}: run pybabel compile -d locales"
    fresh = io.BytesIO()
    write_mo(fresh, catalog(code))
    assert compiled.read_bytes() == fresh.getvalue(), f"{code}: run pybabel compile -d locales"


def test_every_domain_refusal_has_a_message():
    import re

    from views.messages import MESSAGES

    raised = set()
    for path in (ROOT / "roundtable").rglob("*.py"):
        raised |= set(re.findall(r'InvalidInput\(\s*"([a-z_]+)"', path.read_text()))
    assert raised - set(MESSAGES) == set()
