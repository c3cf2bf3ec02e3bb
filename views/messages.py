"""Translated wording for the domain's refusals (``InvalidInput`` codes)."""

from flask_babel import gettext


def N_(message):
    """Mark ``message`` for extraction; it is translated when shown."""
    return message


MESSAGES = {
    "required": N_("This field is required."),
    "too_long": N_("Please use at most %(max)s characters."),
    "username_format": N_(
        "A username has 3 to 40 characters: letters, digits, dots, dashes or underscores, "
        "starting with a letter or digit."
    ),
    "username_taken": N_("That username is already taken."),
    "password_short": N_("A password needs at least %(min)s characters."),
    "password_long": N_("A password can have at most %(max)s characters."),
    "password_wrong": N_("The current password is not correct."),
    "role_unknown": N_("Please choose one of the roles offered."),
    "setup_done": N_("Roundtable is already set up. Please log in."),
    "account_unknown": N_("That account does not exist."),
    "account_self_demote": N_("You cannot disable your own account or remove your own administrator role."),
    "type_taken": N_("That partner type already exists."),
    "type_unknown": N_("Unknown partner type “%(value)s”."),
    "name_taken": N_("A partner named “%(name)s” is already on the roster."),
    "short_name_taken": N_("Another partner already uses the short name “%(name)s”."),
    "partner_unknown": N_("That partner is not on the roster."),
    "active_value": N_("The “active” column must be yes or no, not “%(value)s”."),
    "csv_encoding": N_("The file is not UTF-8 text. Please save it as “CSV UTF-8” and try again."),
    "csv_malformed": N_("The file is not a readable CSV file."),
    "csv_empty": N_("The file is empty."),
    "csv_header": N_("The first row must name the columns, including “name” and “type”."),
    "csv_no_rows": N_("The file has column names but no partners."),
    "csv_too_many": N_("A file can hold at most %(max)s partners."),
    "required_in_language": N_("Please write this in %(language)s, the default language."),
    "language_unknown": N_("Please choose one of the languages offered."),
    "phase_unknown": N_("Please choose one of the partnership phases offered."),
    "attribution_unknown": N_("Please choose what responses may say about who answered."),
    "attribution_fixed": N_("This survey already has responses, so what they say about who answered cannot change."),
    "kind_unknown": N_("Please choose one of the kinds of question offered."),
    "choices_too_few": N_("Please give at least two choices, one per line."),
    "choices_too_many": N_("A question can have at most %(max)s choices."),
    "choices_count": N_(
        "Please give exactly %(count)s choices, one per line, in the same order as in the default language."
    ),
    "questions_too_many": N_("A survey can have at most %(max)s questions."),
    "survey_unknown": N_("That survey does not exist."),
    "question_unknown": N_("This question is not part of the survey."),
    "question_answered": N_(
        "This question already has answers, so it can no longer be changed or deleted. Add a new question instead."
    ),
    "answered_kind": N_(
        "People already answered this question; changing its kind would change what their answers "
        "mean. Add a new question instead."
    ),
    "answered_required": N_(
        "People already answered this question; changing whether an answer is required would "
        "change what its results mean. Add a new question instead."
    ),
    "answered_choices": N_(
        "People already answered this question; changing its choices would change what their "
        "answers mean. Add a new question instead."
    ),
    "answered_order": N_(
        "People already answered this question; changing its choices would change what their "
        "answers mean. Correct each label in its place, without moving it to another choice, or add "
        "a new question instead."
    ),
    "move_impossible": N_("This question cannot move further."),
    "status_unknown": N_("A survey can only be opened or closed."),
    "no_questions": N_("Add at least one question before opening the survey."),
    "invitation_count": N_("Please ask for 1 to %(max)s codes."),
    "invitation_unknown": N_("This invitation code is not valid for this survey. Please check it and try again."),
    "invitation_used": N_("This invitation code has already been used. Each code works once."),
    "invitation_other_type": N_(
        "This invitation was made for a partner of another type. Please choose the partner type it was made for."
    ),
    "answer_required": N_("Please answer this question."),
    "answer_out_of_range": N_("Please choose one of the values offered."),
    "answer_invalid": N_("Please choose among the options offered."),
    "answer_none": N_("Please answer at least one question before sending."),
    "partner_required": N_("Please choose the partner organization you speak for."),
    "partner_type_required": N_("Please choose the type of partner you speak for."),
    "survey_closed": N_("This survey is not accepting responses now. Nothing was saved."),
    "meeting_unknown": N_("That meeting does not exist."),
    "date_invalid": N_("Please give a valid date."),
    "proposal_unknown": N_("That proposal is not on this meeting's agenda."),
    "method_unknown": N_("Please choose one of the voting methods offered."),
    "rule_unknown": N_("Please choose one of the decision rules offered."),
    "threshold_invalid": N_("Please give a share between 0 and 1, such as 3/4 or 0.75."),
    "fallback_after_invalid": N_("Please give a number of rounds from 1 to 20."),
    "quorum_unknown": N_("Please choose one of the quorums offered."),
    "quorum_number_invalid": N_("Please give a number from 0 to 1000."),
    "weighting_unknown": N_("Please choose how votes are weighted."),
    "round_already_open": N_("Another round is open. Close it before opening a new one."),
    "round_closed": N_("Voting on this round has closed. Your vote was not recorded."),
    "round_still_open": N_("Close the open round before recording a decision."),
    "proposal_decided": N_("A decision is already recorded for this proposal."),
    "option_unknown": N_("Please choose one of the options offered."),
    "decision_unknown": N_("Please choose adopted, not adopted or deferred."),
    "seat_taken": N_(
        "The seat of %(partner)s is already taken on another device. If you speak for %(partner)s, "
        "ask the facilitator to release that seat."
    ),
    "seat_unknown": N_("That seat is not taken in this meeting."),
    "seat_proxy_given": N_(
        "%(partner)s gave its proxy to %(holder)s: its vote is cast from the seat of "
        "%(holder)s. If %(partner)s is here after all, ask the facilitator to withdraw the proxy "
        "between rounds."
    ),
    "proxy_self": N_("A partner cannot give its proxy to itself."),
    "proxy_absent_seated": N_("%(partner)s has a seat in the room: only an absent partner gives its proxy."),
    "proxy_exists": N_("%(partner)s has already given its proxy to %(holder)s."),
    "proxy_chain": N_(
        "A proxy cannot be passed on: a partner that gave its proxy cannot hold one, and a partner "
        "that holds one cannot give its own."
    ),
    "proxy_limit": N_("%(holder)s already holds a proxy: a partner in the room holds at most one."),
    "proxy_round_open": N_("Proxies are recorded or withdrawn only between rounds: close the open round first."),
    "proxy_unknown": N_("No proxy of that partner is recorded in this meeting."),
    "proxy_not_held": N_("This seat does not hold that partner's proxy. Nothing was recorded."),
    "translation_stale": N_(
        "The %(language)s text is still the previous round's wording. Please update it, "
        "or leave %(language)s for later."
    ),
    "translation_exists": N_("This round already has its text in %(language)s."),
    "translation_round_closed": N_("This round has closed: its text can no longer change."),
    "client_id_invalid": N_("This form is out of date. Please reload the page and send it again."),
}


def message_for(error):
    """The translated message for an ``InvalidInput``."""
    params = dict(error.params)
    params.setdefault("value", "")
    template = MESSAGES.get(error.code)
    if template is None:
        return gettext("This value is not valid.")
    return gettext(template, **params)
