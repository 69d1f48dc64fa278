"""Signing and verifying webhook deliveries (common.webhooks): the vectors were computed with
`openssl dgst -sha256 -hmac`, independently of the code under test."""

from __future__ import annotations

import pytest

from common import webhooks
from common.webhooks import (
    SignatureError,
    retry_delay_s,
    sign,
    signature_header,
    subscribed,
    verify,
)

SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
OLD = "whsec_old"
BODY = b'{"id":"evt_1","type":"alert.opened"}'
T = 1_700_000_000
# printf '%s' '1700000000.{"id":"evt_1","type":"alert.opened"}' | openssl dgst -sha256 -hmac ...
SIG = "9e35550ce0061f93cc9ce449949782691b669f99610005fb0db999f55f41575e"
SIG_OLD = "6ddab4c9e88c2d82fb76e65e51caadb322bbf4bb54eb84167658203c3d357110"


def test_the_signature_is_the_hmac_sha256_of_timestamp_dot_body():
    assert sign(SECRET, T, BODY) == SIG
    assert sign(OLD, T, BODY) == SIG_OLD
    assert sign("k", 0, b"") == "6b4a4b8b3c40f1e8f53a3d36682e5f99f7ad2ac1df1c93dfe336f329167641e7"


def test_the_header_names_the_timestamp_then_one_v1_per_secret_current_first():
    assert signature_header([SECRET], T, BODY) == f"t={T},v1={SIG}"
    assert signature_header([SECRET, OLD], T, BODY) == f"t={T},v1={SIG},v1={SIG_OLD}"
    with pytest.raises(SignatureError, match="no_secret"):
        signature_header([], T, BODY)


def test_a_delivery_verifies_with_its_secret_and_returns_its_timestamp():
    assert verify(f"t={T},v1={SIG}", [SECRET], BODY, now=T + 10) == T
    assert verify(f" t={T} , v1={SIG} ", [SECRET], BODY, now=T) == T  # spaces tolerated


@pytest.mark.parametrize(
    ("header", "secrets", "body", "now", "reason"),
    [
        (f"t={T},v1={SIG}", [SECRET], BODY + b" ", T, "no_matching_signature"),  # body changed
        (f"t={T + 1},v1={SIG}", [SECRET], BODY, T, "no_matching_signature"),  # timestamp changed
        (f"t={T},v1={SIG}", ["whsec_other"], BODY, T, "no_matching_signature"),
        (f"t={T},v1={SIG}", [SECRET], BODY, T + 301, "timestamp_outside_tolerance"),
        (f"t={T},v1={SIG}", [SECRET], BODY, T - 301, "timestamp_outside_tolerance"),
        (f"t={T},v1={SIG}", [], BODY, T, "no_secret"),
        (f"v1={SIG}", [SECRET], BODY, T, "header_malformed"),  # no timestamp
        (f"t={T}", [SECRET], BODY, T, "header_malformed"),  # no signature
        (f"t={T},v1={SIG[:-1]}", [SECRET], BODY, T, "header_malformed"),  # short
        (f"t={T},v1={SIG.upper()}", [SECRET], BODY, T, "header_malformed"),  # not lower hex
        (f"t=-{T},v1={SIG}", [SECRET], BODY, T, "header_malformed"),
        (f"t=١٧,v1={SIG}", [SECRET], BODY, T, "header_malformed"),  # Arabic-Indic digits
        (f"t={T},t={T},v1={SIG}", [SECRET], BODY, T, "header_malformed"),
        (f"t={T};v1={SIG}", [SECRET], BODY, T, "header_malformed"),
        ("", [SECRET], BODY, T, "header_malformed"),
        (f"t={T},v1={SIG}," + "x" * 2000, [SECRET], BODY, T, "header_malformed"),
    ],
)
def test_a_delivery_that_does_not_verify_says_why(header, secrets, body, now, reason):
    with pytest.raises(SignatureError) as raised:
        verify(header, secrets, body, now)
    assert raised.value.reason == reason


def test_the_tolerance_is_inclusive_and_can_be_chosen():
    header = f"t={T},v1={SIG}"
    assert verify(header, [SECRET], BODY, now=T + 300) == T
    assert verify(header, [SECRET], BODY, now=T + 1000, tolerance=1000) == T
    with pytest.raises(SignatureError):
        verify(header, [SECRET], BODY, now=T + 61, tolerance=60)


def test_during_a_rotation_either_secret_verifies_the_doubly_signed_header():
    header = signature_header([SECRET, OLD], T, BODY)
    assert verify(header, [SECRET], BODY, T) == T  # a receiver already on the new secret
    assert verify(header, [OLD], BODY, T) == T  # a receiver still on the old one
    assert verify(header, [OLD, SECRET], BODY, T) == T
    after = signature_header([SECRET], T, BODY)  # the old one expired: it no longer signs
    with pytest.raises(SignatureError, match="no_matching_signature"):
        verify(after, [OLD], BODY, T)


def test_unknown_signature_schemes_are_skipped_not_refused():
    assert verify(f"t={T},v0=abc,v1={SIG}", [SECRET], BODY, T) == T


@pytest.mark.parametrize(
    ("subscriptions", "event_type", "expected"),
    [
        (["alert.opened"], "alert.opened", True),
        (["alert.opened"], "alert.resolved", False),
        (["alert.*"], "alert.resolved", True),
        (["alert.*"], "alerting.opened", False),  # a family is a whole word
        (["alert.*"], "alert", False),
        (["contract.*", "alert.resolved"], "alert.resolved", True),
        ([], "alert.opened", False),
    ],
)
def test_a_subscription_is_an_event_type_or_a_family(subscriptions, event_type, expected):
    assert subscribed(subscriptions, event_type) is expected


def test_event_types_and_subscriptions_are_dotted_lower_case_words():
    assert webhooks.EVENT_TYPE.match("alert.opened")
    assert not webhooks.EVENT_TYPE.match("alert.*")
    assert not webhooks.EVENT_TYPE.match("Alert.opened")
    assert not webhooks.EVENT_TYPE.match("alert.opened\n")
    assert webhooks.SUBSCRIPTION.match("alert.*")
    assert webhooks.SUBSCRIPTION.match("alert.opened")
    assert not webhooks.SUBSCRIPTION.match("*")
    assert not webhooks.SUBSCRIPTION.match("alert.*.x")


def test_the_retry_schedule_is_30s_2min_10min_1h_6h_then_give_up():
    plain = [retry_delay_s(n, 0.5) for n in range(1, 7)]
    assert plain == [30, 120, 600, 3600, 21600, None]
    assert webhooks.MAX_ATTEMPTS == 6


def test_jitter_stays_within_ten_percent_of_the_schedule():
    for n, base in enumerate(webhooks.RETRY_SCHEDULE_S, start=1):
        low, high = retry_delay_s(n, 0.0), retry_delay_s(n, 0.999999)
        assert low == pytest.approx(base * 0.9)
        assert high == pytest.approx(base * 1.1, rel=1e-5)
    with pytest.raises(ValueError, match="unit"):
        retry_delay_s(1, 1.0)
    with pytest.raises(ValueError, match="starts at 1"):
        retry_delay_s(0, 0.5)
