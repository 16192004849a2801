"""Rating matrix: items rated on a scale in time layers (the 360; knowing – trust – commitment as a heatmap)."""
from .. import Kind, register

KIND = register(Kind(
    name="rating_matrix",
    model=f"{__name__}.model:RatingMatrix",
    panel=f"{__name__}.panel:RatingPanel",
    console=f"{__name__}.console:rating_console",
    results=f"{__name__}.results:rating_results",
    report=f"{__name__}.console:report_rating",
    demo=f"{__name__}.demo",
    history=f"{__name__}.history:history",
    summary=f"{__name__}.results:rating_summary",
    report_weight=3,  # layered radars drawn several times
))
