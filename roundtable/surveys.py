"""Anonymous feedback surveys: building them, sharing them, and taking responses.

A response keeps only its answers, the day it arrived, and — as the survey's
author chose and told participants — the partner or the partner type it
speaks for. Nothing about the person or the request is ever passed in here.
"""

import dataclasses
import datetime
import logging
import re
import secrets

from . import codes, joining, partners, retries, revisions
from .errors import InvalidInput
from .languages import LANGUAGES
from .store.api import AlreadyStored, StoreError
from .texts import clean_texts

log = logging.getLogger(__name__)
# Shuffles that hide who answered what draw from the system's generator: module
# ``random`` can be seeded, and its state guessed from other draws.
SHUFFLER = secrets.SystemRandom()

TABLE, INVITATIONS = "surveys", "invitations"
PHASES = ("preparation", "planning", "prospecting", "developing", "stewarding", "renewing")
ATTRIBUTIONS = ("anonymous", "partner_type", "partner")
KINDS = ("agreement", "rating5", "rating10", "yes_no", "single", "multiple", "short_text", "long_text")
SCALES = {"agreement": range(1, 6), "rating5": range(1, 6), "rating10": range(0, 11)}
CHOICE_KINDS = ("single", "multiple")
TEXT_LIMITS = {"short_text": 200, "long_text": 5000}
TITLE_MAX, INTRO_MAX, QUESTION_MAX, HELP_MAX, CHOICE_MAX = 200, 4000, 500, 1000, 200
MAX_QUESTIONS, MAX_CHOICES, MAX_INVITATIONS = 100, 30, 1000
# The most answer values any survey's form sends: every box of every question ticked.
MAX_ANSWER_FIELDS = MAX_QUESTIONS * MAX_CHOICES


@dataclasses.dataclass(frozen=True)
class Question:
    """One question; ``text`` and ``help`` map language codes to text.

    ``revisions`` are the corrections made to its wording after it had answers.
    """

    id: str
    kind: str
    text: dict
    help: dict
    required: bool
    choices: tuple = ()
    revisions: tuple = ()

    def choice_ids(self):
        """The ids of this question's choices."""
        return [choice["id"] for choice in self.choices]


@dataclasses.dataclass(frozen=True)
class Survey:
    """A survey and everything a participant needs to answer it."""

    id: str
    title: dict
    intro: dict
    closing: dict
    default_language: str
    phase: str | None
    attribution: str
    status: str
    share_token: str
    join_code: str
    invitations_only: bool
    created: str
    questions: tuple

    @property
    def is_open(self):
        """Whether responses are accepted."""
        return self.status == "open"

    def question(self, question_id):
        """The question with this id, or None."""
        return next((q for q in self.questions if q.id == question_id), None)

    def languages(self):
        """Languages in which the title is written, default first."""
        rest = [code for code in LANGUAGES if self.title.get(code) and code != self.default_language]
        return [self.default_language] + rest

    def missing_texts(self):
        """For each language used anywhere, the texts not yet written in it."""
        used = {code for texts in self._texts() for code, text in texts.items() if text}
        missing = {}
        for code in sorted(used):
            count = sum(1 for texts in self._texts() if any(texts.values()) and not texts.get(code))
            if count:
                missing[code] = count
        return missing

    def _texts(self):
        yield self.title
        yield self.intro
        yield self.closing
        for question in self.questions:
            yield question.text
            yield question.help
            for choice in question.choices:
                yield choice["text"]


def _survey(doc):
    questions = tuple(
        Question(q["id"], q["kind"], q["text"], q.get("help", {}), q["required"], tuple(q.get("choices", ())),
                 tuple(q.get("revisions", ())))
        for q in doc["questions"]
    )
    return Survey(doc["id"], doc["title"], doc.get("intro", {}), doc.get("closing", {}), doc["default_language"],
                  doc.get("phase"), doc["attribution"], doc["status"], doc["share_token"], doc["join_code"],
                  doc.get("invitations_only", False), doc["created"], questions)


