"""History across rounds (*kierrokset*): one activity of the network drawn round by round.

The continuum is a cycle: a network runs it again and again, and each session is one of its
rounds. A ``history`` entry names a ``source`` activity; its view asks the source's kind for
its ``history`` part (``Kind.history``) and hands it the rounds, each with the templates that
round ran with. Participants answer nothing here.
"""
from .. import Kind, register

KIND = register(Kind(
    name="history",
    model=f"{__name__}.model:History",
    panel=f"{__name__}.panel:HistoryPanel",
    results=f"{__name__}.results:HistoryResults",
    demo=f"{__name__}.demo",
    report_weight=3,  # each round of its source drawn again
))
