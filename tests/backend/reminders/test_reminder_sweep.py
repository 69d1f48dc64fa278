"""Reminders from the daily sweep on both databases: once per step (T-3, T0, T+1, T+3, T+7) by SMS
and in the app, deferred out of quiet hours, opt-outs honoured except the mandatory steps; the
lessee's notifications and preferences through the API; insurance and 年检 reminders by date."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa

from backend.db.models import Notification, Reminder, ReminderPreference, ServiceDates, User
from backend.jobs import servicing_sweep
from backend.providers.registry import sms_senders_for
from backend.reminders import planner
from tests.backend.helpers import login
from tests.backend.jobs.books import add_contract, sms_texts

DUE = date(2026, 3, 10)
RENT = (300_000, 5_000)
MOBILE = "13912345678"


def at(day: date, hour: int) -> datetime:
    """`hour` o'clock in Shanghai on `day`."""
    return datetime(day.year, day.month, day.day, tzinfo=UTC) + timedelta(hours=hour - 8)


async def test_each_step_is_reminded_once_by_sms_and_in_the_app(sessions, settings, pii) -> None:
    c = await add_contract(sessions, pii, [(DUE, *RENT)], number="ZL-R-0001", mobile=MOBILE)
    sms_for = sms_senders_for(settings, pii)
    for day in [DUE + timedelta(days=i) for i in range(-5, 10)]:
        for _ in range(2):  # every day twice: nothing more is sent
            await servicing_sweep.run_day(sessions, day, at(day, 10), sms_for, pii)
    texts = await sms_texts(sessions, pii, MOBILE)
    assert len(texts) == 5
    assert "将于3月10日到期应还¥3,050.00" in texts[0] and "今日" in texts[1]
    assert "已逾期1天" in texts[2] and "已逾期3天" in texts[3] and "已逾期7天" in texts[4]
    async with sessions() as db:
        steps = list(
            await db.scalars(
                sa.select(Reminder.step)
                .where(Reminder.contract_id == c.id, Reminder.channel == "app")
                .order_by(Reminder.step)
            )
        )
        notes = await db.scalar(sa.select(sa.func.count()).select_from(Notification).where(
            Notification.customer_id == c.customer_id))  # fmt: skip
    assert steps == [-3, 0, 1, 3, 7] and notes == 5


async def test_a_reminder_due_in_quiet_hours_waits_for_the_morning(sessions, settings, pii) -> None:
    await add_contract(sessions, pii, [(DUE, *RENT)], number="ZL-R-0002", mobile=MOBILE)
    sms_for = sms_senders_for(settings, pii)
    day = DUE - timedelta(days=3)
    await servicing_sweep.run_day(sessions, day, at(day, 0), sms_for, pii)  # the day's start
    assert await sms_texts(sessions, pii, MOBILE) == []
    assert await planner.send_due(sessions, at(day, 7) + timedelta(minutes=59), sms_for, pii) == 0
    assert await planner.send_due(sessions, at(day, 8), sms_for, pii) == 2  # SMS and app
    assert len(await sms_texts(sessions, pii, MOBILE)) == 1
    assert await planner.send_due(sessions, at(day, 9), sms_for, pii) == 0


async def test_a_paid_rent_is_not_reminded(sessions, settings, pii) -> None:
    from backend.servicing import dues

    c = await add_contract(sessions, pii, [(DUE, *RENT)], number="ZL-R-0003", mobile=MOBILE)
    async with sessions() as db:
        contract = await dues.locked(db, c.id)
        assert contract is not None
        await dues.apply(db, contract, 305_000, reference="p", paid_on=DUE, at=at(DUE, 9))
        await db.commit()
    sms_for = sms_senders_for(settings, pii)
    for day in (DUE - timedelta(days=3), DUE, DUE + timedelta(days=1)):
        await servicing_sweep.run_day(sessions, day, at(day, 10), sms_for, pii)
    assert await sms_texts(sessions, pii, MOBILE) == []


async def test_opt_outs_are_honoured_except_the_mandatory_steps(sessions, settings, pii) -> None:
    c = await add_contract(sessions, pii, [(DUE, *RENT)], number="ZL-R-0004", mobile=MOBILE)
    now = at(DUE, 9)
    async with sessions() as db:  # as if written before the rule: off for T-3 and T+1
        for step in (-3, 1):
            db.add(ReminderPreference(customer_id=c.customer_id, step=step, enabled=False,
                                      updated_at=now))  # fmt: skip
        await db.commit()
    sms_for = sms_senders_for(settings, pii)
    for day in [DUE + timedelta(days=i) for i in range(-3, 8)]:
        await servicing_sweep.run_day(sessions, day, at(day, 10), sms_for, pii)
    async with sessions() as db:
        steps = list(
            await db.scalars(
                sa.select(Reminder.step)
                .where(Reminder.contract_id == c.id, Reminder.channel == "sms")
                .order_by(Reminder.step)
            )
        )
    assert steps == [0, 1, 3, 7]  # T-3 off; T+1 is mandatory  # fmt: skip


