"""Meetings with live consensus rounds: proposals, seats, ballots and recorded decisions.

A participant takes a *seat* for the partner (or partner type) they speak
for; the seat's token lives only on their device, the store keeps a keyed
hash of it. A partner's seat belongs to the first device that takes it until
the facilitator releases it; seats by partner type are one per device, as
many as come. While a round is open, ballots carry the seat's hash so a
participant can change their stance. When the round closes, the last ballot
of each voice is kept — option and voice only, shuffled by the system's
random source — and the hashed ballots are dropped: from then on nothing
links a ballot to a seat, a device or a moment. What the room's screen may
show while a round is open is ``roundtable/screen.py``'s business.
"""

import dataclasses
import datetime
import hmac
import secrets
from fractions import Fraction

from . import codes, consensus, joining, partners, proxies, retries
from .errors import InvalidInput
from .languages import LANGUAGES
from .store.api import AlreadyStored
from .surveys import PHASES
from .texts import as_texts, clean_texts

TABLE, SEATS = "meetings", "seats"
TITLE_MAX, NOTES_MAX, PROPOSAL_MAX, RATIONALE_MAX, COMMENT_MAX = 200, 4000, 4000, 2000, 1000
DECISIONS = ("adopted", "not_adopted", "deferred")


def ballots_stream(meeting_id):
    """The stream of a meeting's live, hashed ballots (emptied as each round closes)."""
    return f"ballots-{meeting_id}"


def seat_hash(secret, meeting_id, token):
    """The keyed hash a seat is stored under; the token itself is never stored."""
    return hmac.new(secret.encode(), f"{meeting_id}:{token}".encode(), "sha256").hexdigest()


def _fraction(value, field):
    try:
        fraction = Fraction(str(value))
    except (ValueError, ZeroDivisionError):
        raise InvalidInput("threshold_invalid", field) from None
    if not 0 < fraction <= 1:
        raise InvalidInput("threshold_invalid", field)
    return str(fraction)


def rule_of(proposal):
    """A proposal's decision rule as ``consensus.Rule``."""
    rule = proposal["rule"]
    return consensus.Rule(rule["kind"], Fraction(rule["threshold"]), rule["fallback_after"],
                          Fraction(rule["fallback_threshold"]))


def quorum_of(proposal):
    """A proposal's quorum as ``consensus.Quorum``."""
    return consensus.Quorum(proposal["quorum"]["kind"], proposal["quorum"]["number"])


def create_meeting(store, title, day, default_language="en", phase=None, attending=(), notes=None):
    """A new meeting; ``attending`` lists the partner ids expected in the room.

    ``title`` and the optional agenda ``notes`` (what the facilitator reads
    out) are texts by language, the default language's required.
    """
    if default_language not in LANGUAGES:
        raise InvalidInput("language_unknown", "default_language")
    if phase is not None and phase not in PHASES:
        raise InvalidInput("phase_unknown", "phase")
    if not isinstance(day, datetime.date):
        raise InvalidInput("date_invalid", "day")
    roster = {p.id for p in partners.list_partners(store)}
    if any(p not in roster for p in attending):
        raise InvalidInput("partner_unknown", "attending")
    notes = as_texts(notes, default_language)
    notes = clean_texts(notes, "notes", NOTES_MAX, default_language if any(notes.values()) else None)
    doc = {"title": clean_texts(as_texts(title, default_language), "title", TITLE_MAX, default_language),
           "notes": notes, "day": day.isoformat(),
           "default_language": default_language, "phase": phase, "attending": sorted(set(attending)),
           "share_token": codes.share_token(), "proposals": [], "current": None}
    with store.transaction() as tx:
        doc["join_code"] = joining.unique_join_code(tx)
        return tx.insert(TABLE, doc)


def get_meeting(store, meeting_id):
    """The meeting document with this id, or None."""
    return store.get(TABLE, meeting_id)


