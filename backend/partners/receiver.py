"""The demo's webhook receiver 演示接收端: stands in for a partner's server so a user can watch
deliveries arrive. `POST /api/demo/webhook-receiver/{name}` checks the signature with the secrets
of the endpoints pointing at it (the way a partner would, common.webhooks.verify), stores what
came, and answers 200 when it verified, 400 otherwise (so a bad signature shows as a failed
delivery). `GET /demo/webhook-receiver` lists what came. Served only in demo mode."""

from __future__ import annotations

import html
import re
from datetime import datetime
from zoneinfo import ZoneInfo

import msgspec
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.db.base import new_id
from backend.db.models import DemoWebhookReceipt, WebhookEndpoint
from backend.partners import keys
from backend.partners.ssrf import RECEIVER_PATH, Refused, parse
from backend.security.pii import PiiCipher
from common import webhooks

NAME = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$(?!\n)")
MAX_BODY = 64 * 1024
PAGE_ROWS = 100
SHANGHAI = ZoneInfo("Asia/Shanghai")


async def secrets_for(db: AsyncSession, pii: PiiCipher, name: str, now: datetime) -> list[str]:
    """The secrets of every endpoint whose URL is this receiver's (`.../webhook-receiver/name`)."""
    path = RECEIVER_PATH + name
    candidates = await db.scalars(
        select(WebhookEndpoint).where(WebhookEndpoint.url.like(f"%{RECEIVER_PATH}%"))
    )
    found: list[str] = []
    for e in candidates:
        try:
            target = parse(e.url).target
        except Refused:
            continue
        if target.split("?", 1)[0] == path:
            found.extend(keys.signing_secrets(pii, e, now))
    return found


async def receive(
    db: AsyncSession, pii: PiiCipher, name: str, signature: str | None, event_id: str | None,
    body: bytes, now: datetime,
) -> DemoWebhookReceipt:  # fmt: skip
    reason: str | None = None
    try:
        held = await secrets_for(db, pii, name, now)
        webhooks.verify(signature or "", held, body, now.timestamp())
    except webhooks.SignatureError as exc:
        reason = exc.reason
    event_type: str | None = None
    text = body.decode("utf-8", errors="replace")
    if reason is None:
        try:
            event_type = str(msgspec.json.decode(body).get("type"))[:100]
        except (msgspec.DecodeError, AttributeError):
            event_type = None
    receipt = DemoWebhookReceipt(
        id=new_id(), name=name, event_id=(event_id or "")[:64] or None, event_type=event_type,
        signature=(signature or "")[:1024] or None, verified=reason is None, reason=reason,
        body=text.replace("\x00", "\ufffd"), received_at=now,
    )  # fmt: skip
    db.add(receipt)
    await db.flush()
    return receipt


async def latest(db: AsyncSession, limit: int = PAGE_ROWS) -> list[DemoWebhookReceipt]:
    return list(
        await db.scalars(
            select(DemoWebhookReceipt)
            .order_by(DemoWebhookReceipt.received_at.desc(), DemoWebhookReceipt.id)
            .limit(limit)
        )
    )


_PAGE = """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="refresh" content="10">
<title>Webhook 接收端（演示）</title>
<style>
@font-face{{font-family:"Noto Sans SC";src:url(/app/fonts/NotoSansSC-Subset.otf)}}
body{{font-family:-apple-system,"PingFang SC","Noto Sans SC",sans-serif;margin:0;
background:#f5f6f8;color:#222}}
main{{max-width:1100px;margin:0 auto;padding:24px 16px}}
h1{{font-size:22px;margin:0 0 4px}} .muted{{color:#777;font-size:13px}}
table{{width:100%;border-collapse:collapse;background:#fff;margin-top:16px;font-size:14px}}
th,td{{text-align:left;padding:8px 10px;border-bottom:1px solid #eee;vertical-align:top}}
th{{background:#fafafa;font-weight:600}}
.yes{{color:#07a35a;font-weight:600}} .no{{color:#d93025;font-weight:600}}
pre{{margin:0;white-space:pre-wrap;word-break:break-all;font-size:12px;max-height:9em;
overflow:auto}}
</style></head><body><main>
<h1>Webhook 接收端（演示）</h1>
<div class="muted">合作方（物流公司、保险公司）收到的推送；签名用该地址的密钥校验。
页面每 10 秒自动刷新。共 {count} 条（最多显示 {limit} 条）。</div>
<table><thead><tr><th>收到时间</th><th>接收方</th><th>事件</th><th>签名校验</th><th>内容</th>
</tr></thead><tbody>
{rows}
</tbody></table></main></body></html>"""


def page(receipts: list[DemoWebhookReceipt]) -> str:
    rows = []
    for r in receipts:
        verified = (
            '<span class="yes">通过 yes</span>'
            if r.verified
            else '<span class="no">未通过 no</span>'
            f'<div class="muted">{html.escape(r.reason or "")}</div>'
        )
        rows.append(
            "<tr>"
            f"<td>{r.received_at.astimezone(SHANGHAI):%Y-%m-%d %H:%M:%S}</td>"
            f"<td>{html.escape(r.name)}</td>"
            f"<td>{html.escape(r.event_type or '—')}"
            f'<div class="muted">{html.escape(r.event_id or "")}</div></td>'
            f"<td>{verified}</td>"
            f"<td><pre>{html.escape(r.body[:2000])}</pre></td>"
            "</tr>"
        )
    if not rows:
        rows.append('<tr><td colspan="5" class="muted">还没有收到推送</td></tr>')
    return _PAGE.format(count=len(receipts), limit=PAGE_ROWS, rows="\n".join(rows))
