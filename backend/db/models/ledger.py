"""Tables of the double-entry ledger 总账 (`common.ledger`): entries and their lines, in fen.

An entry is unique per (contract, kind, reference), the business event that posted it, so the
same money can never be posted twice, even by two racing requests. The lines repeat the rule
of `common.ledger.Line` as CHECK constraints: whatever writes to the table, a line is one-sided,
never negative, and on an account of the chart. That debits equal credits across an entry's
lines is a property of the entry, which the database cannot check per row: `backend.ledger
.service.unbalanced_entries` is the verification query.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from backend.db.base import Base, IdMixin, UTCDateTime
from common.ledger import (
    CONTRACT_ID_LENGTH,
    KIND_LENGTH,
    MEMO_LENGTH,
    PARTY_LENGTH,
    REFERENCE_LENGTH,
    Account,
)

ACCOUNT_LENGTH = 32
_CHART = ", ".join(f"'{a.value}'" for a in Account)


class LedgerEntry(IdMixin, Base):
    """A posted entry 记账凭证. No foreign key to contracts: that table comes later."""

    __tablename__ = "ledger_entries"
    # The unique constraint's index leads with contract_id: it serves a contract's lookups too.
    contract_id: Mapped[str] = mapped_column(String(CONTRACT_ID_LENGTH))
    kind: Mapped[str] = mapped_column(String(KIND_LENGTH))
    reference: Mapped[str] = mapped_column(String(REFERENCE_LENGTH))
    memo: Mapped[str] = mapped_column(String(MEMO_LENGTH))
    posted_at: Mapped[datetime] = mapped_column(UTCDateTime())
    __table_args__ = (UniqueConstraint("contract_id", "kind", "reference"),)


class LedgerLine(Base):
    __tablename__ = "ledger_lines"
    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    entry_id: Mapped[str] = mapped_column(ForeignKey("ledger_entries.id"), index=True)
    account: Mapped[str] = mapped_column(String(ACCOUNT_LENGTH))
    party: Mapped[str | None] = mapped_column(String(PARTY_LENGTH))
    debit_fen: Mapped[int] = mapped_column(BigInteger)
    credit_fen: Mapped[int] = mapped_column(BigInteger)
    __table_args__ = (
        CheckConstraint("debit_fen >= 0 AND credit_fen >= 0", name="not_negative"),
        CheckConstraint("(debit_fen > 0) <> (credit_fen > 0)", name="one_sided"),
        CheckConstraint(f"account IN ({_CHART})", name="account_in_chart"),
        # A party's lines on given accounts: a dealer's statement, its commissions owed back.
        Index("ix_ledger_lines_party_account", "party", "account"),
    )
