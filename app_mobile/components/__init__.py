"""Shared widgets: error banner, money and rate figures, status chip, labelled fields."""

from app_mobile.components.widgets import (
    ErrorBanner,
    LabelledText,
    field_with_id,
    figure,
    status_chip,
    tagged,
)

__all__ = ["ErrorBanner", "LabelledText", "field_with_id", "figure", "status_chip", "tagged"]
