"""Numbers and dates in the visitor's language: the one place, through Babel, that writes every count, share and day.

Templates use the filters (``|number``, ``|percent``, ``|decimal``, ``|signed``, ``|date_text``, ``|month_label``,
``|date_input``); views import the functions. Numbers given to ``_()``/``ngettext`` are written the same way, so
``%(num)d`` in a message reads "1.234" in Spanish without changing the message. CSV and JSON keep plain numbers.
"""

import datetime
import fractions
import re

from babel.dates import format_skeleton, get_date_format
from flask_babel import (
    format_date,
    format_decimal,
    format_percent,
    get_locale,
    get_translations,
)
from flask_babel import gettext as _
from jinja2 import pass_context
from markupsafe import Markup

NOTHING = "—"
# A day whose day-of-month cannot be a month: the hint shows the order of day and month unambiguously.
EXAMPLE_DAY = datetime.date(2026, 11, 23)
_INTEGER_PLACEHOLDER = re.compile(r"%\((\w+)\)d")


def number(value):
    """A count or figure in the visitor's digits and grouping (1,234 in English, 1.234 in Spanish)."""
    return NOTHING if value is None else format_decimal(value)


def percent(share):
    """A share (0…1) as a percentage, the visitor's way (67% in English, 67 % in Spanish)."""
    return NOTHING if share is None else format_percent(float(share))


def percent_affixes():
    """Return what the visitor's percentages write around the number, for chart axes: ``("", "%")``, ``("", " %")``.

    Read off Babel's own ``format_percent``, so an axis says 50 % exactly where the tables beside it do.
    """
    written, digits = format_percent(0.5), format_decimal(50)
    prefix, _, suffix = written.partition(digits)
    return prefix, suffix


def decimal(value, places=2):
    """A figure with ``places`` decimals (0.83 in English, 0,83 in Spanish)."""
    return NOTHING if value is None else format_decimal(float(value), format="0." + "0" * places)


def figure(value):
    """A mean or median: one or two decimals, as few as it needs (3.5, 3.25)."""
    return NOTHING if value is None else format_decimal(value, format="#,##0.0#")


def signed(value, places=2):
    """A figure that may be negative, with its sign always written (+0.25, −0.25)."""
    digits = "0." + "0" * places
    return NOTHING if value is None else format_decimal(float(value), format=f"+{digits};-{digits}")


def _day(value):
    return value if isinstance(value, datetime.date) else datetime.date.fromisoformat(value)


def date_text(day):
    """A day (ISO text or date) written out the visitor's way (Nov 23, 2026; 23 nov 2026)."""
    return format_date(_day(day), format="medium")


def month_label(iso_month):
    """``2026-11`` written the visitor's way (``Nov 2026``)."""
    year, month = iso_month.split("-")
    # A skeleton, not a pattern: each language orders year and month its own way (2026年11月).
    return format_skeleton("yMMM", datetime.date(int(year), int(month), 1), locale=get_locale())


def input_pattern():
    """The visitor's short date pattern with a four-digit year (``M/d/y`` in English, ``d/M/y`` in Spanish)."""
    return re.sub("y+", "y", get_date_format("short", locale=get_locale()).pattern)


def date_input(day):
    """A day as the visitor types it in a date field; empty for no day."""
    return format_date(_day(day), format=input_pattern()) if day else ""


def date_hint():
    """What a date field says about how to type a day, with an example in the visitor's order."""
    return _("Format: %(example)s", example=date_input(EXAMPLE_DAY))


def parse_day(text):
    """The day ``text`` names, typed the visitor's way or as ISO ``yyyy-mm-dd``; ValueError otherwise.

    Strict where Babel's ``parse_date`` is lenient: exactly three numbers, a four-digit year, and no
    swapping of a month above 12 into the day.
    """
    text = (text or "").strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text, flags=re.ASCII):
        return datetime.date.fromisoformat(text)
    numbers = re.findall(r"\d+", text)
    if len(numbers) != 3 or re.sub(r"[\d\s/.\-,\u200f\u200e\u061c]", "", text):
        raise ValueError(text)
    pattern = input_pattern().lower()
    order = sorted("ymd", key=pattern.index)
    parts = dict(zip(order, numbers))
    if len(parts["y"]) != 4:
        raise ValueError(text)
    return datetime.date(int(parts["y"]), int(parts["m"]), int(parts["d"]))


def _written(value):
    """``value`` in the visitor's digits when it is a number (not a flag), else as it is."""
    if isinstance(value, (int, float, fractions.Fraction)) and not isinstance(value, bool):
        return number(value)
    return value


def _interpolate(text, variables, autoescape=False):
    text = _INTEGER_PLACEHOLDER.sub(r"%(\1)s", text)
    if autoescape:
        text = Markup(text)
    return text % {key: _written(value) for key, value in variables.items()}


@pass_context
def _template_gettext(context, string, **variables):
    return _interpolate(get_translations().ugettext(string), variables, context.eval_ctx.autoescape)


@pass_context
def _template_ngettext(context, singular, plural, num, **variables):
    variables.setdefault("num", num)
    return _interpolate(get_translations().ungettext(singular, plural, num), variables, context.eval_ctx.autoescape)


def gettext(string, **variables):
    """Flask-Babel's ``gettext``, with the numbers among ``variables`` written the visitor's way."""
    translated = get_translations().ugettext(string)
    return _interpolate(translated, variables) if variables else translated


def ngettext(singular, plural, num, **variables):
    """Flask-Babel's ``ngettext``, with ``num`` and the other numbers written the visitor's way."""
    variables.setdefault("num", num)
    return _interpolate(get_translations().ungettext(singular, plural, num), variables)


FILTERS = {
    "number": number,
    "percent": percent,
    "decimal": decimal,
    "signed": signed,
    "date_text": date_text,
    "month_label": month_label,
    "date_input": date_input,
}


def init_app(app):
    """Register the filters, and make the templates' ``_``/``ngettext`` write their numbers through Babel."""
    app.jinja_env.filters.update(FILTERS)
    app.jinja_env.globals.update(gettext=_template_gettext, ngettext=_template_ngettext, date_hint=date_hint)
