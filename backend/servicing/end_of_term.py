"""End of term 到期处理: from 90 days before the last due date the lessee chooses renewal 续租
(the balloon refinanced at the contract's rate, priced by `backend.products.quotes.quote_for`),
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
from backend.products.quotes import quote_for
from backend.servicing import dues, payoff
from common.api.quotes import QuoteRequest
from common.api.servicing import EndOfTermOption, EndOfTermRequest, RenewalOffer
from common.business_day import BUSINESS_TZ
from common.contracts import ContractStatus
from common.errors import Conflict, DomainError
from common.money import from_fen

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


def renewal_offer(balloon_fen: int, rate: str, start: date, term: int) -> RenewalOffer:
    """The balloon refinanced over `term` months from `start` at `rate` (annuity, in arrears),
    priced by the product quote engine."""
    req = QuoteRequest(
        principal=f"{from_fen(balloon_fen):.2f}", term_months=term, start_date=start,
        annual_rate_percent=rate,
    )  # fmt: skip
    q = quote_for(msgspec.json.encode(req))
    return RenewalOffer(
        principal=f"{q.principal:.2f}", term_months=term,
        monthly_payment=f"{q.monthly_payment:.2f}",
        annualised_rate_percent=str(q.annualised_rate_percent), start_date=start,
    )  # fmt: skip


async def renewal_offers(db: AsyncSession, contract: Contract, end: date) -> list[RenewalOffer]:
    """Offers when a balloon is left to refinance, at the contract's nominal rate."""
    balloon = int(contract.document["terms"]["balloon_fen"])
    if not balloon:
        return []
    rate = str(contract.document["terms"]["nominal_rate_percent"])
    return [renewal_offer(balloon, rate, end, term) for term in RENEWAL_TERMS]


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
    renewal = await renewal_offers(db, contract, end) if is_open else []
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
    quote, offer, slot = None, None, None
    if body.option == "buyout":
        quote = await payoff.create_quote(db, contract, None, today, now, actor, buyout=True)
    elif body.option == "renewal":
        offer = next((o for o in s["renewal"] if o.term_months == body.renewal_term_months), None)
        if offer is None:
            raise DomainError(
                "renewal_unavailable", "没有该续租方案（无尾款或期限不在可选范围）",
                "no such renewal offer", fields={"renewal_term_months": "renewal_unavailable"},
            )  # fmt: skip
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
    await audit.record(
        db, actor=actor, action="contract.end_of_term_chosen", entity_type="contract",
        entity_id=contract.id, at=now,
        detail={"option": body.option, "slot_at": slot.isoformat() if slot else None,
                "quote_id": choice.quote_id},
    )  # fmt: skip
    return choice, quote, offer
