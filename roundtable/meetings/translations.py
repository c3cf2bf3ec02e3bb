"""A meeting's languages: which its texts are written in, which a text lacks, and filling one in.

A language a round's text lacks is shown to its readers as the default
language's text marked "Not yet translated" (``texts.text_for``), never as
an earlier round's wording.
"""

from ..errors import InvalidInput
from ..languages import LANGUAGES
from ..texts import as_texts, clean_texts
from .agenda import PROPOSAL_MAX, change, proposal_in


def meeting_languages(doc):
    """List the languages a meeting uses: its default, then every other any of its texts is written in."""
    default = doc["default_language"]
    texts = [as_texts(doc["title"], default), as_texts(doc.get("notes"), default)]
    texts += [r["text"] for p in doc["proposals"] for r in p["rounds"]]
    used = {code for t in texts for code, text in t.items() if text}
    return [default] + [code for code in LANGUAGES if code in used and code != default]


def missing_languages(texts, doc):
    """List the meeting's languages a text lacks: their readers get the default language's, "Not yet translated"."""
    texts = as_texts(texts, doc["default_language"])
    return [code for code in meeting_languages(doc) if not texts.get(code)]


def languages_behind(proposal, doc):
    """List the meeting's languages the proposal's latest round has no text in (left for later, or never written)."""
    return missing_languages(proposal["rounds"][-1]["text"], doc)


def amended(previous, amended_text, later, default):
    """Make the next round's texts: those given, less the languages left for later; none kept word for word."""
    later = set(later or ())
    if default in later:
        raise InvalidInput("required_in_language", "text", language=LANGUAGES[default])
    texts = clean_texts(
        {code: text for code, text in (amended_text or {}).items() if code not in later}, "text", PROPOSAL_MAX, default
    )
    if texts[default] != previous.get(default):
        for code, text in texts.items():
            if code != default and text == previous.get(code):
                raise InvalidInput("translation_stale", f"text_{code}", language=LANGUAGES[code])
    return texts


def translate_round(store, meeting_id, proposal_id, language, text):
    """Give the proposal's current (pending or open) round its text in a language it lacks.

    Only a missing language: the default language's text is amended between
    rounds, and a translation in place is not rewritten while people vote on it.
    The round's ``revision`` changes the stage phones follow, so they show it.
    """
    if language not in LANGUAGES:
        raise InvalidInput("language_unknown", "language")
    text = clean_texts({language: text}, "text", PROPOSAL_MAX).get(language)
    if not text:
        raise InvalidInput("required", "text")

    def translate(doc):
        current = proposal_in(doc, proposal_id)["rounds"][-1]
        if current["status"] == "closed":
            raise InvalidInput("translation_round_closed")
        if current["text"].get(language):
            raise InvalidInput("translation_exists", "language", language=LANGUAGES[language])
        current["text"][language] = text
        current["revision"] = current.get("revision", 0) + 1

    return change(store, meeting_id, translate)
