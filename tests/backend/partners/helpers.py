"""Partners for tests, through the real API (an admin creating a partner, its endpoint, attaching
it to a contract), events enqueued the way the monitoring context will enqueue them, and a
webhook worker on a clock the test moves."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from backend.partners import outbox
from backend.partners.sender import SendLimits
from backend.partners.ssrf import UrlPolicy
from backend.partners.worker import Worker
from backend.providers.registry import sms_senders_for
from backend.security.pii import PiiCipher
from backend.settings import Settings
from tests.backend.contracts.flow import approved, contract_for
from tests.backend.helpers import login

# The worker's clock starts now (the API's clock is the real one: its tokens must be valid).
START = datetime.now(UTC).replace(microsecond=0)
FAST = SendLimits(connect_s=1.0, read_s=0.5, total_s=2.0, max_response_bytes=4096)
CONTACT_MOBILE = "13700009999"


@dataclass
class MovingClock:
    now: datetime = START

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


async def a_contract(client: Any) -> str:
    contract = await contract_for(client, await approved(client))
    return str(contract["id"])


async def partner(client: Any, kind: str = "logistics", name: str = "测试物流") -> str:
    admin = await login(client, "admin")
    r = await client.post("/api/partners/organisations", json={"name": name, "kind": kind},
                          headers=admin)  # fmt: skip
    assert r.status_code == 201, r.text
    return str(r.json()["id"])


async def endpoint(client: Any, org_id: str, url: str,
                   event_types: list[str] | None = None) -> dict[str, Any]:  # fmt: skip
    """The created endpoint and its secret (``{"endpoint": ..., "secret": ...}``)."""
    admin = await login(client, "admin")
    body = {"url": url, "event_types": event_types or ["alert.*"]}
    r = await client.post(f"/api/partners/organisations/{org_id}/endpoints", json=body,
                          headers=admin)  # fmt: skip
    assert r.status_code == 201, r.text
    created: dict[str, Any] = r.json()
    return created


async def attach(
    client: Any, contract_id: str, org_id: str, role: str = "logistics",
    mobile: str = CONTACT_MOBILE, sms: list[str] | None = None,
) -> dict[str, Any]:  # fmt: skip
    admin = await login(client, "admin")
    body: dict[str, Any] = {"organisation_id": org_id, "contact_name": "刘洋",
                            "contact_mobile": mobile}  # fmt: skip
    if sms is not None:
        body["sms_event_types"] = sms
    r = await client.put(f"/api/partners/contracts/{contract_id}/{role}", json=body,
                         headers=admin)  # fmt: skip
    assert r.status_code == 200, r.text
    attached: dict[str, Any] = r.json()
    return attached


async def subscribed_contract(
    client: Any, url: str, event_types: list[str] | None = None
) -> tuple[str, dict[str, Any]]:
    """A contract whose logistics partner has one endpoint at ``url``: (contract id, endpoint
    with its secret)."""
    contract_id = await a_contract(client)
    org_id = await partner(client)
    created = await endpoint(client, org_id, url, event_types)
    await attach(client, contract_id, org_id)
    return contract_id, created


async def enqueue(sessions: Any, settings: Settings, pii: PiiCipher, contract_id: str,
                  event_id: str, now: datetime, event_type: str = "alert.opened",
                  payload: dict[str, Any] | None = None) -> list[str]:  # fmt: skip
    async with sessions() as db:
        added = await outbox.enqueue(
            db, event_type, event_id, contract_id,
            payload or {"alert_id": event_id, "severity": "high"}, now,
            pii=pii, sms=sms_senders_for(settings, pii)(db),
        )  # fmt: skip
        await db.commit()
    return added


def worker(sessions: Any, settings: Settings, pii: PiiCipher, clock: MovingClock,
           resolver: Any = None, limits: SendLimits = FAST) -> Worker:  # fmt: skip
    async def no_dns(host: str, port: int) -> list[str]:
        raise OSError(f"the tests resolve nothing: {host}")

    return Worker(sessions, pii, UrlPolicy.for_settings(settings), clock,
                  resolver=resolver or no_dns, limits=limits, jitter=lambda: 0.5)  # fmt: skip