def _change(store, meeting_id, change):
    with store.transaction() as tx:
        doc = tx.get(TABLE, meeting_id)
        if doc is None:
            raise InvalidInput("meeting_unknown")
        result = change(doc)
        tx.update(TABLE, meeting_id, doc)
        return result if result is not None else doc


def add_proposal(store, meeting_id, text, method="stance", rule="consensus", threshold="3/4", fallback_after=3,
                 fallback_threshold="2/3", quorum="all_partners", quorum_number=0, weighting="partner",
                 live_results=False):
    """Add a proposal to the agenda; ``live_results`` shows the spread while a round is open (from k voices)."""
    if method not in consensus.METHODS:
        raise InvalidInput("method_unknown", "method")
    if rule not in consensus.RULES:
        raise InvalidInput("rule_unknown", "rule")
    if quorum not in consensus.QUORUMS:
        raise InvalidInput("quorum_unknown", "quorum")
    if weighting not in consensus.WEIGHTINGS:
        raise InvalidInput("weighting_unknown", "weighting")
    if not isinstance(fallback_after, int) or not 1 <= fallback_after <= 20:
        raise InvalidInput("fallback_after_invalid", "fallback_after")
    if not isinstance(quorum_number, int) or not 0 <= quorum_number <= 1000:
        raise InvalidInput("quorum_number_invalid", "quorum_number")
    proposal = {
        "id": codes.share_token()[:10], "method": method, "weighting": weighting,
        "rule": {"kind": rule, "threshold": _fraction(threshold, "threshold"), "fallback_after": fallback_after,
                 "fallback_threshold": _fraction(fallback_threshold, "fallback_threshold")},
        "quorum": {"kind": quorum, "number": quorum_number}, "live_results": bool(live_results),
        "rounds": [], "decision": None,
    }

    def change(doc):
        proposal["rounds"].append({"number": 1,
                                   "text": clean_texts(text, "text", PROPOSAL_MAX, doc["default_language"]),
                                   "status": "pending", "ballots": [], "comments": [], "tally": None})
        doc["proposals"].append(proposal)
        return proposal

    return _change(store, meeting_id, change)


def shows_live_results(proposal):
    """Whether the facilitator chose to show this proposal's spread while a round is open.

    Proposals stored before the choice existed (with ``hide_distribution``) keep
    the spread hidden while open: the safe default.
    """
    return proposal.get("live_results") is True


def _proposal(doc, proposal_id):
    for proposal in doc["proposals"]:
        if proposal["id"] == proposal_id:
            return proposal
    raise InvalidInput("proposal_unknown")


def open_round(store, meeting_id, proposal_id, amended_text=None, later=()):
    """Open the proposal's next round (amending its text if given); one open round at a time.

    An amended text carries each language the facilitator updated; a language
    in ``later``, or not given, is left out of the new round, so its readers
    get the default language's text marked "Not yet translated" (``texts.text_for``),
    never the previous round's wording. A translation kept word for word while
    the default language's text changed is refused: update it or leave it for later.
    """
    def change(doc):
        if doc["current"]:
            raise InvalidInput("round_already_open")
        proposal = _proposal(doc, proposal_id)
        if proposal["decision"]:
            raise InvalidInput("proposal_decided")
        last = proposal["rounds"][-1]
        if last["status"] == "closed":
            text = _amended(last["text"], amended_text, later, doc["default_language"]) if (
                amended_text or later) else last["text"]
            proposal["rounds"].append({"number": last["number"] + 1, "text": text, "status": "pending",
                                       "ballots": [], "comments": [], "tally": None})
            last = proposal["rounds"][-1]
        last["status"] = "open"
        doc["current"] = {"proposal": proposal_id, "round": last["number"]}

    return _change(store, meeting_id, change)


def _amended(previous, amended_text, later, default):
    """Make the next round's texts: those given, less the languages left for later; none kept word for word."""
    later = set(later or ())
    if default in later:
        raise InvalidInput("required_in_language", "text", language=LANGUAGES[default])
    texts = clean_texts({code: text for code, text in (amended_text or {}).items() if code not in later},
                        "text", PROPOSAL_MAX, default)
    if texts[default] != previous.get(default):
        for code, text in texts.items():
            if code != default and text == previous.get(code):
                raise InvalidInput("translation_stale", f"text_{code}", language=LANGUAGES[code])
    return texts


