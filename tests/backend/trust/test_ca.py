"""The demo trust material: made once, kept, loaded; the certificates say what they are for."""

from __future__ import annotations

import stat
from datetime import UTC, datetime
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from backend.trust.ca import CA_NAME, FILES, ensure_demo_trust, load_trust, make_demo_trust


def _cert(pem: bytes) -> x509.Certificate:
    return x509.load_pem_x509_certificate(pem)


def test_made_once_then_loaded(tmp_path: Path) -> None:
    first = ensure_demo_trust(tmp_path / "trust")
    for name in FILES:
        mode = stat.S_IMODE((tmp_path / "trust" / name).stat().st_mode)
        assert mode == (0o600 if name.endswith(".key") else 0o644), name
    again = ensure_demo_trust(tmp_path / "trust")
    assert again == first
    assert load_trust(tmp_path / "trust") == first


def test_the_certificates_and_their_uses() -> None:
    now = datetime(2026, 3, 1, tzinfo=UTC)
    t = make_demo_trust(now)
    ca, seal, tsa = _cert(t.ca_cert_pem), _cert(t.seal_cert_pem), _cert(t.tsa_cert_pem)
    assert ca.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == CA_NAME
    assert ca.subject == ca.issuer
    ca.verify_directly_issued_by(ca)
    assert ca.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    for leaf in (seal, tsa):
        leaf.verify_directly_issued_by(ca)
        assert not leaf.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
        assert leaf.not_valid_before_utc < now < leaf.not_valid_after_utc
    usage = seal.extensions.get_extension_for_class(x509.KeyUsage)
    assert usage.critical and usage.value.digital_signature and usage.value.content_commitment
    assert not usage.value.key_cert_sign
    eku = tsa.extensions.get_extension_for_class(x509.ExtendedKeyUsage)
    assert eku.critical and list(eku.value) == [ExtendedKeyUsageOID.TIME_STAMPING]


def test_an_incomplete_directory_is_refused_not_replaced(tmp_path: Path) -> None:
    ensure_demo_trust(tmp_path)
    (tmp_path / "tsa.key").unlink()
    with pytest.raises(RuntimeError, match=r"incomplete: tsa\.key"):
        ensure_demo_trust(tmp_path)


def test_a_certificate_with_another_key_is_refused(tmp_path: Path) -> None:
    ensure_demo_trust(tmp_path)
    other = make_demo_trust(datetime.now(UTC))
    (tmp_path / "seal.key").write_bytes(other.seal_key_pem)
    with pytest.raises(RuntimeError, match="does not match its key"):
        load_trust(tmp_path)
