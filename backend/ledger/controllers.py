"""Ledger HTTP 总账: the trial balance, for admins only (it is the whole company's books)."""

from __future__ import annotations

from litestar import Controller, get

from backend.db.deps import Db
from backend.ledger import service
from common.api.auth import Role
from common.api.ledger import TrialBalanceView, trial_balance_view


class LedgerController(Controller):
    path = "/api/ledger"
    tags = ["ledger"]  # noqa: RUF012

    @get("/trial-balance", opt={"roles": (Role.ADMIN,)})
    async def trial_balance(self, db: Db) -> TrialBalanceView:
        """试算平衡表: every account's debits, credits and balance, and the column totals;
        ``balanced`` is false only if something wrote around the ledger service."""
        return trial_balance_view(await service.trial_balance(db))


LEDGER_ROUTES = [LedgerController]
