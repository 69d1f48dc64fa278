"""Statement export jobs 对账单导出任务 (backend/statements/exports.py): a large statement's file
is built in the background; the row says how far it got and where the file is.

A worker claims a queued job with a conditional UPDATE (status queued, or running with its
lease `locked_until` passed: the worker that had it died) setting a fresh `claim_token`; it
writes progress and the outcome only under that token.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from backend.db.base import Base, IdMixin, UTCDateTime


class StatementExport(IdMixin, Base):
    __tablename__ = "statement_exports"
    dealer_id: Mapped[str] = mapped_column(ForeignKey("organisations.id"), index=True)
    requested_by: Mapped[str] = mapped_column(ForeignKey("users.id"))
    format: Mapped[str] = mapped_column(String(8))  # common.api.statements.StatementFormat
    start: Mapped[date] = mapped_column(Date)
    end: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(10))  # common.api.statements.ExportStatus
    progress: Mapped[int] = mapped_column(Integer, default=0)
    rows: Mapped[int] = mapped_column(Integer, default=0)
    file_name: Mapped[str | None] = mapped_column(String(80))  # under data_dir/statements
    error: Mapped[str | None] = mapped_column(String(40))
    claim_token: Mapped[str | None] = mapped_column(String(32))
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    __table_args__ = (Index("ix_statement_exports_due", "status", "created_at"),)
