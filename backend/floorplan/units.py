"""Financed units 融资车辆: the drawdown of a VIN, what a unit owes, curtailments and the payoff.

A drawdown locks the dealer's line first (`FOR UPDATE`; on SQLite the one writer), so two
drawdowns cannot both pass the limit; money back on a unit is posted under the unit's lock, so a
payoff never races a curtailment or a sale. Money moves through the ledger (`common.ledger`
floor-plan entries, the unit as the entry's contract, the dealer as party) in the caller's
transaction: a refusal leaves nothing written. The dealer's own money arrives through the payment
provider (`backend.floorplan.payments`); a lease's funding repays by set-off (`sale`).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.audit import service as audit
from backend.auth.principal import Principal
from backend.db.base import new_id
from backend.db.models import FloorplanRepayment, FloorplanUnit
from backend.floorplan import lines
from backend.ledger import service as ledger
from common import floorplan as fp
from common import ledger as postings
from common.api import limits, paging
from common.api.auth import Role
from common.api.floorplan import DrawdownBody, UnitPage, UnitStatus, UnitView
from common.business_day import business_date
from common.errors import Conflict, DomainError, NotFound
from common.identity.vin import normalise_vin, validate_vin
from common.ledger import Account
from common.money import parse_money, to_fen, yuan_text

UNIT_NOT_FOUND = NotFound("floorplan_unit_not_found", "找不到该融资车辆", "No such financed unit")
OWED = (UnitStatus.FINANCED.value, UnitStatus.SOLD_OUT_OF_TRUST.value)


def terms_of(unit: FloorplanUnit) -> fp.LineTerms:
    t, p = unit.terms, unit.terms["plan"]
    plan = fp.CurtailmentPlan(int(p["first_after_days"]), int(p["every_days"]),
                              Decimal(p["percent"]))  # fmt: skip
    return fp.LineTerms(Decimal(t["annual_rate_percent"]), int(t["max_days"]), plan)


async def repayments_of(db: AsyncSession, unit_ids: list[str]) -> dict[str, list[fp.Repayment]]:
    found: dict[str, list[fp.Repayment]] = defaultdict(list)
    if unit_ids:
        rows = await db.execute(
            select(FloorplanRepayment.unit_id, FloorplanRepayment.paid_on,
                   FloorplanRepayment.principal_fen)
            .where(FloorplanRepayment.unit_id.in_(unit_ids))
        )  # fmt: skip
        for unit_id, paid_on, principal in rows:
            if principal:
                found[unit_id].append(fp.Repayment(paid_on, principal))
    return found


def figures(unit: FloorplanUnit, repaid: list[fp.Repayment]) -> fp.UnitFigures:
    return fp.UnitFigures(unit.principal_fen, unit.drawn_on, tuple(repaid),
                          unit.interest_billed_fen, unit.interest_paid_fen)  # fmt: skip


async def figures_of(db: AsyncSession, unit: FloorplanUnit) -> fp.UnitFigures:
    return figures(unit, (await repayments_of(db, [unit.id]))[unit.id])


def unit_view(unit: FloorplanUnit, f: fp.UnitFigures, today: date) -> UnitView:
    terms = terms_of(unit)
    owed = unit.status in OWED
    quote = fp.payoff(f, terms, today) if owed else None
    nxt = fp.next_curtailment(f, terms, today) if owed else None
    return UnitView(
        id=unit.id, vin=unit.vin, model=unit.model, payee=unit.payee, status=unit.status,
        drawn_on=unit.drawn_on, maturity=fp.maturity(f, terms),
        age_days=fp.age_days(f, unit.paid_off_on or today),
        principal=yuan_text(unit.principal_fen), principal_left=yuan_text(f.principal_left_fen),
        interest_accrued=yuan_text(quote.interest_fen if quote else 0),
        interest_billed_unpaid=yuan_text(f.interest_unpaid_billed_fen),
        curtailment_due=yuan_text(fp.principal_due(f, terms, today) if owed else 0),
        overdue=yuan_text(fp.principal_overdue(f, terms, today) if owed else 0),
        next_curtailment_on=nxt.due_on if nxt else None,
        next_curtailment_amount=yuan_text(nxt.amount_fen if nxt else 0),
        payoff_amount=yuan_text(quote.total_fen if quote else 0),
        paid_off_on=unit.paid_off_on, contract_id=unit.contract_id,
    )  # fmt: skip


async def list_units(
    db: AsyncSession, dealer_id: str, status: str | None, today: date, *,
    limit: int = paging.DEFAULT_LIMIT, cursor: str | None = None,
) -> UnitPage:  # fmt: skip
    """A page of the dealer's units, newest drawdown first (then by id, so the order is total
    and a page resumes exactly after the last one); `status` one unit status, or "owed"."""
    query = select(FloorplanUnit).where(FloorplanUnit.dealer_id == dealer_id)
    if status == "owed":
        query = query.where(FloorplanUnit.status.in_(OWED))
    elif status:
        if status not in {s.value for s in UnitStatus}:
            raise DomainError("floorplan_status_invalid", "车辆状态无效",
                              "status must be a unit status or owed", status=400,
                              fields={"status": "floorplan_status_invalid"})  # fmt: skip
        query = query.where(FloorplanUnit.status == status)
    if cursor is not None:
        drawn, unit_id = paging.decode_cursor(cursor, 2)
        try:
            after = date.fromisoformat(drawn)
        except ValueError:
            raise paging.cursor_invalid() from None
        query = query.where(or_(
            FloorplanUnit.drawn_on < after,
            and_(FloorplanUnit.drawn_on == after, FloorplanUnit.id < unit_id),
        ))  # fmt: skip
    order = (FloorplanUnit.drawn_on.desc(), FloorplanUnit.id.desc())
    found = list(await db.scalars(query.order_by(*order).limit(limit + 1)))
    more, found = len(found) > limit, found[:limit]
    repaid = await repayments_of(db, [u.id for u in found])
    last = found[-1] if more else None
    return UnitPage(
        units=[unit_view(u, figures(u, repaid[u.id]), today) for u in found],
        next_cursor=paging.encode_cursor((last.drawn_on.isoformat(), last.id)) if last else None,
    )


async def owned_unit(db: AsyncSession, caller: Principal, vin: str) -> FloorplanUnit:
    """The unit of `vin` the caller may see: still owed, else the latest; a dealer's own only."""
    if len(vin) > limits.VIN_INPUT or limits.has_control(vin):
        raise UNIT_NOT_FOUND
    query = select(FloorplanUnit).where(FloorplanUnit.vin == normalise_vin(vin)[: limits.VIN])
    if caller.role is not Role.ADMIN:
        query = query.where(FloorplanUnit.dealer_id == caller.organisation_id)
    query = query.order_by(FloorplanUnit.financed_vin.is_(None), FloorplanUnit.drawn_on.desc())
    unit = await db.scalar(query.limit(1))
    if unit is None:
        raise UNIT_NOT_FOUND
    return unit


