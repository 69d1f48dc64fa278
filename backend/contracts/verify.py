"""Checking a contract file's seal (验章) with pyHanko's validator, against the lessor's CA.

Anyone holding the file can run the same check with poppler's `pdfsig` (docs/contracts.md); this
one answers the API and the audit trail. Only our CA is trusted, nothing is fetched from the
network (the demo CA publishes no CRL or OCSP; revocation is soft-fail).
"""

from __future__ import annotations

from datetime import datetime
from io import BytesIO

import msgspec
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import async_validate_pdf_signature
from pyhanko.sign.validation.errors import SignatureValidationError
from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature
from pyhanko.sign.validation.status import PdfSignatureStatus, SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from backend.contracts.seal import SEAL_FIELD, certificate
from common.errors import DomainError


class SealCheck(msgspec.Struct, frozen=True):
    sealed: bool  # the file carries a signature at all
    intact: bool  # the signed bytes hash to what was signed (no byte changed)
    trusted: bool  # the signer's certificate chains to the CA given
    covers_whole_file: bool  # nothing was appended after the seal
    signer: str  # the seal certificate's common name
    signed_at: datetime | None  # the signing time the signer states (/M)
    timestamp_at: datetime | None  # the TSA's time, if the time-stamp token validates
    signed_sha256: str  # hex SHA-256 of the signed byte ranges (the digest the seal signs)
    problem: str | None  # in Chinese; None when all of the above hold


_NOT_SEALED = SealCheck(
    sealed=False, intact=False, trusted=False, covers_whole_file=False, signer="",
    signed_at=None, timestamp_at=None, signed_sha256="", problem="文件未加盖电子印章",
)  # fmt: skip


def _reader(pdf: bytes) -> PdfFileReader:
    try:
        reader = PdfFileReader(BytesIO(pdf), strict=False)
        reader.embedded_signatures  # noqa: B018 - parses the signature fields, may raise
    except (PdfError, ValueError, KeyError, IndexError, TypeError) as e:
        raise DomainError("pdf_invalid", "文件不是有效的PDF，无法验章", "not a readable PDF") from e
    return reader


def _the_seal(reader: PdfFileReader) -> EmbeddedPdfSignature | None:
    signatures: list[EmbeddedPdfSignature] = reader.embedded_signatures
    ours = [s for s in signatures if s.field_name == SEAL_FIELD]
    found = ours or signatures
    return found[-1] if found else None


def _problem(status: PdfSignatureStatus, trusted: bool, whole: bool) -> str | None:
    if not status.intact:
        return "文件在盖章后被改动：摘要不一致"
    if not status.valid:
        return "印章签名值无效"
    if not trusted:
        return "印章证书不是由受信任的出租人CA签发"
    if not whole:
        return "盖章后文件又被追加了内容"
    if status.timestamp_validity is None or not status.timestamp_validity.trusted:
        return "缺少有效的时间戳"
    return None


async def check_seal(pdf: bytes, ca_pem: bytes) -> SealCheck:
    """What the seal of `pdf` says, against the CA in `ca_pem`.

    An unsealed PDF answers `sealed=False`; bytes that are not a PDF raise `DomainError`
    `pdf_invalid`."""
    reader = _reader(pdf)
    sig = _the_seal(reader)
    if sig is None:
        return _NOT_SEALED
    context = ValidationContext(trust_roots=[certificate(ca_pem)], allow_fetching=False)
    digest = sig.compute_digest("sha256").hex()
    try:
        status = await async_validate_pdf_signature(sig, context, skip_diff=True)
    except (SignatureValidationError, ValueError, KeyError) as e:
        return SealCheck(
            sealed=True, intact=False, trusted=False, covers_whole_file=False, signer="",
            signed_at=None, timestamp_at=None, signed_sha256=digest,
            problem=f"印章无法解析：{e}",
        )  # fmt: skip
    # pyHanko's own `trusted` is False for any broken signature; here it means the chain only.
    trusted = status.trust_problem_indic is None and status.validation_path is not None
    whole = status.coverage is SignatureCoverageLevel.ENTIRE_FILE
    ts = status.timestamp_validity
    return SealCheck(
        sealed=True,
        intact=status.intact,
        trusted=trusted,
        covers_whole_file=whole,
        signer=str(status.signing_cert.subject.native.get("common_name", "")),
        signed_at=status.signer_reported_dt,
        timestamp_at=ts.timestamp if ts is not None and ts.trusted else None,
        signed_sha256=digest,
        problem=_problem(status, trusted, whole),
    )
