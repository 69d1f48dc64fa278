"""What the dealer's home draws from its summary, without a client: the month's headline, the
twelve months' series for the charts (in yuan, with a scale that reads at a glance), and the
stages worth a row (the empty ones are left out, except the active leases)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from common.api.dealers import DealerSummary, Stage

WAN = Decimal(10_000)  # 万元: how Chinese dealers read volumes


@dataclass(frozen=True, slots=True)
class Series:
    labels: tuple[str, ...]  # "1月" … "12月"
    values: tuple[float, ...]  # drawn only: never money arithmetic
    top: float  # the axis maximum: the largest value with headroom, at least 1


def _label(month: str) -> str:
    return f"{int(month[5:])}月"


def _series(months: list[str], values: list[Decimal]) -> Series:
    peak = max(values, default=Decimal(0))
    return Series(
        labels=tuple(_label(m) for m in months),
        values=tuple(float(v) for v in values),
        top=max(1.0, float(peak) * 1.2),
    )


def funded_wan(summary: DealerSummary) -> Series:
    """Funded volume per month in 万元."""
    return _series([m.month for m in summary.months],
                   [Decimal(m.funded_amount) / WAN for m in summary.months])  # fmt: skip


def approval_rate(summary: DealerSummary) -> Series:
    """The approval rate per month in percent (a month with nothing decided draws 0)."""
    series = _series([m.month for m in summary.months],
                     [Decimal(m.approval_rate_percent or "0") for m in summary.months])  # fmt: skip
    return Series(series.labels, series.values, 100.0)


def commission_yuan(summary: DealerSummary) -> Series:
    """Commission earned less clawed back per month, in yuan."""
    return _series([m.month for m in summary.months],
                   [Decimal(m.commission_earned) - Decimal(m.commission_clawed_back)
                    for m in summary.months])  # fmt: skip


def shown_stages(summary: DealerSummary) -> list[Stage]:
    return [s for s in summary.stages if s.count or s.stage == "active"]
