"""Wire types of the lessee's self-service hall 自助服务大厅: the headline of each contract."""

from __future__ import annotations

from datetime import date

import msgspec

from common.api.contracts import Money
from common.contracts import ContractStatus


class HallContract(msgspec.Struct, kw_only=True):
    id: str
    number: str
    status: ContractStatus
    status_label: str
    vehicle: str
    vin: str
    monthly_payment: Money
    next_due_date: date | None = None
    next_due: Money = "0.00"  # the next instalment still owing, due today or later
    due_now: Money = "0.00"  # overdue + what falls due today: the 立即还款 amount
    overdue: Money = "0.00"
    days_past_due: int = 0
    bucket: str = "M0"
    outstanding: Money = "0.00"  # everything left on the schedule for the lessee
    instalments_paid: int = 0
    instalments_total: int = 0
    end_date: date | None = None
    revenue_share: bool = False  # 电费分账: the operator reports each month's revenue


class HallView(msgspec.Struct, kw_only=True):
    today: date
    contracts: list[HallContract]