def _checked_vin(raw: str, today: date) -> str:
    check = validate_vin(raw, as_of=today)  # the intake's rules: check digit for China-built
    if not check.valid:
        reason = check.reason or "vin_invalid"
        raise DomainError(reason, check.message, check.message_en, fields={"vin": reason})
    return check.value


async def drawdown(
    db: AsyncSession, caller: Principal, body: DrawdownBody, now: datetime
) -> FloorplanUnit:
    """单车放款: finance `body.vin` on the caller's line and pay the payee."""
    today = business_date(now)
    vin = _checked_vin(body.vin, today)
    amount = to_fen(parse_money(body.invoice_amount, field="invoice_amount"))
    if amount <= 0:
        raise DomainError("money_invalid", "发票金额须为正数", "the amount must be positive",
                          fields={"invoice_amount": "money_invalid"})  # fmt: skip
    line = await lines.load_line(db, caller.organisation_id, lock=True)
    if line.status != "active":
        raise DomainError("floorplan_line_suspended", "库存融资额度已暂停", "The line is suspended")
    if await db.scalar(select(FloorplanUnit.id).where(FloorplanUnit.financed_vin == vin)):
        raise Conflict(
            "floorplan_vin_financed",
            "该车架号已在库存融资中",
            "This VIN is already financed",
            fields={"vin": "floorplan_vin_financed"},
        )
    room = await lines.headroom(db, line, today)
    if amount > room.available_fen:
        raise DomainError(
            "floorplan_limit_exceeded", f"超出可用额度（可用 {yuan_text(room.available_fen)} 元）",
            f"Beyond the available limit ({yuan_text(room.available_fen)})",
            fields={"invoice_amount": "floorplan_limit_exceeded"},
        )  # fmt: skip
    terms = lines.terms_of(line)
    unit = FloorplanUnit(
        id=new_id(), line_id=line.id, dealer_id=line.dealer_id, vin=vin, financed_vin=vin,
        model=(body.model or "").strip() or vin[:8], payee=body.payee, principal_fen=amount,
        principal_left_fen=amount, interest_billed_fen=0, interest_paid_fen=0,
        terms=lines.terms_json(terms), drawn_on=today, status=UnitStatus.FINANCED.value,
        overdue_fen=0, created_at=now, updated_at=now,
    )  # fmt: skip
    db.add(unit)
    await db.flush()  # a VIN financed by a racing request loses here, on the unique VIN
    entry = postings.floorplan_drawdown(unit.id, unit.dealer_id, amount, unit.payee)
    await ledger.post(db, entry, reference="drawdown", at=now, actor=caller)
    await audit.record(
        db, actor=caller, action="floorplan.drawdown", entity_type="floorplan_unit",
        entity_id=unit.id, after={"vin": vin, "principal_fen": amount, "payee": unit.payee},
        detail={"dealer": unit.dealer_id, "vin": vin, "amount_fen": amount}, at=now,
    )  # fmt: skip
    return unit


