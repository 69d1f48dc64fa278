"""Tables of revenue sharing 电费分账 (`common.revenue_share`): the operator's monthly revenue
reports on a charging-pile lease, each with the variable rent it charged.

A month has one report per version: the first is version 1, a correction adds the next and marks
the one it replaces (`replaced_at`), so the history stays and the month's report in force is the
one not replaced. The charge itself is the ledger entry (`entry_id`) and the fees it added to an
instalment (`revision`, `number`): the three are written in one transaction.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from backend.db.base import Base, IdMixin, UTCDateTime

PERIOD_LENGTH = 7  # "2026-03"


class RevenueReport(IdMixin, Base):
    """电费收入报送: one month's revenue of a contract's piles, as reported (version)."""

    __tablename__ = "revenue_reports"
    contract_id: Mapped[str] = mapped_column(ForeignKey("contracts.id"))
    period: Mapped[str] = mapped_column(String(PERIOD_LENGTH))
    version: Mapped[int] = mapped_column(Integer)
    revenue_fen: Mapped[int] = mapped_column(BigInteger)
    wh: Mapped[int] = mapped_column(BigInteger)  # energy, watt-hours (kWh × 1000)
    piles: Mapped[list[dict[str, Any]]] = mapped_column(JSON)  # [{serial, revenue_fen, wh}]
    note: Mapped[str | None] = mapped_column(Text)
    floor_fen: Mapped[int] = mapped_column(BigInteger)  # 保底租金 of the month, as scheduled
    share_fen: Mapped[int] = mapped_column(BigInteger)
    variable_fen: Mapped[int] = mapped_column(BigInteger)  # 可变租金 charged (0: none)
    revision: Mapped[int | None] = mapped_column(Integer)  # the instalment carrying the charge
    number: Mapped[int | None] = mapped_column(Integer)
    entry_id: Mapped[str | None] = mapped_column(String(32))
    late: Mapped[bool] = mapped_column(Boolean, default=False)
    reported_by: Mapped[str] = mapped_column(String(32))  # the user
    reported_at: Mapped[datetime] = mapped_column(UTCDateTime())
    replaced_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    __table_args__ = (
        UniqueConstraint("contract_id", "period", "version"),
        Index("ix_revenue_reports_contract_period", "contract_id", "period"),
    )
