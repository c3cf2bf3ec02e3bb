"""The partner roster in the domain: partners, partner types and CSV import."""

import pytest

from roundtable import partners
from roundtable.partners import ImportRefused

from .conftest import refused


def snapshot(store):
    """Both roster tables, to compare before and after a refused change."""
    return store.all(partners.TABLE), store.all(partners.TYPES_TABLE)


def names(store):
    """The roster's names, sorted."""
    return [p.name for p in partners.list_partners(store)]


# -- partners --------------------------------------------------------------------


def test_add_partner(store):
    partner = partners.add_partner(store, "  Cascade   Manufacturing\tCo. ", "business", " Cascade Mfg ")
    assert partner.name == "Cascade Manufacturing Co."
    assert partner.short_name == "Cascade Mfg"
    assert partner.type == "business"
    assert partner.active is True
    assert partner.display_name == "Cascade Mfg"
    (doc,) = store.all(partners.TABLE)
    assert doc == {
        "id": partner.id,
        "name": "Cascade Manufacturing Co.",
        "short_name": "Cascade Mfg",
        "type": "business",
        "active": True,
    }
    assert partners.get_partner(store, partner.id) == partner


def test_add_partner_without_short_name_and_inactive(store):
    partner = partners.add_partner(store, "Goodwill", "cbo", active=False)
    assert partner.short_name == ""
    assert partner.display_name == "Goodwill"
    assert partner.active is False


def test_control_characters_are_removed(store):
    partner = partners.add_partner(store, "Good\x00will\u200b\r\nServices", "cbo")
    assert partner.name == "Goodwill Services"


def test_list_partners_sorted_and_filtered(store):
    partners.add_partner(store, "zeta", "cbo")
    partners.add_partner(store, "Alpha", "cbo", active=False)
    partners.add_partner(store, "beta", "labor")
    assert names(store) == ["Alpha", "beta", "zeta"]
    assert [p.name for p in partners.list_partners(store, active_only=True)] == ["beta", "zeta"]
    assert partners.get_partner(store, "nope") is None


def test_edit_partner(store):
    partner = partners.add_partner(store, "Goodwill", "cbo", "GW")
    edited = partners.update_partner(store, partner.id, "Goodwill Services", "foundation", "", active=False)
    assert edited == partners.Partner(partner.id, "Goodwill Services", "", "foundation", False)
    assert partners.get_partner(store, partner.id) == edited
    assert len(store.all(partners.TABLE)) == 1


def test_edit_partner_may_keep_its_own_names(store):
    partner = partners.add_partner(store, "Goodwill", "cbo", "GW")
    edited = partners.update_partner(store, partner.id, "GOODWILL", "cbo", "gw")
    assert (edited.name, edited.short_name) == ("GOODWILL", "gw")


def test_edit_unknown_partner(store):
    refused("partner_unknown", partners.update_partner, store, "nope", "Goodwill", "cbo")
    assert store.all(partners.TABLE) == []


def test_deactivate_and_reactivate(store):
    partner = partners.add_partner(store, "Goodwill", "cbo")
    assert partners.set_active(store, partner.id, False).active is False
    assert partners.get_partner(store, partner.id).active is False
    assert partners.list_partners(store, active_only=True) == []
    assert partners.set_active(store, partner.id, True).active is True
    assert partners.get_partner(store, partner.id).active is True
    refused("partner_unknown", partners.set_active, store, "nope", False)


@pytest.mark.parametrize(
    "name", ["Goodwill", "GOODWILL", " goodwill ", "Good  will".replace("  ", ""), "\uff27oodwill"]
)
def test_duplicate_names_refused_case_insensitively(store, name):
    partners.add_partner(store, "Goodwill", "cbo")
    before = snapshot(store)
    error = refused("name_taken", partners.add_partner, store, name, "business")
    assert error.field == "name"
    assert snapshot(store) == before


@pytest.mark.parametrize("short_name", ["GW", "gw", " Gw "])
def test_duplicate_short_names_refused(store, short_name):
    partners.add_partner(store, "Goodwill", "cbo", "GW")
    error = refused("short_name_taken", partners.add_partner, store, "Other", "cbo", short_name)
    assert error.field == "short_name"
    assert names(store) == ["Goodwill"]


