"""Payments HTTP 在线还款: pay, list, poll, refresh, receipts, the provider's notification, the
daily reconciliation, the payment exceptions 异常收款; and the sandbox provider's pages. Thin
controllers."""

from __future__ import annotations

import asyncio
from datetime import date, datetime
from typing import Annotated, Any

from litestar import Controller, Request, Response, get, post
from litestar.params import FromPath, HeaderParameter

from backend.auth.principal import Caller
from backend.db.deps import Db
from backend.idempotency import run_idempotent
from backend.payments import exceptions, notify, query, receipts, reconcile, sandbox, service
from backend.settings import Settings
from common.api.auth import Role
from common.api.payments import (
    PaymentExceptionView,
    PaymentRequest,
    PaymentView,
    ReceiptView,
    ReconciliationRequest,
    ReconciliationView,
    ResolveExceptionRequest,
)
from common.errors import DomainError, NotFound
from common.money import parse_money, to_fen

READERS = (Role.STAFF, Role.DEALER_ADMIN, Role.LESSEE, Role.RISK_OFFICER, Role.ADMIN,
           Role.MONITOR)  # fmt: skip
IdempotencyKey = Annotated[str | None, HeaderParameter(name="Idempotency-Key", required=False)]
MAX_TIMES = 200


def _answer(outcome: notify.Outcome) -> Response[dict[str, str]]:
    return Response(outcome.body(), status_code=outcome.status)


class PaymentController(Controller):
    path = "/api"
    tags = ["payments"]  # noqa: RUF012

    @post("/contracts/{contract_id:str}/payments", opt={"roles": (Role.LESSEE,)})
    async def create(
        self, request: Request[Any, Any, Any], contract_id: FromPath[str], data: PaymentRequest,
        db: Db, settings: Settings, caller: Caller, now: datetime,
        idempotency_key: IdempotencyKey = None,
    ) -> Response[bytes]:  # fmt: skip
        """A payment (``Idempotency-Key`` required): 201 with the provider's pay page."""
        if not idempotency_key:
            raise DomainError("idempotency_key_required", "还款需要请求编号",
                              "Idempotency-Key is required", status=400)  # fmt: skip
        amount = None if data.amount is None else to_fen(parse_money(data.amount, "amount"))

        async def effect() -> tuple[int, PaymentView]:
            payment, _url = await service.create_payment(
                db, caller, contract_id, data.option, amount, now, settings.public_url,
                purpose=data.purpose, quote_id=data.quote_id, settings=settings,
            )  # fmt: skip
            await db.flush()
            return 201, service.view(payment, settings)

        return await run_idempotent(
            db, caller, idempotency_key, f"POST /api/contracts/{contract_id}/payments",
            await request.body(), effect,
        )  # fmt: skip

    @get("/contracts/{contract_id:str}/payments", opt={"roles": READERS})
    async def index(
        self, contract_id: FromPath[str], db: Db, settings: Settings, caller: Caller
    ) -> list[PaymentView]:
        return [service.view(p, settings) for p in await service.listing(db, caller, contract_id)]

    @get("/payments/{payment_id:str}", opt={"roles": READERS})
    async def show(
        self, payment_id: FromPath[str], db: Db, settings: Settings, caller: Caller
    ) -> PaymentView:
        """The payment and its status (the app polls it after the pay page)."""
        return await service.view_of(db, await service.get(db, caller, payment_id), settings)

    @post("/payments/{payment_id:str}/refresh", opt={"roles": READERS}, status_code=200)
    async def refresh(
        self, payment_id: FromPath[str], db: Db, settings: Settings, caller: Caller,
        now: datetime,
    ) -> PaymentView:  # fmt: skip
        """Ask the provider now ("I paid but it still says waiting"); settles a paid one."""
        payment = await service.get(db, caller, payment_id)
        await query.refresh_one(db, settings, payment, now)
        return await service.view_of(db, payment, settings)

    @get("/payments/{payment_id:str}/receipt", opt={"roles": READERS})
    async def receipt(self, payment_id: FromPath[str], db: Db, caller: Caller) -> ReceiptView:
        return await receipts.receipt(db, caller, payment_id)

    @get("/payments/{payment_id:str}/receipt.pdf", opt={"roles": READERS},
         media_type="application/pdf")  # fmt: skip
    async def receipt_pdf(self, payment_id: FromPath[str], db: Db, caller: Caller
                          ) -> Response[bytes]:  # fmt: skip
        r = await receipts.receipt(db, caller, payment_id)
        return Response(receipts.receipt_pdf(r), media_type="application/pdf", headers={
            "Cache-Control": "no-store",
            "Content-Disposition": f'inline; filename="{r.receipt_number}.pdf"'})  # fmt: skip

    @post("/payments/notify/{provider:str}", opt={"public": True}, status_code=200)
    async def notification(
        self, request: Request[Any, Any, Any], provider: FromPath[str], settings: Settings,
        now: datetime,
    ) -> Response[dict[str, str]]:  # fmt: skip
        """The provider's signed payment notification (public: its signature is the check)."""
        outcome = await notify.receive(
            request.app.state.sessionmaker, settings, provider, request.headers,
            await request.body(), now,
        )  # fmt: skip
        return _answer(outcome)

    @get("/payments/reconciliation", opt={"roles": (Role.ADMIN,)})
    async def reconciliation(self, db: Db, date: date) -> ReconciliationView:
        return await reconcile.view(db, date)

    @post("/payments/reconciliation", opt={"roles": (Role.ADMIN,)}, status_code=200)
    async def reconcile(
        self, request: Request[Any, Any, Any], data: ReconciliationRequest, settings: Settings,
        now: datetime,
    ) -> ReconciliationView:  # fmt: skip
        """Run (or re-run: idempotent per date) the reconciliation of a business day."""
        return await reconcile.reconcile_day(request.app.state.sessionmaker, data.date, now,
                                             settings)  # fmt: skip

    @get("/payments/exceptions", opt={"roles": (Role.ADMIN,)})
    async def list_exceptions(self, db: Db, status: str = "open") -> list[PaymentExceptionView]:
        """The payment exceptions 异常收款: ``open`` (and refunding) or ``resolved``."""
        return await exceptions.listing(db, status)

    @post("/payments/exceptions/{exception_id:str}/resolve", opt={"roles": (Role.ADMIN,)},
          status_code=200)  # fmt: skip
    async def resolve_exception(
        self, request: Request[Any, Any, Any], exception_id: FromPath[str],
        data: ResolveExceptionRequest, settings: Settings, caller: Caller, now: datetime,
    ) -> PaymentExceptionView:  # fmt: skip
        """Refund, post or dismiss (with a note) an open exception; once only (409)."""
        return await exceptions.resolve(request.app.state.sessionmaker, settings, caller,
                                        exception_id, data, now)  # fmt: skip


