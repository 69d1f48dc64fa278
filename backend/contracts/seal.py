"""The platform seal (平台电子印章, F16): a PAdES B-T signature over the whole contract PDF.

B-T = a CAdES signature in the PDF (/ETSI.CAdES.detached) plus an RFC 3161 signature time-stamp
from a TSA, so the signing time does not rest on our own clock alone. The demo TSA runs in
process (pyHanko's `DummyTimeStamper`, signed by the TSA certificate of `backend.trust`); a
deployment would point a `HTTPTimeStamper` at a licensed TSA instead.

pyHanko's async API runs on the event loop (its sync `sign_pdf` calls `asyncio.run`, which fails
inside a running loop). The work it does between awaits is hashing the file and two RSA-2048
signatures, a few milliseconds; we reserve a fixed size for the signature rather than have pyHanko
estimate it with a dummy signature first (which doubles the work).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from io import BytesIO

from asn1crypto import cms, core
from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey
from pyhanko.keys import load_certs_from_pemder_data
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.sign.fields import SigSeedSubFilter
from pyhanko.sign.general import as_signing_certificate
from pyhanko.sign.signers import PdfSignatureMetadata, PdfSigner, SimpleSigner
from pyhanko.sign.signers.pdf_cms import PdfCMSSignedAttributes
from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper
from pyhanko_certvalidator.registry import SimpleCertificateStore
from pyhanko_certvalidator.util import get_pyca_cryptography_hash

from backend.trust.ca import TrustMaterial
from common.errors import DomainError

SEAL_FIELD = "AutoLeaseSeal"
# Room for the CMS (3 RSA-2048 certificates, 2 signatures, the token): ~6 KB DER; hex doubles it.
SIGNATURE_BYTES = 16_384


def certificate(pem: bytes) -> asn1_x509.Certificate:
    """The one certificate in `pem`, as pyHanko wants it (asn1crypto)."""
    (cert,) = load_certs_from_pemder_data(pem)
    return cert


def _attribute(kind: str, value: object) -> cms.CMSAttribute:
    return cms.CMSAttribute({"type": cms.CMSAttributeType(kind), "values": (value,)})


def _chain(pem: bytes) -> SimpleCertificateStore:
    store = SimpleCertificateStore()  # type: ignore[no-untyped-call]  # unannotated upstream
    store.register(certificate(pem))
    return store


class _SandboxTsa(DummyTimeStamper):
    """pyHanko's in-process TSA, signing with a key loaded once: its own `_sign_tst_info` loads
    the RSA key from DER on every token, and OpenSSL 3 checks an RSA key on load (~40-70 ms)."""

    def __init__(self, tools: _SealTools, at: datetime) -> None:
        super().__init__(
            tsa_cert=tools.tsa_cert, tsa_key=tools.tsa_key_info, certs_to_embed=tools.chain,
            fixed_dt=at,
        )  # fmt: skip
        self._key = tools.tsa_key

    def _sign_tst_info(
        self, tst_info_data: bytes, md_algorithm: str, dt: datetime
    ) -> tuple[bytes, cms.CMSAttributes]:
        digest = hashlib.new(md_algorithm, tst_info_data).digest()
        signed_attrs = cms.CMSAttributes(
            [
                _attribute("content_type", "tst_info"),
                _attribute("signing_time", cms.Time({"utc_time": core.UTCTime(dt)})),
                _attribute("signing_certificate", as_signing_certificate(self.tsa_cert)),
                _attribute("message_digest", digest),
            ]
        )
        hash_algorithm = get_pyca_cryptography_hash(md_algorithm.upper())
        signature = self._key.sign(signed_attrs.dump(), PKCS1v15(), hash_algorithm)
        return signature, signed_attrs


class _SealSigner(SimpleSigner):
    """`SimpleSigner` with the seal key loaded once (see `_SandboxTsa`); RSA PKCS#1 v1.5."""

    def __init__(self, tools: _SealTools) -> None:
        super().__init__(
            signing_cert=tools.seal_cert, signing_key=tools.seal_key_info, cert_registry=tools.chain
        )
        self._key = tools.seal_key

    def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
        hash_algorithm = get_pyca_cryptography_hash(digest_algorithm.upper())
        return self._key.sign(data, PKCS1v15(), hash_algorithm)


@dataclass(frozen=True)
class _SealTools:
    seal_cert: asn1_x509.Certificate
    seal_key_info: asn1_keys.PrivateKeyInfo
    seal_key: RSAPrivateKey
    tsa_cert: asn1_x509.Certificate
    tsa_key_info: asn1_keys.PrivateKeyInfo
    tsa_key: RSAPrivateKey
    chain: SimpleCertificateStore  # the CA, embedded so validators can build the path


def _rsa_key(pem: bytes) -> tuple[asn1_keys.PrivateKeyInfo, RSAPrivateKey]:
    key = serialization.load_pem_private_key(pem, password=None)
    if not isinstance(key, RSAPrivateKey):
        raise ValueError("the seal and TSA keys must be RSA (pyHanko's sandbox TSA signs RSA)")
    der = key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )  # fmt: skip
    return asn1_keys.PrivateKeyInfo.load(der), key


@lru_cache(maxsize=8)
def _tools(trust: TrustMaterial) -> _SealTools:
    seal_info, seal_key = _rsa_key(trust.seal_key_pem)
    tsa_info, tsa_key = _rsa_key(trust.tsa_key_pem)
    return _SealTools(
        seal_cert=certificate(trust.seal_cert_pem),
        seal_key_info=seal_info,
        seal_key=seal_key,
        tsa_cert=certificate(trust.tsa_cert_pem),
        tsa_key_info=tsa_info,
        tsa_key=tsa_key,
        chain=_chain(trust.ca_cert_pem),
    )


async def seal(
    pdf: bytes, trust: TrustMaterial, *, reason: str, location: str, at: datetime | None = None
) -> bytes:
    """`pdf` with the platform seal appended as an incremental update (the original bytes are
    kept as they are, so the unsigned file's hash still identifies the content).

    `at` fixes the signing time and the time-stamp (tests, re-seals); by default it is now.
    Raises `DomainError` `pdf_invalid` if `pdf` is not a PDF."""
    when = (at or datetime.now(UTC)).astimezone(UTC)
    tools = _tools(trust)
    meta = PdfSignatureMetadata(
        field_name=SEAL_FIELD,
        subfilter=SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        reason=reason,
        location=location,
        name="AutoLease",
    )
    try:
        writer = IncrementalPdfFileWriter(BytesIO(pdf), strict=False)
    except (PdfError, ValueError, IndexError, KeyError) as e:
        raise DomainError("pdf_invalid", "文件不是有效的PDF，无法盖章", "not a PDF") from e
    pdf_signer = PdfSigner(meta, signer=_SealSigner(tools), timestamper=_SandboxTsa(tools, when))
    # `async_sign_pdf` step by step (pyHanko's interrupted-signing API), to set the signing time.
    session = pdf_signer.init_signing_session(writer)
    session.system_time = when
    tbs = session.prepare_tbs_document(validation_info=None, bytes_reserved=SIGNATURE_BYTES)
    signed_file = BytesIO()
    digest, output = tbs.digest_tbs_document(output=signed_file)
    signed = await tbs.perform_signature(
        document_digest=digest.document_digest,
        pdf_cms_signed_attrs=PdfCMSSignedAttributes(signing_time=when),
    )
    await signed.post_signature_processing(output)
    return signed_file.getvalue()
