"""End of term 到期处理: from 90 days before the last due date the lessee chooses renewal 续租
(a contract with a balloon left to pay: what remains, the balloon with it, spread in level rents
over the remaining months plus 12, 24 or 36 at the contract's rate — choosing it writes that
schedule as the contract's next revision, kind ``renewal``, with its books, through the
extension's `reschedule`; the offer shown is computed by the same code, so it is what applies),
buy-out 留购 (a payoff quote without the prepayment penalty: the balloon, what is left, and the
留购价; paid with purpose payoff) or return 退车 (an inspection slot of the next 14 days, one
contract per slot). The choice is recorded (`end_of_term_choices`, the latest in force) and
audited."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import msgspec
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.audit import service as audit
from backend.auth.principal import Principal
from backend.db.models import (
    Contract,
    ContractInstalment,
    EndOfTermChoice,
    PayoffQuote,
)
from backend.servicing import dues, extensions, payoff
from common.api.servicing import (
    EndOfTermOption,
    EndOfTermRequest,
    ExtensionRequestBody,
    RenewalOffer,
)
from common.business_day import BUSINESS_TZ
from common.contracts import ContractStatus
from common.errors import Conflict, DomainError
from common.money import ZERO

WINDOW_DAYS = 90
SLOT_DAYS = 14
SLOT_TIMES = (time(10, 0), time(15, 0))  # Asia/Shanghai
RENEWAL_TERMS = (12, 24, 36)
NOT_OPEN = Conflict(
    "end_of_term_not_open",
    "距到期日90天内方可办理到期处理",
    "Opens 90 days before the last due date",
)
LABELS = {"renewal": "续租", "buyout": "留购", "return": "退车"}


def last_due(rows: Sequence[ContractInstalment]) -> date:
    return max(r.due_date for r in rows)


def slots_from(today: date) -> list[datetime]:
    """Inspection slots of the next 14 days (from tomorrow), in UTC."""
    out = []
    for k in range(1, SLOT_DAYS + 1):
        day = today + timedelta(days=k)
        for t in SLOT_TIMES:
            out.append(datetime.combine(day, t, tzinfo=BUSINESS_TZ).astimezone(UTC))
    return out


async def free_slots(db: AsyncSession, today: date) -> list[datetime]:
    offered = slots_from(today)
    taken = set(await db.scalars(
        select(EndOfTermChoice.slot_at).where(EndOfTermChoice.slot_at.in_(offered))
    ))  # fmt: skip
    return [s for s in offered if s not in taken]


def renewal_offer(c: extensions.Computed) -> RenewalOffer:
    new = c.ext.schedule
    return RenewalOffer(
        principal=f"{sum((i.principal for i in new.instalments), ZERO):.2f}",
        term_months=c.months, monthly_payment=f"{new.rent:.2f}",
        annualised_rate_percent=str(new.annualised_rate_percent),
        start_date=new.instalments[0].due_date, instalments=len(new.instalments),
        end_date=new.instalments[-1].due_date,
    )  # fmt: skip


async def renewals(db: AsyncSession, contract: Contract, today: date) -> list[extensions.Computed]:
    """The renewals on offer today: none without a balloon left to refinance, nor where the
    longest lease would be exceeded."""
    if not int(contract.document["terms"]["balloon_fen"]):
        return []
    out = []
    for term in RENEWAL_TERMS:
        body = ExtensionRequestBody(months_to_add=term)
        try:
            out.append(await extensions.compute(db, contract, body, today, renewal=True))
        except DomainError:
            continue
    return out


async def latest_choice(db: AsyncSession, contract: Contract) -> EndOfTermChoice | None:
    return await db.scalar(
        select(EndOfTermChoice).where(EndOfTermChoice.contract_id == contract.id)
        .order_by(EndOfTermChoice.created_at.desc()).limit(1)
    )  # fmt: skip


async def state(db: AsyncSession, contract: Contract, today: date) -> dict[str, Any]:
    rows = await dues.instalments(db, contract)
    end = last_due(rows) if rows else today
    opens = end - timedelta(days=WINDOW_DAYS)
    is_open = contract.status == ContractStatus.ACTIVE.value and opens <= today
    renewal = [renewal_offer(c) for c in await renewals(db, contract, today)] if is_open else []
    buyout = None
    if is_open:
        try:
            buyout = await payoff.current(db, contract, today, None, buyout=True)
        except DomainError:
            buyout = None  # e.g. a due date today: the figures hold from tomorrow
    options = [
        EndOfTermOption(code="renewal", label=LABELS["renewal"], available=bool(renewal),
                        note="" if renewal else "本合同无尾款，无需续租"),
        EndOfTermOption(code="buyout", label=LABELS["buyout"], available=buyout is not None),
        EndOfTermOption(code="return", label=LABELS["return"], available=is_open),
    ]  # fmt: skip
    return {
        "open": is_open, "opens_on": opens, "last_due_date": end, "options": options,
        "renewal": renewal, "buyout": buyout,
        "slots": await free_slots(db, today) if is_open else [],
        "choice": await latest_choice(db, contract),
    }  # fmt: skip


async def choose(
    db: AsyncSession, contract: Contract, body: EndOfTermRequest, today: date, now: datetime,
    actor: Principal,
) -> tuple[EndOfTermChoice, PayoffQuote | None, RenewalOffer | None]:  # fmt: skip
    s = await state(db, contract, today)
    if not s["open"]:
        raise NOT_OPEN
    quote, offer, slot, renewal = None, None, None, None
    if body.option == "buyout":
        quote = await payoff.create_quote(db, contract, None, today, now, actor, buyout=True)
    elif body.option == "renewal":
        renewal = next((c for c in await renewals(db, contract, today)
                        if c.months == body.renewal_term_months), None)  # fmt: skip
        if renewal is None:
            raise DomainError(
                "renewal_unavailable", "没有该续租方案（无尾款或期限不在可选范围）",
                "no such renewal offer", fields={"renewal_term_months": "renewal_unavailable"},
            )  # fmt: skip
        offer = renewal_offer(renewal)
    else:
        slot = body.slot_at.astimezone(UTC) if body.slot_at and body.slot_at.tzinfo else None
        if slot not in s["slots"]:
            raise DomainError(
                "slot_unavailable", "该验车时段不可预约，请选择列出的时段",
                "choose one of the free slots", fields={"slot_at": "slot_unavailable"},
            )  # fmt: skip
    choice = EndOfTermChoice(
        contract_id=contract.id, option=body.option, slot_at=slot,
        quote_id=quote.id if quote else None,
        detail={"renewal": msgspec.to_builtins(offer)} if offer else {},
        chosen_by=actor.user_id, created_at=now,
    )  # fmt: skip
    db.add(choice)
    await db.flush()
    if renewal is not None:
        revision, figures = await extensions.reschedule(
            db, contract, renewal, kind="renewal", reference=choice.id, now=now, actor=actor,
            detail={"months_to_add": renewal.months, "end_of_term_choice": choice.id},
        )  # fmt: skip
        choice.detail = {**choice.detail, "revision": revision, "figures": figures}
    await audit.record(
        db, actor=actor, action="contract.end_of_term_chosen", entity_type="contract",
        entity_id=contract.id, at=now,
        detail={"option": body.option, "slot_at": slot.isoformat() if slot else None,
                "quote_id": choice.quote_id},
    )  # fmt: skip
    return choice, quote, offer