def meeting_languages(doc):
    """List the languages a meeting uses: its default, then every other any of its texts is written in."""
    default = doc["default_language"]
    texts = [as_texts(doc["title"], default), as_texts(doc.get("notes"), default)]
    texts += [r["text"] for p in doc["proposals"] for r in p["rounds"]]
    used = {code for t in texts for code, text in t.items() if text}
    return [default] + [code for code in LANGUAGES if code in used and code != default]


def missing_languages(texts, doc):
    """List the meeting's languages a text lacks: their readers get the default language's, "Not yet translated"."""
    texts = as_texts(texts, doc["default_language"])
    return [code for code in meeting_languages(doc) if not texts.get(code)]


def languages_behind(proposal, doc):
    """List the meeting's languages the proposal's latest round has no text in (left for later, or never written)."""
    return missing_languages(proposal["rounds"][-1]["text"], doc)


def translate_round(store, meeting_id, proposal_id, language, text):
    """Give the proposal's current (pending or open) round its text in a language it lacks.

    Only a missing language: the default language's text is amended between
    rounds, and a translation in place is not rewritten while people vote on it.
    The round's ``revision`` changes the stage phones follow, so they show it.
    """
    if language not in LANGUAGES:
        raise InvalidInput("language_unknown", "language")
    text = clean_texts({language: text}, "text", PROPOSAL_MAX).get(language)
    if not text:
        raise InvalidInput("required", "text")

    def change(doc):
        current = _proposal(doc, proposal_id)["rounds"][-1]
        if current["status"] == "closed":
            raise InvalidInput("translation_round_closed")
        if current["text"].get(language):
            raise InvalidInput("translation_exists", "language", language=LANGUAGES[language])
        current["text"][language] = text
        current["revision"] = current.get("revision", 0) + 1

    return _change(store, meeting_id, change)


def take_seat(store, meeting_id, secret, partner_id=None, partner_type=None):
    """Give a participant a seat for their partner (or partner type); return the seat token.

    A partner's seat is taken once: another device asking for it is refused
    until the facilitator releases it. Seats by partner type are one per device.
    """
    roster = {p.id: p for p in partners.list_partners(store, active_only=True)}
    if partner_id:
        if partner_id not in roster:
            raise InvalidInput("partner_required", "partner")
        voice = {"partner": partner_id, "partner_type": roster[partner_id].type}
    elif partner_type in {t.key for t in partners.partner_types(store)}:
        voice = {"partner": None, "partner_type": partner_type}
    else:
        raise InvalidInput("partner_required", "partner")
    token = codes.share_token()
    with store.transaction() as tx:
        doc = tx.get(TABLE, meeting_id)
        if doc is None:
            raise InvalidInput("meeting_unknown")
        if partner_id and tx.find(SEATS, meeting_id=meeting_id, partner=partner_id):
            raise InvalidInput("seat_taken", "partner", partner=roster[partner_id].name)
        holder = proxies.holder_of(doc, partner_id) if partner_id else None
        if holder:
            raise InvalidInput("seat_proxy_given", "partner", partner=roster[partner_id].name,
                               holder=roster[holder].name if holder in roster else "?")
        tx.insert(SEATS, {"meeting_id": meeting_id, "hash": seat_hash(secret, meeting_id, token), **voice})
        current = _current_round(doc)
        if current is not None and current.get("electorate") is not None:
            # One who joins after the first ballot widens the electorate, with the proxies it holds.
            current["electorate"] += 1 + (len(proxies.held_by(doc, partner_id)) if partner_id else 0)
            tx.update(TABLE, meeting_id, doc)
    return token


