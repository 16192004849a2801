"""Käytännön kypsyys (a practice's maturity): the ladder from an interesting to a sustainable good practice."""
from .. import Kind, register

KIND = register(Kind(
    name="maturity_ladder",
    model=f"{__name__}.model:MaturityLadder",
    panel=f"{__name__}.panel:MaturityLadderPanel",
    results=f"{__name__}.results:MaturityLadderResults",
    demo=f"{__name__}.demo",
))
