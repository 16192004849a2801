"""Kierroksen alku (the round's start): which round of the network this is, what the previous
round set out to do (its promoted steps) and what it left behind (its 360 "now")."""
from .. import Kind, register

KIND = register(Kind(
    name="round_start",
    model=f"{__name__}.model:RoundStart",
    panel=f"{__name__}.panel:RoundStartPanel",
    results=f"{__name__}.results:RoundStartResults",
    demo=f"{__name__}.demo",
))