def give_proxy(store, meeting_id, absent, holder):
    """Record that ``absent`` gives its proxy to ``holder`` (rules: ``roundtable/proxies.py``)."""
    roster = {p.id: p for p in partners.list_partners(store, active_only=True)}
    with store.transaction() as tx:
        doc = tx.get(TABLE, meeting_id)
        if doc is None:
            raise InvalidInput("meeting_unknown")
        seated = {s["partner"] for s in tx.find(SEATS, meeting_id=meeting_id) if s["partner"]}
        proxies.check_give(doc, absent, holder, {pid: p.name for pid, p in roster.items()}, seated)
        doc.setdefault("proxies", []).append({"absent": absent, "absent_type": roster[absent].type,
                                              "holder": holder})
        tx.update(TABLE, meeting_id, doc)


def withdraw_proxy(store, meeting_id, absent):
    """Withdraw ``absent``'s proxy (only while no round is open): it may take a seat again."""
    def change(doc):
        proxies.check_withdraw(doc, absent)
        doc["proxies"] = [p for p in doc["proxies"] if p["absent"] != absent]

    return _change(store, meeting_id, change)


def proxies_held_by(doc, holder):
    """List the absent partners whose proxy ``holder`` holds in this meeting."""
    return proxies.held_by(doc, holder)


def release_seat(store, meeting_id, seat_id):
    """Free a seat (a lost phone, a seat taken by mistake): its device is no longer seated.

    The meeting records that a seat of this voice was released; not who held
    it, nor how it voted. A ballot it cast in the open round stands, and the
    partner's next device replaces it by voting (a changed stance).
    """
    with store.transaction() as tx:
        doc = tx.get(TABLE, meeting_id)
        seat = tx.get(SEATS, seat_id)
        if doc is None:
            raise InvalidInput("meeting_unknown")
        if seat is None or seat["meeting_id"] != meeting_id:
            raise InvalidInput("seat_unknown", "seat")
        tx.remove(SEATS, seat_id)
        doc.setdefault("released", []).append({"partner": seat["partner"], "partner_type": seat["partner_type"]})
        tx.update(TABLE, meeting_id, doc)


def _current_round(doc):
    if not doc["current"]:
        return None
    return _proposal(doc, doc["current"]["proposal"])["rounds"][-1]


def seat_for(store, meeting_id, secret, token):
    """The seat a token opens in this meeting, or None (a forged or stale token)."""
    if not token:
        return None
    found = store.find(SEATS, hash=seat_hash(secret, meeting_id, token))
    return found[0] if found and found[0]["meeting_id"] == meeting_id else None


def _open_round(doc):
    if not doc["current"]:
        raise InvalidInput("round_closed")
    proposal = _proposal(doc, doc["current"]["proposal"])
    return proposal, proposal["rounds"][-1]


def sent_ballots_set(meeting_id):
    """The set of digests of the ballots' client ids: a retried ballot counts once (see ``retries``)."""
    return f"sent-ballots-{meeting_id}"


def round_key(proposal_id, round_number):
    """What a ballot form says it was for, so a ballot kept on a phone never lands in a later round."""
    return f"{proposal_id}-{round_number}"


