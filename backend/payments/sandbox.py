"""The sandbox payment provider, modelled on WeChat Pay v3 (微信支付 APIv3): a merchant, an RSA
platform key pair that signs its notifications, orders in its own table, a hosted pay page, the
asynchronous notifier with the provider's retry schedule, the order query and the daily trade
bill 交易账单 (with the refund lines of backend/payments/sandbox_refunds.py).

It lives in the backend process for the demo and the tests, but talks to the payments context
only as a provider would: it signs and encrypts a notification and POSTs it (over HTTP, or to a
``send`` function the tests give it), and answers queries from its own table. The key pair is
made on first use in ``data_dir/payments-sandbox`` (like the demo CA, backend/trust/ca.py) and
never leaves the machine.
"""

from __future__ import annotations

import csv
import fcntl
import html
import io
import logging
import secrets
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import httpx
import msgspec
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from backend import tls
from backend.db.models import SandboxProviderOrder
from backend.payments import sandbox_refunds
from backend.settings import Settings
from common import payments as wire
from common.business_day import BUSINESS_TZ as SHANGHAI
from common.errors import Conflict, NotFound
from common.money import from_fen

log = logging.getLogger(__name__)
PROVIDER = "wechatpay_sandbox"
APPID = "wxd678efh567hg6787"
# WeChat Pay's notification retries: 15s/15s/30s/3m/10m/20m/30m/30m/30m/60m/3h/3h/3h/6h/6h.
RETRY_SCHEDULE_S = (15, 15, 30, 180, 600, 1200, 1800, 1800, 1800, 3600, 10800, 10800, 10800,
                    21600, 21600)  # fmt: skip
BATCH = 100

ORDER_NOT_FOUND = NotFound("sandbox_order_unknown", "支付订单不存在", "No such order")
ORDER_CLOSED = Conflict("sandbox_order_closed", "订单已关闭或已支付", "The order is not open")


@dataclass(frozen=True)
class PlatformKeys:
    """The platform key pair; ``serial`` names the public key in Wechatpay-Serial."""

    private_key: rsa.RSAPrivateKey
    public_key: rsa.RSAPublicKey
    serial: str

    def public_for(self, serial: str) -> rsa.RSAPublicKey | None:
        return self.public_key if secrets.compare_digest(serial, self.serial) else None


_KEYS: dict[Path, PlatformKeys] = {}


def keys_dir(settings: Settings) -> Path:
    return settings.data_dir / "payments-sandbox"


def platform_keys(settings: Settings) -> PlatformKeys:
    """Load the sandbox's key pair, making it on first use (one process makes it, under a lock)."""
    directory = keys_dir(settings).resolve()
    found = _KEYS.get(directory)
    if found is not None:
        return found
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "platform.key"
    with open(directory / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not path.exists():
            key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
            pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                    serialization.NoEncryption())  # fmt: skip
            tmp = path.with_suffix(".tmp")
            tmp.write_bytes(pem)
            tmp.chmod(0o600)
            tmp.replace(path)
    private = serialization.load_pem_private_key(path.read_bytes(), password=None)
    assert isinstance(private, rsa.RSAPrivateKey)
    public = private.public_key()
    keys = PlatformKeys(private, public, wire.serial_of(public))
    _KEYS[directory] = keys
    return keys


def apiv3_key(settings: Settings) -> bytes:
    key = settings.payments_apiv3_key.encode()
    if len(key) != 32:
        raise ValueError("AUTOLEASE_PAYMENTS_APIV3_KEY must be 32 bytes")
    return key


def notify_url(settings: Settings) -> str:
    return f"{settings.public_url.rstrip('/')}/api/payments/notify/{PROVIDER}"


def pay_url(settings: Settings, out_trade_no: str) -> str:
    return f"{settings.public_url.rstrip('/')}/api/sandbox/pay/{out_trade_no}"


# -- orders ------------------------------------------------------------------------------------


async def create_order(
    db: AsyncSession, settings: Settings, *, out_trade_no: str, amount_fen: int, currency: str,
    description: str, now: datetime,
) -> str:  # fmt: skip
    """The provider's JSAPI/H5 order (下单): returns the hosted pay page's URL."""
    db.add(SandboxProviderOrder(
        mch_id=settings.payments_merchant_id, out_trade_no=out_trade_no,
        description=description[:128], amount_fen=amount_fen, currency=currency,
        notify_url=notify_url(settings), trade_state="NOTPAY", created_at=now,
        notify_attempts=0,
    ))  # fmt: skip
    await db.flush()
    return pay_url(settings, out_trade_no)


