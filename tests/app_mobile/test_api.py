"""The app's API client against the real backend, in-process (SQLite, demo accounts)."""

from __future__ import annotations

import base64
import io
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import httpx
import pytest
from litestar.testing import AsyncTestClient
from PIL import Image

from app_mobile.api import ApiClient, ApiError
from app_mobile.state.intake import IntakeState
from app_mobile.state.product import products_of
from backend.audit import service as audit
from backend.audit.checkpoint import CheckpointSigner
from common.api.auth import Role
from common.api.intake import ApplicationStatus, PhotoKind
from tests.backend.conftest import TEST_AUDIT_KEY, TEST_PII_KEY

BASE = "http://testserver.local"
AS_OF = date(2026, 11, 30)


@pytest.fixture(scope="module")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    from backend.db.migrate import upgrade

    url = f"sqlite+aiosqlite:///{tmp_path_factory.mktemp('db') / 'app.db'}"
    upgrade(url)
    return url


@pytest.fixture
async def http(database_url: str, tmp_path: Path) -> AsyncIterator[AsyncTestClient]:  # type: ignore[type-arg]
    from backend.app import create_app
    from backend.db.base import Base
    from backend.db.session import make_engine, make_sessionmaker
    from backend.seed import seed_demo
    from backend.settings import Settings

    engine = make_engine(database_url)
    async with engine.begin() as conn:
        for table in reversed(Base.metadata.sorted_tables):
            await conn.execute(table.delete())
    async with make_sessionmaker(engine)() as db:
        await seed_demo(db)
    await engine.dispose()
    settings = Settings(database_url=database_url, data_dir=tmp_path,
                        secret_key="app-tests-" * 4, pii_key=TEST_PII_KEY,
                        audit_signing_key=TEST_AUDIT_KEY, public_url=BASE,
                        # the jobs' writes would race the next test's reset of the tables
                        contract_job_interval_s=0, payments_job_interval_s=0,
                        servicing_sweep_interval_s=0, monitoring_job_interval_s=0,
                        # the assistant's index: built by the first question that needs it
                        webhook_job_interval_s=0, assistant_index_on_start=False)  # fmt: skip
    async with AsyncTestClient(app=create_app(settings), base_url=BASE) as client:
        yield client


async def signed_in(http: AsyncTestClient, username: str = "staff") -> ApiClient:  # type: ignore[type-arg]
    api = ApiClient(BASE, http=http)
    await api.login(username, "demo")
    return api


def jpeg() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (640, 480), (200, 180, 160)).save(buf, "JPEG")
    return buf.getvalue()


async def test_sign_in_gives_tokens_and_who_i_am(http: AsyncTestClient) -> None:  # type: ignore[type-arg]
    kept: list[str] = []

    async def keep(pair) -> None:  # type: ignore[no-untyped-def]
        kept.append(pair.access_token)

    api = ApiClient(BASE, http=http, on_tokens=keep)
    pair = await api.login("staff", "demo")
    assert pair.user.role == Role.STAFF
    assert kept == [pair.access_token]
    assert (await api.me()).username == "staff"


async def test_a_wrong_password_is_an_api_error_in_chinese(http: AsyncTestClient) -> None:  # type: ignore[type-arg]
    with pytest.raises(ApiError) as caught:
        await ApiClient(BASE, http=http).login("staff", "wrong")
    assert caught.value.status == 401
    assert caught.value.code
    assert any("\u4e00" <= ch <= "\u9fff" for ch in caught.value.title)


async def test_an_expired_access_token_is_renewed_with_the_refresh_token(
    http: AsyncTestClient,  # type: ignore[type-arg]
) -> None:
    api = await signed_in(http)
    api.access_token = "not-a-token"
    assert (await api.me()).username == "staff"
    assert api.access_token != "not-a-token"


async def test_concurrent_calls_with_an_expired_token_refresh_once(
    http: AsyncTestClient,  # type: ignore[type-arg]
) -> None:
    """The server revokes a session whose rotated refresh token comes back: renew only once."""
    import asyncio

    api = await signed_in(http)
    api.access_token = "not-a-token"
    users = await asyncio.gather(*(api.me() for _ in range(4)))
    assert {u.username for u in users} == {"staff"}
    assert (await api.me()).username == "staff"  # the session survived


async def test_the_client_sends_its_fixed_headers_with_every_request() -> None:
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers.get("X-AutoLease-Client", ""))
        return httpx.Response(401, json={"status": 401, "code": "unauthenticated", "title": "t"})

    api = ApiClient(
        BASE, transport=httpx.MockTransport(handler), headers={"X-AutoLease-Client": "1.2.3.4 m"}
    )
    with pytest.raises(ApiError):
        await api.me()
    assert seen == ["1.2.3.4 m"]


async def test_a_typed_vin_is_decoded_with_its_catalogue_match(http: AsyncTestClient) -> None:  # type: ignore[type-arg]
    api = await signed_in(http, "staff")
    decoded = await api.decode_vin("LSVAU218XN2183294")
    assert decoded.model_year == 2022 and decoded.catalogue_matches
    with pytest.raises(ApiError) as bad:
        await api.decode_vin("LSVAU2180N2183294")
    assert bad.value.code == "vin_check_digit"


