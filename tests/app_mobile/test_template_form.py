"""The template form: only what was typed differently changes; the saved template keeps the
headings, sections, when each clause applies and the parties' names."""

from __future__ import annotations

from app_mobile.state.template_form import TemplateForm
from common.contract_templates import DEFAULT_TEMPLATE, SHIPPED_TEMPLATES, check_template
from common.products import ProductFamily


def test_an_edit_changes_one_clause_and_typing_it_back_undoes_it():
    form = TemplateForm(DEFAULT_TEMPLATE)
    original = DEFAULT_TEMPLATE.clauses["common"][0].body
    form.edit("common", 0, original + "（补充）")
    assert form.changed
    edited = form.edited()
    assert edited.clauses["common"][0].body.endswith("（补充）")
    assert edited.clauses["common"][1] == DEFAULT_TEMPLATE.clauses["common"][1]
    assert check_template(edited) == []
    form.edit("common", 0, original)
    assert not form.changed


def test_the_request_carries_the_reason_and_the_title():
    form = TemplateForm(DEFAULT_TEMPLATE)
    form.title, form.reason = " 新标题 ", " 年度修订 "
    request = form.request()
    assert request.template.title == "新标题" and request.reason == "年度修订"


def test_an_edit_of_a_partner_template_keeps_when_each_clause_applies_and_the_party_names():
    charging = SHIPPED_TEMPLATES[ProductFamily.CHARGING_PILE]
    sharing = next(i for i, c in enumerate(charging.clauses["common"]) if c.when)
    form = TemplateForm(charging)
    form.edit("common", sharing, "保底租金之上按电费收入的一定比例收取可变租金。")
    edited = form.edited()
    assert edited.clauses["common"][sharing].when == "revenue_share"
    assert edited.roles == charging.roles and edited.id == "charging-pile-standard"
    assert check_template(edited) == []
