"""The demo's conversations: a newcomer who signs in as admin finds yesterday's three in the
inbox — a person by day, a callback at night, a pre-screened need at the east shop — and the
east shop's clerk finds the need's draft."""

from __future__ import annotations

from datetime import UTC, datetime

from backend.assistant.demo import seed_demo_conversations
from backend.db.session import make_engine, make_sessionmaker
from backend.intake.catalogue import Catalogue
from backend.security.pii import PiiCipher
from tests.backend.helpers import login


async def test_the_demo_inbox_holds_three_conversations(client, settings):
    engine = make_engine(settings.database_url)
    pii = PiiCipher(settings.pii_key_bytes(), settings.lookup_key_bytes())
    async with make_sessionmaker(engine)() as db:
        assert await seed_demo_conversations(db, pii, Catalogue.load(), datetime.now(UTC)) == 3
        assert await seed_demo_conversations(db, pii, Catalogue.load(), datetime.now(UTC)) == 0
    await engine.dispose()
    inbox = await client.get("/api/assistant/handovers", headers=await login(client, "admin"))
    kinds = sorted(i["handover"]["kind"] for i in inbox.json()["items"])
    assert kinds == ["callback", "draft", "live"]
    east = await login(client, "staff")
    (item,) = (await client.get("/api/assistant/handovers", headers=east)).json()["items"]
    assert item["handover"]["mobile"] == "139****8888"
    drafts = (await client.get("/api/applications?status=draft", headers=east)).json()
    assert item["handover"]["application_id"] in {a["id"] for a in drafts}