def stream(survey_id):
    """The name of the stream holding a survey's responses."""
    return f"responses-{survey_id}"


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


# -- validation of what the builder sends ------------------------------------

def _details(title, intro, closing, default_language, phase, attribution, invitations_only):
    if default_language not in LANGUAGES:
        raise InvalidInput("language_unknown", "default_language")
    if phase not in PHASES and phase is not None:
        raise InvalidInput("phase_unknown", "phase")
    if attribution not in ATTRIBUTIONS:
        raise InvalidInput("attribution_unknown", "attribution")
    return {
        "title": clean_texts(title, "title", TITLE_MAX, default_language),
        "intro": clean_texts(intro, "intro", INTRO_MAX),
        "closing": clean_texts(closing, "closing", INTRO_MAX),
        "default_language": default_language,
        "phase": phase,
        "attribution": attribution,
        "invitations_only": bool(invitations_only),
    }


def _question(kind, text, help_text, required, choices, default_language, question_id=None):
    if kind not in KINDS:
        raise InvalidInput("kind_unknown", "kind")
    doc = {
        "id": question_id or codes.share_token()[:10],
        "kind": kind,
        "text": clean_texts(text, "text", QUESTION_MAX, default_language),
        "help": clean_texts(help_text, "help", HELP_MAX),
        "required": bool(required),
    }
    if kind in CHOICE_KINDS:
        cleaned = [clean_texts(c, "choices", CHOICE_MAX) for c in (choices or [])]
        cleaned = [c for c in cleaned if c]
        if len(cleaned) < 2:
            raise InvalidInput("choices_too_few", "choices")
        if len(cleaned) > MAX_CHOICES:
            raise InvalidInput("choices_too_many", "choices", max=MAX_CHOICES)
        doc["choices"] = [{"id": f"c{n}", "text": texts} for n, texts in enumerate(cleaned, start=1)]
    return doc


# -- building -----------------------------------------------------------------

def create_survey(store, title, default_language, attribution="anonymous", phase=None, intro=None, closing=None,
                  invitations_only=False, questions=(), today=None):
    """Create a draft survey, optionally with questions (each a dict of ``_question``'s arguments)."""
    doc = _details(title, intro, closing, default_language, phase, attribution, invitations_only)
    doc["questions"] = [
        _question(q["kind"], q["text"], q.get("help"), q.get("required", False), q.get("choices"), default_language)
        for q in questions
    ]
    if len(doc["questions"]) > MAX_QUESTIONS:
        raise InvalidInput("questions_too_many", max=MAX_QUESTIONS)
    doc.update(status="draft", share_token=codes.share_token(),
               created=(today or datetime.date.today()).isoformat())
    with store.transaction() as tx:
        doc["join_code"] = joining.unique_join_code(tx)
        return _survey(tx.insert(TABLE, doc))


def create_from_template(store, template, attribution="anonymous", today=None, key=None):
    """A draft survey from a ready-made template, in every language the template has.

    ``key`` (e.g. "health_check") is kept on the survey, so the dashboard can follow
    a template's scores over time.
    """
    survey = create_survey(store, template["title"], "en", attribution, template.get("phase"),
                           template.get("intro"), template.get("closing"), questions=template["questions"],
                           today=today)
    if key:
        store.update(TABLE, survey.id, {"template": key})
    return survey


def list_surveys(store):
    """Every survey, newest first."""
    return sorted((_survey(d) for d in store.all(TABLE)), key=lambda s: (s.created, s.id), reverse=True)


def get_survey(store, survey_id):
    """The survey with this id, or None."""
    doc = store.get(TABLE, survey_id)
    return _survey(doc) if doc else None


def by_share_token(store, token):
    """The survey a share link opens, or None (shared with other readers: read it, never change it)."""
    if not token or not isinstance(token, str):
        return None
    return store.snapshot().derived("surveys by share token", _by_share_token).get(token)


def _by_share_token(tables):
    # Built once per version of the documents: every participant's post looks a survey up.
    return {doc["share_token"]: _survey(doc) for doc in tables.all(TABLE)}


