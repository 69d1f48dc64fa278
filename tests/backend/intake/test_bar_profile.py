"""Code 39 read from an averaged bar profile: the rung for thin, blurred bars."""

import numpy as np
import pytest
import zxingcpp
from PIL import Image

from backend.intake.bar_profile import _PATTERNS, ALPHABET, bar_profile, read_code39
from tests.support.vin_photos import barcode_image

VIN = "LFV2A21K2E3045215"


def blurred_profile(payload: str, module: float, blur: float, seed: int = 1) -> np.ndarray:
    """One row of a Code 39 barcode at `module` px per module, Gaussian-blurred, with the noise
    left after averaging ~40 scanlines, on grey paper and dark-grey bars."""
    row = np.asarray(barcode_image(payload, "code39"), dtype=np.float64)[0]
    fine = np.repeat(row, 20)  # 20 sub-samples per module, then box-averaged to pixels
    width = int(len(row) * module)
    edges = np.linspace(0, len(fine), width + 1).astype(int)
    pixels = np.add.reduceat(fine, edges[:-1]) / np.diff(edges)
    reach = int(4 * blur) + 1
    kernel = np.exp(-0.5 * (np.arange(-reach, reach + 1) / blur) ** 2)
    pixels = np.convolve(np.pad(pixels, reach, mode="edge"), kernel / kernel.sum(), "valid")
    grey = 40 + pixels * (190 / 255)
    noise = np.random.default_rng(seed).normal(0, 1.0, grey.shape)
    padded: np.ndarray = np.pad(grey + noise, 30, mode="edge")
    return padded


def test_pattern_table_matches_the_reference_writer() -> None:
    for char, code in zip(ALPHABET[:-1], _PATTERNS[:-1], strict=True):
        bars = zxingcpp.create_barcode(char, zxingcpp.BarcodeFormat.Code39)
        dark = np.asarray(bars.to_image(scale=1, add_quiet_zones=False))[0] < 128
        cuts = np.flatnonzero(np.diff(dark.astype(int))) + 1
        widths = np.diff(np.concatenate([[0], cuts, [len(dark)]])).tolist()
        mine = [2 if code >> (8 - k) & 1 else 1 for k in range(9)]
        star = [2 if _PATTERNS[-1] >> (8 - k) & 1 else 1 for k in range(9)]
        assert widths == [*star, 1, *mine, 1, *star], char


@pytest.mark.parametrize(
    ("payload", "module", "blur"),
    [
        (VIN, 1.5, 1.1),  # the photos scanline decoders miss: narrow bar 1.5 px, blurred
        ("I" + VIN, 1.6, 0.9),  # with the leading I of many labels
        (VIN, 2.5, 0.5),
    ],
)
def test_thin_blurred_bars_are_read(payload: str, module: float, blur: float) -> None:
    assert read_code39(blurred_profile(payload, module, blur)) == payload


def test_read_backwards_when_the_label_is_upside_down() -> None:
    assert read_code39(blurred_profile(VIN, 1.5, 1.0)[::-1]) == VIN


@pytest.mark.parametrize(
    "profile",
    [
        np.full(400, 200.0),  # blank paper
        np.random.default_rng(3).normal(128, 60, 600),  # texture, no code
        np.pad(np.tile([40.0] * 3 + [230.0] * 3, 60), 30, constant_values=230),  # a grille
    ],
)
def test_no_code39_no_payload(profile: np.ndarray) -> None:
    assert read_code39(profile) is None


def test_profile_of_a_crop_averages_the_bar_band_despite_skew() -> None:
    payload = "I" + VIN
    bars = barcode_image(payload, "code39")
    tall = bars.resize((bars.width * 3, 90), Image.Resampling.NEAREST)
    paper = Image.new("L", (tall.width + 80, 200), 235)
    paper.paste(tall, (40, 55))
    skewed = paper.rotate(1.5, Image.Resampling.BICUBIC, fillcolor=235)
    profile = bar_profile(skewed)
    assert profile is not None
    assert read_code39(profile) == payload
