"""Responding: checking a participant's answers and storing them, once, with a receipt.

Nothing about the person or the request is ever passed in here.
"""

import datetime
import logging
import re
import secrets

from .. import codes, partners, retries
from ..errors import InvalidInput
from ..store.api import AlreadyStored, StoreError
from .invitations import check_invitation, invited_type
from .model import CHOICE_KINDS, INVITATIONS, SCALES, TEXT_LIMITS
from .receipts import move_old_receipts, receipt_digest, receipts_set
from .responses import stream

log = logging.getLogger(__name__)


def _answer(question, raw):
    """Validate one question's raw answer (a list of submitted strings); None when unanswered."""
    values = [v.strip() for v in raw if v is not None and v.strip()]
    if not values:
        return None
    if question.kind in SCALES:
        # ASCII digits only, and few: "³" and "--3" pass str.isdigit() checks yet make int() fail.
        number = int(values[0]) if len(values) == 1 and re.fullmatch(r"-?[0-9]{1,4}", values[0]) else None
        if number not in SCALES[question.kind]:
            raise InvalidInput("answer_out_of_range", question.id)
        return number
    if question.kind == "yes_no":
        if values != ["yes"] and values != ["no"]:
            raise InvalidInput("answer_invalid", question.id)
        return values[0]
    if question.kind in CHOICE_KINDS:
        allowed = question.choice_ids()
        if any(v not in allowed for v in values) or len(set(values)) != len(values):
            raise InvalidInput("answer_invalid", question.id)
        if question.kind == "single":
            if len(values) != 1:
                raise InvalidInput("answer_invalid", question.id)
            return values[0]
        return sorted(values, key=allowed.index)
    text = "\n".join(raw).strip()
    if len(text) > TEXT_LIMITS[question.kind]:
        raise InvalidInput("too_long", question.id, max=TEXT_LIMITS[question.kind])
    return text


def too_many_answers(survey, submitted):
    """Whether ``submitted`` ({question id: [strings]}) holds more values than the survey's form can send."""
    room = sum(len(q.choices) if q.kind == "multiple" else 1 for q in survey.questions)
    return sum(len(values) for values in submitted.values()) > room


def validate_answers(survey, submitted):
    """Check answers ``{question id: [strings]}``; return (answers, {question id: InvalidInput})."""
    answers, errors = {}, {}
    known = {question.id for question in survey.questions}
    for question_id in submitted:
        if question_id not in known:
            errors[question_id] = InvalidInput("question_unknown", question_id)
    for question in survey.questions:
        try:
            value = _answer(question, submitted.get(question.id, []))
        except InvalidInput as error:
            errors[question.id] = error
            continue
        if value is None:
            if question.required:
                errors[question.id] = InvalidInput("answer_required", question.id)
        else:
            answers[question.id] = value
    return answers, errors


def placed_errors(errors):
    """Where ``validate_answers``' errors show: ({question id: error} beside their questions, the form's error).

    An error about a field that names no question of the survey has no place
    beside one: the first such is the form's error (None when there is none).
    """
    unknown = [key for key, error in errors.items() if error.code == "question_unknown"]
    return {key: error for key, error in errors.items() if key not in unknown}, (
        errors[unknown[0]] if unknown else None
    )


def _attribution(store, survey, partner_id, partner_type, roster=None):
    if survey.attribution == "anonymous":
        return {}
    if survey.attribution == "partner":
        roster = roster or {p.id: p for p in partners.list_partners(store, active_only=True)}
        if partner_id not in roster:
            raise InvalidInput("partner_required", "partner")
        return {"partner": partner_id, "partner_type": roster[partner_id].type}
    if partner_type not in {t.key for t in partners.partner_types(store)}:
        raise InvalidInput("partner_type_required", "partner_type")
    return {"partner_type": partner_type}


def sent_responses_set(survey_id):
    """The set of digests of the responses' client ids: a retried response counts once (see ``retries``)."""
    return f"sent-responses-{survey_id}"


