"""The application state machine: the only transitions are the drawn ones."""

from __future__ import annotations

import pytest

from common.api.intake import ApplicationStatus as S
from common.status import TRANSITIONS, IllegalTransition, decided, reviewed, transition


def test_a_decision_moves_a_submitted_application_to_its_status():
    assert decided("approved") is S.APPROVED
    assert decided("declined") is S.DECLINED
    assert decided("referred") is S.IN_REVIEW


def test_a_review_decides_only_what_waits_for_review():
    assert reviewed(S.IN_REVIEW, "approve") is S.APPROVED
    assert reviewed("in_review", "decline") is S.DECLINED
    with pytest.raises(IllegalTransition):
        reviewed(S.APPROVED, "decline")


@pytest.mark.parametrize("current", list(S))
def test_only_drawn_transitions_are_allowed(current):
    for wanted in S:
        if wanted in TRANSITIONS[current]:
            assert transition(current, wanted) is wanted
        else:
            with pytest.raises(IllegalTransition):
                transition(current, wanted)


def test_terminal_statuses_go_nowhere():
    assert all(not TRANSITIONS[s] for s in (S.APPROVED, S.DECLINED, S.WITHDRAWN))
