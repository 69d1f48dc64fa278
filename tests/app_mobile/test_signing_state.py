"""The signing form: every confirmation ticked, a code asked for and typed, before signing."""

from __future__ import annotations

from app_mobile.state.signing import CODE_WAIT_S, SigningForm

CONFIRMS = {"read_contract": "我已阅读", "own_intent": "本人签署"}


def test_signing_needs_every_confirmation_a_sent_code_and_six_digits():
    form = SigningForm(CONFIRMS)
    assert not form.may_ask_code  # nothing ticked yet
    form.tick("read_contract", True)
    form.tick("own_intent", True)
    assert form.may_ask_code and not form.ready
    form.code_sent("138****5678")
    form.code = "12345"
    assert not form.ready
    form.code = " 123456 "
    assert form.ready
    assert form.request("Chrome").code == "123456"
    form.tick("own_intent", False)
    assert not form.ready


def test_a_new_code_waits_a_minute():
    form = SigningForm(CONFIRMS)
    for key in CONFIRMS:
        form.tick(key, True)
    form.code_sent("138****5678")
    for _ in range(CODE_WAIT_S - 1):
        form.second_passed()
    assert not form.may_ask_code
    form.second_passed()
    assert form.may_ask_code


def test_unknown_confirmations_are_ignored():
    form = SigningForm(CONFIRMS)
    form.tick("something_else", True)
    assert form.ticked == set()
