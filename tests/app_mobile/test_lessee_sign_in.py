"""The lessee's SMS sign-in screen state: input checks, the countdown (a chosen clock), asking
for the ID's last six when the server wants it; and once through the real API client against
the in-process backend (SQLite, the sandbox SMS outbox)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from litestar.testing import AsyncTestClient

from app_mobile.api import ApiClient, ApiError
from app_mobile.i18n import Translator
from app_mobile.state.lessee_sign_in import LesseeSignIn
from common.api.auth import LesseeCodeSent, TokenPair
from tests.backend.auth.lessee_helpers import ZHANG, invite, latest_code
from tests.backend.conftest import TEST_AUDIT_KEY, TEST_PII_KEY

ZH, EN = Translator("zh"), Translator("en")


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class FakeApi:
    """Answers like the server: the first sign-in wants the last six; `refuse` raises."""

    def __init__(self) -> None:
        self.codes: list[str] = []
        self.logins: list[tuple[str, str, str | None]] = []
        self.refuse: ApiError | None = None

    async def request_lessee_code(self, mobile: str) -> LesseeCodeSent:
        if self.refuse is not None:
            raise self.refuse
        self.codes.append(mobile)
        return LesseeCodeSent(resend_after_s=60, expires_in_s=300)

    async def lessee_login(self, mobile: str, code: str, id_last6: str | None = None) -> TokenPair:
        self.logins.append((mobile, code, id_last6))
        if self.refuse is not None:
            raise self.refuse
        if id_last6 is None:
            raise ApiError(422, "identity_required", "首次登录请输入身份证号码后六位")
        return TokenPair("a", "r", 900, user=None)  # type: ignore[arg-type]


@pytest.fixture
def screen() -> tuple[LesseeSignIn, Clock, FakeApi]:
    clock = Clock()
    return LesseeSignIn(clock), clock, FakeApi()


async def test_a_code_then_a_countdown_then_another_code(screen) -> None:
    state, clock, api = screen
    assert state.code_button(ZH) == "获取验证码" and state.can_request_code()
    state.mobile = "+86 138-1234-5678"
    assert await state.request_code(api) is True
    assert api.codes == ["13812345678"] and state.code_sent
    assert state.message(ZH) == "验证码已发送，5分钟内有效" and state.success
    clock.now += 0.5
    assert state.code_button(ZH) == "60秒后重新获取" and not state.can_request_code()
    assert await state.request_code(api) is False and len(api.codes) == 1
    clock.now += 59
    assert state.code_button(EN) == "Resend in 1 s"
    clock.now += 0.5
    assert state.can_request_code() and await state.request_code(api) is True


async def test_a_bad_number_is_not_sent(screen) -> None:
    state, _, api = screen
    state.mobile = "1381234"
    assert await state.request_code(api) is False and api.codes == []
    assert state.message(ZH) == "请输入正确的手机号码" and not state.success


async def test_too_soon_waits_as_long_as_the_server_says(screen) -> None:
    state, _, api = screen
    api.refuse = ApiError(429, "otp_too_soon", "验证码发送过于频繁，请稍后再试", retry_after_s=42)
    state.mobile = "13812345678"
    assert await state.request_code(api) is False
    assert state.seconds_to_resend() == 42 and "频繁" in state.message(ZH)


async def test_the_first_sign_in_asks_the_last_six_and_keeps_the_code(screen) -> None:
    state, _, api = screen
    state.mobile, state.code = "13812345678", "12345"
    assert await state.sign_in(api) is None and state.message(ZH) == "请输入6位数字验证码"
    state.code = "123456"
    assert await state.sign_in(api) is None
    assert state.needs_identity and api.logins == [("13812345678", "123456", None)]
    assert "后六位" in state.message(ZH)
    state.id_last6 = "1002"
    assert await state.sign_in(api) is None and len(api.logins) == 1  # checked before sending
    state.id_last6 = "31002x"
    assert await state.sign_in(api) is not None
    assert api.logins[-1] == ("13812345678", "123456", "31002x") and state.message(ZH) == ""


async def test_the_servers_refusal_is_shown_in_the_users_language(screen) -> None:
    state, _, api = screen
    api.refuse = ApiError(422, "otp_invalid", "验证码不正确", "The code is not right")
    state.mobile, state.code = "13812345678", "654321"
    assert await state.sign_in(api) is None
    assert state.message(ZH) == "验证码不正确" and state.message(EN) == "The code is not right"
    assert not state.busy


@pytest.fixture
async def backend(tmp_path: Path) -> AsyncIterator[tuple[AsyncTestClient, object]]:  # type: ignore[type-arg]
    from backend.app import create_app
    from backend.db.migrate import upgrade_async
    from backend.db.session import make_engine, make_sessionmaker
    from backend.seed import seed_demo
    from backend.settings import Settings

    url = f"sqlite+aiosqlite:///{tmp_path / 'app.db'}"
    await upgrade_async(url)
    engine = make_engine(url)
    async with make_sessionmaker(engine)() as db:
        await seed_demo(db)
    await engine.dispose()
    settings = Settings(database_url=url, data_dir=tmp_path, secret_key="app-tests-" * 4,
                        pii_key=TEST_PII_KEY, audit_signing_key=TEST_AUDIT_KEY,
                        public_url="http://testserver.local", contract_job_interval_s=0,
                        payments_job_interval_s=0, servicing_sweep_interval_s=0,
                        monitoring_job_interval_s=0, webhook_job_interval_s=0)  # fmt: skip
    async with AsyncTestClient(app=create_app(settings), base_url=settings.public_url) as c:
        yield c, settings


async def test_through_the_api_client_against_the_backend(backend) -> None:
    http, settings = backend
    await invite(settings)  # type: ignore[arg-type]
    api = ApiClient(str(http.base_url), http=http)
    state = LesseeSignIn()
    state.mobile = ZHANG[2]
    assert await state.request_code(api) is True
    state.code = await latest_code(http, ZHANG[2])
    assert await state.sign_in(api) is None and state.needs_identity
    state.id_last6 = ZHANG[1][-6:]
    pair = await state.sign_in(api)
    assert pair is not None and pair.user.role == "lessee"
    assert api.access_token == pair.access_token
    assert (await api.me()).display_name == "张*"
    with pytest.raises(ApiError) as refused:
        await api.request_lessee_code(ZHANG[2])
    assert refused.value.code == "otp_too_soon" and refused.value.retry_after_s
