"""The platform seal, checked by pyHanko (ours) and by poppler's pdfsig with an NSS trust store."""

from __future__ import annotations

import asyncio
import hashlib
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from backend.contracts.pdf import render_pdf
from backend.contracts.seal import seal
from backend.contracts.verify import check_seal
from backend.trust.ca import CA_NAME, TrustMaterial, ensure_demo_trust, make_demo_trust
from common.contract_templates import DEFAULT_TEMPLATE
from common.errors import DomainError
from tests.backend.contracts.conftest import run_tool
from tests.support.contracts import sample_document

AT = datetime(2026, 3, 10, 2, 30, tzinfo=UTC)


@pytest.fixture(scope="module")
def trust(tmp_path_factory: pytest.TempPathFactory) -> TrustMaterial:
    return ensure_demo_trust(tmp_path_factory.mktemp("trust"))


@pytest.fixture(scope="module")
def contract() -> bytes:
    return render_pdf(sample_document(36), DEFAULT_TEMPLATE)


@pytest.fixture
async def sealed(contract: bytes, trust: TrustMaterial) -> bytes:
    return await seal(contract, trust, reason="出租人电子印章", location="上海", at=AT)


def _flip_in_signed_range(pdf: bytes) -> bytes:
    """One bit of the page content flipped (well before the signature's /Contents hole)."""
    spot = pdf.index(b"stream", len(pdf) // 4) + 200
    tampered = bytearray(pdf)
    tampered[spot] ^= 0x01
    return bytes(tampered)


def _nss_db(directory: Path, ca_pem: bytes) -> str:
    (directory / "ca.pem").write_bytes(ca_pem)
    db = f"sql:{directory}"
    run_tool("certutil", "-N", "-d", db, "--empty-password")
    run_tool("certutil", "-A", "-d", db, "-n", "autolease-demo-ca", "-t", "CT,C,C",
             "-i", directory / "ca.pem")  # fmt: skip
    assert "autolease-demo-ca" in run_tool("certutil", "-L", "-d", db)
    return db


def _pdfsig(pdf: bytes, tmp_path: Path, ca_pem: bytes) -> str:
    path = tmp_path / "sealed.pdf"
    path.write_bytes(pdf)
    nss = tmp_path / "nss"
    nss.mkdir(exist_ok=True)
    return run_tool("pdfsig", "-nssdir", _nss_db(nss, ca_pem), path)


async def test_the_seal_validates_with_pyhanko(
    sealed: bytes, contract: bytes, trust: TrustMaterial
) -> None:
    assert sealed.startswith(contract)  # an incremental update: the contract's bytes are kept
    check = await check_seal(sealed, trust.ca_cert_pem)
    assert check.sealed and check.intact and check.trusted and check.covers_whole_file
    assert check.problem is None
    assert check.signer == "AutoLease Platform Seal (Demo)"
    assert check.signed_at == AT and check.timestamp_at == AT


async def test_the_signed_digest_is_the_hash_of_the_byte_ranges(
    sealed: bytes, trust: TrustMaterial
) -> None:
    found = re.search(rb"/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]", sealed)
    assert found
    a, b, c, d = map(int, found.groups())
    assert a == 0 and c + d == len(sealed)
    expected = hashlib.sha256(sealed[a : a + b] + sealed[c : c + d]).hexdigest()
    assert (await check_seal(sealed, trust.ca_cert_pem)).signed_sha256 == expected


async def test_pdfsig_says_valid_and_trusted(
    sealed: bytes, trust: TrustMaterial, tmp_path: Path
) -> None:
    out = _pdfsig(sealed, tmp_path, trust.ca_cert_pem)
    assert "Signature is Valid." in out
    assert "Certificate is Trusted." in out
    assert "Total document signed" in out
    assert "AutoLease Platform Seal (Demo)" in out and "ETSI.CAdES.detached" in out


async def test_one_flipped_byte_is_found_by_both(
    sealed: bytes, trust: TrustMaterial, tmp_path: Path
) -> None:
    tampered = _flip_in_signed_range(sealed)
    check = await check_seal(tampered, trust.ca_cert_pem)
    assert check.sealed and not check.intact
    assert check.problem and "改动" in check.problem
    out = _pdfsig(tampered, tmp_path, trust.ca_cert_pem)
    assert "Digest Mismatch." in out  # pdfsig exits 0 on a tampered file: read what it says
    assert "Signature is Valid." not in out


async def test_a_seal_from_another_ca_of_the_same_name_is_not_trusted(
    contract: bytes, trust: TrustMaterial, tmp_path: Path
) -> None:
    impostor = make_demo_trust(datetime.now(UTC), ca_name=CA_NAME)
    forged = await seal(contract, impostor, reason="盖章", location="上海")
    check = await check_seal(forged, trust.ca_cert_pem)
    assert check.sealed and check.intact and not check.trusted
    assert check.problem and "受信任" in check.problem
    out = _pdfsig(forged, tmp_path, trust.ca_cert_pem)
    assert "Certificate is Trusted." not in out


async def test_an_unsealed_pdf_is_not_sealed(contract: bytes, trust: TrustMaterial) -> None:
    check = await check_seal(contract, trust.ca_cert_pem)
    assert not check.sealed and not check.intact and not check.trusted
    assert check.problem == "文件未加盖电子印章"


async def test_garbage_is_pdf_invalid(trust: TrustMaterial) -> None:
    for junk in (b"", b"not a pdf at all", b"%PDF-1.7\n" + bytes(range(256)) * 8):
        with pytest.raises(DomainError) as e:
            await check_seal(junk, trust.ca_cert_pem)
        assert e.value.code == "pdf_invalid" and "PDF" in e.value.message
        with pytest.raises(DomainError) as e:
            await seal(junk, trust, reason="盖章", location="上海")
        assert e.value.code == "pdf_invalid"


async def test_seals_in_one_loop_at_once_all_validate(
    contract: bytes, trust: TrustMaterial
) -> None:
    sealed = await asyncio.gather(
        *(seal(contract, trust, reason="盖章", location="上海") for _ in range(4))
    )
    checks = await asyncio.gather(*(check_seal(s, trust.ca_cert_pem) for s in sealed))
    assert all(c.intact and c.trusted and c.problem is None for c in checks)
