"""Roundtable's domain: partners, surveys, consensus, voice; no web framework here."""
