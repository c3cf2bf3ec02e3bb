"""The languages Roundtable ships, and how a visitor's language is chosen."""

# Each language in its own name, as the picker shows it.
LANGUAGES = {
    "en": "English",
    "es": "Español",
    "vi": "Tiếng Việt",
    "zh_Hans": "简体中文",
    "ar": "العربية",
}
RIGHT_TO_LEFT = frozenset({"ar"})

# Traditional-script Chinese is not shipped: such visitors fall through to
# their next preference rather than being shown Simplified Chinese unasked.
_TRADITIONAL_CHINESE = ("hant", "tw", "hk", "mo")


def html_lang(code):
    """The BCP 47 tag for ``<html lang>``: ``zh_Hans`` becomes ``zh-Hans``."""
    return code.replace("_", "-")


def text_direction(code):
    """``rtl`` or ``ltr`` for a language code."""
    return "rtl" if code in RIGHT_TO_LEFT else "ltr"


def supported(code):
    """Whether ``code`` is a shipped language."""
    return code in LANGUAGES


def match_language(tag):
    """The shipped language for one Accept-Language tag (``es-MX`` -> ``es``), or None."""
    parts = tag.strip().lower().replace("_", "-").split("-")
    primary = parts[0]
    if primary == "zh":
        if any(part in _TRADITIONAL_CHINESE for part in parts[1:]):
            return None
        return "zh_Hans"
    return primary if primary in LANGUAGES else None


def negotiate(accepted):
    """First shipped language among ``accepted`` tags, best first; None if none fits."""
    for tag in accepted:
        code = match_language(tag)
        if code:
            return code
    return None
