"""Where in a photo the barcode is, and how it is turned: crops for the decoders.

A barcode is a patch of strong, regular edges. On a grid of small blocks we measure the gradient
energy and the structure tensor; 1-D barcodes show high energy with one dominant gradient
direction (across the bars), 2-D codes high energy in all directions. Connected blocks of high
energy become candidate regions, cut from the full-resolution frame with a margin and, for 1-D
codes, turned so the bars stand vertical — the decoders' favourite pose.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np
from PIL import Image

BLOCK = 16
MAX_REGIONS = 1
CROP_MAX_SIDE = 1800


@dataclass(frozen=True, slots=True)
class Region:
    box: tuple[float, float, float, float]  # left, top, right, bottom as fractions of the frame
    angle: float  # degrees to rotate (counter-clockwise) so the bars are vertical
    coherence: float  # 0 (no direction) .. 1 (pure 1-D barcode)
    score: float


def _block_sums(a: np.ndarray, rows: int, cols: int) -> np.ndarray:
    sums: np.ndarray = (
        a[: rows * BLOCK, : cols * BLOCK].reshape(rows, BLOCK, cols, BLOCK).sum(axis=(1, 3))
    )
    return sums


def _components(mask: np.ndarray) -> list[list[tuple[int, int]]]:
    """8-connected components of a small boolean grid (a few thousand cells)."""
    seen = np.zeros_like(mask, dtype=bool)
    rows, cols = mask.shape
    found = []
    for r0, c0 in zip(*np.nonzero(mask), strict=True):
        if seen[r0, c0]:
            continue
        stack = [(int(r0), int(c0))]
        seen[r0, c0] = True
        cells = []
        while stack:
            r, c = stack.pop()
            cells.append((r, c))
            for dr in (-1, 0, 1):
                for dc in (-1, 0, 1):
                    rr, cc = r + dr, c + dc
                    if 0 <= rr < rows and 0 <= cc < cols and mask[rr, cc] and not seen[rr, cc]:
                        seen[rr, cc] = True
                        stack.append((rr, cc))
        found.append(cells)
    return found


def find_regions(image: Image.Image) -> list[Region]:
    """Candidate barcode regions of a grey image, best first."""
    a = np.asarray(image, dtype=np.float32)
    height, width = a.shape
    rows, cols = height // BLOCK, width // BLOCK
    if rows < 3 or cols < 3:
        return []
    gx = np.zeros_like(a)
    gy = np.zeros_like(a)
    gx[:, 1:-1] = a[:, 2:] - a[:, :-2]
    gy[1:-1, :] = a[2:, :] - a[:-2, :]
    sxx = _block_sums(gx * gx, rows, cols)
    syy = _block_sums(gy * gy, rows, cols)
    sxy = _block_sums(gx * gy, rows, cols)
    energy = (sxx + syy) / (BLOCK * BLOCK)
    coherence = np.sqrt((sxx - syy) ** 2 + 4 * sxy**2) / np.maximum(sxx + syy, 1e-6)
    # Barcodes are the sharpest, most contrasted patches in the frame: keep blocks whose energy
    # is well above the frame's typical level, and favour one-directional ones.
    typical = float(np.median(energy))
    strong = energy > max(8 * typical, 400.0)
    mask = strong & ((coherence > 0.5) | (energy > 16 * typical))
    # Close small gaps between bars of a barcode seen at an angle.
    grown = mask.copy()
    grown[1:, :] |= mask[:-1, :]
    grown[:-1, :] |= mask[1:, :]
    grown[:, 1:] |= mask[:, :-1]
    grown[:, :-1] |= mask[:, 1:]
    regions = []
    for cells in _components(grown):
        idx = tuple(np.array(cells).T)
        core = mask[idx]
        if core.sum() < 4:
            continue
        xx, yy, xy = sxx[idx].sum(), syy[idx].sum(), sxy[idx].sum()
        coh = math.sqrt((xx - yy) ** 2 + 4 * xy**2) / max(xx + yy, 1e-6)
        # Direction of the dominant gradient (across the bars), in image coordinates (y down).
        theta = 0.5 * math.degrees(math.atan2(2 * xy, xx - yy))
        r = [c[0] for c in cells]
        c = [c[1] for c in cells]
        box = (
            min(c) / cols,
            min(r) / rows,
            (max(c) + 1) / cols,
            (max(r) + 1) / rows,
        )
        score = float((energy[idx] * np.where(core, 1.0, 0.0)).sum()) * (0.5 + coh)
        regions.append(Region(box=box, angle=theta, coherence=coh, score=score))
    regions.sort(key=lambda reg: reg.score, reverse=True)
    return regions[:MAX_REGIONS]


def cut(image: Image.Image, region: Region) -> Image.Image:
    """The region from `image` (any resolution) with a margin, deskewed when it is 1-D."""
    left, top, right, bottom = region.box
    w, h = image.size
    margin_x = (right - left) * 0.25 + 0.02
    margin_y = (bottom - top) * 0.25 + 0.02
    box = (
        max(0, round((left - margin_x) * w)),
        max(0, round((top - margin_y) * h)),
        min(w, round((right + margin_x) * w)),
        min(h, round((bottom + margin_y) * h)),
    )
    crop = image.crop(box)
    if region.coherence > 0.5 and abs(region.angle) > 2:
        # theta is measured with y pointing down, so a (visually counter-clockwise) PIL rotation by
        # theta brings the gradient onto the x axis.
        crop = crop.rotate(region.angle, Image.Resampling.BICUBIC, expand=True, fillcolor=255)
    if max(crop.size) > CROP_MAX_SIDE:
        ratio = CROP_MAX_SIDE / max(crop.size)
        crop = crop.resize(
            (max(1, round(crop.width * ratio)), max(1, round(crop.height * ratio))),
            Image.Resampling.BOX,
        )
    return crop


def crops(working: Image.Image, full: Callable[[], Image.Image]) -> Iterator[Image.Image]:
    """Deskewed full-resolution crops of the candidate regions found on `working`; `full` is
    called (and the full frame decoded) only when there is a region to cut."""
    for region in find_regions(working):
        yield cut(full(), region)
