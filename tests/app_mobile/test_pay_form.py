"""What the lessee is offered to pay, and what a typed amount may be (as the server checks)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from app_mobile.state.pay import PayForm
from common.api.hall import HallContract
from common.contracts import ContractStatus


def contract(**over: object) -> HallContract:
    base: dict[str, object] = dict(
        id="c", number="AL-2026-000001", status=ContractStatus.ACTIVE, status_label="履约中",
        vehicle="朗逸", vin="LSV", monthly_payment="868.59", next_due_date=date(2026, 12, 2),
        next_due="868.59", due_now="1750.21", overdue="881.62", days_past_due=30,
        outstanding="29545.09",
    )  # fmt: skip
    return HallContract(**{**base, **over})  # type: ignore[arg-type]


def test_next_pays_the_arrears_with_the_next_rent_and_overdue_the_arrears_alone() -> None:
    form = PayForm(contract())
    assert form.choices == [("next", Decimal("1750.21")), ("overdue", Decimal("881.62"))]
    assert form.request() is not None and form.request().option == "next"  # type: ignore[union-attr]
    current = PayForm(contract(overdue="0.00", due_now="0.00", days_past_due=0))
    assert current.choices == [("next", Decimal("868.59"))]


def test_a_custom_amount_is_between_the_minimum_and_everything_left() -> None:
    form = PayForm(contract(), option="custom")
    for typed, problem in (("", "请输入金额"), ("0.99", "最少"), ("1.001", "两位小数"),
                           ("29545.10", "不能超过"), ("abc", "请输入金额")):  # fmt: skip
        form.custom = typed
        assert problem in (form.custom_problem() or ""), typed
        assert form.request() is None
    form.custom = "¥1,000.5"
    assert form.custom_problem() is None
    request = form.request()
    assert request is not None and (request.option, request.amount) == ("custom", "1000.50")
