"""The statement screen's state without Flet: the range a route names and the route of a range,
the quick ranges, and the words of an export job's progress (in both languages)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from app_mobile.i18n import TEXTS, Translator
from app_mobile.state.statements import (
    finished,
    period_of,
    progress_text_key,
    quick_ranges,
    route_for,
)
from common.api.statements import ExportJobView, ExportStatus, StatementFormat
from common.statements import StatementRange

TODAY = date(2026, 3, 17)


def test_the_bare_route_is_this_month_so_far_and_a_range_route_round_trips():
    assert period_of("/dealer/statements", TODAY) == StatementRange(date(2026, 3, 1), TODAY)
    feb = StatementRange(date(2026, 2, 1), date(2026, 2, 28))
    assert route_for(feb) == "/dealer/statements/2026-02-01/2026-02-28"
    assert period_of(route_for(feb), TODAY) == feb


def test_bad_or_too_long_or_foreign_routes_name_no_range():
    for route in ("/dealer/statements/2026-02-30/2026-03-01", "/dealer/statements/x",
                  "/dealer/statements/2024-01-01/2026-01-01", "/dealer/home",
                  "/dealer/statements/2026-03-02/2026-03-01"):  # fmt: skip
        assert period_of(route, TODAY) is None, route


def test_quick_ranges_are_this_month_and_last_month():
    assert quick_ranges(date(2026, 1, 9)) == {
        "stm_this_month": StatementRange(date(2026, 1, 1), date(2026, 1, 9)),
        "stm_last_month": StatementRange(date(2025, 12, 1), date(2025, 12, 31)),
    }


def test_every_job_status_reads_in_both_languages():
    for status in ExportStatus:
        job = ExportJobView(id="j", dealer_id="d", format=StatementFormat.CSV, start=TODAY,
                            end=TODAY, status=status, progress=40, rows=2500,
                            created_at=datetime(2026, 3, 17, tzinfo=UTC))  # fmt: skip
        key = progress_text_key(job)
        assert key in TEXTS
        for language in ("zh", "en"):
            assert Translator(language)(key, progress=40, rows=2500) != key
        assert finished(job) == (
            status in (ExportStatus.DONE, ExportStatus.FAILED, ExportStatus.EXPIRED)
        )
    assert "40%" in Translator("zh")("stm_job_running", progress=40)
