"""Translated names for the domain's fixed vocabularies (partner types, roles)."""

from flask_babel import gettext as _

from roundtable import consensus

from .messages import N_

# A voting method's options: what each is called and what it means, in the order consensus.METHODS gives.
OPTION_WORDS = {
    "gradients": {
        "1": (N_("Whole-hearted endorsement"), N_("I really like it.")),
        "2": (N_("Agreement with a minor point of contention"), N_("Basically, I like it.")),
        "3": (N_("Support with reservations"), N_("I can live with it.")),
        "4": (N_("Abstain"), N_("I have no opinion on this.")),
        "5": (N_("More discussion needed"), N_("I don't understand it well enough yet.")),
        "6": (N_("Don't like it, but will support it"), N_("I won't hold up the group.")),
        "7": (N_("Serious disagreement"), N_("Don't count on me for this.")),
        "8": (N_("Veto"), N_("I block this proposal.")),
    },
    "fist_to_five": {
        "5": (N_("Five: champion"), N_("I will lead the way on this.")),
        "4": (N_("Four: support"), N_("I support it.")),
        "3": (N_("Three: will go along"), N_("I can go along with it.")),
        "2": (N_("Two: more discussion"), N_("I need more discussion first.")),
        "1": (N_("One: serious concerns"), N_("I have serious concerns.")),
        "0": (N_("Fist: block"), N_("I block this proposal.")),
    },
    "consent": {
        "consent": (N_("Consent"), N_("It is good enough for now and safe enough to try.")),
        "concern": (N_("Consent with a concern"), N_("I consent, and I want my concern heard.")),
        "objection": (N_("Objection"), N_("It would harm our partnership: I object.")),
    },
    "stance": {
        "agree": (N_("Agree"), N_("I support this proposal.")),
        "abstain": (N_("Abstain"), N_("I stand aside.")),
        "disagree": (N_("Disagree"), N_("I do not support it, but I will not block it.")),
        "block": (N_("Block"), N_("I block this proposal.")),
    },
}


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
    words = OPTION_WORDS[method]
    return [(key, _(words[key][0]), _(words[key][1])) for key, _class in consensus.METHODS[method]]


def outcome_label(outcome):
    """A round's outcome in the visitor's language."""
    return {
        "adopted": _("Adopted"),
        "not_adopted": _("Not adopted"),
        "no_quorum": _("No outcome: quorum not met"),
        "deferred": _("Deferred"),
    }[outcome]
