"""Contracts benchmark (issue 12): render a contract PDF, seal it, check the seal.

Run: .venv/bin/python bench/contracts.py [--repeat 15] [--concurrency 4]

Prints the median (and min) milliseconds of: rendering a 36- and a 60-instalment contract, sealing
one (PAdES B-T, in-process TSA), checking one with pyHanko; then contracts rendered + sealed per
second, one after another and N at once in one event loop (rendering is CPU-bound and holds the
loop: concurrency shows what sealing's awaits give back, not parallelism). Nothing asserts on time.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from backend.contracts.pdf import render_pdf  # noqa: E402
from backend.contracts.seal import seal  # noqa: E402
from backend.contracts.verify import check_seal  # noqa: E402
from backend.trust.ca import TrustMaterial, ensure_demo_trust  # noqa: E402
from common.contract_templates import DEFAULT_TEMPLATE  # noqa: E402
from tests.support.contracts import sample_document  # noqa: E402


def _report(name: str, samples: list[float]) -> None:
    ms = [s * 1000 for s in samples]
    print(f"{name:<34}{statistics.median(ms):9.1f} ms median{min(ms):9.1f} ms min  (n={len(ms)})")


async def _timed(fn: Callable[[], Awaitable[object]], repeat: int) -> list[float]:
    await fn()  # warm: font parse, key load, imports
    out = []
    for _ in range(repeat):
        t = time.perf_counter()
        await fn()
        out.append(time.perf_counter() - t)
    return out


async def _render_and_seal(trust: TrustMaterial, term: int) -> bytes:
    pdf = render_pdf(sample_document(term), DEFAULT_TEMPLATE)
    return await seal(pdf, trust, reason="出租人电子印章", location="上海")


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--concurrency", type=int, default=4)
    a = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-trust-") as directory:
        trust = ensure_demo_trust(Path(directory))
    docs = {term: sample_document(term) for term in (36, 60)}

    async def render(term: int) -> bytes:
        return render_pdf(docs[term], DEFAULT_TEMPLATE)

    for term in (36, 60):
        _report(f"render {term}-instalment PDF", await _timed(lambda t=term: render(t), a.repeat))
    pdf = await render(36)
    print(f"  PDF size: {len(pdf) / 1024:.1f} KB (36), {len(await render(60)) / 1024:.1f} KB (60)")
    _report("seal (PAdES B-T)", await _timed(lambda: seal(pdf, trust, reason="r", location="l"),
                                              a.repeat * 4))  # fmt: skip
    sealed = await seal(pdf, trust, reason="r", location="l")
    _report("check_seal (pyHanko)", await _timed(lambda: check_seal(sealed, trust.ca_cert_pem),
                                                  a.repeat * 4))  # fmt: skip

    count = a.repeat
    t = time.perf_counter()
    for _ in range(count):
        await _render_and_seal(trust, 36)
    sequential = count / (time.perf_counter() - t)
    batches = max(1, count // a.concurrency)
    t = time.perf_counter()
    for _ in range(batches):
        await asyncio.gather(*(_render_and_seal(trust, 36) for _ in range(a.concurrency)))
    concurrent = batches * a.concurrency / (time.perf_counter() - t)
    print(f"render + seal, sequential          {sequential:9.2f} contracts/s")
    print(f"render + seal, {a.concurrency} at once in one loop {concurrent:9.2f} contracts/s")


if __name__ == "__main__":
    asyncio.run(main())
