"""What the admin's audit card says: the chain's verification and the newest signed checkpoint,
as lines of text (testable without Flet)."""

from __future__ import annotations

from datetime import datetime

from app_mobile.i18n import Translator, format_datetime
from common.api.audit import ChainVerification, CheckpointView


def audit_lines(
    result: ChainVerification, checkpoint: CheckpointView | None, t: Translator
) -> list[str]:
    if result.ok:
        lines = [t("audit_ok", events=result.events_checked, sealed=result.checkpoints_checked)]
    else:
        lines = [t("audit_broken", position=result.first_bad_position, problem=result.problem)]
    if checkpoint is None:
        lines.append(t("audit_no_checkpoint"))
    else:
        at = format_datetime(datetime.fromisoformat(checkpoint.at))
        lines.append(
            t("audit_checkpoint", position=checkpoint.position, at=at,
              head=checkpoint.head_hash[:12], key_id=checkpoint.key_id)
        )  # fmt: skip
    return lines
