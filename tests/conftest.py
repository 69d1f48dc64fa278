"""Shared fixtures. Database tests run on SQLite and PostgreSQL (param ids `sqlite`, `postgres`)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # tests.support is importable from the benchmarks too
    sys.path.insert(0, str(ROOT))

os.environ.setdefault("AUTOLEASE_LOG_LEVEL", "WARNING")
