"""Kokoussuunnittelija (the meeting planner): the day's time-boxed agenda, its running block and timer."""
from .. import Kind, register

KIND = register(Kind(
    name="meeting_planner",
    model=f"{__name__}.model:MeetingPlanner",
    panel=f"{__name__}.panel:PlannerPanel",
    results=f"{__name__}.results:PlannerResults",
    tools=f"{__name__}.tools:PlannerTools",
    demo=f"{__name__}.demo",
    tables=f"{__name__}.export:plan_rows",
    files={"agenda-ics": (f"{__name__}.export:ics", "ics")},
))
