"""Vahvat ja heikot toimintatavat (strong and weak practices): each partnership's practice profile."""
from .. import Kind, register
from .model import PracticeProfile

KIND = register(Kind(
    name="practice_profile",
    model=PracticeProfile,
    panel=f"{__name__}.panel:PracticeProfilePanel",
    results=f"{__name__}.results:PracticeProfileResults",
    demo=f"{__name__}.demo",
))