def cast_ballot(store, meeting_id, seat, option, comment="", client_id=None, for_round=None, *, secret=None,
                for_partner=None):
    """Record (or change) a seat's stance in the open round.

    With ``for_partner``: the stance of the absent partner whose proxy the seat's partner holds.
    With a ``client_id`` (and the app's ``secret``), a ballot sent again with
    the same id, stance and concern is stored once: ``retries.AlreadyReceived``
    answers the retry, even after the round closed. A changed stance is a new
    ballot, and a stale retry of an older one never overwrites a newer one.
    ``for_round`` (``round_key``), if given, must be the round still open.
    """
    client_id = retries.checked(client_id)
    once = None
    if client_id is not None:
        once = (sent_ballots_set(meeting_id), retries.digest(secret, "ballot", meeting_id, client_id, seat["hash"],
                                                             str(for_partner or ""), str(option), str(comment or "")))
        if store.has_member(*once):
            raise retries.AlreadyReceived()
    doc = get_meeting(store, meeting_id)
    if doc is None:
        raise InvalidInput("meeting_unknown")
    proposal, current = _open_round(doc)
    voice = {"partner": seat["partner"], "partner_type": seat["partner_type"]}
    if for_partner is not None:
        voice = proxies.check_cast(doc, seat, for_partner)  # proxies change only while no round is open
    if for_round is not None and for_round != round_key(proposal["id"], current["number"]):
        raise InvalidInput("round_closed")
    if option not in consensus.option_classes(proposal["method"]):
        raise InvalidInput("option_unknown", "option")
    comment = (comment or "").strip()
    if len(comment) > COMMENT_MAX:
        raise InvalidInput("too_long", "comment", max=COMMENT_MAX)

    def still_open():
        # Checked under the stream's lock, which closing the round also holds.
        fresh = get_meeting(store, meeting_id)
        if fresh["current"] != doc["current"]:
            raise InvalidInput("round_closed")
        if _current_round(fresh).get("electorate") is None:
            _freeze_electorate(store, meeting_id)

    try:
        store.append(ballots_stream(meeting_id), {
            "proposal": proposal["id"], "round": current["number"], "seat": seat["hash"], "option": option,
            **voice, "comment": comment}, guard=still_open, once=once)
    except AlreadyStored:
        raise retries.AlreadyReceived() from None


def _freeze_electorate(store, meeting_id):
    """At the round's first ballot, the seats taken make its electorate: seats that leave stay counted."""
    with store.transaction() as tx:
        doc = tx.get(TABLE, meeting_id)
        current = _current_round(doc)
        if current is not None and current.get("electorate") is None:
            current["electorate"] = _electorate(doc, tx.find(SEATS, meeting_id=meeting_id))
            tx.update(TABLE, meeting_id, doc)


def _electorate(doc, seats):
    """Seats taken, and the proxies their partners hold: a represented partner is one more voter."""
    return len(seats) + sum(len(proxies.held_by(doc, s["partner"])) for s in seats if s["partner"])


def _latest(records, proposal_id, round_number):
    """The last ballot of each voice: a partner's (whichever device of its one seat cast it), else a seat's."""
    latest = {}
    for record in records:
        if record["proposal"] == proposal_id and record["round"] == round_number:
            latest[record["partner"] or record["seat"]] = record
    return list(latest.values())


def live_ballots(store, meeting_id, proposal_id, round_number):
    """The open round's ballots: the last one of each seat."""
    return _latest(store.records(ballots_stream(meeting_id)), proposal_id, round_number)


def tally_round(proposal, round_, ballots, attending):
    """Apply the proposal's method, rule and quorum to a round's ballots."""
    return consensus.tally(
        [consensus.Ballot(b["option"], b.get("partner"), b.get("partner_type")) for b in ballots],
        proposal["method"], rule_of(proposal), quorum_of(proposal), attending, proposal["weighting"],
        round_["number"])


def attending_types(store, doc):
    """The attending partners with their types, as the quorum needs them."""
    types = {p.id: p.type for p in partners.list_partners(store)}
    attending = {partner_id: types.get(partner_id, "?") for partner_id in doc["attending"]}
    # A partner represented by proxy is present.
    attending.update((p["absent"], p["absent_type"]) for p in proxies.standing(doc))
    return attending


def close_round(store, meeting_id, rng=None):
    """Close the open round: keep each voice's last ballot without its seat, shuffled; record the tally.

    Runs under the ballot stream's lock, so no ballot lands between the count
    and the close; the hashed ballots, in arrival order, are then dropped with
    the stream. The shuffle draws from the system (``secrets``), which nobody
    can seed or replay; ``rng`` is for reproducible demo data only.
    """
    rng = rng or secrets.SystemRandom()

    def close(records):
        def change(doc):
            proposal, current = _open_round(doc)
            ballots = _latest(records, proposal["id"], current["number"])
            kept = [{"option": b["option"], "partner": b["partner"], "partner_type": b["partner_type"]}
                    for b in ballots]
            comments = [b["comment"] for b in ballots if b["comment"]]
            rng.shuffle(kept)
            rng.shuffle(comments)
            result = tally_round(proposal, current, kept, attending_types(store, doc))
            current.update(status="closed", ballots=kept, comments=comments, represented=proxies.represented(doc),
                           tally={
                "outcome": result.outcome, "supportive_share": str(result.supportive_share),
                "blocked": result.blocked, "quorum_met": result.quorum_met, "ballots": result.ballots,
                "voices": result.voices})
            doc["current"] = None
            # The room's screen shows this round's result until the next round opens.
            doc["last_closed"] = {"proposal": proposal["id"], "round": current["number"]}

        return _change(store, meeting_id, change)

    return store.drain(ballots_stream(meeting_id), close)


