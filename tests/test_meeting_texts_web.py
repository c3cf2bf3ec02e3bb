"""A meeting's texts in every language, through the web: amend, leave a language for later, translate.

A phone reading a language the current round lacks shows the meeting's
default language with "Not yet translated", never the previous round's
wording; the facilitator sees which languages are behind and fills them in
without opening a new round, and the phones follow.
"""

import re

from roundtable import meetings

from .meeting_fixtures import said, seated, store_of, text

OLD_AR = "اعتماد الرؤية المشتركة"
NEW_ES = "Adoptar la visión compartida en junio"
NEW_AR = "اعتماد الرؤية المشتركة في يونيو"


def spanish_meeting(facilitator, roster, **fields):
    """A Spanish meeting (title also in Arabic) with a proposal in Spanish and Arabic, its round 1 closed."""
    response = facilitator.post(
        "/meetings/new",
        {
            "title": "Retiro de la junta",
            "title_ar": "خلوة المجلس",
            "day": "2026-06-01",
            "default_language": "es",
            "phase": "",
            "attending": [roster[0].id],
            **fields,
        },
    )
    assert response.status_code == 303, text(response)
    meeting = store_of(facilitator.app).all(meetings.TABLE)[-1]
    proposal = facilitator.proposal(meeting, text="Adoptar la visión compartida", text_ar=OLD_AR)
    facilitator.open(meeting, proposal)
    facilitator.close(meeting)
    return meetings.get_meeting(store_of(facilitator.app), meeting["id"]), proposal


def amend(facilitator, meeting, proposal, **fields):
    """Open the proposal's next round with the amend form's fields (confirmed); the redirect."""
    return facilitator.staff.post_through_confirmation(
        f"/meetings/{meeting['id']}/proposals/{proposal['id']}/open", fields
    )


def textarea(page, name):
    """The text a textarea named ``name`` holds, or None without one."""
    match = re.search(rf'<textarea[^>]*name="{name}"[^>]*>(.*?)</textarea>', page, re.S)
    return match.group(1).strip() if match else None


def current_round(app, meeting):
    return meetings.get_meeting(store_of(app), meeting["id"])["proposals"][0]["rounds"][-1]


def test_the_amend_form_holds_every_language(app, facilitator, roster):
    meeting, _proposal = spanish_meeting(facilitator, roster)
    page = text(facilitator.client.get(f"/meetings/{meeting['id']}"))
    assert textarea(page, "text") == "Adoptar la visión compartida"
    assert textarea(page, "text_ar") == OLD_AR
    for code in ("en", "vi", "zh_Hans"):
        assert textarea(page, f"text_{code}") == ""
    assert re.search(r'<input[^>]*type="checkbox"[^>]*name="later_ar"', page)
    assert "Leave العربية for later" in page


def test_arabic_left_for_later_shows_the_spanish_and_the_note_then_the_translation(app, facilitator, roster):
    meeting, proposal = spanish_meeting(facilitator, roster)
    arabic = seated(app, meeting, roster[0], language="ar")
    amend(facilitator, meeting, proposal, text=NEW_ES, text_ar=OLD_AR, later_ar="1")
    assert current_round(app, meeting)["text"] == {"es": NEW_ES}

    phone = text(arabic.client.get(arabic.path))
    assert NEW_ES in phone and OLD_AR not in phone
    assert said(app, "ar", "Not yet translated") in phone
    agenda = text(facilitator.client.get(f"/meetings/{meeting['id']}"))
    assert "العربية: not yet translated" in agenda
    screen = text(facilitator.client.get(f"/meetings/{meeting['id']}/screen"))
    assert OLD_AR not in screen and NEW_ES in screen and "Not yet translated" in screen

    stage = arabic.stage()
    response = facilitator.post(
        f"/meetings/{meeting['id']}/proposals/{proposal['id']}/translate", {"language": "ar", "text": NEW_AR}
    )
    assert response.status_code == 303
    assert current_round(app, meeting)["text"] == {"es": NEW_ES, "ar": NEW_AR}
    assert arabic.stage() != stage  # the phone's poll sees a change, and reloads
    phone = text(arabic.client.get(arabic.path))
    assert NEW_AR in phone and said(app, "ar", "Not yet translated") not in phone
    assert "not yet translated" not in text(facilitator.client.get(f"/meetings/{meeting['id']}"))
    assert NEW_AR in text(facilitator.client.get(f"/meetings/{meeting['id']}/screen"))


def test_keeping_the_old_arabic_word_for_word_is_refused_in_the_facilitators_language(app, facilitator, roster):
    meeting, proposal = spanish_meeting(facilitator, roster)
    before = current_round(app, meeting)
    response = amend(facilitator, meeting, proposal, text=NEW_ES, text_ar=OLD_AR)
    assert response.status_code == 303
    assert current_round(app, meeting) == before
    page = text(facilitator.client.get(response.headers["Location"]))
    assert "The العربية text is still the previous round's wording" in page


def test_a_translation_is_refused_with_a_message_when_it_is_not_missing(app, facilitator, roster):
    meeting, proposal = spanish_meeting(facilitator, roster)
    facilitator.open(meeting, proposal)
    before = current_round(app, meeting)
    response = facilitator.post(
        f"/meetings/{meeting['id']}/proposals/{proposal['id']}/translate",
        {"language": "ar", "text": NEW_AR},
        follow_redirects=True,
    )
    assert "This round already has its text in العربية." in text(response)
    assert current_round(app, meeting) == before


def test_the_title_and_agenda_notes_in_the_readers_language(app, facilitator, roster):
    meeting, proposal = spanish_meeting(facilitator, roster, notes="Primero la visión", notes_ar="الرؤية أولا")
    stored = meetings.get_meeting(store_of(app), meeting["id"])
    assert stored["title"] == {"es": "Retiro de la junta", "ar": "خلوة المجلس"}
    assert stored["notes"] == {"es": "Primero la visión", "ar": "الرؤية أولا"}
    facilitator.open(meeting, proposal)

    arabic = text(seated(app, meeting, roster[0], language="ar").client.get(f"/m/{meeting['share_token']}"))
    assert "خلوة المجلس" in arabic and "الرؤية أولا" in arabic
    assert "Retiro de la junta" not in arabic and "Primero la visión" not in arabic

    vietnamese = seated(app, meeting, roster[1], language="vi")
    page = text(vietnamese.client.get(vietnamese.path))
    assert "Retiro de la junta" in page and "Primero la visión" in page
    assert said(app, "vi", "Not yet translated") in page

    facilitator.client.set_cookie("lang", "ar")
    screen = text(facilitator.client.get(f"/meetings/{meeting['id']}/screen"))
    assert "خلوة المجلس" in screen and "الرؤية أولا" in screen


def test_a_meeting_stored_with_a_plain_title_still_shows(app, facilitator, roster):
    store = store_of(app)
    meeting = facilitator.meeting(attending=[roster[0].id], title="Board retreat")
    with store.transaction() as tx:
        doc = tx.get(meetings.TABLE, meeting["id"])
        doc["title"] = "Board retreat (old)"
        doc.pop("notes", None)
        tx.update(meetings.TABLE, meeting["id"], doc)
    assert "Board retreat (old)" in text(facilitator.client.get(f"/meetings/{meeting['id']}"))
    assert "Board retreat (old)" in text(facilitator.client.get("/meetings/"))
    assert "Board retreat (old)" in text(facilitator.client.get(f"/meetings/{meeting['id']}/screen"))
    phone = seated(app, meeting, roster[0], language="ar")
    assert "Board retreat (old)" in text(phone.client.get(phone.path))
