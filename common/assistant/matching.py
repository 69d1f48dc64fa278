"""Matching a question to a topic 问题匹配, given text embeddings (the model is the backend's).

A topic scores the cosine similarity of the question to the closest of its phrasings (question
and the other ways of asking). Confidence rescales that score between what unrelated Chinese
chatter scores (``SIMILARITY_FLOOR``: the weather, a recipe score about 0.87 against this
knowledge base) and an identical text (1.0); below ``UNSURE_BELOW`` the assistant says it is not
sure and offers the closest topics. Both figures come from the paraphrase sets (docs/assistant.md).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

SIMILARITY_FLOOR = 0.86
UNSURE_BELOW = 0.35  # a cosine of about 0.909
CLOSEST = 3  # topics offered when unsure

Vectors = npt.NDArray[np.float32]


@dataclass(frozen=True)
class Match:
    topic_id: str
    similarity: float
    confidence: float  # 0..1

    @property
    def sure(self) -> bool:
        return self.confidence >= UNSURE_BELOW


def confidence_of(similarity: float) -> float:
    scaled = (similarity - SIMILARITY_FLOOR) / (1 - SIMILARITY_FLOOR)
    return round(min(1.0, max(0.0, scaled)), 3)


@dataclass(frozen=True)
class Index:
    """Unit vectors of every phrasing, row by row, and the topic each row belongs to."""

    topic_ids: tuple[str, ...]  # one per topic, in knowledge-base order
    rows: npt.NDArray[np.intp]  # row -> position in topic_ids
    vectors: Vectors  # (rows, dim), L2-normalised

    @classmethod
    def build(cls, topics: list[tuple[str, list[str]]], vectors: Vectors) -> Index:
        """``topics``: (id, texts) in order; ``vectors``: one per text, in the same order."""
        rows = [i for i, (_, texts) in enumerate(topics) for _ in texts]
        if len(rows) != len(vectors):
            raise ValueError("one vector per phrasing")
        return cls(tuple(t for t, _ in topics), np.asarray(rows, dtype=np.intp), vectors)

    def rank(self, query: Vectors, limit: int = CLOSEST) -> list[Match]:
        """The ``limit`` best topics for a unit query vector, best first."""
        similarities = self.vectors @ query
        best = np.full(len(self.topic_ids), -1.0, dtype=np.float64)
        np.maximum.at(best, self.rows, similarities)
        order = np.argsort(-best, kind="stable")[:limit]
        return [
            Match(self.topic_ids[i], round(float(best[i]), 4), confidence_of(float(best[i])))
            for i in order
        ]
