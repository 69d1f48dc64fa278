"""The demo's partners, end to end: the seeded logistics company and insurer point at the
backend's own receiver and are attached to the demo lessee's active contracts; an alert event on
one of them reaches the real backend (served by uvicorn on 127.0.0.1), whose receiver verifies
the signature and lists the delivery on its page."""

from __future__ import annotations

import asyncio
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

import httpx
import uvicorn
from sqlalchemy import select

from backend.app import create_app
from backend.db.models import Contract, ContractPartner, User, WebhookEndpoint
from backend.seed import seed_demo_data
from backend.settings import Settings
from common.contracts import ContractStatus
from tests.backend.auth.lessee_helpers import session as session_of
from tests.backend.partners.helpers import MovingClock, enqueue, worker


@contextmanager
def serving(settings: Settings, sock: socket.socket) -> Iterator[None]:
    """The real app on ``sock``, in a thread with a loop of its own."""
    config = uvicorn.Config(create_app(settings), log_level="warning", lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=lambda: asyncio.run(server.serve(sockets=[sock])))
    thread.start()
    try:
        for _ in range(200):
            if server.started:
                break
            threading.Event().wait(0.05)
        yield
    finally:
        server.should_exit = True
        thread.join(10)


async def test_the_demo_partners_deliveries_are_verified_by_the_demo_receiver(
    client, sessions, settings, pii
):
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    demo = settings.with_(public_url=f"http://127.0.0.1:{sock.getsockname()[1]}")
    async with session_of(demo) as db:
        await seed_demo_data(db, demo)
    async with sessions() as db:
        endpoints = {e.organisation_id: e for e in await db.scalars(select(WebhookEndpoint))}
        lessee = await db.scalar(select(User).where(User.username == "lessee"))
        assert lessee is not None  # the partners watch the demo lessee's vehicles
        active = set(await db.scalars(
            select(Contract.id).where(Contract.status == ContractStatus.ACTIVE.value,
                                      Contract.customer_id == lessee.customer_id)
        ))  # fmt: skip
        attached = list(await db.scalars(select(ContractPartner)))
    assert set(endpoints) == {"org-logistics", "org-insurer"}
    assert endpoints["org-logistics"].url == demo.public_url + (
        "/api/demo/webhook-receiver/suda-logistics"
    )
    assert len(active) == 2
    assert {(p.contract_id, p.role) for p in attached} == {
        (c, r) for c in active for r in ("logistics", "insurer")
    }

    contract_id = sorted(active)[0]
    now = datetime.now(UTC)  # the receiver checks the timestamp against its own clock
    added = await enqueue(sessions, demo, pii, contract_id, "evt-demo-1", now)
    assert len(added) == 2  # both subscribe to alert.opened
    with serving(demo, sock):
        counts = await worker(sessions, demo, pii, MovingClock(now)).run_once()
        page = httpx.get(demo.public_url + "/demo/webhook-receiver", timeout=5)
    assert counts == {"delivered": 6}  # this event's two, and the demo vehicles' two alerts'
    assert page.status_code == 200
    assert page.text.count("通过 yes") == 6 and "未通过" not in page.text
    assert "suda-logistics" in page.text and "anxin-insurance" in page.text
