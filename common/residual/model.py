"""The residual-value model 残值模型 as shipped: three forests (the 10 %, 50 % and 90 % quantiles
of log(price / new price)) and the conformal margin that makes the 10 %-90 % interval cover
80 % of sales, read from the artefact's data (the shell loads the file once per process).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from common.residual.forest import Floats, Forest, Layout
from common.residual.vehicle import FEATURE_NAMES, UsedVehicle, encode

FORMAT = "autolease-residual/1"


@dataclass(frozen=True, slots=True)
class Estimate:
    """A vehicle's predicted price in yuan (unrounded): the median and the calibrated interval."""

    value: float
    low: float
    high: float


@dataclass(frozen=True)
class ResidualModel:
    version: str
    coverage: float  # what the interval is calibrated to cover
    margin: float  # the conformal margin, on the log scale
    layout: Layout
    low: Forest
    median: Forest
    high: Forest
    metrics: Mapping[str, Any]
    # the three forests' trees in one (Forest.stack): one walk values a vehicle
    trio: Forest = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "trio", Forest.stack((self.low, self.median, self.high)))

    @classmethod
    def of(cls, artefact: Mapping[str, Any]) -> ResidualModel:
        if artefact.get("format") != FORMAT:
            raise ValueError(f"not a residual-value artefact: {artefact.get('format')!r}")
        if tuple(artefact["features"]) != FEATURE_NAMES:
            raise ValueError("the artefact was trained on other features")
        layout = Layout.of(artefact["layout"])
        known = layout.known_masks()
        low, median, high = (Forest.of(f, known) for f in artefact["forests"])
        return cls(
            version=str(artefact["model_version"]),
            coverage=float(artefact["coverage"]),
            margin=float(artefact["margin"]),
            layout=layout,
            low=low,
            median=median,
            high=high,
            metrics=dict(artefact.get("metrics", {})),
        )

    def log_ratios(self, rows: Floats) -> tuple[Floats, Floats, Floats]:
        """log(price / new price) of each feature row: low, median, high (calibrated, ordered)."""
        leaves = self.trio.leaves(self.layout.prepare(rows))
        low_end, mid_end = self.low.roots.size, self.low.roots.size + self.median.roots.size
        raw_low = self.low.baseline + leaves[:, :low_end].sum(axis=1)
        mid = self.median.baseline + leaves[:, low_end:mid_end].sum(axis=1)
        raw_high = self.high.baseline + leaves[:, mid_end:].sum(axis=1)
        low = np.minimum(raw_low - self.margin, mid)
        high = np.maximum(raw_high + self.margin, mid)
        return low, mid, high

    def median_log_ratio(self, rows: Floats) -> Floats:
        return self.median.predict(self.layout.prepare(rows))

    def estimate(self, vehicles: Sequence[UsedVehicle]) -> list[Estimate]:
        if not vehicles:
            return []
        rows = np.array([encode(v) for v in vehicles], dtype=np.float64)
        low, mid, high = self.log_ratios(rows)
        return [
            Estimate(
                v.new_price * math.exp(m), v.new_price * math.exp(lo), v.new_price * math.exp(hi)
            )
            for v, lo, m, hi in zip(vehicles, low, mid, high, strict=True)
        ]
