"""Vertaisoppiminen 360:ssä (peer learning with the 360): A tells, B listens how A's practice fits B's context."""
from .. import Kind, register

KIND = register(Kind(
    name="peer_360",
    model=f"{__name__}.model:Peer360",
    panel=f"{__name__}.panel:Peer360Panel",
    results=f"{__name__}.results:Peer360Results",
    demo=f"{__name__}.demo",
    report_weight=2,  # radars side by side
))