async def test_a_quote_gives_rent_and_annualised_rate(http: AsyncTestClient) -> None:  # type: ignore[type-arg]
    api = await signed_in(http)
    new_car = next(
        p for p in products_of(await api.products(is_new=True, vehicle_type="passenger"))
    )
    assert new_car.id == "p-new-direct-36"
    state = IntakeState(price="200000")
    state.product.choose(new_car, state.price)
    request = state.product.to_request(state.price, AS_OF)
    assert request is not None
    answer = await api.quote(request)
    quote = answer.quote
    assert quote.principal == 160000 and answer.product.id == new_car.id
    assert quote.monthly_payment > 0 and quote.annual_rate_percent == Decimal("6.99")
    assert quote.annualised_rate_percent > Decimal("6.99")  # GPS and service fees count


async def test_a_draft_is_created_once_per_idempotency_key(http: AsyncTestClient) -> None:  # type: ignore[type-arg]
    api = await signed_in(http)
    state = IntakeState(vin="LGBK2DEG2JD953893")
    key = str(uuid.uuid4())
    first = await api.create_application(state.to_draft(AS_OF), key)
    again = await api.create_application(state.to_draft(AS_OF), key)
    assert again.id == first.id
    assert [a.id for a in await api.list_applications()].count(first.id) == 1


async def test_a_stale_version_is_a_version_conflict(http: AsyncTestClient) -> None:  # type: ignore[type-arg]
    api = await signed_in(http)
    state = IntakeState(vin="LGBK2DEG2JD953893")
    view = await api.create_application(state.to_draft(AS_OF), str(uuid.uuid4()))
    state.application_id, state.version = view.id, view.version
    state.apply_view(await api.patch_application(view.id, state.to_draft(AS_OF)))
    stale = state.to_draft(AS_OF)
    stale.version = view.version
    with pytest.raises(ApiError) as caught:
        await api.patch_application(view.id, stale)
    assert caught.value.code == "version_conflict"


async def test_submitting_an_incomplete_draft_says_what_to_fix(http: AsyncTestClient) -> None:  # type: ignore[type-arg]
    api = await signed_in(http)
    view = await api.create_application(IntakeState().to_draft(AS_OF), str(uuid.uuid4()))
    with pytest.raises(ApiError) as caught:
        await api.submit_application(view.id)
    assert caught.value.code == "application_incomplete"
    assert "vehicle.vin" in caught.value.fields


async def test_a_photo_uploads_and_shows_on_the_application(http: AsyncTestClient) -> None:  # type: ignore[type-arg]
    api = await signed_in(http)
    view = await api.create_application(IntakeState().to_draft(AS_OF), str(uuid.uuid4()))
    target = await api.photo_upload_url(view.id, PhotoKind.ID_FRONT)
    assert "token=" in target.url
    photo = await api.upload_photo(view.id, PhotoKind.ID_FRONT, jpeg(), "image/jpeg")
    assert photo.kind == PhotoKind.ID_FRONT
    assert await api.fetch_image(photo.thumbnail_url)
    state = IntakeState()
    state.apply_view(await api.get_application(view.id))
    assert state.slot(PhotoKind.ID_FRONT).state == "done"
    assert state.status == ApplicationStatus.DRAFT.value


async def test_another_shop_cannot_see_the_application(http: AsyncTestClient) -> None:  # type: ignore[type-arg]
    view = await (await signed_in(http)).create_application(
        IntakeState().to_draft(AS_OF), str(uuid.uuid4())
    )
    other = await signed_in(http, "staff2")
    assert view.id not in [a.id for a in await other.list_applications()]
    with pytest.raises(ApiError) as caught:
        await other.get_application(view.id)
    assert caught.value.status == 404


async def test_a_network_failure_is_an_api_error_too() -> None:
    api = ApiClient("http://127.0.0.1:9", timeout=1)
    with pytest.raises(ApiError) as caught:
        await api.login("staff", "demo")
    assert caught.value.code == "network_error"
    await api.aclose()


async def test_the_client_verifies_and_reads_the_latest_checkpoint(http: AsyncTestClient) -> None:  # type: ignore[type-arg]
    api = await signed_in(http, "admin")
    assert await api.latest_checkpoint() is None  # nothing sealed yet in a fresh database
    result = await api.verify_audit()
    assert result.ok and result.events_checked > 0 and result.pending == 0
    signer = CheckpointSigner(base64.b64decode(TEST_AUDIT_KEY))
    async with http.app.state.sessionmaker() as db:
        await audit.checkpoint(db, signer, datetime.now(UTC))
    latest = await api.latest_checkpoint()
    assert latest is not None and latest.position == result.events_checked


async def test_a_visitor_talks_to_the_assistant_and_an_admin_answers_in_the_inbox(
    http: AsyncTestClient,  # type: ignore[type-arg]
) -> None:
    visitor = ApiClient(BASE, http=http)  # no sign-in
    reply = await visitor.assistant_say("GPS费多少钱")
    assert reply.topic == "gps_fee"
    person = await visitor.assistant_say("转人工客服", reply.conversation_id)
    if person.handover is None:  # outside working hours: a callback, on this number
        person = await visitor.assistant_say("13900001111", reply.conversation_id)
    assert person.handover is not None
    admin = await signed_in(http, "admin")
    inbox = await admin.assistant_inbox()
    assert [i.handover.id for i in inbox.items] == [person.handover.id]
    await admin.assistant_reply(person.handover.id, "您好，GPS费签约时一次性收取。")
    chat = await visitor.assistant_conversation(reply.conversation_id)
    assert chat.messages[-1].text == "您好，GPS费签约时一次性收取。"
    with pytest.raises(ApiError) as caught:
        await visitor.assistant_conversation("0" * 32)
    assert (caught.value.status, caught.value.code) == (404, "conversation_not_found")
