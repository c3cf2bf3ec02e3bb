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
