"""Servicing requests HTTP 自助业务: payoff quotes, partial prepayments, extensions, the end of
the term. Thin controllers; the lessee sees their own contracts only (another's answers 404),
staff their shop's (`backend.contracts.service.get`)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, Response, get, post
from litestar.params import FromPath, HeaderParameter, Parameter

from backend.auth.principal import Caller
from backend.contracts import service as contracts
from backend.db.deps import Db
from backend.db.models import EndOfTermChoice, ExtensionRequest, PayoffQuote
from backend.idempotency import run_idempotent
from backend.intake.catalogue import Catalogue
from backend.residual import buyout
from backend.servicing import (
    dues,
    end_of_term,
    extension_review,
    extensions,
    payoff,
    prepayment,
    quotes,
)
from common.api.auth import Role
from common.api.contracts import Instalment
from common.api.servicing import (
    DecisionView,
    EndOfTermChoiceView,
    EndOfTermRequest,
    EndOfTermResult,
    EndOfTermView,
    ExtensionDecisionBody,
    ExtensionPreview,
    ExtensionRequestBody,
    ExtensionRuleSetBody,
    ExtensionRuleSetView,
    ExtensionSimulateBody,
    ExtensionSimulationView,
    ExtensionView,
    PayoffQuoteRequest,
    PayoffQuoteView,
    PrepaymentPreview,
    PrepaymentPreviewRequest,
    PrepaymentQuoteView,
    PrepaymentRequest,
    QuoteLineView,
)
from common.business_day import business_date
from common.money import from_fen, yuan_text
from common.residual.model import ResidualModel
from common.schedule import Instalment as ScheduleLine

IdempotencyKey = Annotated[str | None, HeaderParameter(name="Idempotency-Key", required=False)]
REQUESTERS = (Role.LESSEE, Role.STAFF, Role.DEALER_ADMIN, Role.ADMIN)
READERS = (*REQUESTERS, Role.RISK_OFFICER, Role.MONITOR)
RULES_LIMIT = 256 * 1024  # a whole extension rule set is a few KB


def _money(d: Decimal) -> str:
    return f"{d:.2f}"


def quote_view(q: PayoffQuote, today: date) -> PayoffQuoteView:
    return PayoffQuoteView(
        id=q.id, as_of=q.as_of, settle_on=q.settle_on, valid_until=q.valid_until,
        lines=[QuoteLineView(code=x["code"], label=x["label"],
                             amount=yuan_text(int(x["amount_fen"]))) for x in q.lines],
        total=yuan_text(q.total_fen), deposit_refund=yuan_text(q.deposit_refund_fen),
        per_day=yuan_text(q.per_day_fen), status=quotes.quote_status(q, today),
        created_at=q.created_at,
    )  # fmt: skip


class ServicingController(Controller):
    path = "/api"
    tags = ["servicing"]  # noqa: RUF012

    @post("/contracts/{contract_id:str}/payoff-quotes", opt={"roles": REQUESTERS},
          status_code=201)  # fmt: skip
    async def quote_payoff(
        self, request: Request[Any, Any, Any], contract_id: FromPath[str],
        data: PayoffQuoteRequest, db: Db, caller: Caller, now: datetime,
        idempotency_key: IdempotencyKey = None,
    ) -> Response[bytes]:  # fmt: skip
        """提前结清报价 (PayoffQuoteView): what settles the contract by a payment on `settle_on`
        (default today; up to the policy's days ahead and before the next due date), stored and
        dated. An `Idempotency-Key` replays the same quote."""
        contract = await contracts.get(db, caller, contract_id)
        today = business_date(now)

        async def effect() -> tuple[int, PayoffQuoteView]:
            quote = await payoff.create_quote(db, contract, data.settle_on, today, now, caller)
            return 201, quote_view(quote, today)

        return await run_idempotent(
            db, caller, idempotency_key, f"POST /api/contracts/{contract.id}/payoff-quotes",
            await request.body(), effect,
        )  # fmt: skip

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

    @post("/contracts/{contract_id:str}/extensions/preview", opt={"roles": REQUESTERS},
          status_code=200)  # fmt: skip
    async def preview_extension(
        self, contract_id: FromPath[str], data: ExtensionRequestBody, db: Db, caller: Caller,
        now: datetime,
    ) -> ExtensionPreview:  # fmt: skip
        """展期试算: the new schedule, rent, term and rate by IRR, the fee, old vs new, and
        what the extension rules would decide today."""
        contract = await contracts.get(db, caller, contract_id)
        return await extensions.preview(db, contract, data, business_date(now))

    @post("/contracts/{contract_id:str}/extensions", opt={"roles": REQUESTERS}, status_code=201)
    async def file_extension(
        self, request: Request[Any, Any, Any], contract_id: FromPath[str],
        data: ExtensionRequestBody, db: Db, caller: Caller, now: datetime,
        idempotency_key: IdempotencyKey = None,
    ) -> Response[bytes]:  # fmt: skip
        """File an extension (ExtensionView): approved (applied now), declined, or referred to a
        risk officer. An `Idempotency-Key` replays the first answer."""
        contract_id = (await contracts.get(db, caller, contract_id)).id

        async def effect() -> tuple[int, ExtensionView]:
            contract = await dues.locked(db, contract_id)
            assert contract is not None
            ext = await extensions.file(db, contract, data, business_date(now), now, caller)
            return 201, extension_view(ext)

        return await run_idempotent(
            db, caller, idempotency_key, f"POST /api/contracts/{contract_id}/extensions",
            await request.body(), effect,
        )  # fmt: skip

    @get("/contracts/{contract_id:str}/extensions", opt={"roles": READERS})
    async def contract_extensions(
        self, contract_id: FromPath[str], db: Db, caller: Caller
    ) -> list[ExtensionView]:
        contract = await contracts.get(db, caller, contract_id)
        return [extension_view(e) for e in await extensions.of_contract(db, contract)]

    @get("/extensions", opt={"roles": (Role.RISK_OFFICER, Role.ADMIN)})
    async def extension_queue(
        self, db: Db, status: str | None = None,
        limit: Annotated[int, Parameter(ge=1, le=200)] = 100, newest: bool = False,
    ) -> list[ExtensionView]:  # fmt: skip
        """The review queue (status=referred) and the rest, oldest first (newest=true: newest
        first), with what a reviewer needs: the contract number, the lessee's masked name, the
        facts the rules judged, their reasons, current vs proposed terms."""
        found = await extension_review.cases(db, status, limit, newest)
        return [extension_view(c.request, c) for c in found]

    @post("/extensions/{extension_id:str}/decision", opt={"roles": (Role.RISK_OFFICER,)},
          status_code=200)  # fmt: skip
    async def decide_extension(
        self, extension_id: FromPath[str], data: ExtensionDecisionBody, db: Db, caller: Caller,
        now: datetime,
    ) -> ExtensionView:  # fmt: skip
        ext = await extensions.decide(
            db, extension_id, data.approve, data.note, business_date(now), now, caller
        )
        return extension_view(ext)

    @post("/extensions/{extension_id:str}/reverse", opt={"roles": (Role.RISK_OFFICER,
          Role.ADMIN)}, status_code=200)  # fmt: skip
    async def reverse_extension(
        self, extension_id: FromPath[str], db: Db, caller: Caller, now: datetime
    ) -> ExtensionView:
        """撤销展期: only while its revision is the latest and nothing was paid on it."""
        return extension_view(await extensions.reverse(db, extension_id, now, caller))

    @get("/extension-rules", opt={"roles": (Role.RISK_OFFICER, Role.ADMIN)})
    async def extension_rules(self, db: Db) -> ExtensionRuleSetView:
        """The rules in force, and the fields (`extension.*`) a rule may read, named."""
        rules, row = await extensions.ruleset(db)
        return ExtensionRuleSetView(
            version=rules.version, ruleset=msgspec.to_builtins(rules),
            note=row.note if row else "", published_at=row.published_at if row else None,
            fields=extension_review.field_views(),
        )  # fmt: skip

    @post("/extension-rules/simulate", opt={"roles": (Role.RISK_OFFICER, Role.ADMIN)},
          status_code=200, request_max_body_size=RULES_LIMIT)  # fmt: skip
    async def simulate_extension_rules(
        self, data: ExtensionSimulateBody, db: Db
    ) -> ExtensionSimulationView:
        """规则模拟: the candidate, checked as on publishing (422 ruleset_invalid with the
        places), replayed on the stored facts of the last `last_n` requests against the rules
        in force: outcome counts before and after, and the requests whose outcome changes."""
        return await extension_review.simulate(db, data.ruleset, data.last_n)

    @post("/extension-rules", opt={"roles": (Role.RISK_OFFICER,)}, status_code=201)
    async def publish_extension_rules(
        self, data: ExtensionRuleSetBody, db: Db, caller: Caller, now: datetime
    ) -> ExtensionRuleSetView:
        """Publish a new version of the extension rules (validated; audited)."""
        row = await extensions.publish(db, data.ruleset, data.note, caller, now)
        return ExtensionRuleSetView(
            version=row.version,
            ruleset=row.body,
            note=row.note,
            published_at=row.published_at,
            fields=extension_review.field_views(),
        )

    @get("/contracts/{contract_id:str}/end-of-term", opt={"roles": READERS})
    async def end_of_term(
        self, contract_id: FromPath[str], db: Db, caller: Caller, catalogue: Catalogue,
        residual: ResidualModel, now: datetime,
    ) -> EndOfTermView:  # fmt: skip
        """到期处理: open from 90 days before the last due date; renewal offers, the buy-out's
        figures today beside what the car is predicted to be worth on the last due date (the
        residual model), free inspection slots, and the choice made."""
        contract = await contracts.get(db, caller, contract_id)
        s = await end_of_term.state(db, contract, business_date(now))
        value = None
        if s["buyout"] is not None:
            value = await buyout.value_at_end(
                db, catalogue, residual, contract, s["last_due_date"], s["buyout"].total
            )
        return EndOfTermView(
            vehicle_value=value,
            open=s["open"], opens_on=s["opens_on"], last_due_date=s["last_due_date"],
            options=s["options"], renewal=s["renewal"],
            buyout=None if s["buyout"] is None else figures_view(s["buyout"], now),
            slots=s["slots"], choice=None if s["choice"] is None else choice_view(s["choice"]),
        )  # fmt: skip

    @post("/contracts/{contract_id:str}/end-of-term", opt={"roles": REQUESTERS},
          status_code=201)  # fmt: skip
    async def choose_end_of_term(
        self, contract_id: FromPath[str], data: EndOfTermRequest, db: Db, caller: Caller,
        now: datetime,
    ) -> EndOfTermResult:  # fmt: skip
        """Record the choice; a buy-out answers the payoff quote to pay (purpose payoff)."""
        contract = await contracts.get(db, caller, contract_id)
        today = business_date(now)
        choice, quote, offer = await end_of_term.choose(db, contract, data, today, now, caller)
        return EndOfTermResult(
            choice=choice_view(choice), quote=None if quote is None else quote_view(quote, today),
            renewal=offer,
        )  # fmt: skip


def figures_view(f: payoff.Figures, now: datetime) -> PayoffQuoteView:
    """Figures not stored (a preview): no id, status preview."""
    return PayoffQuoteView(
        id="", as_of=f.as_of, settle_on=f.settle_on, valid_until=f.settle_on,
        lines=[QuoteLineView(code=x.code, label=x.label, amount=yuan_text(x.fen)) for x in f.lines],
        total=yuan_text(f.total), deposit_refund=yuan_text(f.deposit_refund),
        per_day=yuan_text(f.per_day),
        status="preview", created_at=now,
    )  # fmt: skip


def choice_view(c: EndOfTermChoice) -> EndOfTermChoiceView:
    return EndOfTermChoiceView(
        option=c.option, slot_at=c.slot_at, quote_id=c.quote_id, created_at=c.created_at
    )


def extension_view(e: ExtensionRequest, case: extension_review.Case | None = None) -> ExtensionView:
    """The request; with `case` (the risk queue) also what a reviewer needs."""
    decision = msgspec.convert(
        {k: v for k, v in e.decision.items() if k in ("outcome", "reasons", "ruleset_version")},
        DecisionView,
    )
    view = ExtensionView(
        id=e.id, contract_id=e.contract_id, status=e.status, decision=decision,
        reasons=decision.reasons, preview=msgspec.convert(e.preview, ExtensionPreview,
                                                          strict=False),
        reason=e.reason, revision=e.revision, created_at=e.created_at, decided_at=e.decided_at,
        months_to_add=e.months_to_add,
    )  # fmt: skip
    if case is None:
        return view
    return msgspec.structs.replace(
        view, contract_number=case.contract_number, lessee_name=case.lessee_name,
        facts=extension_review.fact_views(e.decision),
        reviewer_note=extension_review.reviewer_note(e),
    )  # fmt: skip


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
        paid_ahead=_money(from_fen(found.paid_ahead)),
    )  # fmt: skip


SERVICING_ROUTES = [ServicingController]