async def order(db: AsyncSession, out_trade_no: str, *, lock: bool = False) -> SandboxProviderOrder:
    query = select(SandboxProviderOrder).where(SandboxProviderOrder.out_trade_no == out_trade_no)
    found = await db.scalar(query.with_for_update() if lock else query)
    if found is None:
        raise ORDER_NOT_FOUND
    return found


def _transaction_id(now: datetime) -> str:
    return f"4200{now.astimezone(SHANGHAI):%Y%m%d}{secrets.randbelow(10**16):016d}"


async def pay(db: AsyncSession, out_trade_no: str, now: datetime) -> SandboxProviderOrder:
    """The payer confirmed 支付: the order is paid and its notification due at once."""
    o = await order(db, out_trade_no, lock=True)
    if o.trade_state == "SUCCESS":
        return o
    if o.trade_state != "NOTPAY":
        raise ORDER_CLOSED
    o.trade_state = "SUCCESS"
    o.transaction_id = _transaction_id(now)
    o.success_time = now
    o.next_notify_at = now
    await db.flush()
    return o


async def close(db: AsyncSession, out_trade_no: str, state: str) -> SandboxProviderOrder:
    """取消 (CLOSED) or 模拟失败 (PAYERROR): the order can no longer be paid. WeChat does not
    notify these; the merchant learns them by querying."""
    o = await order(db, out_trade_no, lock=True)
    if o.trade_state != "NOTPAY":
        raise ORDER_CLOSED
    o.trade_state = state
    await db.flush()
    return o


def transaction(o: SandboxProviderOrder) -> dict[str, Any]:
    """The order as the provider's query (and a notification's resource) describe it."""
    out: dict[str, Any] = {
        "mchid": o.mch_id, "appid": APPID, "out_trade_no": o.out_trade_no,
        "trade_type": "JSAPI", "trade_state": o.trade_state,
        "trade_state_desc": {"SUCCESS": "支付成功", "NOTPAY": "未支付", "CLOSED": "已关闭",
                             "PAYERROR": "支付失败"}.get(o.trade_state, o.trade_state),
        "bank_type": "OTHERS", "attach": "",
        "payer": {"openid": "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"},
        "amount": {"total": o.amount_fen, "payer_total": o.amount_fen, "currency": o.currency,
                   "payer_currency": o.currency},
    }  # fmt: skip
    if o.transaction_id:
        out["transaction_id"] = o.transaction_id
    if o.success_time:
        out["success_time"] = o.success_time.astimezone(SHANGHAI).isoformat(timespec="seconds")
    return out


async def query(db: AsyncSession, out_trade_no: str) -> dict[str, Any] | None:
    """查询订单 by out_trade_no: the transaction, or None when the provider has no such order."""
    o = await db.scalar(
        select(SandboxProviderOrder).where(SandboxProviderOrder.out_trade_no == out_trade_no)
    )
    return None if o is None else transaction(o)


# -- notifications -----------------------------------------------------------------------------


def notification(
    keys: PlatformKeys, settings: Settings, txn: Mapping[str, Any], now: datetime
) -> tuple[dict[str, str], bytes]:
    """The signed, encrypted notification of `txn` as the provider sends it at `now`."""
    body = msgspec.json.encode({
        "id": secrets.token_hex(18), "create_time": now.astimezone(SHANGHAI).isoformat(
            timespec="seconds"),
        "resource_type": "encrypt-resource", "event_type": "TRANSACTION.SUCCESS",
        "summary": "支付成功",
        "resource": wire.encrypt_resource(apiv3_key(settings), dict(txn), secrets.token_hex(6)),
    })  # fmt: skip
    timestamp, nonce = str(int(now.timestamp())), secrets.token_hex(16)
    headers = {
        "Content-Type": "application/json",
        "Wechatpay-Timestamp": timestamp,
        "Wechatpay-Nonce": nonce,
        "Wechatpay-Serial": keys.serial,
        "Wechatpay-Signature": wire.sign(keys.private_key, timestamp, nonce, body),
        "Wechatpay-Signature-Type": "WECHATPAY2-SHA256-RSA2048",
    }
    return headers, body


