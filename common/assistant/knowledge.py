"""The knowledge base 知识库 the assistant answers from: topics staff edit, each a question, the
other ways people ask it, the answer and the topics to suggest next.

A topic may carry an ``action``: instead of (or before) its answer the assistant does something
— answers from the caller's own records, starts the pre-screen, passes to a person. The answer
of an account topic is what a visitor (not signed in) reads.
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Annotated

import msgspec

from common.api import limits

TOPIC_ID = 40
CATEGORY = 40
QUESTION = 200
ANSWER = 2000
MAX_PHRASINGS = 20
MAX_FOLLOW_UPS = 6
MAX_TOPICS = 500
_ID = r"^[a-z][a-z0-9_]*$(?!\n)"


class Action(StrEnum):
    ACCOUNT_NEXT_DUE = "account_next_due"  # 下期应还: the lessee's own schedule
    ACCOUNT_EXTENSION = "account_extension"  # 展期进度: the lessee's own extension requests
    ACCOUNT_APPLICATIONS = "account_applications"  # 进件进度: the shop's own applications
    PRESCREEN = "prescreen"  # 融资预审: the few questions, a quote and a pre-check
    HANDOVER = "handover"  # 转人工


TopicId = Annotated[str, msgspec.Meta(min_length=1, max_length=TOPIC_ID, pattern=_ID)]
Question = Annotated[str, limits.line(QUESTION, min_length=1)]


class Topic(msgspec.Struct, frozen=True, forbid_unknown_fields=True, kw_only=True):
    id: TopicId
    category: Annotated[str, limits.line(CATEGORY, min_length=1)]
    question: Question
    phrasings: Annotated[list[Question], msgspec.Meta(max_length=MAX_PHRASINGS)] = msgspec.field(
        default_factory=list
    )
    answer: Annotated[str, limits.paragraph(ANSWER, min_length=1)]
    follow_ups: Annotated[list[TopicId], msgspec.Meta(max_length=MAX_FOLLOW_UPS)] = msgspec.field(
        default_factory=list
    )
    action: Action | None = None

    def texts(self) -> list[str]:
        """What a question is matched against: the question and its other phrasings."""
        return [self.question, *self.phrasings]


class KnowledgeBase(msgspec.Struct, frozen=True, forbid_unknown_fields=True, kw_only=True):
    name: Annotated[str, limits.line(limits.RULESET_NAME, min_length=1)]
    entries: Annotated[list[Topic], msgspec.Meta(min_length=1, max_length=MAX_TOPICS)]
    version: int = 0  # given by the store when saved

    def topic(self, topic_id: str) -> Topic | None:
        return next((t for t in self.entries if t.id == topic_id), None)


_BLANK = re.compile(r"[\s?？!！。，,.、]+")  # what two ways of asking may differ by


def problems(kb: KnowledgeBase) -> list[str]:
    """What makes a knowledge base unusable, each in Chinese (empty: fine). The wire type has
    checked every field's shape; these are the checks across topics."""
    found: list[str] = []
    ids = [t.id for t in kb.entries]
    seen: set[str] = set()
    for topic_id in ids:
        if topic_id in seen:
            found.append(f"主题编号重复：{topic_id}")
        seen.add(topic_id)
    texts: dict[str, str] = {}
    for t in kb.entries:
        if not _BLANK.sub("", t.answer):
            found.append(f"{t.id}：答案为空")
        for text in t.texts():
            key = _BLANK.sub("", text)
            if not key:
                found.append(f"{t.id}：问法为空")
            elif key in texts and texts[key] != t.id:  # one question cannot mean two topics
                found.append(f"{t.id}：问法“{text}”已属于主题 {texts[key]}")
            texts.setdefault(key, t.id)
        found.extend(f"{t.id}：推荐的主题 {f} 不存在" for f in t.follow_ups if f not in seen)
    for action in (Action.PRESCREEN, Action.HANDOVER):  # the assistant offers both itself
        if not any(t.action is action for t in kb.entries):
            found.append(f"缺少动作为 {action.value} 的主题")
    return found
