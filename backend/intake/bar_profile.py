"""Code 39 read from the averaged intensity profile of a deskewed barcode crop (条码灰度剖面解码).

The last rung of the VIN ladder, for thin blurred bars (narrow bar ~1.5 px, blur ~1 px) where
every single scanline is too noisy to binarise. The rows of the bar band are aligned (the residual
skew is measured by cross-correlating the top and bottom of the band) and averaged into one 1-D
profile, which is then matched character by character against blurred templates of the Code 39
patterns, tracking position and module size along the code (perspective changes both).
Only payloads framed by start and stop `*` are returned; the caller still checks the VIN.
"""

from __future__ import annotations

from functools import cache

import numpy as np
from PIL import Image

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-. $/+%*"
# Nine elements (bar, space, ...), most significant bit first, 1 = wide.
_PATTERNS = (
    0x034, 0x121, 0x061, 0x160, 0x031, 0x130, 0x070, 0x025, 0x124, 0x064,
    0x109, 0x049, 0x148, 0x019, 0x118, 0x058, 0x00D, 0x10C, 0x04C, 0x01C,
    0x103, 0x043, 0x142, 0x013, 0x112, 0x052, 0x007, 0x106, 0x046, 0x016,
    0x181, 0x0C1, 0x1C0, 0x091, 0x190, 0x0D0, 0x085, 0x184, 0x0C4, 0x0A8,
    0x0A2, 0x08A, 0x02A, 0x094,
)  # fmt: skip
SAMPLES = 4  # profile samples per module
# A VIN, optionally with the leading `I`, between the start and stop characters.
VIN_LENGTHS = (19, 20)
RATIOS = (2.0, 2.5, 3.0)  # wide : narrow
SIGMAS = (0.3, 0.55, 0.8)  # blur, in modules
MIN_SCORE = 0.5  # weakest per-character correlation accepted
_SHIFTS = np.arange(-1.0, 1.01, 0.125)


def _smooth(values: np.ndarray, width: int) -> np.ndarray:
    out: np.ndarray = np.convolve(values, np.ones(width) / width, mode="same")
    return out


def _runs(mask: np.ndarray) -> list[tuple[int, int]]:
    edges = np.diff(np.concatenate([[0], mask.astype(np.int8), [0]]))
    return list(zip(np.flatnonzero(edges == 1), np.flatnonzero(edges == -1), strict=True))


def _bar_box(a: np.ndarray) -> tuple[int, int, int, int] | None:
    """Rows and columns of the bar band: strong horizontal gradients."""
    gx = np.abs(np.diff(a, axis=1))
    row_energy = _smooth(gx.mean(axis=1), 5)
    rows = _runs(row_energy > 0.5 * row_energy.max())
    r0, r1 = max(rows, key=lambda r: r[1] - r[0])
    if r1 - r0 < 8:
        return None
    col_energy = _smooth(gx[r0:r1].mean(axis=0), 9)
    merged: list[list[int]] = []
    for s, e in _runs(col_energy > 0.25 * col_energy.max()):
        if merged and s - merged[-1][1] < 25:
            merged[-1][1] = e
        else:
            merged.append([s, e])
    c0, c1 = max(merged, key=lambda r: r[1] - r[0])
    return int(r0), int(r1), int(c0), int(c1)


