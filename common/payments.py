"""The WeChat Pay v3 notification contract 支付结果通知, pure: signing and verifying the
headers, the AEAD_AES_256_GCM resource, the statuses of a payment.

A notification is a POST whose body is JSON::

    {"id": ..., "create_time": ..., "event_type": "TRANSACTION.SUCCESS",
     "resource_type": "encrypt-resource", "summary": "支付成功",
     "resource": {"algorithm": "AEAD_AES_256_GCM", "ciphertext": b64, "nonce": 12 chars,
                  "associated_data": "transaction", "original_type": "transaction"}}

with headers Wechatpay-Timestamp (unix seconds), Wechatpay-Nonce, Wechatpay-Serial (the
platform key's serial) and Wechatpay-Signature: base64 RSA-SHA256 (PKCS#1 v1.5) over
``f"{timestamp}\\n{nonce}\\n{body}\\n"`` with the platform's private key. The resource's
plaintext is the transaction: mchid, appid, out_trade_no, transaction_id, trade_state,
success_time, amount {total, payer_total, currency, payer_currency}.
"""

from __future__ import annotations

import base64
import hashlib
import json
from enum import StrEnum
from typing import Any

from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

REPLAY_WINDOW_S = 300  # a notification's timestamp within ±5 minutes of ours
ALGORITHM = "AEAD_AES_256_GCM"
SUCCESS_ACK = {"code": "SUCCESS", "message": "成功"}


class PaymentStatus(StrEnum):
    CREATED = "created"  # 待支付: the pay page is open, nothing confirmed
    PAID = "paid"  # 已支付: confirmed by the provider and posted
    FAILED = "failed"  # 支付失败
    CANCELLED = "cancelled"  # 已取消
    # 已退款: the provider took the money, we could not post it (a payment exception) and the
    # finance desk gave it back (backend/payments/exceptions.py)
    REFUNDED = "refunded"


STATUS_LABELS = {
    PaymentStatus.CREATED: "待支付",
    PaymentStatus.PAID: "已支付",
    PaymentStatus.FAILED: "支付失败",
    PaymentStatus.CANCELLED: "已取消",
    PaymentStatus.REFUNDED: "已退款",
}


# -- payment exceptions 异常收款: what the finance desk may do with one ---------------------------


class ExceptionStatus(StrEnum):
    OPEN = "open"  # 待处理
    REFUNDING = "refunding"  # 退款中: the refund was asked for, the provider's answer not kept yet
    RESOLVED = "resolved"  # 已处理


class Resolution(StrEnum):
    REFUND = "refund"  # 原路退款: the money back to the payer through the provider
    POST = "post"  # 入账: the amount received posted as a rent payment
    DISMISS = "dismiss"  # 线下处理: closed with a note, nothing moved here


# The merchant differs: the money is not in our merchant account, so nothing here can refund or
# post it. The currency differs: domestic refunds are in CNY and our books are in CNY. A second
# transaction of a payment that is already paid has no payment of its own to post it to: it is
# refunded (or handled offline). Every other kind (the amount differs; the contract could not
# take the money, e.g. settled by a payoff before a late rent arrived) may be refunded, or
# posted while the contract is active.
_ACTIONS: dict[str, tuple[Resolution, ...]] = {
    "merchant_differs": (Resolution.DISMISS,),
    "currency_differs": (Resolution.DISMISS,),
    "second_transaction": (Resolution.REFUND, Resolution.DISMISS),
}
_DEFAULT_ACTIONS = (Resolution.REFUND, Resolution.POST, Resolution.DISMISS)


def exception_actions(kind: str, *, postable: bool) -> tuple[Resolution, ...]:
    """What may be done with an open exception of `kind`; post only where the money can be
    posted (``postable``: its payment unpaid and the contract active)."""
    allowed = _ACTIONS.get(kind, _DEFAULT_ACTIONS)
    return tuple(a for a in allowed if a is not Resolution.POST or postable)


EXCEPTION_KIND_LABELS = {
    "amount_differs": "金额不符",
    "currency_differs": "币种不符",
    "merchant_differs": "商户号不符",
    "second_transaction": "重复支付",
    "contract_not_active": "合同已结清或未起租",
    # a dealer's floor-plan payment (backend/floorplan/payments.py) its unit could not take
    "floorplan_unit_settled": "库存车辆已结清",
    "floorplan_payoff_changed": "结清金额已变化",
    "floorplan_curtailment_too_large": "还本金额超过剩余本金",
}


def sign_message(timestamp: str, nonce: str, body: bytes) -> bytes:
    return timestamp.encode() + b"\n" + nonce.encode() + b"\n" + body + b"\n"


def sign(private_key: rsa.RSAPrivateKey, timestamp: str, nonce: str, body: bytes) -> str:
    raw = private_key.sign(sign_message(timestamp, nonce, body), padding.PKCS1v15(),
                           hashes.SHA256())  # fmt: skip
    return base64.b64encode(raw).decode()


def verify(
    public_key: rsa.RSAPublicKey, timestamp: str, nonce: str, body: bytes, signature: str
) -> bool:
    try:
        raw = base64.b64decode(signature, validate=True)
        public_key.verify(raw, sign_message(timestamp, nonce, body), padding.PKCS1v15(),
                          hashes.SHA256())  # fmt: skip
    except (InvalidSignature, ValueError):
        return False
    return True


def serial_of(public_key: rsa.RSAPublicKey) -> str:
    """The key's serial as the provider names it (here: SHA-1 of the SubjectPublicKeyInfo)."""
    der = public_key.public_bytes(serialization.Encoding.DER,
                                  serialization.PublicFormat.SubjectPublicKeyInfo)  # fmt: skip
    return hashlib.sha1(der).hexdigest().upper()  # noqa: S324 - an identifier, not a MAC


def encrypt_resource(
    apiv3_key: bytes, plaintext: dict[str, Any], nonce: str, associated_data: str = "transaction"
) -> dict[str, str]:
    data = json.dumps(plaintext, ensure_ascii=False, separators=(",", ":")).encode()
    ct = AESGCM(apiv3_key).encrypt(nonce.encode(), data, associated_data.encode())
    return {
        "algorithm": ALGORITHM,
        "ciphertext": base64.b64encode(ct).decode(),
        "nonce": nonce,
        "associated_data": associated_data,
        "original_type": "transaction",
    }


class ResourceInvalid(ValueError):
    pass


def decrypt_resource(apiv3_key: bytes, resource: Any) -> dict[str, Any]:
    """The transaction in a notification's resource; ResourceInvalid when it is not ours to read
    (wrong algorithm, wrong key, tampered ciphertext, not JSON)."""
    if not isinstance(resource, dict) or resource.get("algorithm") != ALGORITHM:
        raise ResourceInvalid("resource algorithm is not AEAD_AES_256_GCM")
    try:
        ct = base64.b64decode(str(resource["ciphertext"]), validate=True)
        nonce = str(resource["nonce"]).encode()
        aad = str(resource.get("associated_data") or "").encode()
        plain = AESGCM(apiv3_key).decrypt(nonce, ct, aad or None)
        out = json.loads(plain)
    except (KeyError, ValueError, InvalidTag, TypeError) as exc:
        raise ResourceInvalid(str(exc) or type(exc).__name__) from exc
    if not isinstance(out, dict):
        raise ResourceInvalid("resource is not an object")
    return out


def within_window(timestamp: str, now_s: float, window_s: int = REPLAY_WINDOW_S) -> bool:
    try:
        return abs(int(timestamp) - now_s) <= window_s
    except ValueError:
        return False
