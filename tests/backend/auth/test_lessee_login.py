"""Lessee sign-in by SMS code: invite -> the invitation and the code in the sandbox outbox ->
the first sign-in proves the ID's last six -> later ones need only the code. No enumeration;
another lessee's code is no key; the sandbox inbox exists only with the sandbox providers."""

from __future__ import annotations

import httpx
import pytest
import sqlalchemy as sa

from backend.app import create_app
from backend.db.models import User
from backend.providers.registry import FACTORIES, SMS_SENDERS
from tests.backend.auth.concurrency import at_once
from tests.backend.auth.lessee_helpers import CHEN, ZHANG, invite, latest_code, outbox, session

MOBILE = ZHANG[2]
LAST6 = ZHANG[1][-6:]  # "31002X"


async def ask_code(client, mobile: str = MOBILE) -> httpx.Response:
    return await client.post("/api/auth/lessee/code", json={"mobile": mobile})


async def sign_in(client, code: str, mobile: str = MOBILE, **extra) -> httpx.Response:
    return await client.post(
        "/api/auth/lessee/login", json={"mobile": mobile, "code": code, **extra}
    )


async def test_invited_lessee_signs_in_proving_the_id_once(client, settings):
    user_id = await invite(settings)
    invitation = (await outbox(client, MOBILE))[0]
    assert invitation["purpose"] == "lessee_invite" and invitation["mobile"] == "138****5678"
    assert "申请已通过" in invitation["text"] and settings.app_url in invitation["text"]

    sent = await ask_code(client)
    assert sent.status_code == 202 and sent.json() == {"resend_after_s": 60, "expires_in_s": 300}
    code = await latest_code(client, MOBILE)
    first = await sign_in(client, code)
    assert first.status_code == 422 and first.json()["code"] == "identity_required"
    ok = await sign_in(client, code, id_last6=LAST6.lower())  # the same code still works
    assert ok.status_code == 200, ok.text
    body = ok.json()
    assert body["user"]["role"] == "lessee" and body["user"]["id"] == user_id
    assert body["user"]["organisation_id"] == "org-lessor"
    assert body["user"]["display_name"] == "张*"  # masked, like every response
    me = await client.get(
        "/api/auth/me", headers={"Authorization": f"Bearer {body['access_token']}"}
    )
    assert me.status_code == 200 and me.json()["id"] == user_id
    again = await sign_in(client, code, id_last6=LAST6)
    assert again.json()["code"] == "otp_used"

    async with session(settings) as db:
        user = await db.get(User, user_id)
        assert user is not None and user.bound_at is not None and user.customer_id
    await client.post("/api/auth/lessee/code", json={"mobile": "+86 138 1234 5678"})
    assert (await ask_code(client)).status_code == 429  # within the minute, however typed


async def test_after_the_first_sign_in_the_code_alone_is_enough(client, settings, monkeypatch):
    from backend.auth import otp

    monkeypatch.setattr(otp, "RESEND_AFTER", otp.RESEND_AFTER * 0)  # no minute between codes
    await invite(settings)
    await ask_code(client)
    first = await sign_in(client, await latest_code(client, MOBILE), id_last6=LAST6)
    assert first.status_code == 200
    assert (await ask_code(client)).status_code == 202
    later = await sign_in(client, await latest_code(client, MOBILE))
    assert later.status_code == 200, later.text


async def test_a_wrong_last_six_is_refused_and_costs_an_attempt(client, settings):
    await invite(settings)
    await ask_code(client)
    code = await latest_code(client, MOBILE)
    answers = [(await sign_in(client, code, id_last6="000000")).json()["code"] for _ in range(5)]
    assert answers == ["identity_mismatch"] * 4 + ["otp_locked"]
    dead = await sign_in(client, code, id_last6=LAST6)
    assert dead.status_code == 422 and dead.json()["code"] == "otp_locked"


async def test_a_wrong_code_is_otp_invalid(client, settings):
    await invite(settings)
    await ask_code(client)
    code = await latest_code(client, MOBILE)
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    r = await sign_in(client, wrong, id_last6=LAST6)
    assert r.status_code == 422 and r.json()["code"] == "otp_invalid"


async def test_another_lessees_code_does_not_open_this_account(client, settings):
    await invite(settings, ZHANG)
    await invite(settings, CHEN)
    await ask_code(client, CHEN[2])
    chens_code = await latest_code(client, CHEN[2])
    r = await sign_in(client, chens_code, mobile=MOBILE, id_last6=LAST6)
    assert r.status_code == 422 and r.json()["code"] == "otp_invalid"
    chen = await sign_in(client, chens_code, mobile=CHEN[2], id_last6=CHEN[1][-6:])
    assert chen.status_code == 200
    assert chen.json()["user"]["display_name"] == "陈*国"


