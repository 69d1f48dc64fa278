"""The admin's commission rules form 佣金规则: one row per rule as typed (product, % or fixed yuan,
clawback window), turned into the wire's rules or the fields that are wrong — the server checks
the same again and names its own fields."""

from __future__ import annotations

from dataclasses import dataclass, field

from common.api.dealers import CommissionRules
from common.commissions import ANY_PRODUCT, CommissionBasis, CommissionRule, problems
from common.errors import DomainError
from common.money import parse_money, to_fen, yuan_text


@dataclass
class RuleRow:
    product_id: str = ANY_PRODUCT
    basis: str = CommissionBasis.PERCENT.value
    value: str = ""  # percent ("1.5") or yuan ("800")
    clawback_months: str = "6"
    clawback_days_past_due: str = "60"

    @classmethod
    def of(cls, rule: CommissionRule) -> RuleRow:
        value = rule.percent if rule.basis is CommissionBasis.PERCENT else yuan_text(
            rule.fixed_fen or 0)  # fmt: skip
        return cls(rule.product_id, rule.basis.value, value or "", str(rule.clawback_months),
                   str(rule.clawback_days_past_due))  # fmt: skip


@dataclass
class CommissionForm:
    rows: list[RuleRow] = field(default_factory=list)
    reason: str = ""

    @classmethod
    def of(cls, rules: list[CommissionRule]) -> CommissionForm:
        return cls([RuleRow.of(r) for r in rules] or [RuleRow()])

    def add(self) -> None:
        self.rows.append(RuleRow(product_id=""))

    def remove(self, index: int) -> None:
        del self.rows[index]

    def body(self) -> tuple[CommissionRules | None, dict[str, str]]:
        """The rules to save, or None and the wrong fields (`rules[1].value`)."""
        wrong: dict[str, str] = {}
        rules = []
        for k, row in enumerate(self.rows):
            at = f"rules[{k}]"
            months = row.clawback_months.strip()
            days = row.clawback_days_past_due.strip()
            if not months.isdigit():
                wrong[f"{at}.clawback_months"] = "commission_clawback_invalid"
            if not days.isdigit():
                wrong[f"{at}.clawback_days_past_due"] = "commission_clawback_invalid"
            basis = CommissionBasis(row.basis)
            fixed: int | None = None
            if basis is CommissionBasis.FIXED:
                try:
                    fixed = to_fen(parse_money(row.value, "value"))
                except DomainError:
                    wrong[f"{at}.value"] = "commission_fixed_invalid"
            if wrong:
                continue
            rules.append(CommissionRule(
                product_id=row.product_id, basis=basis,
                percent=row.value.strip() if basis is CommissionBasis.PERCENT else None,
                fixed_fen=fixed, clawback_months=int(months), clawback_days_past_due=int(days),
            ))  # fmt: skip
        if wrong:
            return None, wrong
        # the pure checks' field names, shown against the form's single value field
        found = {k.replace(".percent", ".value").replace(".fixed_fen", ".value"): v
                 for k, v in problems(rules).items()}  # fmt: skip
        if found:
            return None, found
        return CommissionRules(rules=rules, reason=self.reason.strip() or None), {}
