"""Intake on a phone, measured: time to first frame, taps and typed fields, wall time of the flow.

Starts the real backend (app at /app) on a free port with a temp data dir, then drives headless
Chromium at 390x844 through a complete application (VIN from a barcode photo, person, 5 photos,
the face among them; product, submit).  Run: .venv/bin/python bench/intake_flow.py [--runs N]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402

from tests.e2e import browser as b  # noqa: E402
from tests.e2e import flows  # noqa: E402
from tests.e2e.conftest import _document_photo  # noqa: E402
from tests.e2e.server import start_backend  # noqa: E402
from tests.support.vin_photos import make_photo  # noqa: E402

# The VIN photo of the e2e flow: a 2025 car the catalogue knows (its first model proposed), new,
# so no mileage to type.
SEEDS = (11,)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="intake-bench-"))
    files = {kind: _document_photo(work / f"{kind}.jpg", kind, i)
             for i, kind in enumerate(flows.PHOTO_KINDS)}  # fmt: skip
    backend = start_backend(work / "data")
    first_frames, walls, counts = [], [], []
    try:
        with sync_playwright() as playwright:
            chromium = b.launch(playwright)
            for run in range(args.runs):
                photo = make_photo(SEEDS[run % len(SEEDS)], "qr")
                files["vin"] = work / f"vin-{run}.jpg"
                files["vin"].write_bytes(photo.data)
                context = chromium.new_context(viewport=b.PHONE)
                page = context.new_page()
                start = time.perf_counter()
                page.goto(backend.app_url)
                b.wait_ready(page)
                b.wait_for(page, "login-username")
                first_frames.append(time.perf_counter() - start)
                c = flows.Counter(shots=False)
                begun = time.perf_counter()
                flows.sign_in(page, "staff", c)
                flows.vehicle_by_photo(page, files["vin"], photo.vin, c)
                flows.customer(page, c)
                flows.photos(page, files, c)
                flows.product(page, c)
                flows.submit(page, c)
                walls.append(time.perf_counter() - begun)
                counts.append((c.taps, c.typed))
                context.close()
            chromium.close()
    finally:
        backend.stop()
    taps, typed = counts[-1]
    ff, wall = first_frames, walls
    print(f"runs: {args.runs} (headless Chromium 390x844, backend in-process, SQLite)")
    print("time to first frame (load -> sign-in form usable, incl. CJK font and a 0.5 s settle):")
    print(f"  median {statistics.median(ff):.2f} s (min {min(ff):.2f}, max {max(ff):.2f})")
    print(f"complete application incl. sign-in: {taps} taps (5 pick photos, 1 the VIN photo),")
    print(f"  {typed} typed fields (2 of them sign-in)")
    print("wall time of the scripted flow (incl. ~0.2 s settle per typed field):")
    print(f"  median {statistics.median(wall):.2f} s (min {min(wall):.2f}, max {max(wall):.2f})")


if __name__ == "__main__":
    main()
