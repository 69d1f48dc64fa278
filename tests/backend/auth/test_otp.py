"""One-time codes: five minutes, five attempts (counted although the request fails), a new code
supersedes the old, one a minute and five an hour per number and purpose (429 with
Retry-After), purposes apart, and only keyed hashes at rest. On both engines, with chosen
instants instead of the clock."""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from backend.auth.otp import CodeTooSoon
from backend.db.base import Base
from backend.providers import ProviderUnavailable
from backend.providers.registry import sms_senders_for
from common.errors import DomainError
from tests.backend.auth.lessee_helpers import codes_of, pii_of, session

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
MOBILE = "13812345678"
LOGIN = "lessee_login"


class Phone:
    """A sender that keeps what it was given: the test reads its codes."""

    def __init__(self) -> None:
        self.texts: list[str] = []

    async def send(self, mobile: str, text: str, *, purpose: str) -> str:
        self.texts.append(text)
        return str(len(self.texts))

    @property
    def code(self) -> str:
        found = re.search(r"\d{6}", self.texts[-1])
        assert found is not None
        return found.group(0)


@pytest.fixture
async def codes(client, settings):
    """(issue, verify), each in a session of its own that ends like a request: committed when
    it returns, rolled back when it raises."""
    otp = codes_of(settings)

    async def issue(phone: Phone, at: datetime, purpose: str = LOGIN) -> None:
        async with session(settings) as db:
            await otp.issue(db, phone, mobile=MOBILE, purpose=purpose, now=at)
            await db.commit()

    async def verify(code: str, at: datetime, purpose: str = LOGIN) -> None:
        async with session(settings) as db:
            try:
                await otp.verify(db, mobile=MOBILE, purpose=purpose, code=code, now=at)
            except BaseException:
                await db.rollback()
                raise
            await db.commit()

    return issue, verify


async def _error(call) -> DomainError:
    with pytest.raises(DomainError) as caught:
        await call
    return caught.value


async def test_the_right_code_works_once(codes):
    issue, verify = codes
    phone = Phone()
    await issue(phone, T0)
    assert "5分钟内有效" in phone.texts[0]
    await verify(phone.code, T0 + timedelta(seconds=30))
    assert (await _error(verify(phone.code, T0 + timedelta(seconds=31)))).code == "otp_used"


async def test_a_code_expires_after_five_minutes(codes):
    issue, verify = codes
    phone = Phone()
    await issue(phone, T0)
    late = await _error(verify(phone.code, T0 + timedelta(minutes=5)))
    assert (late.code, late.status) == ("otp_expired", 422)
    await issue(phone, T0 + timedelta(minutes=5))
    await verify(phone.code, T0 + timedelta(minutes=9, seconds=59))


async def test_five_wrong_codes_kill_the_code_and_each_counts_though_it_failed(codes):
    issue, verify = codes
    phone = Phone()
    await issue(phone, T0)
    wrong = f"{(int(phone.code) + 1) % 10**6:06d}"
    answers = [(await _error(verify(wrong, T0))).code for _ in range(5)]
    assert answers == ["otp_invalid"] * 4 + ["otp_locked"]
    assert (await _error(verify(phone.code, T0))).code == "otp_locked"
    await issue(phone, T0 + timedelta(minutes=1))  # a new code has its own five
    await verify(phone.code, T0 + timedelta(minutes=1))


async def test_a_new_code_supersedes_the_old_one(codes):
    issue, verify = codes
    phone = Phone()
    await issue(phone, T0)
    old = phone.code
    await issue(phone, T0 + timedelta(seconds=61))
    if old != phone.code:  # one time in a million they are the same six digits
        assert (await _error(verify(old, T0 + timedelta(seconds=62)))).code == "otp_invalid"
    await verify(phone.code, T0 + timedelta(seconds=63))


async def test_one_code_a_minute_and_five_an_hour_with_the_wait_to_retry(codes):
    issue, _ = codes
    phone = Phone()
    await issue(phone, T0)
    too_soon = await _error(issue(phone, T0 + timedelta(seconds=20)))
    assert isinstance(too_soon, CodeTooSoon)
    assert (too_soon.status, too_soon.code, too_soon.retry_after_s) == (429, "otp_too_soon", 40)
    for n in range(1, 5):
        await issue(phone, T0 + timedelta(minutes=n))
    sixth = await _error(issue(phone, T0 + timedelta(minutes=10)))
    assert isinstance(sixth, CodeTooSoon) and sixth.retry_after_s == 50 * 60
    await issue(phone, T0 + timedelta(hours=1))  # a new hour's window
    assert len(phone.texts) == 6


async def test_purposes_and_numbers_are_apart(codes, settings):
    issue, verify = codes
    login, signing = Phone(), Phone()
    await issue(login, T0)
    await issue(signing, T0, purpose="contract_sign:c-1")  # no wait: another purpose
    assert "签署合同" in signing.texts[0]
    other = await _error(verify(login.code, T0, purpose="contract_sign:c-2"))
    assert other.code == "otp_invalid"
    async with session(settings) as db:
        error = await _error(
            codes_of(settings).verify(
                db, mobile="13900000000", purpose=LOGIN, code=login.code, now=T0
            )
        )
    assert error.code == "otp_invalid"
    await verify(signing.code, T0, purpose="contract_sign:c-1")
    await verify(login.code, T0)


async def test_a_gateway_outage_is_503_and_leaves_no_code(codes, settings):
    issue, verify = codes

    class Down:
        async def send(self, mobile: str, text: str, *, purpose: str) -> str:
            raise ProviderUnavailable("sms")

    error = await _error(issue(Down(), T0))  # type: ignore[arg-type]
    assert (error.status, error.code) == (503, "sms_unavailable")
    phone = Phone()
    await issue(phone, T0 + timedelta(seconds=1))  # the failed send took no place in the limit
    await verify(phone.code, T0 + timedelta(seconds=2))


async def test_codes_are_kept_only_as_keyed_hashes(client, settings):
    """Through the sandbox gateway: neither the code nor the number is in any table in clear."""
    pii = pii_of(settings)
    otp = codes_of(settings)
    async with session(settings) as db:
        sms = sms_senders_for(settings, pii)(db)
        await otp.issue(db, sms, mobile=MOBILE, purpose=LOGIN, now=T0)
        await db.commit()
        sent = (await db.scalars(sa.text("SELECT text_enc FROM sms_outbox"))).one()
        text = pii.decrypt(sent, context="sms.text")
        code = re.search(r"\d{6}", text).group(0)  # type: ignore[union-attr]
        dump = []
        for table in Base.metadata.sorted_tables:
            dump.append(repr((await db.execute(sa.select(table))).all()))
    everything = "\n".join(dump)
    assert "otp_codes" in {t.name for t in Base.metadata.sorted_tables}
    for secret in (code, hashlib.sha256(code.encode()).hexdigest(), MOBILE, MOBILE[-8:]):
        # standing alone: six digits can occur by chance inside a hex digest or base64
        assert not re.search(rf"(?<![0-9A-Za-z+/]){secret}(?![0-9A-Za-z+/=])", everything)
