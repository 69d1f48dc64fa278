"""The admin's audit card says what the verification found, in the reader's language."""

from __future__ import annotations

from app_mobile.i18n import Translator
from app_mobile.state.audit import audit_lines
from common.api.audit import ChainVerification, CheckpointView

INTACT = ChainVerification(True, 12, None, None, 0, 2)
BROKEN = ChainVerification(False, 2, 3, "event content altered", 0, 0)
SEALED = CheckpointView(12, "ab" * 32, "2026-12-01T22:00:00+00:00", "a783019c2376d9ec", "sig")


def test_an_intact_chain_and_its_checkpoint_read_as_such() -> None:
    zh = audit_lines(INTACT, SEALED, Translator("zh"))
    assert zh[0] == "完整：已核验 12 条记录，2 个签名检查点一致"
    assert "第 12 条" in zh[1] and "2026-12-02 06:00" in zh[1] and "abababababab" in zh[1]
    en = audit_lines(INTACT, None, Translator("en"))
    assert en == [
        "Intact: 12 events checked, 2 signed checkpoints agree",
        "No signed checkpoint yet",
    ]


def test_a_broken_chain_names_where() -> None:
    line = audit_lines(BROKEN, None, Translator("en"))[0]
    assert line == "Broken at position 3: event content altered"
