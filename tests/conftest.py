"""Shared fixtures. Database tests run on SQLite and PostgreSQL (param ids `sqlite`, `postgres`)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # tests.support is importable from the benchmarks too
    sys.path.insert(0, str(ROOT))

os.environ.setdefault("AUTOLEASE_LOG_LEVEL", "WARNING")

# Argon2's cheapest profile for every account the tests make and every login they do (about
# 5,000 of them): the production parameters cost a third of a second each on these machines.
from argon2.profiles import CHEAPEST  # noqa: E402

from backend.security.passwords import use_parameters  # noqa: E402

use_parameters(CHEAPEST)
