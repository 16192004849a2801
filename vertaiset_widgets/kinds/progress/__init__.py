"""Yhdessä eteneminen (progress together): how what phase 2 agreed is moving, owner by owner."""
from .. import Kind, register

KIND = register(Kind(
    name="progress",
    model=f"{__name__}.model:Progress",
    panel=f"{__name__}.panel:ProgressPanel",
    results=f"{__name__}.results:ProgressResults",
    tables=f"{__name__}.export:progress_rows",
    demo=f"{__name__}.demo",
))