def bar_profile(crop: Image.Image) -> np.ndarray | None:
    """The bar band of a crop (bars roughly vertical) averaged into one profile (dark = low)."""
    a = np.asarray(crop.convert("L"), dtype=np.float64)
    box = _bar_box(a)
    if box is None:
        return None
    r0, r1, c0, c1 = box
    trim = (r1 - r0) // 10
    block = a[r0 + trim : r1 - trim, max(0, c0 - 30) : min(a.shape[1], c1 + 30)]
    q = max(2, block.shape[0] // 4)
    top = block[:q].mean(axis=0)
    bottom = block[-q:].mean(axis=0)
    top -= top.mean()
    bottom -= bottom.mean()
    x = np.arange(block.shape[1], dtype=np.float64)
    shifts = np.arange(-8, 8.01, 0.25)
    scores = [float((top[20:-20] * np.interp(x + s, x, bottom)[20:-20]).sum()) for s in shifts]
    slope = shifts[int(np.argmax(scores))] / (block.shape[0] - q)
    middle = (block.shape[0] - 1) / 2
    rows = [np.interp(x + (i - middle) * slope, x, row) for i, row in enumerate(block)]
    profile: np.ndarray = np.mean(rows, axis=0)
    return profile


@cache
def _templates(ratio: float, sigma: float) -> np.ndarray:
    """Blurred, zero-mean, unit-norm templates of every character with its gaps (and the
    neighbouring bars, which bleed into the gaps when blurred)."""
    rows = []
    for code in _PATTERNS:
        elements = [(1.0, 0.0), (1.0, 1.0)]
        elements += [(ratio if code >> (8 - k) & 1 else 1.0, float(k % 2)) for k in range(9)]
        elements += [(1.0, 1.0), (1.0, 0.0)]
        arr = np.concatenate([np.full(round(w * SAMPLES), v) for w, v in elements])
        reach = int(3 * sigma * SAMPLES) + 1
        kernel = np.exp(-0.5 * (np.arange(-reach, reach + 1) / (sigma * SAMPLES)) ** 2)
        arr = np.convolve(np.pad(arr, reach, mode="edge"), kernel / kernel.sum(), mode="valid")
        rows.append(arr[SAMPLES:-SAMPLES])
    t = np.array(rows)
    t -= t.mean(axis=1, keepdims=True)
    normed: np.ndarray = t / np.linalg.norm(t, axis=1, keepdims=True)
    return normed


def _windows(p: np.ndarray, starts: np.ndarray, module: float, length: int) -> np.ndarray | None:
    coords = starts[:, None] + (np.arange(length) / SAMPLES - 1 + 0.5 / SAMPLES) * module
    if coords[0, 0] < 0 or coords[-1, -1] >= len(p) - 1:
        return None
    w: np.ndarray = np.interp(coords, np.arange(len(p)), p)
    w -= w.mean(axis=1, keepdims=True)
    w /= np.maximum(np.linalg.norm(w, axis=1, keepdims=True), 1e-9)
    return w


def _track(
    p: np.ndarray, x0: float, module: float, count: int, ratio: float, sigma: float
) -> tuple[str, float, float] | None:
    """Greedy character-by-character read from the first bar at x0: (text, mean, min score)."""
    templates = _templates(ratio, sigma)
    unit = 7 + 3 * ratio  # modules per character including the gap after it
    length = templates.shape[1]
    # The start character is '*': fit its position and the local module size to it.
    best = (-2.0, x0, module)
    for scale in np.arange(0.88, 1.121, 0.02):
        w = _windows(p, x0 + _SHIFTS * module * scale, module * scale, length)
        if w is not None:
            c = w @ templates[-1]
            j = int(np.argmax(c))
            if c[j] > best[0]:
                best = (float(c[j]), x0 + _SHIFTS[j] * module * scale, module * scale)
    _, pos, module = best
    text, scores, starts = [], [], []
    for _ in range(count):
        w = _windows(p, pos + _SHIFTS * module, module, length)
        if w is None:
            return None
        corr = w @ templates.T
        si, ci = np.unravel_index(int(np.argmax(corr)), corr.shape)
        text.append(ALPHABET[ci])
        scores.append(float(corr[si, ci]))
        starts.append(pos + _SHIFTS[si] * module)
        if len(starts) >= 3:
            slope = float(np.polyfit(np.arange(len(starts)), starts, 1)[0])
            module = float(np.clip(slope / unit, module * 0.97, module * 1.03))
        pos = starts[-1] + unit * module
    return "".join(text), float(np.mean(scores)), min(scores)


def _bar_span(p: np.ndarray) -> tuple[int, int] | None:
    """First and last dark sample of the longest cluster of bars (not the label's border)."""
    dark = np.flatnonzero(_smooth(p, 3)[2:-2] < 0.6) + 2
    if len(dark) < 10:
        return None
    for _ in range(2):
        module = (dark[-1] - dark[0]) / 260
        groups = np.split(dark, np.flatnonzero(np.diff(dark) > max(6 * module, 5)) + 1)
        dark = max(groups, key=lambda g: g[-1] - g[0])
    return int(dark[0]), int(dark[-1])


def read_code39(profile: np.ndarray) -> str | None:
    """The payload (without `*`) of the best-matching framed Code 39 read, in either direction."""
    lo, hi = np.percentile(profile, 2), np.percentile(profile, 98)
    if hi - lo < 10:
        return None
    found: list[tuple[float, str]] = []
    for direction in (1, -1):
        p = (profile[::direction] - lo) / (hi - lo)
        span = _bar_span(p)
        if span is None:
            continue
        start, end = span
        for ratio in RATIOS:
            for count in VIN_LENGTHS:
                module = (end - start) / (count * (7 + 3 * ratio) - 1)
                if module < 0.7:
                    continue
                for sigma in SIGMAS:
                    read = _track(p, float(start), module, count, ratio, sigma)
                    if read is None:
                        continue
                    text, mean, weakest = read
                    framed = text[0] == text[-1] == "*" and "*" not in text[1:-1]
                    if framed and weakest >= MIN_SCORE:
                        found.append((mean, text[1:-1]))
    return max(found)[1] if found else None