def submit_response(
    store, survey, answers, partner_id=None, partner_type=None, invitation=None, today=None, *, secret, client_id=None
):
    """Store a validated response; return the receipt code the participant keeps.

    ``answers`` come from ``validate_answers``. The invitation, when the survey
    requires one, is marked used in its own table; the response never holds it.
    ``secret`` (the app's secret key) keys the receipt's digest, which goes
    into the survey's receipts *set*: nothing ties it to the response's line.
    A response sent again with the same ``client_id`` (whatever its answers:
    one form, one response) is stored once; the retry gets
    ``retries.AlreadyReceived`` and no second receipt.
    """
    client_id = retries.checked(client_id)
    once = None
    if client_id is not None:
        once = (sent_responses_set(survey.id), retries.digest(secret, "response", survey.id, client_id))
        if store.has_member(*once):
            raise retries.AlreadyReceived()
    if not survey.is_open:
        raise InvalidInput("survey_closed")
    if not answers:
        raise InvalidInput("answer_none")
    invitation_id = None
    if survey.invitations_only:
        found = check_invitation(store, survey, invitation)
        invitation_id = found["id"]
        if found.get("partner_id") and survey.attribution == "partner":
            partner_id = found["partner_id"]
        elif found.get("partner_id") and survey.attribution == "partner_type":
            partner_type = invited_type(store, found["partner_id"], partner_type)
    record = _record(answers, today, _attribution(store, survey, partner_id, partner_type))
    receipt = codes.random_code(12)
    try:
        move_old_receipts(store, survey.id, secret)
    except StoreError as error:
        log.error("old receipts not moved: %s", error)  # they stay readable where they are
    if invitation_id:
        with store.transaction() as tx:
            if tx.get(INVITATIONS, invitation_id)["used"]:
                if once and store.has_member(*once):
                    raise retries.AlreadyReceived()  # its twin, racing, used the invitation and was stored
                raise InvalidInput("invitation_used", "invitation")
            tx.update(INVITATIONS, invitation_id, {"used": True})
    try:
        # The response, its retry mark and its receipt's digest are one step for the
        # store, durable before the participant is told the code.
        store.append(
            stream(survey.id),
            record,
            once=once,
            members=[(receipts_set(survey.id), receipt_digest(secret, survey.id, receipt))],
        )
    except AlreadyStored:
        # Its twin, racing this one, was stored (and used the invitation, if any): it stays used.
        raise retries.AlreadyReceived() from None
    except Exception:
        if invitation_id:
            store.update(INVITATIONS, invitation_id, {"used": False})
        raise
    return f"{survey.join_code}-{codes.grouped(receipt)}"


def _record(answers, today, attribution):
    """A response as it is stored: its answers, its day, and at most the attribution its survey asks for."""
    return {"answers": answers, "day": (today or datetime.date.today()).isoformat(), **attribution}


def add_responses(store, survey, responses, today=None):
    """Store many validated responses in one go, each with a receipt nobody holds.

    This is how benchmarks and tests fill a store.

    ``responses`` are (answers, partner id, partner type) triples, checked as
    ``submit_response`` checks them. Surveys that require invitations are refused.
    """
    if not survey.is_open:
        raise InvalidInput("survey_closed")
    if survey.invitations_only:
        raise ValueError("add_responses cannot use invitations")
    roster = {p.id: p for p in partners.list_partners(store, active_only=True)}
    attributions, records = {}, []
    for answers, partner_id, partner_type in responses:
        if not answers:
            raise InvalidInput("answer_none")
        if (partner_id, partner_type) not in attributions:
            attributions[partner_id, partner_type] = _attribution(store, survey, partner_id, partner_type, roster)
        records.append(_record(answers, today, attributions[partner_id, partner_type]))
    store.extend(stream(survey.id), records)
    # Nobody holds these receipts' codes: random digests look like keyed ones.
    store.add_members(receipts_set(survey.id), [secrets.token_hex(32) for _ in records])
