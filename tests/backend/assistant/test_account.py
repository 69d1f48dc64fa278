"""Account answers 账户问答: a signed-in lessee asks what is due and whether the extension was
approved and hears their own contracts only; a visitor is told to sign in; a shop hears its own
applications."""

from __future__ import annotations

from tests.backend.assistant.helpers import say
from tests.backend.helpers import login
from tests.backend.risk.helpers import CLEAN, CLEAN_2
from tests.backend.servicing.active import active_contract


async def test_each_lessee_hears_their_own_next_instalment_and_never_anothers(client, settings):
    mine, me = await active_contract(client, settings, CLEAN, "13800138000")
    theirs, them = await active_contract(client, settings, CLEAN_2, "13800138001")
    reply = await say(client, "我下期还多少？什么时候扣款？", headers=me)
    assert reply["topic"] == "account_next_due"
    assert mine["number"] in reply["answer"]
    assert theirs["number"] not in reply["answer"]
    first = mine["schedule"][0]
    assert f"¥{first['amount_due']}" in reply["answer"].replace(",", "")
    assert first["due_date"] in reply["answer"]
    other = await say(client, "下个月我要还多少钱", headers=them)
    assert theirs["number"] in other["answer"]
    assert mine["number"] not in other["answer"]


async def test_a_lessee_hears_how_their_extension_stands(client, settings):
    contract, me = await active_contract(client, settings)
    reply = await say(client, "我的展期批了吗？", headers=me)
    assert reply["topic"] == "account_extension"
    assert "还没有提交过展期申请" in reply["answer"]
    r = await client.post(
        f"/api/contracts/{contract['id']}/extensions",
        json={"months_to_add": 6, "reason": "资金周转"},
        headers=me,
    )
    assert r.status_code == 201, r.text
    status = r.json()["status"]
    reply = await say(client, "我申请的延期通过没有", headers=me)
    assert contract["number"] in reply["answer"]
    assert "6 个月" in reply["answer"]
    assert {"approved": "已通过", "referred": "审核中", "declined": "未通过"}[status] in reply[
        "answer"
    ]


async def test_a_visitor_asking_about_their_account_is_told_to_sign_in(client, settings):
    await active_contract(client, settings)
    reply = await say(client, "我下期还多少？什么时候扣款？")
    assert reply["topic"] == "account_next_due"
    assert reply["sign_in_needed"] is True
    assert "登录" in reply["answer"]
    assert "AL-" not in reply["answer"]  # no contract number without a sign-in


async def test_a_shop_hears_its_own_applications(client, settings):
    await active_contract(client, settings)  # filed by the east shop's clerk
    east = await say(client, "我们店提交的单子批了没", headers=await login(client, "staff"))
    assert east["topic"] == "account_applications"
    assert "共有 1 笔进件" in east["answer"]
    west = await say(client, "我们店提交的单子批了没", headers=await login(client, "staff2"))
    assert "没有进件" in west["answer"]
