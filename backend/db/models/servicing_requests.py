"""Tables of the lessee's servicing requests 自助业务: dated payoff and prepayment quotes, the
schedule revisions a prepayment writes, and the release of title once a contract is settled."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Date, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from backend.db.base import Base, IdMixin, UTCDateTime
from common.ledger import REFERENCE_LENGTH


class PayoffQuote(IdMixin, Base):
    """A stored, dated quote 报价: `kind` payoff 提前结清 or prepayment 部分提前还款. Its lines
    ([{code, label, amount_fen}]) sum to `total_fen`; it is open until paid (used) or past
    `valid_until` (expired, decided when read)."""

    __tablename__ = "payoff_quotes"
    contract_id: Mapped[str] = mapped_column(ForeignKey("contracts.id"), index=True)
    kind: Mapped[str] = mapped_column(String(12))  # "payoff" | "prepayment"
    revision: Mapped[int] = mapped_column(Integer)  # the schedule revision it was priced on
    as_of: Mapped[date] = mapped_column(Date)
    settle_on: Mapped[date] = mapped_column(Date)
    valid_until: Mapped[date] = mapped_column(Date)
    lines: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    total_fen: Mapped[int] = mapped_column(BigInteger)
    deposit_refund_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    per_day_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    # prepayment: {"amount_fen", "mode"}; what the payment will apply
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(8), default="open")  # open | used | expired
    used_reference: Mapped[str | None] = mapped_column(String(REFERENCE_LENGTH))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class ScheduleRevision(IdMixin, Base):
    """The terms of a schedule revision after the first (revision 1 is the signed schedule):
    `common.lease_terms.LeaseTerms` as builtins; its instalment k is the contract's number
    k + number_offset. The revision before it stays in contract_instalments, untouched."""

    __tablename__ = "schedule_revisions"
    contract_id: Mapped[str] = mapped_column(ForeignKey("contracts.id"), index=True)
    revision: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(12))  # "prepayment"
    terms: Mapped[dict[str, Any]] = mapped_column(JSON)
    number_offset: Mapped[int] = mapped_column(Integer)
    reference: Mapped[str] = mapped_column(String(REFERENCE_LENGTH))  # the payment's
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    __table_args__ = (UniqueConstraint("contract_id", "revision"),)


class TitleRelease(IdMixin, Base):
    """产权转移: a settled contract's vehicle title released to the lessee, once."""

    __tablename__ = "title_releases"
    contract_id: Mapped[str] = mapped_column(ForeignKey("contracts.id"), unique=True)
    quote_id: Mapped[str | None] = mapped_column(ForeignKey("payoff_quotes.id"))
    released_on: Mapped[date] = mapped_column(Date)
    at: Mapped[datetime] = mapped_column(UTCDateTime())


class ExtensionRequest(IdMixin, Base):
    """展期申请: filed by the lessee or staff, decided by the extension rule set (approved /
    declined / referred to a risk officer); an approved one is applied as a schedule revision
    (`revision`, made from `from_revision`) and may be reversed while nothing depends on it."""

    __tablename__ = "extension_requests"
    contract_id: Mapped[str] = mapped_column(ForeignKey("contracts.id"), index=True)
    status: Mapped[str] = mapped_column(
        String(10), index=True
    )  # referred|approved|declined|reversed
    months_to_add: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(String(200), default="")
    as_of: Mapped[date] = mapped_column(Date)
    preview: Mapped[dict[str, Any]] = mapped_column(JSON)  # common.api.servicing.ExtensionPreview
    decision: Mapped[dict[str, Any]] = mapped_column(JSON)  # outcome, reasons, ruleset_version
    from_revision: Mapped[int] = mapped_column(Integer)
    revision: Mapped[int | None] = mapped_column(Integer)  # the revision it applied
    figures: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # its extension_booked entry
    decided_by: Mapped[str | None] = mapped_column(String(32))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class ExtensionRuleSet(IdMixin, Base):
    """A published version of the extension eligibility rules (common.rules.model.RuleSet as
    builtins); the highest version is in force, the shipped default is version 1."""

    __tablename__ = "extension_rule_sets"
    version: Mapped[int] = mapped_column(Integer, unique=True)
    body: Mapped[dict[str, Any]] = mapped_column(JSON)
    note: Mapped[str] = mapped_column(String(200), default="")
    published_by: Mapped[str | None] = mapped_column(String(32))
    published_at: Mapped[datetime] = mapped_column(UTCDateTime())


class EndOfTermChoice(IdMixin, Base):
    """到期处理: what the lessee chose for the end of the term — renewal 续租, buy-out 留购
    (a payoff quote to pay) or return 退车 (an inspection slot, one contract per slot). The
    latest choice of a contract is the one in force."""

    __tablename__ = "end_of_term_choices"
    contract_id: Mapped[str] = mapped_column(ForeignKey("contracts.id"), index=True)
    option: Mapped[str] = mapped_column(String(8))  # renewal | buyout | return
    slot_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), unique=True)
    quote_id: Mapped[str | None] = mapped_column(ForeignKey("payoff_quotes.id"))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    chosen_by: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
