"""Every shipped catalog is complete, current and compiled."""

import io
import pathlib
import subprocess
import sys

import pytest
from babel.messages.mofile import read_mo, write_mo
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
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "extract",
            "-F",
            "locales/babel.cfg",
            "-k",
            "_l",
            "-k",
            "N_",
            "--no-location",
            "-o",
            str(target),
            ".",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
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


def messages(catalog):
    """What a catalog says, whatever tool wrote it: ``{(context, id): translation}``.

    Ids and translations of plural messages are tuples; fuzzy entries are left
    out, as ``pybabel compile`` leaves them out, so a fuzzy translation in the
    ``.po`` reads as a missing one.
    """

    def plain(text):
        return tuple(text) if isinstance(text, (list, tuple)) else text

    return {
        (message.context, plain(message.id)): plain(message.string)
        for message in catalog
        if message.id and not message.fuzzy
    }


def compiled(code):
    """The compiled ``.mo`` catalog of one language, parsed."""
    path = LOCALES / code / "LC_MESSAGES" / "messages.mo"
    assert path.exists(), f"{code}: run pybabel compile -d locales"
    with open(path, "rb") as file:
        return read_mo(file)


@pytest.mark.parametrize("code", TRANSLATED)
def test_compiled_catalog_is_current(code):
    source, binary = catalog(code), compiled(code)
    expected, found = messages(source), messages(binary)
    stale = sorted(str(key) for key in expected.keys() ^ found.keys())
    changed = sorted(str(key) for key in expected.keys() & found.keys() if expected[key] != found[key])
    assert not stale and not changed, f"{code}: run pybabel compile -d locales; {(stale + changed)[:5]}"
    assert binary.plural_forms == source.plural_forms, f"{code}: plural rule differs; run pybabel compile"


def test_a_stale_compiled_catalog_is_noticed(tmp_path):
    """The check above fails on a changed, missing or fuzzy translation, whatever wrote the file."""
    source = catalog("es")
    baseline = messages(source)

    def recompiled(change):
        edited = catalog("es")
        change(edited)
        stream = io.BytesIO()
        write_mo(stream, edited)
        stream.seek(0)
        return messages(read_mo(stream))

    assert recompiled(lambda c: None) == baseline
    some = next(m for m in source if m.id and isinstance(m.id, str))

    def change(c):
        c[some.id].string = "otra cosa"

    def drop(c):
        c.delete(some.id, context=some.context)

    def fuzz(c):
        c[some.id].flags.add("fuzzy")

    for edit in (change, drop, fuzz):
        assert recompiled(edit) != baseline, edit.__name__


def test_every_domain_refusal_has_a_message():
    import re

    from views.messages import MESSAGES

    raised = set()
    for path in (ROOT / "roundtable").rglob("*.py"):
        raised |= set(re.findall(r'InvalidInput\(\s*"([a-z_]+)"', path.read_text()))
    assert raised - set(MESSAGES) == set()
