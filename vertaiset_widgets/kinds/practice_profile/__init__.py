"""Vahvat ja heikot toimintatavat (strong and weak practices): each partnership's practice profile."""
from .. import Kind, register

KIND = register(Kind(
    name="practice_profile",
    model=f"{__name__}.model:PracticeProfile",
    panel=f"{__name__}.panel:PracticeProfilePanel",
    results=f"{__name__}.results:PracticeProfileResults",
    demo=f"{__name__}.demo",
))
