"""Floor-plan HTTP 库存融资: the line, drawdowns, units, curtailments and payoffs. Thin: scoping
and the money live in the services (a dealer sees its own line and units; another dealer's answer
404); writes that move money need an `Idempotency-Key` and replay their first answer. The dealer
pays a payoff or a curtailment through the payment provider: those routes answer the payment
and its pay page, and the provider's confirmation posts it (backend/floorplan/payments.py)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from litestar import Controller, Request, Response, get, post, put
from litestar.params import FromPath, HeaderParameter, Parameter
from sqlalchemy import func, select

from backend.auth.principal import Caller
from backend.db.deps import Db
from backend.db.models import FloorplanLine, FloorplanUnit, Organisation
from backend.floorplan import audits, lines, payments, units
from backend.floorplan import sell_timing as selling
from backend.idempotency import run_idempotent
from backend.intake.catalogue import Catalogue
from backend.payments import service
from backend.settings import Settings
from common.api import paging
from common.api.auth import OrganisationKind, Role
from common.api.floorplan import (
    CurtailmentBody,
    DealerLine,
    DrawdownBody,
    IncreaseView,
    LineBody,
    LineView,
    UnitPage,
    UnitView,
)
from common.api.payments import PaymentView
from common.api.residual import SellTiming
from common.business_day import business_date
from common.errors import DomainError
from common.money import parse_money, to_fen, yuan_text
from common.residual.model import ResidualModel

IdempotencyKey = Annotated[str | None, HeaderParameter(name="Idempotency-Key", required=False)]
DealerQuery = Annotated[str | None, Parameter(required=False, max_length=32)]
READERS = (Role.DEALER_ADMIN, Role.ADMIN)


def _key_required(key: str | None) -> str:
    if not key:
        raise DomainError("idempotency_key_required", "资金操作需要请求编号",
                          "Idempotency-Key is required", status=400)  # fmt: skip
    return key


async def line_view(db: Db, line: FloorplanLine, now: datetime) -> LineView:
    """The line's figures; overdue is each unit's as of the last daily run (or its last
    curtailment), so the line reads a sum, not every unit's schedule."""
    room = await lines.headroom(db, line, business_date(now))
    owed = await db.execute(
        select(func.count(FloorplanUnit.id), func.coalesce(func.sum(FloorplanUnit.overdue_fen), 0))
        .where(FloorplanUnit.dealer_id == line.dealer_id, FloorplanUnit.financed_vin.is_not(None))
    )  # fmt: skip
    financed, overdue = owed.one()
    org = await db.get(Organisation, line.dealer_id)
    return LineView(
        dealer_id=line.dealer_id, dealer_name=org.name if org else line.dealer_id,
        limit=yuan_text(room.limit_fen), temporary_increase=yuan_text(room.temporary_fen),
        used=yuan_text(room.used_fen), available=yuan_text(room.available_fen),
        annual_rate_percent=line.annual_rate_percent, day_count="ACT/360",
        max_days=line.max_days, plan=lines.plan_body(line), status=line.status,
        version=line.version, units_financed=int(financed),
        curtailments_overdue=yuan_text(int(overdue)),
        alerts=await audits.alert_count(db, line.dealer_id),
        increases=[IncreaseView(model=x.model, amount=yuan_text(x.amount_fen),
                                granted_on=x.granted_on, expires_on=x.expires_on,
                                z_score=x.z_score, rule_version=x.rule_version)
                   for x in room.increases],
    )  # fmt: skip


