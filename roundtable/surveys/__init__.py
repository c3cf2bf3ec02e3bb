"""Anonymous feedback surveys: building them, sharing them, and taking responses.

A response keeps only its answers, the day it arrived, and — as the survey's
author chose and told participants — the partner or the partner type it
speaks for. Nothing about the person or the request is ever passed in here.

One idea a module: ``model`` (what a survey is, and finding one),
``building`` (the builder's changes), ``invitations``, ``responding``
(checking and storing answers), ``receipts``, and ``responses`` (reading them
back for results). Their public names are all importable from here.
"""

from .building import (
    add_question,
    create_from_template,
    create_survey,
    delete_question,
    duplicate_question,
    duplicate_survey,
    merged_question,
    merged_texts,
    move_question,
    set_status,
    update_details,
    update_question,
)
from .invitations import check_invitation, create_invitations, invitation_counts
from .model import (
    ATTRIBUTIONS,
    CHOICE_KINDS,
    CHOICE_MAX,
    HELP_MAX,
    INTRO_MAX,
    INVITATIONS,
    KINDS,
    MAX_ANSWER_FIELDS,
    MAX_CHOICES,
    MAX_INVITATIONS,
    MAX_QUESTIONS,
    PHASES,
    QUESTION_MAX,
    SCALES,
    TABLE,
    TEXT_LIMITS,
    TITLE_MAX,
    Question,
    Survey,
    by_join_code,
    by_share_token,
    get_survey,
    list_surveys,
)
from .receipts import check_receipt, move_old_receipts, receipt_digest, receipts_set, receipts_stream
from .responding import (
    add_responses,
    placed_errors,
    sent_responses_set,
    submit_response,
    too_many_answers,
    validate_answers,
)
from .responses import SHUFFLER, Response, answered_questions, heard, response_count, responses_for, stream

__all__ = [
    "ATTRIBUTIONS", "CHOICE_KINDS", "CHOICE_MAX", "HELP_MAX", "INTRO_MAX", "INVITATIONS", "KINDS",
    "MAX_ANSWER_FIELDS", "MAX_CHOICES", "MAX_INVITATIONS", "MAX_QUESTIONS", "PHASES", "QUESTION_MAX", "SCALES",
    "SHUFFLER", "TABLE", "TEXT_LIMITS", "TITLE_MAX", "Question", "Response", "Survey", "add_question",
    "add_responses", "answered_questions", "by_join_code", "by_share_token", "check_invitation", "check_receipt",
    "create_from_template", "create_invitations", "create_survey", "delete_question", "duplicate_question",
    "duplicate_survey", "get_survey", "heard", "invitation_counts", "list_surveys", "merged_question", "merged_texts",
    "move_old_receipts", "move_question", "placed_errors", "receipt_digest", "receipts_set", "receipts_stream",
    "response_count", "responses_for", "sent_responses_set", "set_status", "stream", "submit_response",
    "too_many_answers", "update_details", "update_question", "validate_answers",
]