def test_empty_short_names_may_repeat(store):
    partners.add_partner(store, "One", "cbo")
    partners.add_partner(store, "Two", "cbo", "")
    assert names(store) == ["One", "Two"]


def test_edit_refuses_another_partners_names(store):
    partners.add_partner(store, "Goodwill", "cbo", "GW")
    other = partners.add_partner(store, "Harbor Foundation", "foundation", "Harbor")
    before = snapshot(store)
    refused("name_taken", partners.update_partner, store, other.id, "goodwill", "foundation", "Harbor")
    refused("short_name_taken", partners.update_partner, store, other.id, "Harbor Foundation", "foundation", "gw")
    assert snapshot(store) == before


@pytest.mark.parametrize(
    "name, short_name, type_key, code, field",
    [
        ("", "", "cbo", "required", "name"),
        (None, "", "cbo", "required", "name"),
        ("   \t ", "", "cbo", "required", "name"),
        ("\x00\x01", "", "cbo", "required", "name"),
        ("x" * 121, "", "cbo", "too_long", "name"),
        ("x" * 10_000, "", "cbo", "too_long", "name"),
        ("Goodwill", "x" * 31, "cbo", "too_long", "short_name"),
        ("Goodwill", "", "nope", "type_unknown", "type"),
        ("Goodwill", "", "", "type_unknown", "type"),
        ("Goodwill", "", None, "type_unknown", "type"),
        ("Goodwill", "", "Business", "type_unknown", "type"),
    ],
)
def test_bad_partners_refused(store, name, short_name, type_key, code, field):
    error = refused(code, partners.add_partner, store, name, type_key, short_name)
    assert error.field == field
    assert store.all(partners.TABLE) == []


def test_length_limits_accepted(store):
    partner = partners.add_partner(store, "x" * 120, "cbo", "y" * 30)
    assert (len(partner.name), len(partner.short_name)) == (120, 30)


# -- partner types ---------------------------------------------------------------


def test_builtin_types(store):
    types = partners.partner_types(store)
    assert [t.key for t in types] == list(partners.BUILTIN_TYPES)
    assert all(t.builtin and t.label is None for t in types)


def test_add_custom_type_and_use_it(store):
    added = partners.add_partner_type(store, "  Faith   community ")
    assert added == partners.PartnerType("custom_faith_community", "Faith community", False)
    assert partners.partner_types(store)[-1] == added
    assert store.all(partners.TYPES_TABLE)[0]["label"] == "Faith community"
    partner = partners.add_partner(store, "St. Mark's", added.key)
    assert partner.type == "custom_faith_community"


def test_custom_types_sorted_by_label_after_builtins(store):
    partners.add_partner_type(store, "Tribal nation")
    partners.add_partner_type(store, "apprenticeship program")
    custom = [t.label for t in partners.partner_types(store) if not t.builtin]
    assert custom == ["apprenticeship program", "Tribal nation"]


@pytest.mark.parametrize("label", ["Faith community", "FAITH COMMUNITY", " faith  community "])
def test_duplicate_type_label_refused(store, label):
    partners.add_partner_type(store, "Faith community")
    before = snapshot(store)
    error = refused("type_taken", partners.add_partner_type, store, label)
    assert error.field == "label"
    assert snapshot(store) == before


@pytest.mark.parametrize(
    "label", ["Business", "labour", "Nonprofit", "semi-public", "cbo", "Government (local, regional, state, federal)"]
)
def test_type_label_clashing_with_builtin_refused(store, label):
    refused("type_taken", partners.add_partner_type, store, label)
    assert store.all(partners.TYPES_TABLE) == []


@pytest.mark.parametrize(
    "label, code",
    [("", "required"), (None, "required"), ("  \x00 ", "required"), ("x" * 81, "too_long"), ("x" * 10_000, "too_long")],
)
def test_bad_type_labels_refused(store, label, code):
    refused(code, partners.add_partner_type, store, label)
    assert store.all(partners.TYPES_TABLE) == []