def record_decision(store, meeting_id, proposal_id, decision, rationale=""):
    """Record the final decision on a proposal, with its rationale."""
    if decision not in DECISIONS:
        raise InvalidInput("decision_unknown", "decision")
    rationale = (rationale or "").strip()
    if len(rationale) > RATIONALE_MAX:
        raise InvalidInput("too_long", "rationale", max=RATIONALE_MAX)

    def change(doc):
        proposal = _proposal(doc, proposal_id)
        if doc["current"] and doc["current"]["proposal"] == proposal_id:
            raise InvalidInput("round_still_open")
        proposal["decision"] = {"status": decision, "rationale": rationale}

    return _change(store, meeting_id, change)


def end_meeting(store, meeting_id):
    """Drop the meeting's seats: nothing links a device to the meeting any more."""
    with store.transaction() as tx:
        for seat in tx.find(SEATS, meeting_id=meeting_id):
            tx.remove(SEATS, seat["id"])


@dataclasses.dataclass(frozen=True)
class LiveState:
    """The open round as it stands (never shown as such: ``roundtable/screen.py`` decides what the room sees)."""

    version: str
    stage: str                  # which round is open (or how many closed): what participants' screens follow
    proposal: dict | None
    round: dict | None
    seats: int                  # seats taken now
    electorate: int             # the round's N: seats at its first ballot, plus later ones (else seats now)
    voted: int
    tally: consensus.Tally | None
    closed: tuple | None = None  # idle: the round closed last, (proposal, round), if any


def live_state(store, meeting_id):
    """The open round as it stands, read from the store (never process memory); ``version`` changes with any ballot."""
    doc = get_meeting(store, meeting_id)
    if doc is None:
        raise InvalidInput("meeting_unknown")
    seat_docs = store.find(SEATS, meeting_id=meeting_id)
    seats = len(seat_docs)
    if not doc["current"]:
        stage = f"idle:{len(doc['proposals'])}:{_closed_rounds(doc)}"
        return LiveState(f"{stage}:{seats}", stage, None, None, seats, seats, 0, None, _last_closed(doc))
    proposal = _proposal(doc, doc["current"]["proposal"])
    current = proposal["rounds"][-1]
    records = store.records(ballots_stream(meeting_id))
    ballots = _latest(records, proposal["id"], current["number"])
    result = tally_round(proposal, current, ballots, attending_types(store, doc))
    stage = f"open:{proposal['id']}:{current['number']}"
    if current.get("revision"):
        stage += f":t{current['revision']}"  # a translation arrived: phones reload to show it
    electorate = current.get("electorate")
    return LiveState(f"{stage}:{len(records)}:{seats}", stage, proposal, current, seats,
                     _electorate(doc, seat_docs) if electorate is None else electorate, len(ballots), result)


def _last_closed(doc):
    """Find the round closed last, as ``(proposal, round)``; None if none (or closed before this was recorded)."""
    last = doc.get("last_closed")
    if not last:
        return None
    for proposal in doc["proposals"]:
        for round_ in proposal["rounds"]:
            if (proposal["id"] == last["proposal"] and round_["number"] == last["round"]
                    and round_["status"] == "closed"):
                return proposal, round_
    return None


def _closed_rounds(doc):
    return sum(1 for p in doc["proposals"] for r in p["rounds"] if r["status"] == "closed")
