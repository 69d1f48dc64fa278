"""An admin's edit of a contract template 合同模板, testable without a client: the clause
texts as typed, what changed, and the template to save (each clause keeps its heading and when
it applies; the template keeps its parties' names)."""

from __future__ import annotations

from dataclasses import dataclass, field

import msgspec

from common.api.contracts import TemplateSave
from common.contract_templates import ContractTemplate


@dataclass
class TemplateForm:
    template: ContractTemplate
    edits: dict[tuple[str, int], str] = field(default_factory=dict)  # (section, index) -> body
    title: str = ""
    reason: str = ""

    def __post_init__(self) -> None:
        self.title = self.template.title

    def edit(self, section: str, index: int, body: str) -> None:
        if self.template.clauses[section][index].body == body:
            self.edits.pop((section, index), None)
        else:
            self.edits[(section, index)] = body

    @property
    def changed(self) -> bool:
        return bool(self.edits) or self.title.strip() != self.template.title

    def edited(self) -> ContractTemplate:
        clauses = {
            section: [
                msgspec.structs.replace(c, body=self.edits.get((section, i), c.body))
                for i, c in enumerate(rows)
            ]
            for section, rows in self.template.clauses.items()
        }
        return msgspec.structs.replace(self.template, title=self.title.strip(), clauses=clauses)

    def request(self) -> TemplateSave:
        return TemplateSave(template=self.edited(), reason=self.reason.strip())
