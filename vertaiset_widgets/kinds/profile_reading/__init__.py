"""Kiinnostava vai hyvä käytäntö: the room's 360 profile read against the source's two shapes."""
from .. import Kind, register

KIND = register(Kind(
    name="profile_reading",
    model=f"{__name__}.model:ProfileReading",
    panel=f"{__name__}.panel:ProfileReadingPanel",
    results=f"{__name__}.results:ProfileReadingResults",
    demo=f"{__name__}.demo",
    report_weight=2,  # radars side by side
))
