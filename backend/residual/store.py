"""The shipped residual-value model, loaded once per process (assets/residual/)."""

from __future__ import annotations

import functools
import json
from pathlib import Path

from common.residual.model import ResidualModel

MODEL_FILE = Path(__file__).resolve().parents[2] / "assets" / "residual" / "residual-v1.json"


@functools.cache
def load(path: Path = MODEL_FILE) -> ResidualModel:
    return ResidualModel.of(json.loads(path.read_text(encoding="utf-8")))