async def test_an_unknown_number_gets_the_same_answer_and_no_message(client, settings):
    await invite(settings)
    known, unknown = await ask_code(client), await ask_code(client, "13900001111")
    assert (known.status_code, known.json()) == (unknown.status_code, unknown.json())
    assert await outbox(client, "13900001111") == []
    again_known, again_unknown = await ask_code(client), await ask_code(client, "13900001111")
    assert again_known.status_code == again_unknown.status_code == 429
    assert again_known.json() == again_unknown.json()
    assert "Retry-After" in again_known.headers and "Retry-After" in again_unknown.headers
    r = await sign_in(client, "123456", mobile="13900001111", id_last6="000000")
    assert r.status_code == 422 and r.json()["code"] == "otp_invalid"


async def test_the_password_sign_in_refuses_an_sms_lessee(client, settings):
    user_id = await invite(settings)
    async with session(settings) as db:
        username = (await db.get(User, user_id)).username  # type: ignore[union-attr]
    for password in ("", "demo", "!lessee-signs-in-by-sms"):
        body = {"username": username, "password": password or "x"}
        assert (await client.post("/api/auth/login", json=body)).status_code == 401
    demo = await client.post("/api/auth/login", json={"username": "lessee", "password": "demo"})
    assert demo.status_code == 200  # the demo lessee's password account keeps working


async def test_reinviting_with_another_number_moves_the_account_and_asks_the_id_again(
    client, settings, monkeypatch
):
    from backend.auth import otp

    monkeypatch.setattr(otp, "RESEND_AFTER", otp.RESEND_AFTER * 0)
    user_id = await invite(settings)
    await ask_code(client)
    assert (await sign_in(client, await latest_code(client, MOBILE), id_last6=LAST6)).is_success
    assert await invite(settings, mobile="13700001234") == user_id
    before = len(await outbox(client, MOBILE))
    assert (await ask_code(client)).status_code == 202
    assert len(await outbox(client, MOBILE)) == before  # the old number has no account now
    await ask_code(client, "13700001234")
    moved = await sign_in(client, await latest_code(client, "13700001234"), mobile="13700001234")
    assert moved.json()["code"] == "identity_required"


async def test_one_number_belongs_to_one_lessee(client, settings):
    from common.errors import Conflict

    await invite(settings, ZHANG)
    with pytest.raises(Conflict) as caught:
        await invite(settings, CHEN, mobile=MOBILE)
    assert caught.value.code == "lessee_mobile_in_use"


@pytest.mark.parametrize(
    "body",
    [
        {"mobile": "12345"},
        {"mobile": MOBILE, "code": "12345"},
        {"mobile": MOBILE, "code": "１２３４５６"},  # full-width digits
        {"mobile": MOBILE, "code": "123456", "id_last6": "12345\n"},
        {"mobile": MOBILE, "code": "123456", "role": "admin"},
    ],
)
async def test_bad_bodies_are_400(client, body):
    path = "/api/auth/lessee/login" if "code" in body else "/api/auth/lessee/code"
    r = await client.post(path, json=body)
    assert r.status_code == 400, r.text


async def test_no_sandbox_inbox_without_the_sandbox_providers(client, settings, monkeypatch):
    monkeypatch.setitem(FACTORIES, "other", FACTORIES["sandbox"])
    monkeypatch.setitem(SMS_SENDERS, "other", SMS_SENDERS["sandbox"])
    app = create_app(settings.with_(providers="other"))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url=settings.public_url) as c:
        r = await c.get("/api/sandbox/sms", params={"mobile": MOBILE})
        assert r.status_code == 404
        assert (await c.post("/api/auth/lessee/code", json={"mobile": MOBILE})).status_code == 202
    await app.state.engine.dispose()
    assert (await client.get("/api/sandbox/sms", params={"mobile": "x"})).status_code == 422


@pytest.mark.postgres
async def test_concurrent_guesses_are_counted_one_by_one(client, settings):
    await invite(settings)
    await ask_code(client)
    code = await latest_code(client, MOBILE)
    wrong = {"mobile": MOBILE, "code": f"{(int(code) + 1) % 10**6:06d}"}
    responses = await at_once(settings, 12, lambda c: c.post("/api/auth/lessee/login", json=wrong))
    answers = sorted(r.json()["code"] for r in responses)
    assert answers == ["otp_invalid"] * 4 + ["otp_locked"] * 8, answers
    async with session(settings) as db:
        attempts = (await db.execute(sa.text("SELECT attempts FROM otp_codes"))).scalar_one()
    assert attempts == 5


async def test_the_demo_lessee_is_bound_to_the_first_approved_demo_customer(client, settings):
    from backend.seed import seed_demo_data

    async with session(settings) as db:
        assert await seed_demo_data(db, settings) == 8 + 3  # and one per partner family
        lessee = await db.scalar(sa.select(User).where(User.username == "lessee"))
    assert lessee is not None and lessee.customer_id and lessee.bound_at is None
    demo = await client.post("/api/auth/login", json={"username": "lessee", "password": "demo"})
    assert demo.status_code == 200  # the password still works
    assert (await ask_code(client, CHEN[2])).status_code == 202  # 陈建国's number
    code = await latest_code(client, CHEN[2])
    ok = await sign_in(client, code, mobile=CHEN[2], id_last6=CHEN[1][-6:])
    assert ok.status_code == 200 and ok.json()["user"]["id"] == lessee.id
