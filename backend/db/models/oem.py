"""A vehicle maker's dealer network 主机厂经销商网络: the dealers an OEM organisation sees."""

from __future__ import annotations

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from backend.db.base import Base


class OemDealer(Base):
    __tablename__ = "oem_dealers"
    oem_id: Mapped[str] = mapped_column(ForeignKey("organisations.id"), primary_key=True)
    dealer_id: Mapped[str] = mapped_column(ForeignKey("organisations.id"), primary_key=True)
