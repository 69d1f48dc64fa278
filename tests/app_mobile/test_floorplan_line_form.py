"""The lessor's line form: checked as typed, as the server would; a change needs a reason and
carries the version the admin saw."""

from __future__ import annotations

from app_mobile.state.floorplan_line import LineForm
from common.api.floorplan import CurtailmentPlanBody, LineView


def _line(**over: object) -> LineView:
    fields: dict[str, object] = dict(
        dealer_id="org-shop-east", dealer_name="东", limit="5000000.00",
        temporary_increase="0.00", used="0.00", available="5000000.00",
        annual_rate_percent="7.2", day_count="ACT/360", max_days=180,
        plan=CurtailmentPlanBody(first_after_days=60, every_days=30, percent="5"),
        status="active", version=3, units_financed=0, curtailments_overdue="0.00", alerts=0,
    )  # fmt: skip
    fields.update(over)
    return LineView(**fields)  # type: ignore[arg-type]


def test_a_new_line_builds_the_wire_body():
    form = LineForm(limit="3000000", rate="6.8")
    assert form.problems() == {}
    body = form.body()
    assert (body.limit, body.annual_rate_percent, body.max_days, body.version) == (
        "3000000", "6.8", 180, None,
    )  # fmt: skip
    assert (body.plan.first_after_days, body.plan.every_days, body.plan.percent) == (90, 30, "10")


def test_each_wrong_field_is_named():
    form = LineForm(limit="0", rate="40", max_days="721", first_after_days="x", every_days="0",
                    percent="0")  # fmt: skip
    assert form.problems() == {
        "limit": "fpl_limit_invalid", "rate": "fpl_rate_invalid", "max_days": "fpl_days_invalid",
        "first_after_days": "fpl_days_invalid", "every_days": "fpl_days_invalid",
        "percent": "fpl_percent_invalid",
    }  # fmt: skip
    assert LineForm(limit="1", rate="0").problems() == {}  # an interest-free line is allowed
    assert "rate" in LineForm(limit="1", rate="6.12345").problems()  # four decimals at most


def test_changing_a_line_starts_from_it_and_needs_a_reason():
    form = LineForm.of(_line())
    assert (form.limit, form.rate, form.first_after_days, form.percent, form.version) == (
        "5000000.00", "7.2", "60", "5", 3,
    )  # fmt: skip
    assert form.problems() == {"reason": "fpl_reason_missing"}
    form.reason, form.status = "年度复审", "suspended"
    body = form.body()
    assert (body.version, body.status, body.reason) == (3, "suspended", "年度复审")
