"""Vuosikello (the network's year clock): the year's meetings, forums and deadlines, entered together."""
from .. import Kind, register

KIND = register(Kind(
    name="year_clock",
    model=f"{__name__}.model:YearClock",
    panel=f"{__name__}.panel:YearClockPanel",
    results=f"{__name__}.results:YearClockResults",
    demo=f"{__name__}.demo",
    files={"ics": (f"{__name__}.export:ics", "ics")},
))
