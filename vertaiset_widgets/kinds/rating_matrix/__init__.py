"""Rating matrix: items rated on a scale in time layers (the 360; knowing – trust – commitment as a heatmap)."""
from .. import Kind, register
from .model import RatingMatrix

KIND = register(Kind(
    name="rating_matrix",
    model=RatingMatrix,
    console="vertaiset_widgets.workbook:rating_console",
    results="vertaiset_widgets.results:rating_results",
    report="vertaiset_widgets.workbook:report_rating",
))
