"""Rule engine 规则引擎: rule sets as data, compiled once per version, pure decisions.

ruleset = default_ruleset()          # or load_ruleset(json_bytes)
compiled = compile_ruleset(ruleset)  # validates; raises DomainError("ruleset_invalid")
decision = evaluate(compiled, facts)
"""

from common.rules.adaptive import region_volume_anomaly
from common.rules.compiler import CompiledRuleSet, compile_ruleset
from common.rules.decision import Decision, Gate, Reason, TraceStep
from common.rules.default import default_ruleset
from common.rules.evaluator import evaluate
from common.rules.facts import FACT_FIELDS, Facts
from common.rules.interpret import interpret
from common.rules.model import RuleSet
from common.rules.simulate import SimulationResult, diff_outcomes
from common.rules.validation import CheckedRuleSet, load_ruleset, validate

__all__ = [
    "FACT_FIELDS",
    "CheckedRuleSet",
    "CompiledRuleSet",
    "Decision",
    "Facts",
    "Gate",
    "Reason",
    "RuleSet",
    "SimulationResult",
    "TraceStep",
    "compile_ruleset",
    "default_ruleset",
    "diff_outcomes",
    "evaluate",
    "interpret",
    "load_ruleset",
    "region_volume_anomaly",
    "validate",
]