Send = Callable[[str, dict[str, str], bytes], Awaitable[int]]


async def http_send(url: str, headers: dict[str, str], body: bytes) -> int:
    async with httpx.AsyncClient(timeout=10, verify=tls.client_context()) as client:
        r = await client.post(url, headers=headers, content=body)
        return r.status_code


async def deliver_due(
    sessions: async_sessionmaker[AsyncSession], settings: Settings, now: datetime,
    send: Send = http_send,
) -> int:  # fmt: skip
    """Send the notifications that are due; an acknowledged one (2xx) is done, any other answer
    or no answer is retried on the provider's schedule (scaled by payments_retry_scale) until
    the schedule runs out. Returns how many were acknowledged."""
    keys = platform_keys(settings)
    async with sessions() as db:
        due = list(await db.scalars(
            select(SandboxProviderOrder)
            .where(SandboxProviderOrder.next_notify_at <= now,
                   SandboxProviderOrder.acked_at.is_(None))
            .order_by(SandboxProviderOrder.next_notify_at).limit(BATCH)
        ))  # fmt: skip
        work = [(o.out_trade_no, o.notify_url, transaction(o)) for o in due]
        await db.rollback()
    acked = 0
    for out_trade_no, url, txn in work:
        headers, body = notification(keys, settings, txn, now)
        try:
            status = await send(url, headers, body)
        except Exception as exc:
            log.info("payment notification to %s failed: %s", url, exc)
            status = 0
        async with sessions() as db:
            row = await order(db, out_trade_no, lock=True)
            row.notify_attempts += 1
            if 200 <= status < 300:
                row.acked_at, row.next_notify_at = now, None
                acked += 1
            elif row.notify_attempts > len(RETRY_SCHEDULE_S):
                row.next_notify_at = None  # the provider gives up; the query path remains
            else:
                wait = RETRY_SCHEDULE_S[row.notify_attempts - 1] * settings.payments_retry_scale
                row.next_notify_at = now + timedelta(seconds=wait)
            await db.commit()
    return acked


# -- the daily trade bill ----------------------------------------------------------------------

BILL_HEADER = ("交易时间", "公众账号ID", "商户号", "商户订单号", "微信订单号", "交易类型",
               "交易状态", "订单金额", "货币种类", "微信退款单号", "商户退款单号", "退款金额",
               "退款状态")  # fmt: skip
REFUND_STATE = "REFUND"  # 交易状态 of a refund line


async def trade_bill(db: AsyncSession, settings: Settings, day: date) -> str:
    """The day's bill (Asia/Shanghai) in WeChat's CSV shape, every field prefixed with a
    backquote: the successful trades, then the refunds asked for that day (交易状态 REFUND,
    with the refund's numbers, amount and status), then the summary lines."""
    start = datetime.combine(day, time(), SHANGHAI).astimezone(UTC)
    rows = list(await db.scalars(
        select(SandboxProviderOrder)
        .where(SandboxProviderOrder.trade_state == "SUCCESS",
               SandboxProviderOrder.success_time >= start,
               SandboxProviderOrder.success_time < start + timedelta(days=1),
               SandboxProviderOrder.mch_id == settings.payments_merchant_id)
        .order_by(SandboxProviderOrder.success_time)
    ))  # fmt: skip
    refunds = await sandbox_refunds.of_day(db, settings, day)
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(BILL_HEADER)
    total = 0
    for o in rows:
        assert o.success_time is not None
        total += o.amount_fen
        w.writerow(["`" + str(v) for v in (
            f"{o.success_time.astimezone(SHANGHAI):%Y-%m-%d %H:%M:%S}", APPID, o.mch_id,
            o.out_trade_no, o.transaction_id, "JSAPI", "SUCCESS", f"{from_fen(o.amount_fen)}",
            o.currency, "", "", "0.00", "",
        )])  # fmt: skip
    for r in refunds:
        w.writerow(["`" + str(v) for v in (
            f"{r.created_at.astimezone(SHANGHAI):%Y-%m-%d %H:%M:%S}", APPID, r.mch_id,
            r.out_trade_no, r.transaction_id, "JSAPI", REFUND_STATE, f"{from_fen(r.total_fen)}",
            r.currency, r.refund_id, r.out_refund_no, f"{from_fen(r.refund_fen)}", r.status,
        )])  # fmt: skip
    w.writerow(("总交易单数", "总交易额", "总退款金额"))
    refunded = sum(r.refund_fen for r in refunds)
    w.writerow((f"`{len(rows)}", f"`{from_fen(total)}", f"`{from_fen(refunded)}"))
    return out.getvalue()


