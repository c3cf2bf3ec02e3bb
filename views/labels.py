"""Translated names for the domain's fixed vocabularies (partner types, roles)."""

from flask_babel import gettext as _


def builtin_type_labels():
    """The six built-in partner types, in the visitor's language."""
    return {
        "business": _("Business"),
        "cbo": _("Community-based organization (not-for-profit)"),
        "government": _("Government (local, regional, state, federal)"),
        "foundation": _("Foundation (community and private family)"),
        "labor": _("Labor"),
        "semi_public": _("Semi-public organization (universities, colleges, health authorities, transportation)"),
    }


def type_label(partner_type):
    """A partner type's label: translated if built in, as typed if custom."""
    if partner_type.builtin:
        return builtin_type_labels()[partner_type.key]
    return partner_type.label


def role_label(role):
    """A staff role's name in the visitor's language."""
    return {"admin": _("Administrator"), "facilitator": _("Facilitator"), "leader": _("Leader")}[role]


def option_labels(method):
    """A voting method's options, each with its name and meaning, in the visitor's language."""
    return {
        "gradients": [
            ("1", _("Whole-hearted endorsement"), _("I really like it.")),
            ("2", _("Agreement with a minor point of contention"), _("Basically, I like it.")),
            ("3", _("Support with reservations"), _("I can live with it.")),
            ("4", _("Abstain"), _("I have no opinion on this.")),
            ("5", _("More discussion needed"), _("I don't understand it well enough yet.")),
            ("6", _("Don't like it, but will support it"), _("I won't hold up the group.")),
            ("7", _("Serious disagreement"), _("Don't count on me for this.")),
            ("8", _("Veto"), _("I block this proposal.")),
        ],
        "fist_to_five": [
            ("5", _("Five: champion"), _("I will lead the way on this.")),
            ("4", _("Four: support"), _("I support it.")),
            ("3", _("Three: will go along"), _("I can go along with it.")),
            ("2", _("Two: more discussion"), _("I need more discussion first.")),
            ("1", _("One: serious concerns"), _("I have serious concerns.")),
            ("0", _("Fist: block"), _("I block this proposal.")),
        ],
        "consent": [
            ("consent", _("Consent"), _("It is good enough for now and safe enough to try.")),
            ("concern", _("Consent with a concern"), _("I consent, and I want my concern heard.")),
            ("objection", _("Objection"), _("It would harm our partnership: I object.")),
        ],
        "stance": [
            ("agree", _("Agree"), _("I support this proposal.")),
            ("abstain", _("Abstain"), _("I stand aside.")),
            ("disagree", _("Disagree"), _("I do not support it, but I will not block it.")),
            ("block", _("Block"), _("I block this proposal.")),
        ],
    }[method]


def outcome_label(outcome):
    """A round's outcome in the visitor's language."""
    return {
        "adopted": _("Adopted"),
        "not_adopted": _("Not adopted"),
        "no_quorum": _("No outcome: quorum not met"),
        "deferred": _("Deferred"),
    }[outcome]
