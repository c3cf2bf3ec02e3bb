"""Texts written in several languages: a dict from language code to text."""

from .errors import InvalidInput
from .languages import LANGUAGES


def text_in(texts, language, fallback):
    """The text in ``language``, else in ``fallback``, else any; with the language used."""
    for code in (language, fallback, *LANGUAGES):
        if texts.get(code):
            return texts[code], code
    return "", fallback


def clean_texts(texts, field, limit, required_language=None):
    """Texts by language, trimmed and checked: known languages, a length limit, the required one present."""
    cleaned = {}
    for code, text in (texts or {}).items():
        if code not in LANGUAGES:
            raise InvalidInput("language_unknown", field)
        text = (text or "").strip()
        if len(text) > limit:
            raise InvalidInput("too_long", field, max=limit)
        if text:
            cleaned[code] = text
    if required_language and not cleaned.get(required_language):
        raise InvalidInput("required_in_language", field, language=LANGUAGES[required_language])
    return cleaned