@dataclass(frozen=True)
class BillRow:
    trade_time: str
    out_trade_no: str
    transaction_id: str
    amount_fen: int
    status: str  # SUCCESS, or REFUND for a refund line
    out_refund_no: str = ""
    refund_id: str = ""
    refund_fen: int = 0
    refund_status: str = ""

    @property
    def is_refund(self) -> bool:
        return self.status == REFUND_STATE


def _fen(yuan: str) -> int:
    whole, _, frac = yuan.partition(".")
    return int(whole) * 100 + int((frac + "00")[:2])


def parse_bill(text: str) -> list[BillRow]:
    """The trade and refund lines of a bill (the header and the summary lines skipped)."""
    out = []
    for cells in csv.reader(io.StringIO(text)):
        v = [c.lstrip("`") for c in cells]
        if len(v) != len(BILL_HEADER) or v[0] == BILL_HEADER[0]:
            continue
        out.append(
            BillRow(
                v[0],
                v[3],
                v[4],
                _fen(v[7]),
                v[6],
                out_refund_no=v[10],
                refund_id=v[9],
                refund_fen=_fen(v[11] or "0"),
                refund_status=v[12],
            )
        )
    return out


# -- the hosted pay page -----------------------------------------------------------------------

_PAGE = """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>微信支付（沙箱）</title>
<style>
@font-face{{font-family:"Noto Sans SC";src:url(/app/fonts/NotoSansSC-Subset.otf)}}
body{{font-family:-apple-system,"PingFang SC","Noto Sans SC",sans-serif;margin:0;
background:#ededed}}
main{{max-width:420px;margin:0 auto;padding:24px 16px}}
.card{{background:#fff;border-radius:12px;padding:24px;text-align:center}}
.amount{{font-size:36px;font-weight:600;margin:12px 0}}
.muted{{color:#888;font-size:14px}}
button{{display:block;width:100%;font-size:17px;padding:12px;margin-top:12px;border:0;
border-radius:8px}}
.pay{{background:#07c160;color:#fff}} .cancel{{background:#f2f2f2}}
.fail{{background:#fff;color:#fa5151}}
.state{{font-size:20px;margin-top:16px}}
</style></head><body><main><div class="card">
<div class="muted">沙箱支付 · 商户号 {mch_id}</div>
<div>{description}</div>
<div class="amount">¥{amount}</div>
<div class="muted">订单号 {out_trade_no}</div>
{body}
</div></main></body></html>"""

_STATES = {"SUCCESS": "支付成功", "CLOSED": "已取消", "PAYERROR": "支付失败"}


def pay_page(o: SandboxProviderOrder) -> str:
    if o.trade_state == "NOTPAY":
        action = f"/api/sandbox/pay/{html.escape(o.out_trade_no)}"
        body = (
            f'<form method="post" action="{action}/pay">'
            f'<button class="pay" formaction="{action}/pay">支付</button>'
            f'<button class="cancel" formaction="{action}/cancel">取消</button>'
            f'<button class="fail" formaction="{action}/fail">模拟失败</button></form>'
        )
    else:
        body = (f'<div class="state">{_STATES.get(o.trade_state, o.trade_state)}</div>'
                '<div class="muted">请返回应用查看支付结果</div>')  # fmt: skip
    return _PAGE.format(
        mch_id=html.escape(o.mch_id), description=html.escape(o.description),
        amount=f"{from_fen(o.amount_fen):,}", out_trade_no=html.escape(o.out_trade_no),
        body=body,
    )  # fmt: skip


async def order_by_transaction(db: AsyncSession, transaction_id: str) -> SandboxProviderOrder:
    found = await db.scalar(
        select(SandboxProviderOrder).where(SandboxProviderOrder.transaction_id == transaction_id)
    )
    if found is None:
        raise ORDER_NOT_FOUND
    return found