async def _lessee_of(client, sessions, customer_id: str) -> dict[str, str]:
    async with sessions() as db:
        await db.execute(sa.update(User).where(User.username == "lessee").values(
            customer_id=customer_id))  # fmt: skip
        await db.commit()
    return await login(client, "lessee")


async def test_the_lessee_reads_notifications_and_sets_preferences(
    client, sessions, settings, pii
) -> None:
    c = await add_contract(sessions, pii, [(DUE, *RENT)], number="ZL-R-0005", mobile=MOBILE)
    other = await add_contract(sessions, pii, [(DUE, *RENT)], number="ZL-R-0006",
                               mobile="13700001111")  # fmt: skip
    sms_for = sms_senders_for(settings, pii)
    await servicing_sweep.run_day(sessions, DUE, at(DUE, 10), sms_for, pii)
    me = await _lessee_of(client, sessions, c.customer_id)
    r = await client.get("/api/me/notifications", headers=me)
    assert r.status_code == 200, r.text
    [note] = r.json()
    assert note["title"] == "今日还款" and note["read_at"] is None
    r = await client.post(f"/api/me/notifications/{note['id']}/read", headers=me)
    assert r.status_code == 200 and r.json()["read_at"] is not None
    async with sessions() as db:
        theirs = await db.scalar(sa.select(Notification.id).where(
            Notification.customer_id == other.customer_id))  # fmt: skip
    r = await client.post(f"/api/me/notifications/{theirs}/read", headers=me)
    assert r.status_code == 404
    r = await client.get("/api/me/reminder-preferences", headers=me)
    assert [(s["step"], s["enabled"], s["mandatory"]) for s in r.json()["steps"]] == [
        (-3, True, False),
        (0, True, False),
        (1, True, True),
        (3, True, False),
        (7, True, True),
    ]
    r = await client.put("/api/me/reminder-preferences", headers=me,
                         json={"steps": [{"step": 7, "enabled": False}]})  # fmt: skip
    assert r.status_code == 422 and r.json()["code"] == "reminder_mandatory"
    r = await client.put("/api/me/reminder-preferences", headers=me,
                         json={"steps": [{"step": -3, "enabled": False}]})  # fmt: skip
    assert r.status_code == 200, r.text
    assert [s["enabled"] for s in r.json()["steps"]] == [False, True, True, True, True]
    staff = await login(client, "monitor")
    assert (await client.get("/api/me/notifications", headers=staff)).status_code == 403


async def test_insurance_and_inspection_reminders_by_date(client, sessions, settings, pii) -> None:
    c = await add_contract(sessions, pii, [(date(2027, 1, 10), *RENT)], number="ZL-R-0007",
                           mobile=MOBILE)  # fmt: skip
    me = await _lessee_of(client, sessions, c.customer_id)
    body = {"insurance_ends_on": "2026-05-01", "registered_on": "2020-04-08",
            "vehicle_class": "passenger"}  # fmt: skip
    r = await client.put(f"/api/contracts/{c.id}/service-dates", headers=me, json=body)
    assert r.status_code == 200, r.text
    assert r.json()["next_inspection"] >= "2026-04-08"  # years 6, 8, 10 ... from today's clock
    sms_for = sms_senders_for(settings, pii)
    for day in [date(2026, 3, 1) + timedelta(days=i) for i in range(70)]:
        await servicing_sweep.run_day(sessions, day, at(day, 10), sms_for, pii)
    async with sessions() as db:
        got = [tuple(x) for x in (await db.execute(sa.select(
            Reminder.kind, Reminder.due_date, Reminder.step).where(
            Reminder.contract_id == c.id, Reminder.channel == "sms", Reminder.kind != "rent")
            .order_by(Reminder.due_date, Reminder.step))).all()]  # fmt: skip
    assert got == [
        ("inspection", date(2026, 4, 8), -30),
        ("inspection", date(2026, 4, 8), -7),
        ("insurance", date(2026, 5, 1), -30),
        ("insurance", date(2026, 5, 1), -7),
    ]
    texts = await sms_texts(sessions, pii, MOBILE)
    assert sum("年检" in t for t in texts) == 2 and sum("续保" in t for t in texts) == 2
    # Clearing both dates turns them off.
    r = await client.put(f"/api/contracts/{c.id}/service-dates", headers=me, json={})
    assert r.status_code == 200
    async with sessions() as db:
        assert await db.get(ServiceDates, c.id) is None
