"""Facilitators build, share and open surveys.

One blueprint (``common.bp``, endpoints ``surveys.*``), its routes in a module per part of the work:
``details`` (the list, a new survey, its details and status), ``questions`` (building them),
``sharing`` (link, QR code, invitations).
"""

from . import details, questions, sharing
from .common import bp

__all__ = ["bp", "details", "questions", "sharing"]
