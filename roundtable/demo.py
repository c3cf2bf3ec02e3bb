"""A demo partnership, so a newcomer sees Roundtable with data at once."""

import secrets

from . import accounts, partners

DEMO_PARTNERS = [
    ("Cascade Manufacturing Co.", "Cascade Mfg", "business"),
    ("Riverside Health Systems", "Riverside Health", "business"),
    ("Northwest Tech Alliance", "NW Tech", "business"),
    ("Goodwill Community Services", "Goodwill", "cbo"),
    ("Neighborhood Youth Network", "Youth Network", "cbo"),
    ("County Workforce Development Council", "Workforce Council", "government"),
    ("State Department of Employment Security", "Employment Security", "government"),
    ("Harbor Community Foundation", "Harbor Foundation", "foundation"),
    ("Ramirez Family Foundation", "Ramirez Foundation", "foundation"),
    ("Regional Building Trades Council", "Building Trades", "labor"),
    ("Valley Community College", "Valley College", "semi_public"),
    ("Metro Transit Authority", "Metro Transit", "semi_public"),
]

DEMO_ACCOUNTS = [("admin", "admin"), ("facilitator", "facilitator"), ("leader", "leader")]


class NotEmpty(Exception):
    """The data directory already holds a partnership; the demo will not mix into it."""


def seed_demo(store):
    """Fill an empty store with the demo partnership; return {username: password}."""
    if accounts.has_accounts(store) or partners.list_partners(store):
        raise NotEmpty()
    credentials = {}
    for username, role in DEMO_ACCOUNTS:
        password = "-".join(secrets.token_urlsafe(4) for _ in range(3))
        accounts.create_account(store, username, password, role)
        credentials[username] = password
    for name, short_name, type_key in DEMO_PARTNERS:
        partners.add_partner(store, name, type_key, short_name)
    return credentials
