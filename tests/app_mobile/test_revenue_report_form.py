"""The operator's revenue report: the months that may be reported (ended, owed first), the form
checked as the server reads it, one Idempotency-Key per report."""

from __future__ import annotations

from datetime import date

from app_mobile.state.revenue_report import RevenueReportForm, ended, reportable
from common.api.revenue_share import RevenueMonthView


def _month(period: str, status: str) -> RevenueMonthView:
    return RevenueMonthView(period=period, report_due=date(2026, 1, 1), status=status,
                            status_label=status, floor="100.00")  # fmt: skip


def test_a_month_is_reportable_once_its_last_day_is_past():
    assert not ended("2026-11", date(2026, 11, 30))
    assert ended("2026-11", date(2026, 12, 1))
    assert ended("2024-02", date(2024, 3, 1)) and not ended("2024-02", date(2024, 2, 29))


def test_the_months_owed_come_first_and_the_running_month_is_left_out():
    months = [_month("2026-09", "reported"), _month("2026-10", "overdue"),
              _month("2026-11", "not_yet_due"), _month("2026-12", "not_yet_due")]  # fmt: skip
    assert [m.period for m in reportable(months, date(2026, 12, 3))] == [
        "2026-10", "2026-11", "2026-09",
    ]  # fmt: skip


def test_the_form_names_each_wrong_field_and_keeps_its_key_until_done():
    form = RevenueReportForm(period="", revenue="-1", kwh="1.2345")
    assert form.problems() == {"period": "rev_period_missing", "revenue": "rev_revenue_invalid",
                               "kwh": "rev_kwh_invalid"}  # fmt: skip
    form = RevenueReportForm(period="2026-11", revenue="86400.50", kwh="61234.5")
    assert form.problems() == {}
    body, key = form.body(), form.key
    assert (body.period, body.revenue, body.kwh, body.note) == ("2026-11", "86400.50",
                                                                "61234.5", None)  # fmt: skip
    assert form.key == key  # a retried tap is the same report
    form.done()
    assert form.key != key and form.period == "" and form.revenue == ""
