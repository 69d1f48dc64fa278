"""Reminders the daily sweep plans (one row per contract, kind, revision, instalment, step and
channel — unique, so a step is planned once however often the day runs) and the pass that sends
the pending ones outside quiet hours, each exactly once (a conditional UPDATE claims it in the
same transaction as the outbox write or the notification)."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from backend.db.base import new_id
from backend.db.models import (
    Contract,
    ContractInstalment,
    Customer,
    Notification,
    Reminder,
    ServiceDates,
)
from backend.db.upsert import upsert_ignore
from backend.providers.base import ProviderUnavailable
from backend.providers.sms import SmsSenderFactory
from backend.security.pii import PiiCipher
from backend.servicing import dues
from common.contracts import ContractStatus
from common.reminders import (
    ReminderKind,
    in_quiet_hours,
    rent_message,
    send_after,
    service_message,
    steps_on,
)
from common.servicing.policy import STANDARD, ServicingPolicy

log = logging.getLogger(__name__)
CHANNELS = ("sms", "app")
SEND_BATCH = 200


async def plan(
    db: AsyncSession, contract: Contract, *, kind: ReminderKind, revision: int, number: int,
    step: int, due_date: date, amount_fen: int, now: datetime, policy: ServicingPolicy,
) -> None:  # fmt: skip
    at = send_after(now, policy.quiet_from, policy.quiet_until)
    for channel in CHANNELS:
        await db.execute(
            upsert_ignore(
                db, Reminder, ["contract_id", "kind", "revision", "number", "step", "channel"],
                id=new_id(), contract_id=contract.id, customer_id=contract.customer_id,
                kind=kind.value, revision=revision, number=number, step=step, channel=channel,
                due_date=due_date, amount_fen=amount_fen, status="pending", created_at=now,
                send_after=at,
            )
        )  # fmt: skip


async def plan_rent(
    db: AsyncSession, contract: Contract, rows: Sequence[ContractInstalment], day: date,
    now: datetime, policy: ServicingPolicy, opted_out: set[int],
) -> None:  # fmt: skip
    """The rent reminders of `day`: each step (T-3 ... T+7) falling on it for an instalment still
    owing, unless the lessee opted out of that step and it is not mandatory."""
    for row in rows:
        owes = dues.state(row).lessee_owes
        if owes <= 0:
            continue
        for step in steps_on(day, row.due_date, policy.reminder_days):
            if step in opted_out and step not in policy.mandatory_reminder_days:
                continue
            await plan(db, contract, kind=ReminderKind.RENT, revision=row.revision,
                       number=row.number, step=step, due_date=row.due_date, amount_fen=owes,
                       now=now, policy=policy)  # fmt: skip


async def _still_relevant(db: AsyncSession, r: Reminder, contract: Contract) -> bool:
    if contract.status != ContractStatus.ACTIVE.value:
        return False
    if r.kind == ReminderKind.RENT.value:
        row = await db.scalar(
            select(ContractInstalment).where(
                ContractInstalment.contract_id == r.contract_id,
                ContractInstalment.revision == r.revision,
                ContractInstalment.number == r.number,
            )
        )
        return (
            row is not None and contract.revision == r.revision and dues.state(row).lessee_owes > 0
        )
    dates = await db.get(ServiceDates, r.contract_id)
    return dates is not None


async def send_due(
    sessions: async_sessionmaker[AsyncSession], now: datetime, sms_for: SmsSenderFactory,
    pii: PiiCipher, policy: ServicingPolicy = STANDARD,
) -> int:  # fmt: skip
    """Send the pending reminders whose time has come (none in quiet hours); how many went out.
    What was paid meanwhile is skipped. Safe on many workers: each row is claimed by an UPDATE
    from pending, in the transaction that writes the SMS outbox or the notification."""
    if in_quiet_hours(now, policy.quiet_from, policy.quiet_until):
        return 0
    sent = 0
    while True:
        async with sessions() as db:
            batch = list(
                await db.scalars(
                    select(Reminder)
                    .where(Reminder.status == "pending", Reminder.send_after <= now)
                    .order_by(Reminder.send_after, Reminder.id)
                    .limit(SEND_BATCH)
                )
            )
            if not batch:
                await db.rollback()
                return sent
            sms = sms_for(db)
            for r in batch:
                n = await _send_one(db, r, now, sms, pii)
                sent += n
            await db.commit()


async def _send_one(db: AsyncSession, r: Reminder, now: datetime, sms: object,
                    pii: PiiCipher) -> int:  # fmt: skip
    contract = await db.get(Contract, r.contract_id)
    assert contract is not None
    relevant = await _still_relevant(db, r, contract)
    try:
        async with db.begin_nested():
            claimed = await db.execute(
                update(Reminder)
                .where(Reminder.id == r.id, Reminder.status == "pending")
                .values(status="sent" if relevant else "skipped", sent_at=now)
                .execution_options(synchronize_session=False)
            )
            if claimed.rowcount != 1 or not relevant:  # type: ignore[attr-defined]
                return 0
            kind = ReminderKind(r.kind)
            message = (
                rent_message(contract.number, r.due_date, r.step, r.amount_fen)
                if kind is ReminderKind.RENT
                else service_message(kind, contract.number, r.due_date, r.step)
            )
            if r.channel == "app":
                note = Notification(
                    id=new_id(), customer_id=r.customer_id, contract_id=r.contract_id,
                    kind=f"{r.kind}_reminder", title=message.title, body=message.body,
                    created_at=now,
                )  # fmt: skip
                db.add(note)
                message_id = note.id
            else:
                customer = await db.get(Customer, r.customer_id)
                assert customer is not None
                mobile = pii.decrypt(customer.mobile_enc, context="customer.mobile")
                message_id = await sms.send(  # type: ignore[attr-defined]
                    mobile, f"【AutoLease】{message.body}", purpose=f"{r.kind}_reminder"
                )
            await db.execute(
                update(Reminder).where(Reminder.id == r.id).values(message_id=message_id)
                .execution_options(synchronize_session=False)
            )  # fmt: skip
    except ProviderUnavailable:
        log.warning("reminder %s: the SMS gateway is unavailable; it stays pending", r.id)
        return 0
    return 1
