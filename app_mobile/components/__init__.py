"""Shared widgets: error banner, money and rate figures, status chip, labelled fields."""

from app_mobile.components.decision import decision_lines, decision_panel
from app_mobile.components.widgets import (
    ErrorBanner,
    LabelledText,
    field_with_id,
    figure,
    figure_tile,
    status_chip,
    tagged,
)

__all__ = [
    "ErrorBanner",
    "LabelledText",
    "decision_lines",
    "decision_panel",
    "field_with_id",
    "figure",
    "figure_tile",
    "status_chip",
    "tagged",
]
