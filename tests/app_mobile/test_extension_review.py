"""The extension review queue 展期审核 as the screens show it, and the risk officer's extension
calls through the app's API client against the real backend in-process (the rules with their
fields, a simulation, a refused candidate named where it is wrong, publishing, a decision on a
request that is not there)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import msgspec
import pytest
from litestar.testing import AsyncTestClient

from app_mobile.api import ApiError
from app_mobile.state.extension_review import (
    case_line,
    check_note,
    fact_lines,
    schedule_summary,
    split_queue,
    terms_rows,
)
from app_mobile.state.extension_rules import ExtensionRulesForm
from common.api.contracts import Instalment
from common.api.servicing import (
    DecisionView,
    ExtensionFactView,
    ExtensionPreview,
    ExtensionView,
    ReasonView,
    TermsView,
)
from tests.app_mobile.test_api import database_url, http, signed_in  # noqa: F401

Client = AsyncTestClient[Any]
T0 = datetime(2026, 11, 2, 2, 0, tzinfo=UTC)


def row(n: int, due: date, amount: str, principal: str, interest: str) -> Instalment:
    return Instalment(number=n, due_date=due, amount_due=amount, principal=principal,
                      interest=interest, fees="0.00", balance="0.00")  # fmt: skip


def preview() -> ExtensionPreview:
    return ExtensionPreview(
        current=TermsView(rent="3042.19", term_months=36, annualised_rate_percent="6.1712",
                          end_date=date(2029, 1, 15)),
        proposed=TermsView(rent="2611.50", term_months=42, annualised_rate_percent="6.1698",
                           end_date=date(2029, 7, 15)),
        months_to_add=6, fee="200.00", capitalised="0.00",
        schedule=[row(9, date(2026, 12, 15), "2811.50", "2200.00", "411.50"),
                  row(10, date(2027, 1, 15), "2611.50", "2210.10", "401.40")],
    )  # fmt: skip


def ext(i: int, status: str = "referred", decided: datetime | None = None) -> ExtensionView:
    reasons = [ReasonView(code="early_in_term", kind="refer", text="起租不久，转人工审核",
                          rule="early")]  # fmt: skip
    return ExtensionView(
        id=f"x{i}", contract_id=f"c{i}", status=status,
        decision=DecisionView(outcome="referred", reasons=reasons, ruleset_version=1),
        reasons=reasons, preview=preview(), reason="收入下降", revision=None,
        created_at=T0 + timedelta(hours=i), decided_at=decided, months_to_add=6,
        contract_number=f"AL2026110{i}", lessee_name="陈*国",
        facts=[ExtensionFactView(field="extension.days_past_due", label_zh="逾期天数",
                                 label_en="Days past due", value=0)],
    )  # fmt: skip


def test_referred_newest_first_and_decided_by_when_they_were_decided() -> None:
    day = timedelta(days=1)
    views = [ext(1), ext(2, "approved", T0 + 3 * day), ext(3), ext(4, "declined", T0 + day),
             ext(5, "reversed", T0 + 5 * day)]  # fmt: skip
    referred, decided = split_queue(views)
    assert [v.id for v in referred] == ["x3", "x1"]
    assert [v.id for v in decided] == ["x5", "x2", "x4"]


def test_a_decision_needs_a_note() -> None:
    assert check_note("  电话核实收入，同意 ") == "电话核实收入，同意"
    for bad in ("", "   ", "字" * 201):
        with pytest.raises(ValueError):
            check_note(bad)


def test_a_case_reads_as_contract_lessee_months_and_rent_now_and_after() -> None:
    line = case_line(ext(1))
    assert line.title == "AL20261101 · 陈*国"
    assert (line.months, line.rent) == (6, "¥3,042.19 → ¥2,611.50")
    assert line.reasons == ["起租不久，转人工审核"]
    assert fact_lines(ext(1)) == [("逾期天数", "0")]
    assert fact_lines(ext(1), "en") == [("Days past due", "0")]
    nameless = msgspec.structs.replace(ext(1), contract_number="", lessee_name=None)
    assert case_line(nameless).title == "c1"


def test_terms_now_and_after_and_the_new_schedule_in_brief() -> None:
    rows = {r.key: (r.now, r.after) for r in terms_rows(preview())}
    assert rows["ext_review_rent"] == ("¥3,042.19", "¥2,611.50")
    assert rows["ext_review_term"] == ("36", "42")
    assert rows["ext_review_rate"] == ("6.17%", "6.17%")
    assert rows["ext_review_end"] == ("2029-01-15", "2029-07-15")
    s = schedule_summary(preview())
    assert (s.instalments, s.first_number) == (2, 9)
    assert (s.first_due, s.last_due) == (date(2026, 12, 15), date(2027, 1, 15))
    assert (s.first_amount, s.principal, s.interest) == ("2811.50", "4410.10", "812.90")
    empty = schedule_summary(msgspec.structs.replace(preview(), schedule=[]))
    assert empty.first_due is None and empty.instalments == 0


async def test_the_rules_are_simulated_refused_where_wrong_and_published(
    http: Client,  # noqa: F811
) -> None:
    api = await signed_in(http, "risk")
    form = ExtensionRulesForm(await api.extension_rules())
    assert form.version == 1 and form.published_at is None
    assert form.field_label("extension.months_to_add") == "本次展期月数"
    assert form.set_param("min_on_time", "0") is None
    sim = await api.simulate_extension_rules(form.body, last_n=50)
    assert (sim.active_version, sim.draft_version, sim.total) == (1, 2, 0)
    assert sim.outcomes_after == {"approved": 0, "referred": 0, "declined": 0}
    broken = msgspec.to_builtins(form.body)
    broken["rules"][0]["when"]["field"] = "extension.income"
    with pytest.raises(ApiError) as refused:
        await api.simulate_extension_rules(broken)
    assert (refused.value.status, refused.value.code) == (422, "ruleset_invalid")
    assert form.messages(refused.value.fields)[0].startswith("规则「逾期过久」：")
    published = await api.publish_extension_rules(form.body, "取消按时期数要求")
    form.adopt(published)
    assert (form.version, form.note) == (2, "取消按时期数要求")
    again = await api.extension_rules()
    assert again.version == 2 and again.published_at is not None
    assert next(p for p in form.parameters() if p.name == "min_on_time").value == 0


async def test_the_queue_and_a_decision_on_a_request_that_is_not_there(
    http: Client,  # noqa: F811
) -> None:
    api = await signed_in(http, "risk")
    assert await api.extension_queue("referred") == []
    with pytest.raises(ApiError) as missing:
        await api.decide_extension("0" * 32, True, "同意")
    assert (missing.value.status, missing.value.code) == (404, "extension_not_found")
    staff = await signed_in(http, "staff")
    with pytest.raises(ApiError) as forbidden:
        await staff.extension_queue()
    assert forbidden.value.status == 403
