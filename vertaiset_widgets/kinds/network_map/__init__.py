"""Network map: actors and strong, weak or missing ties, built together."""
from .. import Kind, register

KIND = register(Kind(
    name="network_map",
    model=f"{__name__}.model:NetworkMap",
    panel=f"{__name__}.panel:NetworkPanel",
    results=f"{__name__}.results:NetworkResults",
    tools=f"{__name__}.tools:MapTools",
    demo=f"{__name__}.demo",
    files={"graphml": (f"{__name__}.export:graphml", "graphml"), "kumu": (f"{__name__}.export:kumu", "kumu.json"),
           # round-aware: every round of the network up to the session
           "gexf": (f"{__name__}.history:gexf", "gexf"), "kumu-rounds": (f"{__name__}.history:kumu_rounds", "rounds.kumu.json")},
    history=f"{__name__}.history:history",
))
