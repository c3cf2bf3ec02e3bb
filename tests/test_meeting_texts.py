"""A meeting's texts in every language it uses: amendments, languages left for later, translations.

The rule: a reader whose language a text lacks reads the meeting's default
language with a "Not yet translated" note, never an older round's wording.
"""

import datetime

import pytest

from roundtable import meetings, partners
from roundtable.errors import InvalidInput
from roundtable.texts import text_for

DAY = datetime.date(2026, 6, 1)
SECRET = "test-secret"
VISION = {"es": "Adoptar la visión", "ar": "اعتماد الرؤية"}
AMENDED = "Adoptar la visión en junio"


def spanish_meeting(store, **options):
    """A Spanish meeting with one proposal written in Spanish and Arabic, its round 1 closed."""
    partner = partners.add_partner(store, "Acme", "business")
    meeting = meetings.create_meeting(
        store, {"es": "Junta", "ar": "اجتماع"}, DAY, "es", attending=[partner.id], **options
    )
    proposal = meetings.add_proposal(store, meeting["id"], VISION)
    meetings.open_round(store, meeting["id"], proposal["id"])
    meetings.close_round(store, meeting["id"])
    return meeting, proposal


def rounds(store, meeting, proposal):
    doc = meetings.get_meeting(store, meeting["id"])
    return next(p for p in doc["proposals"] if p["id"] == proposal["id"])["rounds"]


def test_text_for_gives_the_language_or_the_default_marked_behind():
    assert text_for(VISION, "ar", "es") == ("اعتماد الرؤية", False)
    assert text_for(VISION, "es", "es") == ("Adoptar la visión", False)
    assert text_for(VISION, "vi", "es") == ("Adoptar la visión", True)
    assert text_for({"es": "Adoptar"}, "ar", "es") == ("Adoptar", True)
    # Stored before titles had languages: a plain text is the default language's.
    assert text_for("Junta", "es", "es") == ("Junta", False)
    assert text_for("Junta", "ar", "es") == ("Junta", True)


def test_an_amendment_leaving_arabic_for_later_never_keeps_the_old_arabic(store):
    meeting, proposal = spanish_meeting(store)
    meetings.open_round(store, meeting["id"], proposal["id"], {"es": AMENDED, "ar": VISION["ar"]}, later={"ar"})
    new = rounds(store, meeting, proposal)[-1]
    assert new["text"] == {"es": AMENDED}
    assert text_for(new["text"], "ar", "es") == (AMENDED, True)
    doc = meetings.get_meeting(store, meeting["id"])
    assert meetings.languages_behind(doc["proposals"][0], doc) == ["ar"]


def test_an_amendment_without_the_arabic_leaves_it_behind(store):
    meeting, proposal = spanish_meeting(store)
    meetings.open_round(store, meeting["id"], proposal["id"], {"es": AMENDED})
    assert rounds(store, meeting, proposal)[-1]["text"] == {"es": AMENDED}
    doc = meetings.get_meeting(store, meeting["id"])
    assert meetings.languages_behind(doc["proposals"][0], doc) == ["ar"]


def test_an_amendment_may_not_keep_the_previous_rounds_translation_word_for_word(store):
    meeting, proposal = spanish_meeting(store)
    with pytest.raises(InvalidInput) as error:
        meetings.open_round(store, meeting["id"], proposal["id"], {"es": AMENDED, "ar": VISION["ar"]})
    assert error.value.code == "translation_stale" and error.value.field == "text_ar"
    assert len(rounds(store, meeting, proposal)) == 1
    # Voting again on the same Spanish keeps every translation.
    meetings.open_round(store, meeting["id"], proposal["id"], dict(VISION))
    assert rounds(store, meeting, proposal)[-1]["text"] == VISION


def test_an_amendment_with_every_language_is_behind_in_none(store):
    meeting, proposal = spanish_meeting(store)
    meetings.open_round(store, meeting["id"], proposal["id"], {"es": AMENDED, "ar": "اعتماد الرؤية في يونيو"})
    doc = meetings.get_meeting(store, meeting["id"])
    assert meetings.languages_behind(doc["proposals"][0], doc) == []


def test_the_languages_a_meeting_uses_come_from_all_its_texts(store):
    meeting = meetings.create_meeting(store, {"es": "Junta"}, DAY, "es", notes={"es": "Orden", "vi": "Thứ tự"})
    assert meetings.meeting_languages(meeting) == ["es", "vi"]
    proposal = meetings.add_proposal(store, meeting["id"], {"es": "Uno", "ar": "واحد"})
    doc = meetings.get_meeting(store, meeting["id"])
    assert meetings.meeting_languages(doc) == ["es", "vi", "ar"]
    assert meetings.languages_behind(proposal, doc) == ["vi"]


def test_translate_round_fills_a_language_behind_in_the_open_round(store):
    meeting, proposal = spanish_meeting(store)
    meetings.open_round(store, meeting["id"], proposal["id"], {"es": AMENDED}, later={"ar"})
    before = meetings.live_state(store, meeting["id"]).stage
    meetings.translate_round(store, meeting["id"], proposal["id"], "ar", "  اعتماد الرؤية في يونيو ")
    assert rounds(store, meeting, proposal)[-1]["text"] == {"es": AMENDED, "ar": "اعتماد الرؤية في يونيو"}
    # Phones follow the stage: a new translation changes it, so they reload and show it.
    assert meetings.live_state(store, meeting["id"]).stage != before
    doc = meetings.get_meeting(store, meeting["id"])
    assert meetings.languages_behind(doc["proposals"][0], doc) == []


def test_translate_round_fills_a_pending_round(store):
    meeting = meetings.create_meeting(store, {"es": "Junta"}, DAY, "es")
    proposal = meetings.add_proposal(store, meeting["id"], {"es": "Uno"})
    meetings.translate_round(store, meeting["id"], proposal["id"], "vi", "Một")
    assert rounds(store, meeting, proposal)[-1]["text"] == {"es": "Uno", "vi": "Một"}


@pytest.mark.parametrize(
    "language, text, code",
    [
        ("es", "Otra cosa", "translation_exists"),  # the default language is amended, not translated
        ("ar", "غير ذلك", "translation_exists"),  # a translation in place is not rewritten mid-round
        ("xx", "Text", "language_unknown"),
        ("vi", "   ", "required"),
        ("vi", "x" * (meetings.PROPOSAL_MAX + 1), "too_long"),
    ],
)
def test_translate_round_refuses(store, language, text, code):
    meeting, proposal = spanish_meeting(store)
    meetings.open_round(store, meeting["id"], proposal["id"])
    before = meetings.get_meeting(store, meeting["id"])
    with pytest.raises(InvalidInput) as error:
        meetings.translate_round(store, meeting["id"], proposal["id"], language, text)
    assert error.value.code == code
    assert meetings.get_meeting(store, meeting["id"]) == before


def test_a_closed_round_is_not_translated(store):
    meeting, proposal = spanish_meeting(store)
    with pytest.raises(InvalidInput) as error:
        meetings.translate_round(store, meeting["id"], proposal["id"], "vi", "Một")
    assert error.value.code == "translation_round_closed"


def test_agenda_notes_are_optional_and_need_the_default_language(store):
    meeting = meetings.create_meeting(store, {"es": "Junta"}, DAY, "es")
    assert meeting["notes"] == {}
    with pytest.raises(InvalidInput) as error:
        meetings.create_meeting(store, {"es": "Junta"}, DAY, "es", notes={"ar": "ملاحظات"})
    assert error.value.code == "required_in_language"
