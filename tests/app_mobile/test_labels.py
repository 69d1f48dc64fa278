"""Codes read as labels with the code beside them: trace steps, rows, bins, reasons; the list of
my applications says what a draft holds; simulated cases are named by customer and vehicle."""

from __future__ import annotations

from datetime import UTC, datetime

import msgspec

from app_mobile.i18n import Translator
from app_mobile.state.applications import describe, is_device_draft
from app_mobile.state.labels import Vocabulary
from app_mobile.views.risk.simulation import case_title
from common.api.intake import ApplicationStatus, ApplicationSummary
from common.api.risk import ChangedCaseView
from common.rules import default_ruleset

RULESET = msgspec.to_builtins(default_ruleset())


def test_trace_steps_rows_bins_and_reasons_have_labels_in_both_languages():
    zh, en = Vocabulary(RULESET, "zh"), Vocabulary(RULESET, "en")
    step = zh.step("bureau_signals/many_loans")
    assert (step.text, step.code) == ("征信信号 · 未结清贷款较多", "bureau_signals/many_loans")
    assert en.step("bureau_score/excellent").text == "Bureau score · Excellent (≥750)"
    assert zh.row("vehicle_risk", "nev").plain() == "新能源车 (nev)"
    assert zh.reason("score_refer").text.startswith("综合评分未达自动通过线")  # the engine's own
    assert en.hit_policy("collect").text == "all matches"


def test_a_code_nobody_named_is_shown_as_the_code_alone():
    words = Vocabulary({"tables": [{"id": "t", "rows": [{"id": "r"}]}]}, "zh")
    assert words.row("t", "r").plain() == "r" and not words.row("t", "r").named
    assert words.step("t/r").text == "t · r"
    assert Vocabulary(None).reason("made_up").plain() == "made_up"


def summary(**over) -> ApplicationSummary:
    base = dict(
        id="a1",
        status=ApplicationStatus.DRAFT,
        vin="LSVAU218XN2183294",
        customer_name="张*",
        monthly_payment=None,
        annualised_rate_percent=None,
        updated_at=datetime(2026, 11, 30, 4, tzinfo=UTC),
        created_by="u",
    )
    base.update(over)
    return ApplicationSummary(**base)  # type: ignore[arg-type]


def test_a_draft_row_says_what_it_holds():
    t = Translator("zh")
    lines = describe(
        summary(maker="上汽大众", model_name="朗逸", model_year=2022, financed="90000.00",
                photo_count=3, filled=["vehicle", "customer", "photos"]),
        t,
    )  # fmt: skip
    assert (lines.title, lines.vin) == ("上汽大众 朗逸 2022", "LSVAU218XN2183294")
    assert lines.figures.startswith("融资金额 ¥90,000.00")
    assert lines.progress == "已填：车辆 · 客户 · 照片3张"
    assert describe(summary(vin=None), t).progress == "尚未填写任何内容"
    assert describe(summary(vin=None), t).title == "—"
    submitted = describe(summary(status=ApplicationStatus.APPROVED), Translator("en"))
    assert submitted.progress == "" and submitted.title == "LSVAU218XN2183294"
    assert submitted.vin == ""  # not twice


def test_the_device_draft_is_recognised_by_its_id():
    assert is_device_draft('{"application_id": "a1", "vin": ""}', "a1")
    assert not is_device_draft('{"application_id": "a2"}', "a1")
    assert not is_device_draft("not json", "a1") and not is_device_draft(None, "a1")


def test_simulated_cases_are_named_by_customer_and_vehicle():
    case = ChangedCaseView("0123456789abcdef", "approved", "referred", 680, 640, [], [],
                           customer_name="测**户", maker="上汽大众", model_name="朗逸",
                           model_year=2021)  # fmt: skip
    assert case_title(case) == "测**户 · 上汽大众 朗逸 2021"
    bare = ChangedCaseView("0123456789abcdef", "approved", "referred", 680, 640, [], [])
    assert case_title(bare) == "01234567"
