"""Tables of risk approval 风控审批: rule-set versions, the active pointer, rule changes,
decisions with their facts snapshot, manual reviews, adaptive region flags."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from backend.db.base import Base, IdMixin, TimestampMixin, UTCDateTime, utcnow
from common.api import limits


class RuleSetVersion(IdMixin, TimestampMixin, Base):
    """One version of the rule set 规则集版本: a draft (editable) or published (frozen forever)."""

    __tablename__ = "risk_rulesets"
    number: Mapped[int] = mapped_column(Integer)  # the version risk officers see, per family
    # the product family it decides (common.products.ProductFamily); one active set per family
    family: Mapped[str] = mapped_column(String(20), default="vehicle", index=True)
    name: Mapped[str] = mapped_column(String(limits.RULESET_NAME))
    status: Mapped[str] = mapped_column(String(12), default="draft")  # draft | published
    body: Mapped[dict[str, Any]] = mapped_column(JSON)  # common.rules.RuleSet as builtins
    based_on_id: Mapped[str | None] = mapped_column(String(32))
    created_by_id: Mapped[str | None] = mapped_column(String(32))
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    published_by_id: Mapped[str | None] = mapped_column(String(32))
    publish_reason: Mapped[str | None] = mapped_column(Text)
    lock_version: Mapped[int] = mapped_column(Integer, default=1)
    __mapper_args__ = {"version_id_col": lock_version}  # noqa: RUF012 - SQLAlchemy's protocol
    __table_args__ = (UniqueConstraint("family", "number"),)


class ActiveRuleSet(Base):
    """One row per product family naming the rule set its decisions use; read once per
    decision (the vehicle family's row is id 1, as before families)."""

    __tablename__ = "risk_active_ruleset"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    family: Mapped[str] = mapped_column(String(20), default="vehicle", unique=True)
    ruleset_id: Mapped[str] = mapped_column(ForeignKey("risk_rulesets.id"))
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class RuleSetChange(IdMixin, Base):
    """What a rule change was, in full (操作日志); the audit event holds the digests of the same
    before/after, so this history can be checked against the hash chain."""

    __tablename__ = "risk_ruleset_changes"
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    actor_id: Mapped[str | None] = mapped_column(String(32))
    action: Mapped[str] = mapped_column(String(20))  # created | edited | published | rolled_back
    ruleset_id: Mapped[str] = mapped_column(ForeignKey("risk_rulesets.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str | None] = mapped_column(Text)
    before: Mapped[Any] = mapped_column(JSON, nullable=True)
    after: Mapped[Any] = mapped_column(JSON, nullable=True)
    audit_seq: Mapped[int] = mapped_column(Integer)


class RiskDecision(IdMixin, Base):
    """The automated decision 自动审批结果 on submit, with the facts it was made on."""

    __tablename__ = "risk_decisions"
    application_id: Mapped[str] = mapped_column(ForeignKey("applications.id"), unique=True)
    ruleset_id: Mapped[str] = mapped_column(ForeignKey("risk_rulesets.id"))
    ruleset_number: Mapped[int] = mapped_column(Integer)
    outcome: Mapped[str] = mapped_column(String(12), index=True)
    score: Mapped[int] = mapped_column(Integer)
    reasons: Mapped[list[Any]] = mapped_column(JSON)
    gates: Mapped[list[Any]] = mapped_column(JSON)
    trace: Mapped[list[Any]] = mapped_column(JSON)
    facts: Mapped[dict[str, Any]] = mapped_column(JSON, deferred=True)  # select explicitly
    provider_errors: Mapped[list[Any]] = mapped_column(JSON, default=list)
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    application = relationship(
        "Application", backref=backref("risk_decision", uselist=False, lazy="raise"), lazy="raise"
    )


class RiskReview(IdMixin, Base):
    """A risk officer's verdict on a referred application 人工审核."""

    __tablename__ = "risk_reviews"
    application_id: Mapped[str] = mapped_column(ForeignKey("applications.id"), unique=True)
    reviewer_id: Mapped[str] = mapped_column(String(32))
    decision: Mapped[str] = mapped_column(String(10))  # approve | decline
    note: Mapped[str] = mapped_column(Text)
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    application = relationship(
        "Application", backref=backref("risk_review", uselist=False, lazy="raise"), lazy="raise"
    )


class RegionFlag(Base):
    """Adaptive-mode state of a region 地区异常标记 (F12), kept by the volume job."""

    __tablename__ = "risk_region_flags"
    region_code: Mapped[str] = mapped_column(String(6), primary_key=True)
    flagged: Mapped[bool] = mapped_column(default=False)
    z_score: Mapped[str] = mapped_column(String(20))  # decimal text, for display
    today_count: Mapped[int] = mapped_column(Integer)
    baseline_median: Mapped[str] = mapped_column(String(20))
    business_date: Mapped[str] = mapped_column(String(10))  # Asia/Shanghai day it was computed for
    raised_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    cleared_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
