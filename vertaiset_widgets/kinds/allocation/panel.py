"""The allocation on the participant's page: the points split among the options, per layer.

The choice's form in its ``allocation`` mode: the sum shows live, a wrong sum is refused
in words that name the layer.
"""
from __future__ import annotations

from ..choice.panel import ChoicePanel

__all__ = ["AllocationPanel"]


class AllocationPanel(ChoicePanel):
    """Points split among the options, per layer; the sum must be the activity's total."""

    def _mode(self) -> str:
        return "allocation"
