"""Texts written in several languages: a dict from language code to text."""

from .errors import InvalidInput
from .languages import LANGUAGES


def text_in(texts, language, fallback):
    """The text in ``language``, else in ``fallback``, else any; with the language used."""
    texts = as_texts(texts, fallback)
    for code in (language, fallback, *LANGUAGES):
        if texts.get(code):
            return texts[code], code
    return "", fallback


def as_texts(texts, default):
    """Texts by language; a plain text (stored before texts had languages) is the default language's."""
    if isinstance(texts, str):
        return {default: texts} if texts else {}
    return texts or {}


def text_for(texts, language, default):
    """Give the text for a reader of ``language``: ``(text, behind)``.

    Without a text in ``language``, the reader gets the default language's,
    with ``behind`` true (shown as "Not yet translated"); never another
    language's, nor an older wording (a round keeps only its own texts).
    """
    texts = as_texts(texts, default)
    if texts.get(language):
        return texts[language], False
    return texts.get(default, ""), language != default


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
