"""The collections queue on both databases: cases from the sweep, most delinquent first, masked
lessee details; a collector's actions (audited); a broken promise back on top, flagged; the
contract's timeline in order; only the monitor and admins work the queue."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from backend.jobs import servicing_sweep
from backend.providers.registry import sms_senders_for
from common.business_day import business_date
from tests.backend.helpers import login
from tests.backend.jobs.books import add_contract, balanced

RENT = (300_000, 5_000)


def at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 2, tzinfo=UTC)  # 10:00 in Shanghai


async def test_queue_actions_broken_promise_and_timeline(client, sessions, settings, pii) -> None:
    today = business_date(datetime.now(UTC))  # the API judges "today" by its clock, in Shanghai
    old = await add_contract(sessions, pii, [(today - timedelta(days=40), *RENT)],
                             number="ZL-C-0001", mobile="13912345678")  # fmt: skip
    new = await add_contract(sessions, pii, [(today - timedelta(days=5), *RENT),
                                             (today - timedelta(days=4), 100_000, 0)],
                             number="ZL-C-0002", mobile="13700001111")  # fmt: skip
    current = await add_contract(sessions, pii, [(today + timedelta(days=20), *RENT)],
                                 number="ZL-C-0003")  # fmt: skip
    sms_for = sms_senders_for(settings, pii)
    await servicing_sweep.run_day(sessions, today, at(today), sms_for, pii)
    monitor = await login(client, "monitor")
    r = await client.get("/api/collections/queue", headers=monitor)
    assert r.status_code == 200, r.text
    queue = r.json()
    assert [q["contract_number"] for q in queue] == ["ZL-C-0001", "ZL-C-0002"]
    first, second = queue
    assert (first["bucket"], first["days_past_due"], first["lessee_name"], first["mobile"]) == (
        "M2", 40, "张*", "139****5678")  # fmt: skip
    assert second["bucket"] == "M1" and second["overdue"] == "4059.63"  # with 罚息 ¥7.63 + ¥2.00
    assert current.id not in {q["contract_id"] for q in queue}
    # A promise to pay for the M1 contract, dated yesterday cannot be; today can.
    url = f"/api/collections/cases/{second['case_id']}/actions"
    bad = {"kind": "promise_to_pay", "note": "答应还", "promise_date": str(today - timedelta(1)),
           "promise_amount": "4050.00"}  # fmt: skip
    assert (await client.post(url, json=bad, headers=monitor)).json()["code"] == (
        "promise_date_invalid"
    )
    ok = {**bad, "promise_date": str(today)}
    r = await client.post(url, json=ok, headers=monitor)
    assert r.status_code == 201, r.text
    assert r.json()["case_status"] == "promised"
    r = await client.post(url, json={"kind": "call_note", "note": "已电话沟通"}, headers=monitor)
    assert r.status_code == 201
    # Still promised today: not broken yet, so the M2 stays on top.
    queue = (await client.get("/api/collections/queue", headers=monitor)).json()
    assert [q["broken_promise"] for q in queue] == [False, False]
    assert queue[1]["promise_date"] == str(today) and queue[1]["last_action"] == "call_note"
    # The promise date passes unpaid: tomorrow's queue (seen by the service) puts it first.
    from backend.collections import service

    async with sessions() as db:
        later = await service.queue(db, today + timedelta(days=1))
    assert [(q.contract_number, q.broken_promise) for q in later] == [
        ("ZL-C-0002", True), ("ZL-C-0001", False)]  # fmt: skip
    # The timeline: penalty accrual, bucket change, case opened, the actions, reminders.
    r = await client.get(f"/api/contracts/{new.id}/timeline", headers=monitor)
    assert r.status_code == 200, r.text
    kinds = [e["kind"] for e in r.json()]
    assert kinds.count("collection.action") == 2
    assert {"ledger.posted", "contract.bucket_changed", "collection.case_opened"} <= set(kinds)
    stamps = [e["at"] for e in r.json()]
    assert stamps == sorted(stamps)
    # Only the monitor and admins.
    staff = await login(client, "staff")
    assert (await client.get("/api/collections/queue", headers=staff)).status_code == 403
    lessee = await login(client, "lessee")
    assert (await client.post(url, json=ok, headers=lessee)).status_code == 403
    assert (await client.post("/api/collections/cases/nope/actions", json=ok,
                              headers=monitor)).status_code == 404  # fmt: skip
    await balanced(sessions)
    assert old.id
