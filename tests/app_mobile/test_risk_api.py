"""The risk officer's calls through the app's API client, against the real backend in-process:
the review queue and a verdict, and a draft edited, refused, simulated, published, rolled back."""

from __future__ import annotations

import uuid
from typing import Any

import msgspec
import pytest
from litestar.testing import AsyncTestClient

from app_mobile.api import ApiError
from app_mobile.state.labels import Vocabulary
from app_mobile.state.review import case_line, check_decision, fired, trace_text
from app_mobile.state.ruleset import RuleSetForm
from common.api.intake import ApplicationDraft, PhotoKind
from common.api.risk import ReviewDecision
from tests.app_mobile.risk_cases import THIN_FILE, application_body, jpeg
from tests.app_mobile.test_api import database_url, http, signed_in  # noqa: F401

Client = AsyncTestClient[Any]


async def referred_case(http: Client) -> str:  # noqa: F811
    """The thin-file persona's application, filed and submitted by the clerk's own client."""
    staff = await signed_in(http, "staff")
    draft = msgspec.convert(application_body(THIN_FILE, 1), ApplicationDraft)
    created = await staff.create_application(draft, idempotency_key=str(uuid.uuid4()))
    for kind in (PhotoKind.ID_FRONT, PhotoKind.ID_BACK, PhotoKind.CUSTOMER_FACE,
                 PhotoKind.DRIVING_LICENCE, PhotoKind.VEHICLE):  # fmt: skip
        await staff.upload_photo(created.id, kind, jpeg(), "image/jpeg")
    submitted = await staff.submit_application(created.id)
    assert submitted.decision is not None and submitted.decision.outcome == "referred"
    return created.id


async def test_a_referred_case_is_shown_masked_with_reasons_and_trace_then_approved(
    http: Client,  # noqa: F811
) -> None:
    app_id = await referred_case(http)
    api = await signed_in(http, "risk")
    queue = await api.review_queue()
    case = next(c for c in queue if c.id == app_id)
    line = case_line(case)
    assert "*" in line.customer  # masked: 测*户
    assert line.amount.startswith("¥") and line.rate.endswith("%")
    assert any("征信" in r for r in line.reasons)
    assert len(case.photos) == 5
    assert (await api.fetch_image(case.photos[0].thumbnail_url))[:2] == b"\xff\xd8"
    active = next(s for s in await api.rulesets() if s.active)
    words = Vocabulary((await api.ruleset(active.id)).ruleset)
    steps = fired(case.decision.trace if case.decision else [])
    assert steps and all(s.hit and s.applied for s in steps)
    lines = [trace_text(s, words) for s in steps]
    assert "决策表：征信信号 · 无征信记录 (bureau_signals/thin_file)" in lines, lines

    with pytest.raises(ValueError):
        check_decision("approve", "   ")
    verdict, note = check_decision("approve", "电话核实收入，同意")
    done = await api.review(app_id, verdict, note)
    assert done.status.value == "approved"
    assert app_id not in [c.id for c in await api.review_queue()]


async def test_staff_may_not_open_the_review_queue(http: Client) -> None:  # noqa: F811
    api = await signed_in(http, "staff")
    with pytest.raises(ApiError) as refused:
        await api.review_queue()
    assert refused.value.status == 403
    with pytest.raises(ApiError):
        await api.review("nope", ReviewDecision.DECLINE, "x")


async def test_a_draft_is_edited_refused_simulated_published_and_rolled_back(
    http: Client,  # noqa: F811
) -> None:
    await referred_case(http)  # one decided application to simulate against
    api = await signed_in(http, "risk")
    detail = await api.create_ruleset()
    form = RuleSetForm(detail.summary, detail.ruleset)
    assert form.editable
    assert form.set_param("approve_min_score", "700") is None
    saved = await api.save_ruleset(form.summary.id, form.summary.lock_version, form.body)
    stale = form.summary.lock_version
    form.adopt(saved.summary, saved.ruleset)

    with pytest.raises(ApiError) as conflict:  # a second editor with the old lock version
        await api.save_ruleset(form.summary.id, stale, form.body)
    assert (conflict.value.status, conflict.value.code) == (409, "version_conflict")

    broken = form.body | {"tables": [dict(form.body["tables"][0], inputs=["vehicle.colour", "x"])]}
    with pytest.raises(ApiError) as invalid:
        await api.save_ruleset(form.summary.id, form.summary.lock_version, broken)
    assert (invalid.value.status, invalid.value.code) == (422, "ruleset_invalid")
    lines = form.messages(invalid.value.fields)
    assert lines and all("：" in x for x in lines)

    sim = await api.simulate_ruleset(form.summary.id, last_n=50)
    assert sim.total >= 1 and sim.draft_version == form.summary.version

    published = await api.publish_ruleset(form.summary.id, "提高自动通过分数线")
    assert published.summary.active
    with pytest.raises(ApiError) as frozen:
        await api.save_ruleset(form.summary.id, published.summary.lock_version, form.body)
    assert frozen.value.code == "ruleset_published"

    first = next(s for s in await api.rulesets() if s.version == 1)
    rolled = await api.rollback_ruleset(first.id, "分数线过严，回滚")
    assert rolled.summary.active and rolled.summary.version == 1
    history = await api.rule_history()
    assert [h.action for h in history[:3]] == ["rolled_back", "published", "edited"]
    assert history[1].reason == "提高自动通过分数线"
    assert isinstance(await api.region_flags(), list)
