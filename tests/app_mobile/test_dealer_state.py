"""The dealer's charts read the summary's months in 万元, percent and yuan, with room above the
tallest bar; empty stages are not listed."""

from __future__ import annotations

from datetime import date

from app_mobile.state.dealer import approval_rate, commission_yuan, funded_wan, shown_stages
from common.api.dealers import Commissions, DealerSummary, Month, Stage


def _month(m: str, funded: str, rate: str | None, earned: str, clawed: str = "0.00") -> Month:
    return Month(month=m, funded_count=1, funded_amount=funded, decided=2, approved=1,
                 approval_rate_percent=rate, commission_earned=earned,
                 commission_clawed_back=clawed)  # fmt: skip


SUMMARY = DealerSummary(
    dealer_id="org-shop-east", dealer_name="城东店", as_of=date(2026, 12, 3), deals=3,
    stages=[Stage(stage="draft", label="草稿", count=0, amount="0.00"),
            Stage(stage="active", label="已放款起租", count=0, amount="0.00"),
            Stage(stage="declined", label="已拒绝", count=2, amount="100.00")],
    months=[_month("2026-11", "250000.00", "50.00", "3750.00"),
            _month("2026-12", "0.00", None, "0.00", "800.00")],
    commissions=Commissions(earned="3750.00", paid="3750.00", set_off="0.00",
                            clawed_back="800.00"),
    owed_to_dealer="0.00", owed_by_dealer="800.00",
)  # fmt: skip


def test_funded_volume_is_in_wan_with_headroom() -> None:
    s = funded_wan(SUMMARY)
    assert s.labels == ("11月", "12月") and s.values == (25.0, 0.0) and s.top == 30.0


def test_approval_rate_is_percent_on_a_fixed_axis() -> None:
    s = approval_rate(SUMMARY)
    assert s.values == (50.0, 0.0) and s.top == 100.0


def test_commission_is_net_of_clawbacks_and_the_axis_never_collapses() -> None:
    s = commission_yuan(SUMMARY)
    assert s.values == (3750.0, -800.0) and s.top == 4500.0


def test_only_stages_with_deals_are_listed_and_active_always() -> None:
    assert [s.stage for s in shown_stages(SUMMARY)] == ["active", "declined"]
