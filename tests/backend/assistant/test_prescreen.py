"""The pre-screen 融资预审: the assistant asks the vehicle, price, down payment, term and city,
quotes on the lessor's products, pre-checks with the rule engine's subset and, given a number,
hands a draft application to the shop nearest the visitor."""

from __future__ import annotations

from sqlalchemy import select

from backend.db.models import Handover
from backend.db.session import make_engine, make_sessionmaker
from tests.backend.assistant.helpers import conversation, say
from tests.backend.helpers import login

NEED = ("比亚迪秦PLUS 新车", "12万", "3万", "36期", "北京朝阳")


async def test_a_visitor_gets_a_quote_and_a_pre_check(client):
    start = await say(client, "我想买辆车帮我算算月供")
    assert start["topic"] == "prescreen"
    assert "什么车" in start["answer"]
    reply = await conversation(client, start, *NEED)
    quote, check = reply["quote"], reply["precheck"]
    assert quote["product_id"] == "p-nev-promo"  # the NEV product fits a new 秦PLUS best
    assert (quote["price"], quote["down_payment"], quote["financed"]) == (
        "120000",
        "30000",
        "90000.00",
    )
    assert quote["term_months"] == 36
    assert (
        quote["monthly_payment"] in reply["answer"].replace(",", "") or "每月约" in reply["answer"]
    )
    assert check["outcome"] == "likely"
    assert check["checks"] >= 8  # the default rule set's subset
    assert "手机号" in reply["answer"]  # it offers the shop next


async def test_what_the_rules_would_decline_is_said_with_the_reason(client):
    start = await say(client, "帮我预审一下融资需求，算算月供")
    # ¥300,000 for a 秦PLUS (new ¥79,800–135,800): far above its value — the toy-car check
    reply = await conversation(client, start, "秦PLUS", "30万", "20%", "24期", "上海")
    assert reply["precheck"]["outcome"] == "unlikely"
    assert any("评估价" in r for r in reply["precheck"]["reasons"])
    assert "可能无法通过" in reply["answer"]


async def test_an_answer_that_cannot_be_read_is_asked_again(client):
    start = await say(client, "我想租一辆车")
    again = await say(client, "一辆飞船", start["conversation_id"])
    assert "没有在车型库里找到" in again["answer"]
    reply = await conversation(client, again, "朗逸 2021年二手车", "很贵", "8万")
    assert "首付" in reply["answer"]  # the price was read at the second try
    cancelled = await say(client, "算了", reply["conversation_id"])
    assert "取消" in cancelled["answer"]
    assert (await say(client, "GPS费多少钱", reply["conversation_id"]))["topic"] == "gps_fee"


async def test_the_need_becomes_a_draft_in_the_nearest_shops_list(client, settings):
    start = await say(client, "我想租一辆车")
    reply = await conversation(client, start, *NEED, "我的手机 139 0000 1234")
    handover = reply["handover"]
    assert handover["kind"] == "draft"
    assert handover["shop"].startswith("城东轮胎店")  # 110105: the east shop is in 朝阳
    assert handover["mobile"] == "139****1234"
    assert "13900001234" not in str(reply)
    east = await login(client, "staff")
    listed = (await client.get("/api/applications", headers=east)).json()
    mine = [a for a in listed if a["id"] == handover["application_id"]]
    assert len(mine) == 1
    assert mine[0]["status"] == "draft"
    assert mine[0]["model_name"].startswith("秦PLUS")
    assert mine[0]["monthly_payment"] is not None
    view = (await client.get(f"/api/applications/{mine[0]['id']}", headers=east)).json()
    assert view["product"]["id"] == "p-nev-promo"
    assert view["vehicle"] is None  # no VIN yet: the clerk scans it when the customer comes
    west = await login(client, "staff2")
    assert handover["application_id"] not in {
        a["id"] for a in (await client.get("/api/applications", headers=west)).json()
    }
    r = await client.get(f"/api/applications/{mine[0]['id']}", headers=west)
    assert r.status_code == 404
    inbox = (await client.get("/api/assistant/handovers", headers=east)).json()
    assert [i["handover"]["id"] for i in inbox["items"]] == [handover["id"]]
    assert (await client.get("/api/assistant/handovers", headers=west)).json()["items"] == []
    engine = make_engine(settings.database_url)
    async with make_sessionmaker(engine)() as db:
        row = await db.scalar(select(Handover).where(Handover.id == handover["id"]))
        assert row is not None
        assert "13900001234" not in (row.mobile_enc or "")  # encrypted at rest
    await engine.dispose()


async def test_a_need_far_from_any_shop_goes_to_the_service_team(client):
    start = await say(client, "我想租一辆车")
    reply = await conversation(
        client, start, "哈弗H6", "13万", "30%", "3年", "乌鲁木齐", "13900002222"
    )
    assert reply["handover"]["kind"] == "callback"
    assert reply["handover"]["application_id"] is None
    admin = await login(client, "admin")
    inbox = (await client.get("/api/assistant/handovers", headers=admin)).json()
    assert inbox["items"][0]["handover"]["id"] == reply["handover"]["id"]
    assert inbox["items"][0]["summary"].startswith("预审转单")
