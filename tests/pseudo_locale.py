"""A pseudo-locale for layout tests, built at test time and never shipped.

Every English message of ``locales/messages.pot`` becomes itself with accented
letters, about 40 % longer and bracketed — ``Save partner`` reads
``⟦Šåvé pårtñér ŵöŕ⟧`` — with its ``%(name)s`` placeholders and plural forms
intact. Compiled into a directory of its own as the ``en`` catalog, it makes
an app (``create_app({"BABEL_TRANSLATION_DIRECTORIES": that directory})``)
show every translatable text the way a long translation would, so a layout
that breaks with longer text shows it, while the shipped catalogs stay as
they are.
"""

import os
import pathlib
import re

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

POT = pathlib.Path(__file__).resolve().parent.parent / "locales" / "messages.pot"
ACCENTS = str.maketrans("aceinosuyzACEINOSUYZ", "åçéîñöšüýžÅÇÉÎÑÖŠÜÝŽ")
# Placeholders and literal percent signs are kept as they are.
KEPT = re.compile(r"(%\(\w+\)[sd]|%%)")
FILLER = "ŵöŕð"
GROWTH = 0.4


def pseudo(text):
    """``text`` accented, bracketed and padded about 40 % longer; placeholders untouched."""
    accented = "".join(part if KEPT.fullmatch(part) else part.translate(ACCENTS) for part in KEPT.split(text))
    visible = len(KEPT.sub("", text))
    padding = max(0, round(visible * GROWTH) - 2)  # the brackets count too
    words = " ".join(FILLER for _ in range(padding // (len(FILLER) + 1)))
    tail = FILLER[: padding % (len(FILLER) + 1)]
    filler = " ".join(part for part in (words, tail) if part)
    return f"⟦{accented}{' ' + filler if filler else ''}⟧"


def pseudo_catalog():
    """The pseudo ``en`` catalog of every message the code uses."""
    with open(POT, "rb") as file:
        template = read_po(file)
    catalog = Catalog(locale="en", domain="messages")
    for message in template:
        if not message.id:
            continue
        if isinstance(message.id, tuple):
            catalog.add(message.id, tuple(pseudo(form) for form in message.id), flags=message.flags)
        else:
            catalog.add(message.id, pseudo(message.id), flags=message.flags)
    return catalog


def write_pseudo_catalog(directory):
    """Compile the pseudo catalog as ``directory``/en/LC_MESSAGES/messages.mo; return ``directory``."""
    target = os.path.join(directory, "en", "LC_MESSAGES")
    os.makedirs(target, exist_ok=True)
    with open(os.path.join(target, "messages.mo"), "wb") as file:
        write_mo(file, pseudo_catalog())
    return str(directory)
