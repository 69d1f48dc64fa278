"""An admin edits one topic of the knowledge base: the rest goes back as it was, on the version
it was read at; after a save the next one follows the new version."""

from __future__ import annotations

from pathlib import Path

import msgspec
import pytest

from app_mobile.state.knowledge_form import TopicForm
from common.api.assistant import KnowledgeView
from common.assistant.knowledge import KnowledgeBase

SHIPPED = Path(__file__).resolve().parents[2] / "assets" / "assistant" / "knowledge.json"
KB = msgspec.json.decode(SHIPPED.read_bytes(), type=KnowledgeBase)
VIEW = KnowledgeView(version=3, knowledge=KB, reason=None, created_at=None, created_by=None)


def test_one_topic_is_changed_and_the_rest_kept():
    form = TopicForm(VIEW, "gps_fee")
    form.answer = "  GPS费一次性收取。 "
    form.phrasings = "GPS安装费\n\n 定位器费用 \n"
    form.reason = "调整"
    request = form.request()
    assert (request.based_on, request.reason) == (3, "调整")
    changed = request.knowledge.topic("gps_fee")
    assert changed is not None
    assert (changed.answer, changed.phrasings) == ("GPS费一次性收取。", ["GPS安装费", "定位器费用"])
    others = [t for t in request.knowledge.entries if t.id != "gps_fee"]
    assert others == [t for t in VIEW.knowledge.entries if t.id != "gps_fee"]
    form.rebase(msgspec.structs.replace(VIEW, version=4, knowledge=request.knowledge))
    assert form.request().based_on == 4


def test_an_unknown_topic_is_refused():
    with pytest.raises(KeyError):
        TopicForm(VIEW, "no_such_topic")
