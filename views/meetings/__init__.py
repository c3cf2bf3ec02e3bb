"""Facilitators run meetings: agenda, rounds, the projector screen, decisions and minutes.

One blueprint (``common.bp``, endpoints ``meetings.*``), its routes in a module per part of the work:
``agenda`` (meetings and proposals), ``rounds`` (the facilitator's actions in the room),
``projector`` (the screen), ``minutes`` (the record).
"""

from . import agenda, minutes, projector, rounds
from .common import bp

__all__ = ["agenda", "bp", "minutes", "projector", "rounds"]
