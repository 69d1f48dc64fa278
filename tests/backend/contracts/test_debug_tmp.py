import logging
from tests.backend.contracts.flow import approved
from tests.backend.helpers import login

async def test_dbg(client):
    logging.basicConfig(level=logging.DEBUG)
    client.app.debug = True
    app_id = await approved(client, mobile="13912340001")
    staff = await login(client, "staff")
    r = await client.post(f"/api/applications/{app_id}/contract", headers=staff)
    print(r.text[:3000])
