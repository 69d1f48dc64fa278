"""What an evaluation returns 决策结果: outcome, score, reasons, gates and the trace."""

from __future__ import annotations

from typing import Literal

import msgspec

Outcome = Literal["approved", "referred", "declined"]
ReasonKind = Literal["decline", "refer", "approve"]
StepKind = Literal["rule", "row", "default", "bin"]


class Reason(msgspec.Struct, frozen=True):
    """Why: a stable code, the plain-Chinese text staff see, English, and what said it."""

    code: str
    kind: ReasonKind
    zh: str
    en: str
    source: str  # rule id, "table/row", or "scorecard"


class Gate(msgspec.Struct, frozen=True):
    """A verification step that must pass before funding 核验关卡 (e.g. video interview)."""

    code: str
    zh: str
    en: str


class TraceStep(msgspec.Struct, frozen=True, array_like=True):
    """One evaluated rule, table row or score-card bin.

    ``hit``: its conditions held. ``applied``: its actions were taken (a row can hit and not apply
    when a higher-priority row wins or a unique table has a conflict). Ids of rows and bins are
    ``table_id/row_id`` and ``characteristic_id/bin_id``.
    """

    kind: StepKind
    id: str
    hit: bool
    applied: bool


class Decision(msgspec.Struct, frozen=True):
    outcome: Outcome
    score: int
    reasons: tuple[Reason, ...]
    gates: tuple[Gate, ...]
    trace: tuple[TraceStep, ...]
    ruleset_version: int