async def repay(
    db: AsyncSession, unit: FloorplanUnit, *, interest: int, principal: int, kind: str,
    reference: str, source: Account, paid_on: date, now: datetime,
) -> FloorplanRepayment:  # fmt: skip
    """Post and record money back on a unit (interest already billed, principal), received on
    `paid_on`, posted `now` — on the provider's word or a lease's funding, no one's own act."""
    entry = postings.floorplan_repayment(
        unit.id, unit.dealer_id, principal=principal, interest=interest,
        payoff=kind != "curtailment", source=source,
    )  # fmt: skip
    if await ledger.post(db, entry, reference=reference, at=now, actor=None) is None:
        raise Conflict("floorplan_repaid_already", "该笔还款已入账", "Already posted")
    row = FloorplanRepayment(
        unit_id=unit.id, kind=kind, paid_on=paid_on, principal_fen=principal,
        interest_fen=interest, reference=reference, at=now,
    )  # fmt: skip
    db.add(row)
    unit.principal_left_fen -= principal
    unit.interest_paid_fen += interest
    unit.updated_at = now
    await audit.record(
        db, actor=None, action=f"floorplan.{kind}", entity_type="floorplan_unit",
        entity_id=unit.id, detail={"principal_fen": principal, "interest_fen": interest,
                                   "reference": reference, "source": source.value}, at=now,
    )  # fmt: skip
    return row


async def bill_interest(
    db: AsyncSession, unit: FloorplanUnit, amount: int, reference: str, memo: str,
    now: datetime,
) -> bool:  # fmt: skip
    """Bill `amount` of interest once under `reference`; whether it was new."""
    if amount <= 0:
        return False
    entry = postings.floorplan_interest(unit.id, unit.dealer_id, amount, memo)
    if await ledger.post(db, entry, reference=reference, at=now, actor=None) is None:
        return False
    unit.interest_billed_fen += amount
    return True


async def pay_off(
    db: AsyncSession, unit: FloorplanUnit, now: datetime, *, reference: str, source: Account,
    paid_on: date | None = None, contract_id: str | None = None,
) -> FloorplanRepayment:  # fmt: skip
    """结清 on `paid_on` (default: today): bill the interest to that day, then repay it all with
    the principal left. The caller holds the unit's lock and has checked it is owed; the money
    comes from `source` — cash the provider confirmed (`backend.floorplan.payments`, the
    payment's id as `reference`) or a lease's funding (`backend.floorplan.sale`)."""
    if unit.status not in OWED:
        raise UNIT_NOT_FOUND
    today = paid_on or business_date(now)
    quote = fp.payoff(await figures_of(db, unit), terms_of(unit), today)
    # one interest bill at the payoff per unit: a unit is paid off once
    await bill_interest(db, unit, quote.interest_unbilled_fen, "payoff", "结清计息", now)
    kind = "sale" if contract_id else "payoff"
    row = await repay(
        db, unit, interest=quote.interest_fen, principal=quote.principal_fen, kind=kind,
        reference=reference, source=source, paid_on=today, now=now,
    )  # fmt: skip
    unit.status, unit.financed_vin, unit.paid_off_on = UnitStatus.PAID_OFF.value, None, today
    unit.overdue_fen, unit.overdue_since, unit.contract_id = 0, None, contract_id
    return row


async def curtail(
    db: AsyncSession, unit: FloorplanUnit, amount: int, now: datetime, *, reference: str,
    paid_on: date,
) -> FloorplanRepayment:  # fmt: skip
    """还本 of cash the provider confirmed: billed interest first, then principal; it must leave
    principal outstanding (`fp.allocate`). The caller holds the unit's lock."""
    if unit.status not in OWED:
        raise UNIT_NOT_FOUND
    split = fp.allocate(await figures_of(db, unit), amount)
    row = await repay(
        db, unit, interest=split.interest_fen, principal=split.principal_fen, kind="curtailment",
        reference=reference, source=Account.CASH, paid_on=paid_on, now=now,
    )  # fmt: skip
    f = await figures_of(db, unit)
    unit.overdue_fen = fp.principal_overdue(f, terms_of(unit), business_date(now))
    if unit.overdue_fen == 0:
        unit.overdue_since = None
    return row
