"""Moniaikaisuus (multi-temporality): whose clock drives each of the network's decisions, and when its impact shows."""
from .. import Kind, register

KIND = register(Kind(
    name="multi_time",
    model=f"{__name__}.model:MultiTime",
    panel=f"{__name__}.panel:MultiTimePanel",
    results=f"{__name__}.results:MultiTimeResults",
    demo=f"{__name__}.demo",
))