class FloorplanController(Controller):
    path = "/api/floorplan"
    tags = ["floorplan"]  # noqa: RUF012

    @get("/line", opt={"roles": READERS})
    async def show_line(
        self, db: Db, caller: Caller, now: datetime, dealer_id: DealerQuery = None
    ) -> LineView:
        """授信额度: limit, used, available, temporary increase (a dealer's own; an admin names
        `dealer_id`)."""
        line = await lines.load_line(db, lines.dealer_of(caller, dealer_id))
        return await line_view(db, line, now)

    @get("/lines", opt={"roles": (Role.ADMIN,)})
    async def list_lines(self, db: Db, now: datetime) -> list[DealerLine]:
        """经销商授信一览: every dealer organisation by name, with its line's figures or none."""
        dealers = await db.scalars(
            select(Organisation)
            .where(Organisation.kind == OrganisationKind.DEALER.value)
            .order_by(Organisation.name)
        )
        have = {x.dealer_id: x for x in await db.scalars(select(FloorplanLine))}
        out = []
        for org in dealers:
            line = await line_view(db, have[org.id], now) if org.id in have else None
            out.append(DealerLine(dealer_id=org.id, dealer_name=org.name, line=line))
        return out

    @put("/lines/{dealer_id:str}", opt={"roles": (Role.ADMIN,)})
    async def set_line(
        self, dealer_id: FromPath[str], data: LineBody, db: Db, caller: Caller, now: datetime
    ) -> LineView:
        """设置授信 (audited); changing an existing line needs its `version`."""
        line = await lines.set_line(db, caller, dealer_id, data, now)
        return await line_view(db, line, now)

    @post("/drawdowns", opt={"roles": (Role.DEALER_ADMIN,)}, status_code=201)
    async def drawdown(
        self, request: Request[Any, Any, Any], data: DrawdownBody, db: Db, caller: Caller,
        now: datetime, idempotency_key: IdempotencyKey = None,
    ) -> Response[bytes]:  # fmt: skip
        """单车放款 (`Idempotency-Key` required): 422 floorplan_limit_exceeded beyond the
        available limit, 409 floorplan_vin_financed for a VIN financed already."""
        key = _key_required(idempotency_key)

        async def effect() -> tuple[int, UnitView]:
            unit = await units.drawdown(db, caller, data, now)
            return 201, units.unit_view(unit, units.figures(unit, []), business_date(now))

        return await run_idempotent(
            db, caller, key, "POST /api/floorplan/drawdowns", await request.body(), effect
        )

    @get("/units", opt={"roles": READERS})
    async def list_units(
        self, db: Db, caller: Caller, now: datetime, dealer_id: DealerQuery = None,
        status: Annotated[str | None, Parameter(required=False, max_length=20)] = None,
        limit: Annotated[int, Parameter(ge=1, le=paging.MAX_LIMIT)] = paging.DEFAULT_LIMIT,
        cursor: Annotated[str | None, Parameter(required=False,
                                                max_length=paging.CURSOR)] = None,
    ) -> UnitPage:  # fmt: skip
        """The dealer's units with age, interest accrued, next curtailment, payoff amount: a
        page of `limit` (at most 200), newest drawdown first; `next_cursor` asks for the next.
        `status`: financed, sold_out_of_trust, paid_off, or owed (the first two)."""
        dealer = lines.dealer_of(caller, dealer_id)
        return await units.list_units(db, dealer, status, business_date(now), limit=limit,
                                      cursor=cursor)  # fmt: skip

    @get("/units/{vin:str}", opt={"roles": READERS})
    async def show_unit(
        self, vin: FromPath[str], db: Db, caller: Caller, now: datetime
    ) -> UnitView:
        unit = await units.owned_unit(db, caller, vin)
        return units.unit_view(unit, await units.figures_of(db, unit), business_date(now))

    @get("/units/{vin:str}/sell-timing", opt={"roles": READERS})
    async def sell_timing(
        self, vin: FromPath[str], db: Db, caller: Caller, catalogue: Catalogue,
        residual: ResidualModel, now: datetime,
    ) -> SellTiming:  # fmt: skip
        """最佳出手时机: the unit's predicted sale price month by month (residual model) against
        its floor-plan interest, curtailments paid on their days, and the month where holding
        stops paying."""
        return await selling.sell_timing(db, catalogue, residual, caller, vin, business_date(now))

    @post("/units/{vin:str}/payoff", opt={"roles": (Role.DEALER_ADMIN,)}, status_code=201)
    async def pay_off(
        self, request: Request[Any, Any, Any], vin: FromPath[str], db: Db, settings: Settings,
        caller: Caller, now: datetime, idempotency_key: IdempotencyKey = None,
    ) -> Response[bytes]:  # fmt: skip
        """结清 (`Idempotency-Key` required): 201 with a payment of today's payoff amount and
        the provider's pay page; the provider's confirmation pays the unit off. The same key
        again answers the same payment."""
        return await _pay(request, db, settings, caller, now, idempotency_key, vin, "payoff",
                          payments.Purpose.PAYOFF, None)  # fmt: skip

    @post("/units/{vin:str}/curtailments", opt={"roles": (Role.DEALER_ADMIN,)}, status_code=201)
    async def curtail(
        self, request: Request[Any, Any, Any], vin: FromPath[str], data: CurtailmentBody,
        db: Db, settings: Settings, caller: Caller, now: datetime,
        idempotency_key: IdempotencyKey = None,
    ) -> Response[bytes]:  # fmt: skip
        """还本 (`Idempotency-Key` required): 201 with a payment of `amount` (default: the
        curtailment due with the interest billed) and the provider's pay page; 422
        floorplan_curtailment_too_large for all the principal (that is the payoff)."""
        amount = None if data.amount is None else to_fen(parse_money(data.amount, field="amount"))
        return await _pay(request, db, settings, caller, now, idempotency_key, vin,
                          "curtailments", payments.Purpose.CURTAILMENT, amount)  # fmt: skip


async def _pay(
    request: Request[Any, Any, Any], db: Db, settings: Settings, caller: Caller, now: datetime,
    idempotency_key: str | None, vin: str, route: str, purpose: payments.Purpose,
    amount: int | None,
) -> Response[bytes]:  # fmt: skip
    key = _key_required(idempotency_key)
    unit = await units.owned_unit(db, caller, vin)

    async def effect() -> tuple[int, PaymentView]:
        payment = await payments.create_payment(db, settings, caller, unit, purpose, amount, now)
        await db.flush()
        return 201, service.view(payment, settings, unit_vin=unit.vin)

    return await run_idempotent(
        db, caller, key, f"POST /api/floorplan/units/{unit.id}/{route}", await request.body(),
        effect,
    )  # fmt: skip
