"""Choice: single, multi or a dot vote, per layer (now and wanted)."""
from .. import Kind, register

KIND = register(Kind(
    name="choice",
    model=f"{__name__}.model:Choice",
    panel=f"{__name__}.panel:ChoicePanel",
    results=f"{__name__}.results:ChoiceResults",
    demo=f"{__name__}.demo",
))
