"""Corrections to a question that people already answered.

Once a question has answers, its wording — text, help and each choice's
label, in every language — may still be corrected: a typo, a clumsy
translation. Each correction is kept on the question as a revision (the field,
the language, the text before and after, and the day, never a time), so that
results can say the question was reworded and how.

What gives the answers their meaning stays fixed: the kind of question,
whether an answer is required (making it required or optional changes who
answers, and so what a count or a mean stands for), and the choices — their
number, and which label belongs to which choice, since answers are kept by
choice id. A new question is the way to ask something else.
"""

import datetime

from .errors import InvalidInput
from .languages import LANGUAGES


def check_meaning(old, kind, required, choices):
    """Refuse any change to what the answers of question ``old`` (as stored) mean."""
    if kind != old["kind"]:
        raise InvalidInput("answered_kind")
    if bool(required) != bool(old["required"]):
        raise InvalidInput("answered_required")
    given = [c for c in (choices or []) if any(_written(t) for t in c.values())]
    if "choices" in old and len(given) != len(old["choices"]):
        raise InvalidInput("answered_choices")


def reworded(old, new, today=None):
    """Return ``new`` with ``old``'s choice ids and revisions, and one per change.

    ``new`` has passed ``check_meaning``; a label moved to another choice
    (choices reordered, or swapped in one language) is refused here.
    """
    day = (today or datetime.date.today()).isoformat()
    changes = _changes("text", old["text"], new["text"])
    changes += _changes("help", old.get("help", {}), new["help"])
    choices = []
    pairs = zip(old.get("choices", []), new.get("choices", []))
    for position, (was, now) in enumerate(pairs):
        others = [c["text"] for n, c in enumerate(old["choices"]) if n != position]
        if any(_moved(code, label, was["text"], others) for code, label in now["text"].items()):
            raise InvalidInput("answered_order")
        changes += _changes("choice", was["text"], now["text"], choice=was["id"])
        choices.append({"id": was["id"], "text": now["text"]})
    result = dict(new, choices=choices) if "choices" in new else dict(new)
    kept = list(old.get("revisions", []))
    kept += [{"day": day, **change} for change in changes]
    if kept:
        result["revisions"] = kept
    return result


def _written(text):
    return isinstance(text, str) and bool(text.strip())


def _moved(code, label, was, others):
    """Tell whether ``label`` (in ``code``) was another choice's label."""
    return label != was.get(code) and any(other.get(code) == label for other in others)


def _changes(field, old, new, **where):
    return [
        {"field": field, **where, "language": code, "old": old.get(code, ""), "new": new.get(code, "")}
        for code in LANGUAGES
        if old.get(code, "") != new.get(code, "")
    ]


def days(question):
    """List the days on which a question was reworded, oldest first."""
    return sorted({revision["day"] for revision in question.revisions})