class SandboxPaymentController(Controller):
    """The sandbox provider (mounted only with AUTOLEASE_PROVIDERS=sandbox)."""

    path = "/api/sandbox"
    tags = ["sandbox"]  # noqa: RUF012

    @get("/pay/{out_trade_no:str}", opt={"public": True}, media_type="text/html")
    async def page(self, out_trade_no: FromPath[str], db: Db) -> str:
        """The hosted pay page 收银台: 支付 / 取消 / 模拟失败."""
        return sandbox.pay_page(await sandbox.order(db, out_trade_no))

    @post("/pay/{out_trade_no:str}/{action:str}", opt={"public": True}, status_code=200,
          media_type="text/html")  # fmt: skip
    async def act(self, out_trade_no: FromPath[str], action: FromPath[str], db: Db,
                  now: datetime) -> str:  # fmt: skip
        if action == "pay":
            o = await sandbox.pay(db, out_trade_no, now)
        elif action in ("cancel", "fail"):
            o = await sandbox.close(
                db, out_trade_no, "CLOSED" if action == "cancel" else "PAYERROR"
            )
        else:
            raise NotFound("not_found", "找不到该内容", "Not found")
        return sandbox.pay_page(o)

    @get("/payments/bill", opt={"public": True}, media_type="text/csv")
    async def bill(self, db: Db, settings: Settings, date: date) -> str:
        """The trade bill 交易账单 of a business day (the provider's statement)."""
        return await sandbox.trade_bill(db, settings, date)

    @post("/payments/{provider_txn_id:str}/notify", opt={"public": True}, status_code=200)
    async def renotify(
        self, request: Request[Any, Any, Any], provider_txn_id: FromPath[str], db: Db,
        settings: Settings, now: datetime, times: int = 1,
    ) -> dict[str, Any]:  # fmt: skip
        """Dev: send the signed notification of a paid order ``times`` times at once, each through
        the real handler in its own transaction; the answers counted."""
        if not 1 <= times <= MAX_TIMES:
            raise DomainError("times_invalid", "次数无效", f"times must be 1-{MAX_TIMES}")
        out_trade_no = (await sandbox.order_by_transaction(db, provider_txn_id)).out_trade_no
        await db.rollback()
        answers = await resend(request.app.state.sessionmaker, settings, out_trade_no, times,
                               now)  # fmt: skip
        return {"times": times, "answers": answers}


async def resend(sessions: Any, settings: Settings, out_trade_no: str, times: int,
                 now: datetime) -> dict[str, int]:  # fmt: skip
    """``times`` signed notifications of one order, concurrently through `notify.receive`."""
    async with sessions() as db:
        txn = sandbox.transaction(await sandbox.order(db, out_trade_no))
    keys = sandbox.platform_keys(settings)
    notes = [sandbox.notification(keys, settings, txn, now) for _ in range(times)]
    outcomes = await asyncio.gather(*(
        notify.receive(sessions, settings, sandbox.PROVIDER, h, b, now) for h, b in notes
    ))  # fmt: skip
    counts: dict[str, int] = {}
    for x in outcomes:
        key = "posted" if x.posted else ("duplicate" if x.duplicate else x.code)
        counts[key] = counts.get(key, 0) + 1
    return counts


def payment_routes(settings: Settings) -> list[Any]:
    """The payment routes, with the sandbox provider's when the providers are the sandbox."""
    return [PaymentController, *((SandboxPaymentController,) if settings.providers == "sandbox"
                                 else ())]  # fmt: skip
