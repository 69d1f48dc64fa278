"""Servicing requests HTTP 自助业务: payoff quotes, partial prepayments. Thin controllers; the
lessee sees their own contracts only (another's answers 404), staff their shop's
(`backend.contracts.service.get`)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal

from litestar import Controller, get, post
from litestar.params import FromPath

from backend.auth.principal import Caller
from backend.contracts import service as contracts
from backend.db.deps import Db
from backend.db.models import PayoffQuote
from backend.servicing import payoff, prepayment, quotes
from common.api.auth import Role
from common.api.contracts import Instalment
from common.api.servicing import (
    PayoffQuoteRequest,
    PayoffQuoteView,
    PrepaymentPreview,
    PrepaymentPreviewRequest,
    PrepaymentQuoteView,
    PrepaymentRequest,
    QuoteLineView,
)
from common.business_day import business_date
from common.money import from_fen
from common.schedule import Instalment as ScheduleLine

REQUESTERS = (Role.LESSEE, Role.STAFF, Role.DEALER_ADMIN, Role.ADMIN)
READERS = (*REQUESTERS, Role.RISK_OFFICER, Role.MONITOR)


def _yuan(fen: int) -> str:
    return f"{from_fen(fen):.2f}"


def _money(d: Decimal) -> str:
    return f"{d:.2f}"


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

    @post("/contracts/{contract_id:str}/prepayments/preview", opt={"roles": REQUESTERS},
          status_code=200)  # fmt: skip
    async def preview_prepayment(
        self, contract_id: FromPath[str], data: PrepaymentPreviewRequest, db: Db, caller: Caller,
        now: datetime,
    ) -> list[PrepaymentPreview]:  # fmt: skip
        """部分提前还款试算: the new rent, term, schedule, penalty and amount due, for one mode
        or both."""
        contract = await contracts.get(db, caller, contract_id)
        today = business_date(now)
        found = await prepayment.previews(
            db, contract, data.amount, data.mode, data.on or today, today
        )
        return [prepayment_view(p) for p in found]

    @post("/contracts/{contract_id:str}/prepayments", opt={"roles": REQUESTERS}, status_code=201)
    async def quote_prepayment(
        self, contract_id: FromPath[str], data: PrepaymentRequest, db: Db, caller: Caller,
        now: datetime,
    ) -> PrepaymentQuoteView:  # fmt: skip
        """A stored prepayment quote, to pay on its date with purpose prepayment."""
        contract = await contracts.get(db, caller, contract_id)
        today = business_date(now)
        (found,) = await prepayment.previews(
            db, contract, data.amount, data.mode, data.on or today, today
        )
        quote = await prepayment.create_quote(db, contract, found, now, caller)
        return PrepaymentQuoteView(quote=quote_view(quote, today), preview=prepayment_view(found))


def schedule_view(instalments: Sequence[ScheduleLine], offset: int) -> list[Instalment]:
    return [
        Instalment(
            number=i.number + offset, due_date=i.due_date, amount_due=_money(i.amount_due),
            principal=_money(i.principal), interest=_money(i.interest), fees=_money(i.fees),
            balance=_money(i.balance), kind=str(i.kind),
        )
        for i in instalments
    ]  # fmt: skip


def prepayment_view(found: prepayment.Preview) -> PrepaymentPreview:
    p = found.prepayment
    return PrepaymentPreview(
        mode=found.mode.value, on=p.as_of, principal_prepaid=_money(p.principal_prepaid),
        accrued_interest=_money(p.accrued_interest), penalty=_money(p.penalty),
        amount_due=_money(p.amount_due), previous_rent=_money(p.previous_rent),
        rent=_money(p.schedule.rent), previous_term_remaining=p.previous_term_remaining,
        term_remaining=len(p.schedule.instalments),
        annualised_rate_percent=str(p.schedule.annualised_rate_percent),
        schedule=schedule_view(p.schedule.instalments, found.offset),
    )  # fmt: skip


SERVICING_ROUTES = [ServicingController]
