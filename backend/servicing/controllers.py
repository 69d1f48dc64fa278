"""Servicing requests HTTP 自助业务: payoff quotes. Thin controllers; the lessee sees their own
contracts only (another's answers 404), staff their shop's (`backend.contracts.service.get`)."""

from __future__ import annotations

from datetime import date, datetime

from litestar import Controller, get, post
from litestar.params import FromPath

from backend.auth.principal import Caller
from backend.contracts import service as contracts
from backend.db.deps import Db
from backend.db.models import PayoffQuote
from backend.servicing import payoff, quotes
from common.api.auth import Role
from common.api.servicing import PayoffQuoteRequest, PayoffQuoteView, QuoteLineView
from common.business_day import business_date
from common.money import from_fen

REQUESTERS = (Role.LESSEE, Role.STAFF, Role.DEALER_ADMIN, Role.ADMIN)
READERS = (*REQUESTERS, Role.RISK_OFFICER, Role.MONITOR)


def _yuan(fen: int) -> str:
    return f"{from_fen(fen):.2f}"


def quote_view(q: PayoffQuote, today: date) -> PayoffQuoteView:
    return PayoffQuoteView(
        id=q.id, as_of=q.as_of, settle_on=q.settle_on, valid_until=q.valid_until,
        lines=[QuoteLineView(code=x["code"], label=x["label"], amount=_yuan(int(x["amount_fen"])))
               for x in q.lines],
        total=_yuan(q.total_fen), deposit_refund=_yuan(q.deposit_refund_fen),
        per_day=_yuan(q.per_day_fen), status=quotes.quote_status(q, today),
        created_at=q.created_at,
    )  # fmt: skip


class ServicingController(Controller):
    path = "/api"
    tags = ["servicing"]  # noqa: RUF012

    @post("/contracts/{contract_id:str}/payoff-quotes", opt={"roles": REQUESTERS},
          status_code=201)  # fmt: skip
    async def quote_payoff(
        self, contract_id: FromPath[str], data: PayoffQuoteRequest, db: Db, caller: Caller,
        now: datetime,
    ) -> PayoffQuoteView:  # fmt: skip
        """提前结清报价: what settles the contract by a payment on `settle_on` (default today;
        up to the policy's days ahead and before the next due date), stored and dated."""
        contract = await contracts.get(db, caller, contract_id)
        today = business_date(now)
        quote = await payoff.create_quote(db, contract, data.settle_on, today, now, caller)
        return quote_view(quote, today)

    @get("/contracts/{contract_id:str}/payoff-quotes/{quote_id:str}", opt={"roles": READERS})
    async def show_payoff(
        self, contract_id: FromPath[str], quote_id: FromPath[str], db: Db, caller: Caller,
        now: datetime,
    ) -> PayoffQuoteView:  # fmt: skip
        contract = await contracts.get(db, caller, contract_id)
        quote = await quotes.load_quote(db, contract, quote_id, "payoff")
        return quote_view(quote, business_date(now))


SERVICING_ROUTES = [ServicingController]