def test_type_key_generation(store):
    assert partners.add_partner_type(store, "Faith group").key == "custom_faith_group"
    # A different label that makes the same key gets a number.
    assert partners.add_partner_type(store, "Faith-group").key == "custom_faith_group_2"
    assert partners.add_partner_type(store, "Faith / group").key == "custom_faith_group_3"
    # Labels without Latin letters or digits still get a valid, unique key.
    assert partners.add_partner_type(store, "合作社").key == "custom_type"
    assert partners.add_partner_type(store, "نقابة").key == "custom_type_2"
    # Keys are cut to a reasonable length.
    long_key = partners.add_partner_type(store, "a" * 80).key
    assert long_key == "custom_" + "a" * 40
    keys = [t.key for t in partners.partner_types(store)]
    assert len(keys) == len(set(keys))


# -- CSV import ------------------------------------------------------------------


GOOD_CSV = (
    "\ufeffname;type;short_name;active\r\n"
    "Cascade Manufacturing Co.;business;Cascade Mfg;yes\r\n"
    "Goodwill Community Services;Community-based organization (not-for-profit);Goodwill;\r\n"
    "County Workforce Council, Inc.;Government;;YES\r\n"
    "St. Mark's Church;faith community;St. Mark's;no\r\n"
    "\r\n"
    "Building Trades;Labour;;No\r\n"
)


def test_import_good_file(store):
    faith = partners.add_partner_type(store, "Faith community")
    added = partners.import_csv(store, GOOD_CSV.encode("utf-8"))
    assert [p.name for p in added] == [
        "Cascade Manufacturing Co.",
        "Goodwill Community Services",
        "County Workforce Council, Inc.",
        "St. Mark's Church",
        "Building Trades",
    ]
    stored = {p.name: p for p in partners.list_partners(store)}
    assert len(stored) == 5
    assert stored["Cascade Manufacturing Co."].short_name == "Cascade Mfg"
    assert stored["Cascade Manufacturing Co."].type == "business"
    assert stored["Goodwill Community Services"].type == "cbo"
    assert stored["Goodwill Community Services"].active is True
    assert stored["County Workforce Council, Inc."].type == "government"
    assert stored["County Workforce Council, Inc."].short_name == ""
    assert stored["St. Mark's Church"].type == faith.key
    assert stored["St. Mark's Church"].active is False
    assert stored["Building Trades"].type == "labor"
    assert stored["Building Trades"].active is False
    # The BOM did not end up in a header or a name.
    assert not any("\ufeff" in p.name for p in stored.values())


def test_import_accepts_text_and_comma_and_tab_files(store):
    partners.import_csv(store, "name,type\nAlpha,cbo\n")
    partners.import_csv(store, b'"Name","Type"\n"Beta, Inc.","business"\n')
    partners.import_csv(store, b"type\tname\nlabor\tGamma\n")
    assert names(store) == ["Alpha", "Beta, Inc.", "Gamma"]


@pytest.mark.parametrize(
    "text, key",
    [
        ("business", "business"),
        ("Business", "business"),
        ("CBO", "cbo"),
        ("Community-based organization (not-for-profit)", "cbo"),
        ("nonprofit", "cbo"),
        ("Government", "government"),
        ("Government (local, regional, state, federal)", "government"),
        ("Foundation (community and private family)", "foundation"),
        ("Labor", "labor"),
        ("labour", "labor"),
        ("semi_public", "semi_public"),
        ("Semi-public", "semi_public"),
        ("Semi-public organization (universities, colleges, health authorities, transportation)", "semi_public"),
    ],
)
def test_import_type_by_key_or_english_label(store, text, key):
    (partner,) = partners.import_csv(store, f'name;type\nAcme;"{text}"\n'.encode())
    assert partner.type == key


def test_import_type_by_custom_key_or_label(store):
    faith = partners.add_partner_type(store, "Faith community")
    added = partners.import_csv(store, f"name,type\nA,{faith.key}\nB,FAITH COMMUNITY\n".encode())
    assert [p.type for p in added] == [faith.key, faith.key]


@pytest.mark.parametrize(
    "value, active",
    [
        ("yes", True),
        ("Y", True),
        ("true", True),
        ("1", True),
        ("Active", True),
        ("", True),
        ("no", False),
        ("N", False),
        ("FALSE", False),
        ("0", False),
        ("inactive", False),
    ],
)
def test_import_active_values(store, value, active):
    (partner,) = partners.import_csv(store, f"name,type,active\nAcme,cbo,{value}\n".encode())
    assert partner.active is active


