"""Intake benchmark (issue 3): VIN scan decode rate and latency; photo processing vs bare Pillow;
the submit path over HTTP at 16 concurrent clients vs a bare Litestar endpoint (intake_submit).

Run: .venv/bin/python bench/intake.py [--photos 120] [--seed 2024] [--requests 400] [--no-http]
Prints figures only; nothing here asserts on time.
"""

from __future__ import annotations

import argparse
import collections
import io
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from PIL import Image  # noqa: E402

from backend.intake.photos import process_photo  # noqa: E402
from backend.intake.vin_scan import scan_vin  # noqa: E402
from common.errors import DomainError  # noqa: E402
from tests.support.vin_photos import Hazards, make_photo, photo_set  # noqa: E402


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def bench_vin_scan(count: int = 120, seed: int = 2024) -> dict[str, float]:
    """Decode rate and median/p95 ms of `scan_vin` over `count` generated photos (a mix of the
    four symbologies, tilted / sideways / upside down / EXIF-rotated, blurred, noisy, JPEG
    70-92, 1.9-3 MP with every tenth photo 12 MP)."""
    print(f"generating {count} photos (seed {seed}) ...", flush=True)
    photos = photo_set(count, seed)
    times: list[float] = []
    ok = 0
    wrong = 0
    by_symbology: dict[str, list[int]] = collections.defaultdict(lambda: [0, 0])
    failures: collections.Counter[str] = collections.Counter()
    scan_vin(make_photo(1, "qr").data)  # warm-up: first-call allocations
    for photo in photos:
        start = time.perf_counter()
        try:
            scan = scan_vin(photo.data)
            good = scan.vin == photo.vin
            ok += good
            wrong += not good
            if not good:
                failures["wrong_vin"] += 1
        except DomainError as error:
            good = False
            failures[error.code] += 1
        times.append((time.perf_counter() - start) * 1000)
        for key in (photo.symbology, "{}x{}".format(*photo.hazards.size)):
            tally = by_symbology[key]
            tally[0] += good
            tally[1] += 1
    rate = ok / count
    print(f"VIN scan: decoded {ok}/{count} = {rate:.1%}, wrong VINs returned: {wrong}")
    print(
        f"VIN scan ms: median {statistics.median(times):.0f}, p95 {_percentile(times, 0.95):.0f},"
        f" max {max(times):.0f}"
    )
    for name, (good_count, total) in sorted(by_symbology.items()):
        print(f"  {name:<10} {good_count}/{total}")
    if failures:
        print(f"  failures: {dict(failures)}")
    return {
        "decode_rate": rate,
        "median_ms": statistics.median(times),
        "p95_ms": _percentile(times, 0.95),
        "wrong": wrong,
    }


def _bare_pillow(data: bytes, max_side: int) -> bytes:
    """What a naive implementation does: open, resize, save (no budget, no EXIF handling)."""
    image = Image.open(io.BytesIO(data))
    image.thumbnail((max_side, max_side))
    buf = io.BytesIO()
    image.convert("RGB").save(buf, "JPEG", quality=85)
    return buf.getvalue()


def bench_photo(repeat: int = 10) -> dict[str, float]:
    """`process_photo` on a 12 MP (4000x3000) phone JPEG next to bare Pillow open+resize+save."""
    hazards = Hazards(angle=3, blur=0.6, size=(4000, 3000), jpeg_quality=90, exif_orientation=6)
    data = make_photo(77, "qr", hazards).data
    print(f"photo: 12 MP JPEG, {len(data) / 1e6:.1f} MB")
    ours: list[float] = []
    bare: list[float] = []
    for _ in range(repeat):
        start = time.perf_counter()
        process_photo(data)
        ours.append((time.perf_counter() - start) * 1000)
        start = time.perf_counter()
        _bare_pillow(data, 1600)
        bare.append((time.perf_counter() - start) * 1000)
    ours_ms, bare_ms = statistics.median(ours), statistics.median(bare)
    print(
        f"photo processing ms (median of {repeat}): process_photo {ours_ms:.0f}"
        f" (incl. thumbnail), bare Pillow open+resize+save {bare_ms:.0f},"
        f" ratio {ours_ms / bare_ms:.2f}"
    )
    return {"process_photo_ms": ours_ms, "bare_pillow_ms": bare_ms}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--photos", type=int, default=120)
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--requests", type=int, default=400, help="per endpoint, HTTP part")
    parser.add_argument("--no-http", action="store_true", help="skip the submit-path HTTP part")
    args = parser.parse_args(argv)
    bench_vin_scan(args.photos, args.seed)
    bench_photo()
    if not args.no_http:
        from bench.intake_submit import bench_submit_path

        bench_submit_path(args.requests)


if __name__ == "__main__":
    main()
