"""Pirstaloitumisen riskit (the risks of fragmentation): each risk across time and across the 360 ring of actors."""
from .. import Kind, register

KIND = register(Kind(
    name="fragmentation_risks",
    model=f"{__name__}.model:FragmentationRisks",
    panel=f"{__name__}.panel:FragmentationRisksPanel",
    results=f"{__name__}.results:FragmentationRisksResults",
    demo=f"{__name__}.demo",
))
