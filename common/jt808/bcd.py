"""BCD (8421) numbers and the BCD[6] time YYMMDDhhmmss the terminals send in UTC+8."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from common.jt808.errors import ErrorCode, Jt808Error

#: China Standard Time, the zone of every JT/T 808 timestamp (no daylight saving since 1991).
CHINA_TIME = timezone(timedelta(hours=8), "UTC+8")
_ZERO_TIME = bytes(6)


def encode_bcd(digits: str, width: int) -> bytes:
    """`digits` left-padded with zeros into `width` bytes (two digits a byte)."""
    if not digits.isascii() or not digits.isdigit() or len(digits) > 2 * width:
        raise ValueError(f"{digits!r} is not at most {2 * width} decimal digits")
    return bytes.fromhex(digits.rjust(2 * width, "0"))


def decode_bcd(data: bytes) -> str:
    """The decimal digits of `data`; a nibble above 9 is `bad_field`."""
    text = data.hex()
    if text and not text.isdigit():
        raise Jt808Error(ErrorCode.BAD_FIELD, f"not BCD: {text}")
    return text


def decode_time(data: bytes) -> datetime | None:
    """BCD[6] local time (UTC+8) as an aware UTC datetime; all zeros (no fix yet) is None."""
    if data == _ZERO_TIME:
        return None
    digits = decode_bcd(data)
    yy, month, day, hour, minute, second = (int(digits[i : i + 2]) for i in range(0, 12, 2))
    try:
        local = datetime(2000 + yy, month, day, hour, minute, second, tzinfo=CHINA_TIME)
    except ValueError as exc:
        raise Jt808Error(ErrorCode.BAD_FIELD, f"impossible time {digits}") from exc
    return local.astimezone(UTC)


def encode_time(moment: datetime | None) -> bytes:
    """An aware datetime as BCD[6] in UTC+8 (whole seconds); None as all zeros."""
    if moment is None:
        return _ZERO_TIME
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("the time must be aware")
    local = moment.astimezone(CHINA_TIME)
    if not 2000 <= local.year <= 2099:
        raise ValueError(f"year {local.year} does not fit YY")
    return encode_bcd(local.strftime("%y%m%d%H%M%S"), 6)
