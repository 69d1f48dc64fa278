"""The finance desk's payment exceptions screen says what it must: the open ones counted by kind,
amounts as ¥3,042.19 and times in Asia/Shanghai, and which actions may be sent."""

from __future__ import annotations

from datetime import UTC, datetime

from app_mobile.i18n import Translator
from app_mobile.state.payment_exceptions import counts, detail_lines, refusal, summary
from common.api.payments import PaymentExceptionView, RefundView

SEEN = datetime(2026, 12, 1, 16, 30, tzinfo=UTC)  # 2026-12-02 00:30 in Shanghai


def exception(**over: object) -> PaymentExceptionView:
    fields: dict[str, object] = dict(
        id="e1", kind="amount_differs", kind_label="金额不符", payment_id="p1",
        out_trade_no="AL20261202003000ABCDEF0123", contract_id="c1",
        contract_number="ZL2026000001", contract_status="active", expected="3043.19",
        received="3042.19", detail="", provider_txn_id="420020261202", seen_count=3,
        first_seen_at=SEEN, last_seen_at=SEEN, status="open",
        actions=["refund", "post", "dismiss"], resolution=None, resolution_note=None,
        resolved_at=None, resolved_by=None, refund=None,
    )  # fmt: skip
    fields.update(over)
    return PaymentExceptionView(**fields)  # type: ignore[arg-type]


def test_the_open_ones_are_counted_by_kind() -> None:
    zh = Translator("zh")
    items = [exception(), exception(id="e2"), exception(id="e3", kind="contract_not_active")]
    assert counts(items, zh) == "3 笔待处理：金额不符 2 · 合同已结清或未起租 1"
    assert counts([], Translator("en")) == "No open payment exceptions"
    assert summary(items[0], zh) == "金额不符 · 实收 ¥3,042.19 · ZL2026000001 · 2026-12-02 00:30"


def test_an_exception_reads_with_its_money_times_and_refund() -> None:
    en = Translator("en")
    lines = detail_lines(exception(), en)
    assert lines[0] == "Expected ¥3,043.19 · received ¥3,042.19"
    assert lines[2] == "Contract ZL2026000001 (active)"
    assert lines[3] == "Notified 3 times · first 2026-12-02 00:30 · last 2026-12-02 00:30"
    refunded = exception(
        status="resolved", actions=[], resolution="refund", resolved_at=SEEN,
        resolved_by="admin", resolution_note="合同已结清",
        refund=RefundView(out_refund_no="RFe1", provider_refund_id="503", amount="3042.19",
                          status="SUCCESS", created_at=SEEN, success_time=SEEN),
    )  # fmt: skip
    zh = detail_lines(refunded, Translator("zh"))
    assert zh[-3:] == ["原路退款 · 2026-12-02 00:30 · admin", "说明：合同已结清",
                       "退款单 RFe1 · ¥3,042.19 · 退款成功"]  # fmt: skip


def test_only_the_actions_allowed_now_are_sent_and_dismiss_needs_a_note() -> None:
    x = exception(kind="merchant_differs", actions=["dismiss"])
    assert refusal(x, "refund", "") == "pex_action_unavailable"
    assert refusal(x, "dismiss", "  ") == "pex_note_required"
    assert refusal(x, "dismiss", "已与渠道核实") is None
    assert refusal(exception(), "refund", "") is None