def by_join_code(store, typed):
    """The survey a typed join code opens, or None."""
    code = codes.normalize(typed)
    found = store.find(TABLE, join_code=code) if code else []
    return _survey(found[0]) if found else None


def response_count(store, survey_id):
    """How many responses a survey holds."""
    return len(store.records(stream(survey_id)))


def _change(store, survey_id, change):
    with store.transaction() as tx:
        doc = tx.get(TABLE, survey_id)
        if doc is None:
            raise InvalidInput("survey_unknown")
        change(doc)
        return _survey(tx.update(TABLE, survey_id, doc))


def update_details(store, survey_id, title, default_language, attribution, phase, intro, closing, invitations_only):
    """Change a survey's texts and settings; attribution is fixed once responses exist."""
    details = _details(title, intro, closing, default_language, phase, attribution, invitations_only)
    answered = response_count(store, survey_id) > 0

    def change(doc):
        if answered and details["attribution"] != doc["attribution"]:
            raise InvalidInput("attribution_fixed", "attribution")
        doc.update(details)

    return _change(store, survey_id, change)


def answered_questions(store, survey_id):
    """The ids of a survey's questions that have at least one answer."""
    return {qid for record in store.records(stream(survey_id)) for qid in record["answers"]}


def add_question(store, survey_id, kind, text, help_text=None, required=False, choices=None):
    """Add a question at the end."""
    def change(doc):
        if len(doc["questions"]) >= MAX_QUESTIONS:
            raise InvalidInput("questions_too_many", max=MAX_QUESTIONS)
        doc["questions"].append(_question(kind, text, help_text, required, choices, doc["default_language"]))

    return _change(store, survey_id, change)


def _index(doc, question_id):
    for index, question in enumerate(doc["questions"]):
        if question["id"] == question_id:
            return index
    raise InvalidInput("question_unknown")


def update_question(store, survey_id, question_id, kind, text, help_text=None, required=False, choices=None,
                    today=None):
    """Edit a question; once answered, only its wording, kept as revisions."""
    answered = question_id in answered_questions(store, survey_id)

    def change(doc):
        index = _index(doc, question_id)
        old = doc["questions"][index]
        if answered:
            revisions.check_meaning(old, kind, required, choices)
        new = _question(kind, text, help_text, required, choices,
                        doc["default_language"], question_id)
        if answered:
            new = revisions.reworded(old, new, today)
        doc["questions"][index] = new

    return _change(store, survey_id, change)


def delete_question(store, survey_id, question_id):
    """Delete a question that has no answers."""
    answered = question_id in answered_questions(store, survey_id)

    def change(doc):
        index = _index(doc, question_id)
        if answered:
            raise InvalidInput("question_answered")
        del doc["questions"][index]

    return _change(store, survey_id, change)


def _unrevised(question):
    """A copy of a question as a new one: it has no answers, so no revisions either."""
    return {key: value for key, value in question.items() if key != "revisions"}


def duplicate_question(store, survey_id, question_id):
    """Insert a copy of a question right after it."""
    def change(doc):
        index = _index(doc, question_id)
        if len(doc["questions"]) >= MAX_QUESTIONS:
            raise InvalidInput("questions_too_many", max=MAX_QUESTIONS)
        copy = _unrevised(dict(doc["questions"][index], id=codes.share_token()[:10]))
        doc["questions"].insert(index + 1, copy)

    return _change(store, survey_id, change)


def move_question(store, survey_id, question_id, offset):
    """Move a question up (-1) or down (+1); answers are keyed by id, so order is free."""
    def change(doc):
        index = _index(doc, question_id)
        target = index + offset
        if offset not in (-1, 1) or not 0 <= target < len(doc["questions"]):
            raise InvalidInput("move_impossible")
        questions = doc["questions"]
        questions[index], questions[target] = questions[target], questions[index]

    return _change(store, survey_id, change)


