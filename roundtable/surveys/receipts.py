"""Receipts: a code a participant keeps to check that their response was counted, and nothing more.

Only keyed digests are kept, in a set: no order, no id, nothing that links a
receipt to its response.
"""

import logging

from .. import codes
from ..store.api import StoreError
from .model import by_join_code

log = logging.getLogger(__name__)


def receipts_set(survey_id):
    """The set of a survey's receipt digests: no order, no id, nothing linking one to a response."""
    return f"receipts-{survey_id}"


def receipts_stream(survey_id):
    """The stream where receipt digests were kept before they became a set; read only to move them."""
    return f"receipts-{survey_id}"


def receipt_digest(secret, survey_id, code):
    """How a receipt code is kept: keyed with the app's secret, so the data alone cannot test a code."""
    return codes.keyed_digest(secret, "receipt", survey_id, code)


def _old_receipt_digest(secret, old_digest):
    """How a receipt digested the old way (plain SHA-256, in a stream) is kept once moved into the set."""
    return codes.keyed_digest(secret, "receipt before sets", old_digest)


def move_old_receipts(store, survey_id, secret):
    """Move receipts digested the old way (a stream, in arrival order) into the survey's set; once.

    Each old digest is kept keyed, so the data folder no longer holds it
    plain, and the stream, whose order matched the responses', is deleted.
    """
    old = receipts_stream(survey_id)
    if not store.records(old):
        return
    store.drain(
        old,
        lambda records: store.add_members(
            receipts_set(survey_id), [_old_receipt_digest(secret, r["digest"]) for r in records]
        ),
    )


def check_receipt(store, typed, *, secret):
    """The survey whose response a receipt code proves was counted, or None; never which response."""
    code = codes.normalize(typed)
    survey = by_join_code(store, code[: codes.JOIN_CODE_LENGTH])
    if survey is None:
        return None
    code = code[codes.JOIN_CODE_LENGTH :]
    old_digest = codes.digest(survey.id, code)
    try:
        move_old_receipts(store, survey.id, secret)
    except StoreError as error:
        log.error("old receipts not moved: %s", error)
        if any(r["digest"] == old_digest for r in store.records(receipts_stream(survey.id))):
            return survey
    found = receipts_set(survey.id)
    if store.has_member(found, receipt_digest(secret, survey.id, code)) or store.has_member(
        found, _old_receipt_digest(secret, old_digest)
    ):
        return survey
    return None
