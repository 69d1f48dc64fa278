"""Editing one topic of the knowledge base 知识库 as the admin's screen does: its question, the
other ways of asking (one a line), its answer; saved as a new version with a reason."""

from __future__ import annotations

import msgspec

from common.api.assistant import KnowledgeSave, KnowledgeView
from common.assistant.knowledge import Topic


class TopicForm:
    def __init__(self, view: KnowledgeView, topic_id: str) -> None:
        self.view = view
        found = view.knowledge.topic(topic_id)
        if found is None:
            raise KeyError(topic_id)
        self.topic = found
        self.question = found.question
        self.phrasings = "\n".join(found.phrasings)
        self.answer = found.answer
        self.reason = ""

    def rebase(self, view: KnowledgeView) -> None:
        """After a save: the next one follows the version just saved."""
        self.view = view
        self.topic = view.knowledge.topic(self.topic.id) or self.topic

    def edited(self) -> Topic:
        lines = [x.strip() for x in self.phrasings.splitlines() if x.strip()]
        return msgspec.structs.replace(
            self.topic, question=self.question.strip(), phrasings=lines, answer=self.answer.strip()
        )

    def request(self) -> KnowledgeSave:
        """The whole knowledge base with this topic changed, on the version it was read at."""
        kb = self.view.knowledge
        entries = [self.edited() if t.id == self.topic.id else t for t in kb.entries]
        return KnowledgeSave(
            knowledge=msgspec.structs.replace(kb, entries=entries),
            based_on=self.view.version,
            reason=self.reason.strip(),
        )