def set_status(store, survey_id, status):
    """Open or close a survey (a closed survey can be reopened)."""
    if status not in ("open", "closed"):
        raise InvalidInput("status_unknown")

    def change(doc):
        if status == "open" and not doc["questions"]:
            raise InvalidInput("no_questions")
        doc["status"] = status

    return _change(store, survey_id, change)


def duplicate_survey(store, survey_id, today=None):
    """A new draft with the same texts and questions, and no responses."""
    survey = get_survey(store, survey_id)
    if survey is None:
        raise InvalidInput("survey_unknown")
    doc = store.get(TABLE, survey_id)
    with store.transaction() as tx:
        copy = {key: doc[key] for key in ("title", "intro", "closing", "default_language", "phase",
                                          "attribution", "invitations_only", "questions") if key in doc}
        if doc.get("template"):
            copy["template"] = doc["template"]
        copy["questions"] = [_unrevised(q) for q in copy["questions"]]
        copy.update(id=None, status="draft", share_token=codes.share_token(), join_code=joining.unique_join_code(tx),
                    created=(today or datetime.date.today()).isoformat())
        del copy["id"]
        return _survey(tx.insert(TABLE, copy))


# -- invitations ----------------------------------------------------------------

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
            tx.insert(INVITATIONS, {"survey_id": survey_id, "digest": codes.digest(survey_id, code),
                                    "partner_id": partner_id, "used": False})
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


def _invited_type(store, partner_id, partner_type):
    """The type an invitation made for a partner answers as, on a survey by type: that partner's, and no other."""
    partner = partners.get_partner(store, partner_id)
    if partner is None:
        return partner_type  # the partner was removed since: the code answers as any type, as one made for nobody
    if partner_type and partner_type != partner.type:
        raise InvalidInput("invitation_other_type", "partner_type")
    return partner.type


# -- responding ---------------------------------------------------------------

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


def submit_response(store, survey, answers, partner_id=None, partner_type=None, invitation=None, today=None, *,
                    secret, client_id=None):
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
            partner_type = _invited_type(store, found["partner_id"], partner_type)
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
        store.append(stream(survey.id), record, once=once,
                     members=[(receipts_set(survey.id), receipt_digest(secret, survey.id, receipt))])
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


def move_old_receipts(store, survey_id, secret):
    """Move receipts digested the old way (a stream, in arrival order) into the survey's set; once.

    Each old digest is kept keyed, so the data folder no longer holds it
    plain, and the stream, whose order matched the responses', is deleted.
    """
    old = receipts_stream(survey_id)
    if not store.records(old):
        return
    store.drain(old, lambda records: store.add_members(
        receipts_set(survey_id), [_old_receipt_digest(secret, r["digest"]) for r in records]))


def check_receipt(store, typed, *, secret):
    """The survey whose response a receipt code proves was counted, or None; never which response."""
    code = codes.normalize(typed)
    survey = by_join_code(store, code[:codes.JOIN_CODE_LENGTH])
    if survey is None:
        return None
    code = code[codes.JOIN_CODE_LENGTH:]
    old_digest = codes.digest(survey.id, code)
    try:
        move_old_receipts(store, survey.id, secret)
    except StoreError as error:
        log.error("old receipts not moved: %s", error)
        if any(r["digest"] == old_digest for r in store.records(receipts_stream(survey.id))):
            return survey
    found = receipts_set(survey.id)
    if store.has_member(found, receipt_digest(secret, survey.id, code)) or store.has_member(
            found, _old_receipt_digest(secret, old_digest)):
        return survey
    return None


@dataclasses.dataclass(frozen=True)
class Response:
    """One stored response as results see it: no id, no time finer than the day."""

    answers: dict
    partner: str | None
    partner_type: str | None
    day: str


def responses_for(store, survey_id, rng=SHUFFLER):
    """A survey's responses, in random order."""
    responses = [Response(r["answers"], r.get("partner"), r.get("partner_type"), r["day"])
                 for r in store.records(stream(survey_id))]
    rng.shuffle(responses)
    return responses
