"""A knowledge base is checked across topics before it is saved."""

from __future__ import annotations

import msgspec
import pytest

from common.assistant.knowledge import Action, KnowledgeBase, Topic, problems


def _topic(topic_id: str, question: str, **over: object) -> Topic:
    return Topic(id=topic_id, category="测试", question=question, answer="答案", **over)  # type: ignore[arg-type]


BASE = [_topic("prescreen", "帮我预审", action=Action.PRESCREEN),
        _topic("handover", "转人工", action=Action.HANDOVER)]  # fmt: skip


def test_a_sound_knowledge_base_has_no_problems():
    kb = KnowledgeBase(
        name="测试", entries=[*BASE, _topic("a", "问题一", follow_ups=["prescreen"])]
    )
    assert problems(kb) == []


def test_duplicates_dangling_suggestions_and_missing_actions_are_named():
    kb = KnowledgeBase(name="测试", entries=[
        _topic("a", "怎么还款？", follow_ups=["nope"]), _topic("a", "其他"),
        _topic("b", "怎么还款", phrasings=["其他"]),
    ])  # fmt: skip
    found = problems(kb)
    assert "主题编号重复：a" in found
    assert any("推荐的主题 nope 不存在" in p for p in found)
    assert any("怎么还款" in p and "已属于主题 a" in p for p in found)  # punctuation aside
    assert "缺少动作为 prescreen 的主题" in found
    assert "缺少动作为 handover 的主题" in found


def test_a_topic_id_is_a_slug():
    raw = msgspec.json.encode({"name": "x", "entries": [
        {"id": "Bad Id", "category": "c", "question": "q", "answer": "a"}]})  # fmt: skip
    with pytest.raises(msgspec.ValidationError, match="id"):
        msgspec.json.decode(raw, type=KnowledgeBase)
