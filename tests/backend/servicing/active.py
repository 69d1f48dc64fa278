"""An active (signed and funded) contract for servicing tests, through the real API."""

from __future__ import annotations

from typing import Any

from backend.settings import Settings
from tests.backend.contracts.flow import (
    Client,
    approved,
    contract_for,
    fund,
    funder_key,
    lessee_login,
    sign,
)
from tests.backend.risk.helpers import CLEAN

MOBILE = "13800138000"


async def active_contract(
    client: Client, settings: Settings, id_number: str = CLEAN, mobile: str = MOBILE
) -> tuple[dict[str, Any], dict[str, str]]:
    """(the contract as the lessee sees it, the lessee's headers)."""
    contract = await contract_for(client, await approved(client, id_number, mobile=mobile))
    lessee = await lessee_login(client, mobile, id_number)
    assert (await sign(client, lessee, contract["id"], mobile)).status_code == 200
    key = await funder_key(settings)
    r = await fund(client, key, contract["id"], contract["principal"])
    assert r.status_code == 200, r.text
    r = await client.get(f"/api/contracts/{contract['id']}", headers=lessee)
    return r.json(), lessee
