"""Tables of the dealer's account 经销商账户: the versions of the commission rule set, and the
commission of each funded lease (what the rule said at funding, so a later rule change never
rewrites a paid commission; what was set off, paid and clawed back)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from backend.db.base import Base, IdMixin, UTCDateTime


class CommissionRuleSet(IdMixin, Base):
    """One version of the commission rules 佣金规则 (common.commissions.CommissionRule list)."""

    __tablename__ = "commission_rule_sets"
    version: Mapped[int] = mapped_column(Integer, unique=True)
    rules: Mapped[list[Any]] = mapped_column(JSON)
    reason: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[str | None] = mapped_column(String(32))  # None: seeded
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class DealerCommission(Base):
    """A funded lease's commission 佣金, one per contract."""

    __tablename__ = "dealer_commissions"
    contract_id: Mapped[str] = mapped_column(ForeignKey("contracts.id"), primary_key=True)
    dealer_id: Mapped[str] = mapped_column(ForeignKey("organisations.id"), index=True)
    product_id: Mapped[str] = mapped_column(String(40))
    rule_version: Mapped[int] = mapped_column(Integer)
    basis: Mapped[str] = mapped_column(String(8))  # common.commissions.CommissionBasis
    financed_fen: Mapped[int] = mapped_column(BigInteger)
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    set_off_fen: Mapped[int] = mapped_column(BigInteger, default=0)  # against earlier clawbacks
    paid_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    funded_on: Mapped[date] = mapped_column(Date)
    earned_at: Mapped[datetime] = mapped_column(UTCDateTime())
    clawback_months: Mapped[int] = mapped_column(Integer)
    clawback_days_past_due: Mapped[int] = mapped_column(Integer)
    clawed_back_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    clawed_back_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
