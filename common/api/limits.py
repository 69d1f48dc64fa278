"""The size of every field, in one place 字段长度与取值范围.

The wire types (`msgspec.Meta(max_length=..., ge=..., le=..., pattern=...)`) and the database
columns (`String(VIN)`) both read these constants, so validation and the schema cannot disagree:
PostgreSQL enforces ``varchar(n)`` and refuses NUL where SQLite silently keeps anything.

Text on the wire is refused when it holds a control character (NUL included): single-line text
allows none, multi-line text (notes, reasons) allows tab, line feed and carriage return. Digits
are ASCII only (``[0-9]``, never ``\\d``, which also matches full-width ０-９ and Arabic-Indic
digits); nothing is normalised silently.
"""

from __future__ import annotations

import math
from datetime import date
from typing import Annotated

import msgspec

# -- numbers: the database's INTEGER is 32-bit on PostgreSQL, BIGINT 64-bit ---------------------
INT32_MAX = 2**31 - 1
INT64_MAX = 2**63 - 1

MODEL_YEAR_MIN = 1980  # the catalogue's oldest; the newest is next year (see model_year_ok)
MODEL_YEAR_MAX = 2100  # the static bound on the wire; the clock narrows it to next year
MILEAGE_KM_MAX = 5_000_000
VERSION_MAX = INT32_MAX  # optimistic-lock counters

# -- dates on the wire that are not quote dates (those belong to common.api.quotes) -------------
DATE_MIN = date(1980, 1, 1)
DATE_MAX = date(2099, 12, 31)

# -- text: characters (PostgreSQL varchar counts characters) ----------------------------------
USERNAME = 64
PASSWORD = 256
TOKEN = 4096  # a refresh token (JWT-like text); never stored, only hashed
DISPLAY_NAME = 100
VIN = 17  # ISO 3779
VIN_INPUT = 40  # as typed or scanned, with separators and the Code 39 leading "I"
CATALOGUE_ID = 40
MAKER = 100
CUSTOMER_NAME = 100  # characters, after strip()
CUSTOMER_NAME_BYTES = 272  # UTF-8 bytes: 90 Chinese characters; the sealed form fits 400
ID_NUMBER = 40  # resident ID (18), residence permit, USCC (18), with separators
MOBILE = 20
REGION_CODE = 6  # GB/T 2260 administrative division
NOTE = 2000  # a reviewer's note, a publish or rollback reason
RULESET_NAME = 200
RULESET_TEXT = 500  # labels and other short texts inside a rule set
QUERY_TEXT = 100  # free-text search parameters
OTP_PURPOSE = 80  # what a one-time code is for: "lessee_login", "contract_sign:<contract id>"
SMS_TEXT = 500  # one SMS as we write it (several segments at most)

# -- products 金融产品 (common.products checks a definition against these) ---------------------
PRODUCT_ID = 32  # products.id: a generated hex id, or a seeded slug
PRODUCT_NAME = 100
PRODUCT_FEE_NAME = 40
PRODUCT_MAX_TERMS = 12  # rate-table rows
PRODUCT_MAX_FEES = 6
PRODUCT_TERM_MIN = 3
PRODUCT_TERM_MAX = 120
PRODUCT_RATE_MAX_PERCENT = 36  # nominal annual %, well above any lessor's table
PRODUCT_DEPOSIT_MAX_PERCENT = 50
PRODUCT_BALLOON_MAX_PERCENT = 80
PRODUCT_FEE_MAX_PERCENT = 20
PRODUCT_FEE_MAX_AMOUNT = 1_000_000  # yuan
PRODUCT_FINANCED_MAX = 100_000_000  # yuan; its fen fit BIGINT many times over
# The asset of a partner product 融资标的 (applications.asset, JSON; the debtor's USCC a column).
ASSET_PARTY_NAME = 100  # a debtor's or shipper's name 债务人/托运人
DOCUMENT_NUMBER = 40  # an invoice 发票号码 or a waybill 运单号
FREIGHT_ROUTE = 200  # 线路, e.g. 上海—成都
EQUIPMENT_MODEL = 100
SERIAL_NUMBER = 40
SERIALS_MAX = 200  # charging piles on one lease
SITE_ADDRESS = 200
USCC = 18
APPLICANT_AGE_MIN = 18
APPLICANT_AGE_MAX = 70

# -- columns holding AES-GCM ciphertext (backend.security.pii): base64(nonce 12 + data + tag 16)
SEALED_OVERHEAD_BYTES = 12 + 16


def sealed_length(plain_bytes: int) -> int:
    """Characters of the base64 ciphertext of at most ``plain_bytes`` bytes of plaintext."""
    return 4 * math.ceil((plain_bytes + SEALED_OVERHEAD_BYTES) / 3)


NAME_SEALED = 400  # column size of customers.name_enc
ID_SEALED = 200  # customers.id_enc (ID numbers are ASCII: one byte per character)
MOBILE_SEALED = 200  # customers.mobile_enc (ASCII)
assert sealed_length(CUSTOMER_NAME_BYTES) <= NAME_SEALED
assert sealed_length(ID_NUMBER) <= ID_SEALED
assert sealed_length(MOBILE) <= MOBILE_SEALED

# -- patterns (msgspec uses re.search; written so they also read right as ECMA-262 in OpenAPI) ---
# No C0/C1 control character at all. The lookahead refuses the one trailing "\n" that Python's
# "$" would otherwise let through.
LINE_PATTERN = r"^[^\x00-\x1f\x7f-\x9f]*$(?!\n)"
# Multi-line text: tab, LF and CR allowed, every other control character refused.
PARAGRAPH_PATTERN = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]*$"
ASCII_DIGITS = r"^[0-9]*$(?!\n)"


def line(max_length: int, min_length: int = 0) -> msgspec.Meta:
    """Constraints of one line of text: ``Annotated[str, line(VIN_INPUT)]``."""
    return msgspec.Meta(min_length=min_length, max_length=max_length, pattern=LINE_PATTERN)


def paragraph(max_length: int, min_length: int = 0) -> msgspec.Meta:
    """Constraints of multi-line text (tab, LF and CR allowed)."""
    return msgspec.Meta(min_length=min_length, max_length=max_length, pattern=PARAGRAPH_PATTERN)


def int_range(low: int, high: int) -> msgspec.Meta:
    return msgspec.Meta(ge=low, le=high)


# Constrained types used by several wire modules.
Version = Annotated[int, int_range(1, VERSION_MAX)]


def has_control(text: str) -> bool:
    """True when ``text`` holds a character LINE_PATTERN refuses (for path and query values)."""
    return any(ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F for c in text)


def model_year_ok(year: int, today: date) -> bool:
    """A model year is 1980 .. next year (a car of next year's model is sold from summer on)."""
    return MODEL_YEAR_MIN <= year <= today.year + 1


def date_ok(value: date) -> bool:
    return DATE_MIN <= value <= DATE_MAX
