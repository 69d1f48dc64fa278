"""The demo holds what the lessee's hall needs: one contract signed months ago, funded and
booked (balanced books), its past rents paid, with an extension request referred to a risk
officer; a pickup's balloon lease near its end (renewal on offer); and one awaiting signature,
all the demo lessee's; and the partner companies' contracts, each in its family's words."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

from sqlalchemy import select

from backend.contracts import service
from backend.db.models import Application, Contract, User
from backend.intake.catalogue import Catalogue
from backend.ledger import service as ledger
from backend.providers.registry import sms_senders_for
from backend.security.pii import PiiCipher
from backend.seed import seed_demo_data
from common.api.intake import ApplicationStatus
from common.business_day import business_date
from tests.backend.auth.lessee_helpers import session as session_of
from tests.backend.contracts.conftest import pdf_pages
from tests.backend.helpers import login


async def test_the_demo_lessee_has_an_active_contract_and_one_to_sign(client, settings):
    async with session_of(settings) as db:
        assert await seed_demo_data(db, settings) == 8 + 3  # and one per partner family
        lessee = await db.scalar(select(User).where(User.username == "lessee"))
        assert lessee is not None  # its contracts (the charging operator has one too)
        contracts = list(await db.scalars(select(Contract).where(
            Contract.customer_id == lessee.customer_id).order_by(Contract.created_at)))  # fmt: skip
        assert await ledger.unbalanced_entries(db) == []
        assert (await ledger.trial_balance(db)).balanced
    assert [c.status for c in contracts] == ["active", "active", "awaiting_signature"]
    active_row = contracts[1]  # [0] is the pickup near its end
    assert (datetime.now(UTC) - active_row.activated_at).days >= 90
    lessee = await login(client, "lessee")
    mine = (await client.get("/api/contracts", headers=lessee)).json()
    assert sorted(c["status"] for c in mine) == ["active", "active", "awaiting_signature"]
    active = next(c for c in mine if c["id"] == active_row.id)
    schedule = (await client.get(f"/api/contracts/{active['id']}/schedule", headers=lessee)).json()
    today = business_date(datetime.now(UTC))
    past = [i for i in schedule if date.fromisoformat(i["due_date"]) < today]
    assert len(past) >= 3  # a few months of the schedule are behind it
    # paid on their due dates, but for the latest: overdue, for the hall and collections to show
    assert [i["status"] for i in past] == ["paid"] * (len(past) - 1) + ["overdue"]
    hall = (await client.get("/api/me/hall", headers=lessee)).json()
    headline = next(c for c in hall["contracts"] if c["id"] == active["id"])
    assert headline["instalments_paid"] == len(past) - 1 and headline["overdue"] != "0.00"
    # and their extension request waits for a risk officer
    risk = await login(client, "risk")
    queue = (await client.get("/api/extensions", params={"status": "referred"},
                              headers=risk)).json()  # fmt: skip
    assert [e["contract_id"] for e in queue] == [active["id"]]
    assert (settings.data_dir / "funder-api-key.txt").read_text().startswith("alf_")


async def test_the_demo_pickup_is_near_its_end_with_every_rent_paid(client, settings):
    async with session_of(settings) as db:
        await seed_demo_data(db, settings)
        pickup = (await db.scalars(select(Contract).order_by(Contract.created_at))).first()
    assert pickup is not None and pickup.document["terms"]["balloon_fen"] > 0
    lessee = await login(client, "lessee")
    url = f"/api/contracts/{pickup.id}"
    schedule = (await client.get(f"{url}/schedule", headers=lessee)).json()
    today = business_date(datetime.now(UTC))
    past = [i for i in schedule if date.fromisoformat(i["due_date"]) < today]
    assert past and {i["status"] for i in past} == {"paid"}
    eot = (await client.get(f"{url}/end-of-term", headers=lessee)).json()
    assert eot["open"] is True
    assert {o["code"] for o in eot["options"] if o["available"]} == {"renewal", "buyout", "return"}
    assert [o["term_months"] for o in eot["renewal"]] == [12, 24, 36]


async def test_the_demos_partner_contracts_are_worded_by_their_family(client, settings, tmp_path):
    pii = PiiCipher(settings.pii_key_bytes(), settings.lookup_key_bytes())
    now = datetime.now(UTC)
    async with session_of(settings) as db:
        await seed_demo_data(db, settings)
        partners = list(await db.scalars(select(Application).where(
            Application.product_family != "vehicle",
            Application.status == ApplicationStatus.APPROVED.value)))  # fmt: skip
        texts = {}
        for app in partners:  # the charging operator's is signed; the job makes the others'
            contract = await service.generate(
                db, pii, Catalogue.load(), sms_senders_for(settings, pii)(db), None, app.id, now,
                app_url=settings.app_url,
            )  # fmt: skip
            await db.commit()
            pdf = service.document_pdf(pii, contract)
            texts[app.product_family] = re.sub(r"\s+", "", "".join(pdf_pages(pdf, tmp_path)))
    assert sorted(texts) == ["charging_pile", "freight_advance", "supplier_finance"]
    own = {
        "supplier_finance": ("应收账款融资合同（有追索权）", "转让通知", "追索权", "华东汽车集团"),
        "freight_advance": ("运费垫付融资合同", "运费应收款质押", "SD2026120300187"),
        "charging_pile": ("充电桩设备融资租赁合同", "电费分账", "当月电费收入的15%",
                          "GV120-2026-0024"),
    }  # fmt: skip
    for family, text in texts.items():
        assert [w for w in own[family] if w not in text] == [], family
        assert "车载定位装置" not in text and "机动车" not in text, family
