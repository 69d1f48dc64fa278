"""Floor-plan tests through the real API: a line for a demo dealer, drawdowns, the books."""

from __future__ import annotations

from itertools import count
from typing import Any

from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession

from backend.db.session import make_engine, make_sessionmaker
from backend.ledger import service as ledger
from backend.risk.demo import make_vin
from backend.settings import Settings
from common.ledger import Account
from tests.backend.helpers import login

Client = AsyncTestClient  # type: ignore[type-arg]
EAST, WEST = "org-shop-east", "org-shop-west"
_serial = count(1)
_keys = count(1)


def new_vin() -> str:
    return make_vin("LFV", 2026, 500_000 + next(_serial), vds="3A28K")


def key() -> dict[str, str]:
    return {"Idempotency-Key": f"fp-test-{next(_keys)}"}


def line_body(**over: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "limit": "1000000.00", "annual_rate_percent": "7.2", "max_days": 180,
        "plan": {"first_after_days": 90, "every_days": 30, "percent": "10"},
    }  # fmt: skip
    body.update(over)
    return body


async def give_line(client: Client, dealer: str = EAST, **over: Any) -> dict[str, Any]:
    admin = await login(client, "admin")
    r = await client.put(f"/api/floorplan/lines/{dealer}", json=line_body(**over), headers=admin)
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


async def draw(
    client: Client, headers: dict[str, str], vin: str, amount: str = "200000.00",
    payee: str = "一汽-大众销售有限责任公司", **extra: Any,
) -> Any:  # fmt: skip
    body = {"vin": vin, "invoice_amount": amount, "payee": payee, **extra}
    return await client.post("/api/floorplan/drawdowns", json=body, headers={**headers, **key()})


async def drawn(client: Client, headers: dict[str, str], vin: str, amount: str = "200000.00"):
    r = await draw(client, headers, vin, amount)
    assert r.status_code == 201, r.text
    return r.json()


class Books:
    """Direct reads of the database the app under test writes."""

    def __init__(self, settings: Settings) -> None:
        self.engine = make_engine(settings.database_url)
        self.sessions = make_sessionmaker(self.engine)

    async def __aenter__(self) -> AsyncSession:
        self.db = self.sessions()
        return self.db

    async def __aexit__(self, *exc: object) -> None:
        await self.db.close()
        await self.engine.dispose()


async def unit_balances(settings: Settings, unit_id: str) -> dict[Account, int]:
    async with Books(settings) as db:
        return await ledger.contract_balances(db, unit_id)
