"""What the finance desk's payment exceptions screen 异常收款 says and allows: the open ones
counted by kind, one exception's lines (amounts as ¥3,042.19, times in Asia/Shanghai), and
whether an action may be sent with the note given (testable without Flet)."""

from __future__ import annotations

from collections import Counter

from app_mobile.i18n import Translator, format_datetime, format_money
from common.api.payments import PaymentExceptionView

ACTIONS = ("refund", "post", "dismiss")


def _text(t: Translator, key: str, fallback: str) -> str:
    text = t(key)
    return fallback if text == key else text


def kind_text(kind: str, t: Translator) -> str:
    return _text(t, f"pex_kind_{kind}", kind)


def counts(items: list[PaymentExceptionView], t: Translator) -> str:
    """The open ones counted, most frequent kind first: "3 笔待处理：金额不符 2 · ..."."""
    if not items:
        return t("pex_none_open")
    by_kind = Counter(x.kind for x in items)
    parts = " · ".join(f"{kind_text(k, t)} {n}" for k, n in by_kind.most_common())
    return t("pex_open_counts", n=len(items), kinds=parts)


def summary(x: PaymentExceptionView, t: Translator) -> str:
    """One line of the list: kind, what was received, the contract, when last seen."""
    received = format_money(x.received) if x.received is not None else "—"
    return t("pex_summary", kind=kind_text(x.kind, t), received=received,
             contract=x.contract_number or "—", at=format_datetime(x.last_seen_at))  # fmt: skip


def detail_lines(x: PaymentExceptionView, t: Translator) -> list[str]:
    lines = [
        t("pex_amounts", expected=format_money(x.expected) or "—",
          received=format_money(x.received) or "—"),
        t("pex_order", out_trade_no=x.out_trade_no, txn=x.provider_txn_id),
        t("pex_contract", number=x.contract_number or "—",
          status=_text(t, f"pex_contract_{x.contract_status}", x.contract_status or "—")),
        t("pex_seen", n=x.seen_count, first=format_datetime(x.first_seen_at),
          last=format_datetime(x.last_seen_at)),
    ]  # fmt: skip
    if x.detail:
        lines.append(t("pex_detail", detail=x.detail))
    if x.status == "refunding":
        lines.append(t("pex_refunding"))
    if x.resolution is not None and x.resolved_at is not None:
        lines.append(t("pex_resolved_line", action=t(f"pex_action_{x.resolution}"),
                       at=format_datetime(x.resolved_at), by=x.resolved_by or "—"))  # fmt: skip
    if x.resolution_note:
        lines.append(t("pex_note_line", note=x.resolution_note))
    if (r := x.refund) is not None:
        status = _text(t, f"pex_refund_{r.status}", r.status)
        lines.append(t("pex_refund_line", number=r.out_refund_no,
                       amount=format_money(r.amount), status=status))  # fmt: skip
    return lines


def refusal(x: PaymentExceptionView, action: str, note: str) -> str | None:
    """The i18n key of why `action` cannot be sent now, or None when it can."""
    if action not in x.actions:
        return "pex_action_unavailable"
    if action == "dismiss" and not note.strip():
        return "pex_note_required"
    return None
