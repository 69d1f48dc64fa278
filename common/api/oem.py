"""Wire types of the OEM's view 主机厂视图: each dealer of its network's floor plan, aggregated —
no lessee, no VIN-level personal data."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import msgspec

from common.api import limits

Money = Annotated[str, limits.line(40)]  # yuan, e.g. "956500.00"


class AuditResult(msgspec.Struct, kw_only=True):
    opened_on: date
    deadline: date
    status: str  # open | closed
    units: int
    scanned: int
    missing: int  # closed audits: units not seen (sold out of trust)


class NetworkDealer(msgspec.Struct, kw_only=True):
    dealer_id: str
    dealer_name: str
    region_code: str | None
    limit: Money  # 0.00: no floor-plan line
    temporary_increase: Money
    used: Money
    utilisation_percent: str | None  # used ÷ (limit + temporary); None without a line
    units_in_stock: int
    average_stock_age_days: int | None
    units_over_90_days: int
    sold_last_30_days: int  # units paid off (sold) in the last 30 days
    turnover_90_days: str | None  # principal repaid on sale in 90 days ÷ principal in stock
    curtailments_overdue: Money
    sold_out_of_trust: int
    last_audit: AuditResult | None
