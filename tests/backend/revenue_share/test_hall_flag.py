"""The hall says which of a lessee's contracts share revenue, so the app offers the report."""

from __future__ import annotations

from tests.backend.revenue_share.helpers import sharing_lease
from tests.backend.servicing.helpers import active


async def test_only_a_revenue_sharing_lease_is_flagged_in_the_hall(client, settings):
    sharing, lessee = await sharing_lease(client, settings)
    hall = (await client.get("/api/me/hall", headers=lessee)).json()
    assert {c["id"]: c["revenue_share"] for c in hall["contracts"]} == {sharing["id"]: True}
    plain, other = await active(client, settings, id_number="110101198001010053",
                                mobile="13912340077")  # fmt: skip
    hall = (await client.get("/api/me/hall", headers=other)).json()
    assert {c["id"]: c["revenue_share"] for c in hall["contracts"]} == {plain["id"]: False}
