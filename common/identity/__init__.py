"""Identity numbers of the Chinese market: VIN, resident ID / residence permits, USCC, mobile.

Every validator returns a `Check` (or a subclass with decoded facts) carrying `valid`, the
normalised `value`, a stable `reason` code when invalid and a Chinese + English message.
`check.raise_if_invalid("field")` turns a failure into a DomainError (422).
"""

from common.identity._result import REASONS, Check
from common.identity.masking import mask_id, mask_mobile, mask_name
from common.identity.mobile import normalise_mobile, validate_mobile
from common.identity.resident_id import IdKind, ResidentIdCheck, age_on, validate_resident_id
from common.identity.uscc import UsccCheck, validate_uscc
from common.identity.vin import (
    VinCheck,
    VinFacts,
    check_digit,
    check_digit_required,
    decode_vin,
    model_year,
    normalise_vin,
    validate_vin,
)
from common.identity.wmi import country_for, maker_for

__all__ = [
    "REASONS",
    "Check",
    "IdKind",
    "ResidentIdCheck",
    "UsccCheck",
    "VinCheck",
    "VinFacts",
    "age_on",
    "check_digit",
    "check_digit_required",
    "country_for",
    "decode_vin",
    "maker_for",
    "mask_id",
    "mask_mobile",
    "mask_name",
    "model_year",
    "normalise_mobile",
    "normalise_vin",
    "validate_mobile",
    "validate_resident_id",
    "validate_uscc",
    "validate_vin",
]
