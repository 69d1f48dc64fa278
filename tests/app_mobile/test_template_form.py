"""The template form: only what was typed differently changes; the saved template keeps the
headings and sections."""

from __future__ import annotations

from app_mobile.state.template_form import TemplateForm
from common.contract_templates import DEFAULT_TEMPLATE, check_template


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
