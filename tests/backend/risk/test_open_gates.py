"""Verification gates 核验关卡 belong to open cases only: a declined or reviewed case lists none."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from backend.db.models import RiskDecision, RiskReview
from backend.risk.views import open_gates

GATE = {
    "code": "vehicle_inspection",
    "zh": "车辆实勘（核对年款、铭牌）",
    "en": "Vehicle inspection",
}
AT = datetime(2026, 5, 20, tzinfo=UTC)


def decision(outcome: str) -> RiskDecision:
    return RiskDecision(outcome=outcome, gates=[GATE])


def review(verdict: str) -> RiskReview:
    return RiskReview(decision=verdict, note="核实无误", reviewer_id="u1", decided_at=AT)


def test_a_referred_case_waiting_for_review_lists_its_gates() -> None:
    assert [g.code for g in open_gates(decision("referred"), None)] == ["vehicle_inspection"]


def test_a_declined_case_lists_no_gate() -> None:
    assert open_gates(decision("declined"), None) == []


@pytest.mark.parametrize("verdict", ["approve", "decline"])
def test_a_reviewed_case_lists_no_gate(verdict: str) -> None:
    assert open_gates(decision("referred"), review(verdict)) == []
