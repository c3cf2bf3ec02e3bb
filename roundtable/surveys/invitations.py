"""Invitations: single-use codes for surveys only invited people may answer; only digests are kept."""

from .. import codes, partners
from ..errors import InvalidInput
from .model import INVITATIONS, MAX_INVITATIONS, TABLE


def create_invitations(store, survey_id, count, partner_id=None):
    """``count`` single-use codes (shown once; only their digests are kept)."""
    if not 1 <= count <= MAX_INVITATIONS:
        raise InvalidInput("invitation_count", "count", max=MAX_INVITATIONS)
    if partner_id and not partners.get_partner(store, partner_id):
        raise InvalidInput("partner_unknown", "partner")
    made = []
    with store.transaction() as tx:
        if not tx.get(TABLE, survey_id):
            raise InvalidInput("survey_unknown")
        for _ in range(count):
            code = codes.random_code(8)
            tx.insert(
                INVITATIONS,
                {
                    "survey_id": survey_id,
                    "digest": codes.digest(survey_id, code),
                    "partner_id": partner_id,
                    "used": False,
                },
            )
            made.append(codes.grouped(code))
    return made


def invitation_counts(store, survey_id):
    """(used, issued) invitations of a survey."""
    docs = store.find(INVITATIONS, survey_id=survey_id)
    return sum(1 for d in docs if d["used"]), len(docs)


def check_invitation(store, survey, typed):
    """The unused invitation a typed code names (its partner id or None); raises if none."""
    found = store.find(INVITATIONS, digest=codes.digest(survey.id, codes.normalize(typed)))
    if not found:
        raise InvalidInput("invitation_unknown", "invitation")
    if found[0]["used"]:
        raise InvalidInput("invitation_used", "invitation")
    return found[0]


def invited_type(store, partner_id, partner_type):
    """The type an invitation made for a partner answers as, on a survey by type: that partner's, and no other."""
    partner = partners.get_partner(store, partner_id)
    if partner is None:
        return partner_type  # the partner was removed since: the code answers as any type, as one made for nobody
    if partner_type and partner_type != partner.type:
        raise InvalidInput("invitation_other_type", "partner_type")
    return partner.type
