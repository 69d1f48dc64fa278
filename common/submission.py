"""Deciding a submitted application 提交审批, as a pure step: facts in, outcome out.

The shell (backend/risk/service.py) reads a snapshot of what was filed and of our own records,
lets go of the database, asks the providers and then calls `decide_submission`, which builds the
facts (common.decision_facts) and evaluates them; what it returns is written in one short
transaction.

A provider that did not answer turns an approval into a referral (``provider_unavailable``): an
outage never approves and never declines on its own. A rule engine that fails (a rule set that
does not compile or evaluate, a score beyond what can be stored) refers the case too
(``engine_error``): a decision never fails the request and never leaves a draft.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import msgspec

from common.api.intake import ApplicationStatus
from common.api.limits import INT32_MAX
from common.business_day import business_date
from common.decision_facts import Filed, OwnRecords, facts_from
from common.provider_answers import Answers
from common.rules import CompiledRuleSet, Decision, Facts, Reason, evaluate
from common.rules.model import SYSTEM_REASONS
from common.status import decided

PROVIDER_UNAVAILABLE = Reason(
    "provider_unavailable",
    "refer",
    "外部数据源暂时无法查询，转人工审核",
    "An external data source did not answer; referred to a person",
    "providers",
)
ENGINE_ERROR = Reason(
    "engine_error",
    "refer",
    SYSTEM_REASONS["engine_error"].zh,  # reserved: a rule set cannot define it
    SYSTEM_REASONS["engine_error"].en,
    "engine",
)


@dataclass(frozen=True)
class Outcome:
    """What a submit concluded, before anything is written."""

    decision: Decision
    status: ApplicationStatus  # where the state machine takes the draft
    facts: Facts  # the snapshot stored with the decision (simulation replays it)
    provider_errors: tuple[str, ...]
    at: datetime
    engine_failure: BaseException | None = None  # for the shell to log


def with_outages(decision: Decision, errors: tuple[str, ...]) -> Decision:
    if not errors or decision.outcome == "declined":
        return decision
    return msgspec.structs.replace(
        decision, outcome="referred", reasons=(*decision.reasons, PROVIDER_UNAVAILABLE)
    )


def _evaluate(compiled: CompiledRuleSet, facts: Facts) -> Decision:
    decision = evaluate(compiled, facts)
    if not -INT32_MAX <= decision.score <= INT32_MAX:  # risk_decisions.score is an INTEGER
        raise OverflowError(f"score {decision.score} does not fit the decision's column")
    return decision


def decide_submission(
    filed: Filed,
    own: OwnRecords,
    answers: Answers,
    provider_errors: tuple[str, ...],
    ruleset: CompiledRuleSet | BaseException,
    ruleset_number: int,
    as_of: datetime,
) -> Outcome:
    """What was filed, our own records and the providers' answers (``provider_errors`` names
    those that gave neutral values instead) decided by ``ruleset``: the active rule set
    compiled, or what compiling it raised. ``as_of`` is the instant of the decision."""
    return decide_facts(
        facts_from(filed, own, answers, business_date(as_of)),
        provider_errors,
        ruleset,
        ruleset_number,
        as_of,
    )


def decide_facts(
    facts: Facts,
    provider_errors: tuple[str, ...],
    ruleset: CompiledRuleSet | BaseException,
    ruleset_number: int,
    as_of: datetime,
) -> Outcome:
    """The decision on facts already built (what a simulation replays)."""
    failure: BaseException | None = None
    try:
        if isinstance(ruleset, BaseException):
            raise ruleset
        decision = _evaluate(ruleset, facts)
    except Exception as exc:  # whatever the engine raised, a person decides
        failure = exc
        decision = Decision("referred", 0, (ENGINE_ERROR,), (), (), ruleset_number)
    decision = with_outages(decision, provider_errors)
    return Outcome(
        decision, decided(decision.outcome), facts, provider_errors, as_of, engine_failure=failure
    )
