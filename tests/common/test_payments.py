"""The WeChat Pay v3 notification contract, pure: what is signed, what verifies, what decrypts."""

from __future__ import annotations

import base64

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from common import payments as wire

KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
APIV3 = b"0123456789abcdef0123456789abcdef"
BODY = b'{"id":"n1","resource":{}}'


def test_the_signature_covers_timestamp_nonce_and_body():
    assert wire.sign_message("1700000000", "abc", BODY) == b"1700000000\nabc\n" + BODY + b"\n"
    sig = wire.sign(KEY, "1700000000", "abc", BODY)
    pub = KEY.public_key()
    assert wire.verify(pub, "1700000000", "abc", BODY, sig)
    assert not wire.verify(pub, "1700000001", "abc", BODY, sig)
    assert not wire.verify(pub, "1700000000", "abd", BODY, sig)
    assert not wire.verify(pub, "1700000000", "abc", BODY + b" ", sig)
    assert not wire.verify(pub, "1700000000", "abc", BODY, "not base64!")
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048).public_key()
    assert not wire.verify(other, "1700000000", "abc", BODY, sig)
    assert wire.serial_of(pub) != wire.serial_of(other) and len(wire.serial_of(pub)) == 40


def test_the_resource_round_trips_and_refuses_tampering():
    txn = {"out_trade_no": "AL1", "amount": {"total": 100, "currency": "CNY"}, "payer": "张三"}
    resource = wire.encrypt_resource(APIV3, txn, "a1b2c3d4e5f6")
    assert resource["algorithm"] == "AEAD_AES_256_GCM"
    assert wire.decrypt_resource(APIV3, resource) == txn
    ct = bytearray(base64.b64decode(resource["ciphertext"]))
    ct[0] ^= 1
    for bad in (
        {**resource, "ciphertext": base64.b64encode(bytes(ct)).decode()},
        {**resource, "associated_data": "refund"},
        {**resource, "nonce": "000000000000"},
        {**resource, "algorithm": "AES_128_CBC"},
        {"algorithm": "AEAD_AES_256_GCM"},
        "not an object",
    ):
        with pytest.raises(wire.ResourceInvalid):
            wire.decrypt_resource(APIV3, bad)
    with pytest.raises(wire.ResourceInvalid):
        wire.decrypt_resource(b"f" * 32, resource)


def test_the_replay_window_is_five_minutes_either_way():
    assert wire.within_window("1000", 1000 + 300)
    assert wire.within_window("1300", 1000)
    assert not wire.within_window("1000", 1000 + 301)
    assert not wire.within_window("1301", 1000)
    assert not wire.within_window("soon", 1000)