def test_import_without_active_column_makes_active_partners(store):
    (partner,) = partners.import_csv(store, b"name,type\nAcme,cbo\n")
    assert partner.active is True


def test_bad_rows_refuse_everything_and_list_every_line(store):
    existing = partners.add_partner(store, "Goodwill", "cbo", "GW")
    before = snapshot(store)
    payload = (
        "name,type,short_name,active\n"
        "Fine One,business,,yes\n"  # 2: fine
        ",cbo,,yes\n"  # 3: no name
        "Bad Type,nope,,yes\n"  # 4: unknown type
        "Fine Two,labor,,no\n"  # 5: fine
        "Bad Active,cbo,,maybe\n"  # 6: bad active value
        "\n"  # 7: blank, skipped
        "goodwill,cbo,,\n"  # 8: already on the roster
        "Short Clash,cbo,gw,\n"  # 9: short name taken
        f"{'x' * 121},cbo,,\n"  # 10: too long
        "Fine Three,cbo,,\n"  # 11: fine
    ).encode()
    with pytest.raises(ImportRefused) as info:
        partners.import_csv(store, payload)
    errors = [(row.line, row.error.code) for row in info.value.errors]
    assert errors == [
        (3, "required"),
        (4, "type_unknown"),
        (6, "active_value"),
        (8, "name_taken"),
        (9, "short_name_taken"),
        (10, "too_long"),
    ]
    assert info.value.errors[1].error.params["value"] == "nope"
    assert snapshot(store) == before
    assert names(store) == [existing.name]


def test_duplicate_names_within_the_file_refused(store):
    payload = b"name,type,short_name\nAlpha,cbo,A\nBeta,cbo,B\nALPHA,labor,\nGamma,cbo,b\n"
    with pytest.raises(ImportRefused) as info:
        partners.import_csv(store, payload)
    assert [(r.line, r.error.code) for r in info.value.errors] == [(4, "name_taken"), (5, "short_name_taken")]
    assert store.all(partners.TABLE) == []


@pytest.mark.parametrize(
    "payload, code",
    [
        ("name,type\nCafé Olé,cbo\n".encode("latin-1"), "csv_encoding"),
        (b"\xff\xfe\x00n\x00a\x00m\x00e", "csv_encoding"),
        (bytes(range(128, 256)), "csv_encoding"),
        (b"", "csv_empty"),
        (b"\xef\xbb\xbf", "csv_empty"),
        (b"\n\n   \n", "csv_empty"),
        (b"organization,kind\nAcme,cbo\n", "csv_header"),
        (b"name,short_name\nAcme,A\n", "csv_header"),
        (b"type\ncbo\n", "csv_header"),
        (b"Acme,cbo\nOther,labor\n", "csv_header"),
        (b"name,type\n", "csv_no_rows"),
        (b"name,type,short_name\n\n,,\n  ,\n", "csv_no_rows"),
        (b"name;type\r\n\r\n;\r\n", "csv_no_rows"),
    ],
)
def test_unreadable_files_refused(store, payload, code):
    refused(code, partners.import_csv, store, payload)
    assert store.all(partners.TABLE) == []


def test_too_many_rows_refused(store):
    rows = "".join(f"Partner {i},cbo\n" for i in range(partners.IMPORT_MAX_ROWS + 1))
    error = refused("csv_too_many", partners.import_csv, store, ("name,type\n" + rows).encode())
    assert error.params["max"] == partners.IMPORT_MAX_ROWS
    assert store.all(partners.TABLE) == []


def test_maximum_rows_accepted(store):
    rows = "".join(f"Partner {i},cbo\n" for i in range(partners.IMPORT_MAX_ROWS))
    assert len(partners.import_csv(store, ("name,type\n" + rows).encode())) == partners.IMPORT_MAX_ROWS


def test_short_rows_are_reported_not_crashed(store):
    with pytest.raises(ImportRefused) as info:
        partners.import_csv(store, b"name,type,short_name,active\nAcme\n")
    assert [(r.line, r.error.code) for r in info.value.errors] == [(2, "type_unknown")]
