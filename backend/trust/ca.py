"""The demo trust material of the platform seal (平台电子印章), made with `cryptography`.

Three certificates, all RSA-2048 (pyHanko's in-process time-stamp authority signs RSA only):
- the lessor's CA, self-signed, CN "AutoLease Demo Lessor CA": what a validator trusts;
- the seal certificate it issues: digitalSignature + nonRepudiation (pyHanko's validator asks
  for nonRepudiation on a signer by default; no EKU, so NSS/pdfsig accepts it as a signer);
- the TSA certificate it issues: critical EKU timeStamping (RFC 3161 requires it; a validator
  refuses a timestamp token without it).

A production deployment gets its seal from a licensed CA (电子认证服务机构) and uses a real TSA; the
demo makes its own once per directory and keeps it, so seals stay valid across restarts.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

CA_NAME = "AutoLease Demo Lessor CA"
SEAL_NAME = "AutoLease Platform Seal (Demo)"
TSA_NAME = "AutoLease Demo TSA"
ORGANISATION = "AutoLease Demo"
FILES = ("ca.pem", "ca.key", "seal.pem", "seal.key", "tsa.pem", "tsa.key")
_SKEW = timedelta(days=1)  # valid from a day back: a signer's clock may run behind ours


@dataclass(frozen=True)
class TrustMaterial:
    """PEM bytes of what sealing (seal cert + key, TSA cert + key) and validation (the CA) need."""

    ca_cert_pem: bytes
    ca_key_pem: bytes
    seal_cert_pem: bytes
    seal_key_pem: bytes
    tsa_cert_pem: bytes
    tsa_key_pem: bytes


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, ORGANISATION),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _usage(*, signing: bool = False, certs: bool = False) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=signing,
        content_commitment=signing,  # nonRepudiation
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=certs,
        crl_sign=certs,
        encipher_only=False,
        decipher_only=False,
    )


def _issue(
    subject: str,
    key: rsa.RSAPrivateKey,
    issuer: tuple[x509.Certificate, rsa.RSAPrivateKey] | None,
    now: datetime,
    years: int,
) -> x509.CertificateBuilder:
    issuer_name = issuer[0].subject if issuer else _name(subject)
    issuer_key = issuer[1] if issuer else key
    return (
        x509.CertificateBuilder()
        .subject_name(_name(subject))
        .issuer_name(issuer_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - _SKEW)
        .not_valid_after(now + timedelta(days=365 * years))
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()),
            critical=False,
        )
    )


def make_demo_trust(now: datetime, *, ca_name: str = CA_NAME) -> TrustMaterial:
    """A fresh CA with its seal and TSA certificates, valid from `now` (a day back)."""
    ca_key, seal_key, tsa_key = _key(), _key(), _key()
    ca_cert = (
        _issue(ca_name, ca_key, None, now, 10)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_usage(certs=True), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    seal_cert = (
        _issue(SEAL_NAME, seal_key, (ca_cert, ca_key), now, 3)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_usage(signing=True), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    tsa_usage = x509.KeyUsage(True, False, False, False, False, False, False, False, False)
    tsa_cert = (
        _issue(TSA_NAME, tsa_key, (ca_cert, ca_key), now, 5)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(tsa_usage, critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    pem = serialization.Encoding.PEM

    def key_pem(k: rsa.RSAPrivateKey) -> bytes:
        return k.private_bytes(pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())

    return TrustMaterial(
        ca_cert_pem=ca_cert.public_bytes(pem),
        ca_key_pem=key_pem(ca_key),
        seal_cert_pem=seal_cert.public_bytes(pem),
        seal_key_pem=key_pem(seal_key),
        tsa_cert_pem=tsa_cert.public_bytes(pem),
        tsa_key_pem=key_pem(tsa_key),
    )


def load_trust(directory: Path) -> TrustMaterial:
    """The material `ensure_demo_trust` wrote; raises `RuntimeError` if a file is missing or a
    certificate does not belong to its key (a half-copied directory must not seal)."""
    missing = [f for f in FILES if not (directory / f).is_file()]
    if missing:
        raise RuntimeError(f"trust material in {directory} is incomplete: {', '.join(missing)}")
    data = {f: (directory / f).read_bytes() for f in FILES}
    for name in ("ca", "seal", "tsa"):
        cert = x509.load_pem_x509_certificate(data[f"{name}.pem"])
        key = serialization.load_pem_private_key(data[f"{name}.key"], password=None)
        if cert.public_key() != key.public_key():
            raise RuntimeError(f"{directory / (name + '.pem')} does not match its key")
    return TrustMaterial(
        ca_cert_pem=data["ca.pem"],
        ca_key_pem=data["ca.key"],
        seal_cert_pem=data["seal.pem"],
        seal_key_pem=data["seal.key"],
        tsa_cert_pem=data["tsa.pem"],
        tsa_key_pem=data["tsa.key"],
    )


@contextmanager
def _locked(directory: Path) -> Iterator[None]:
    # Several workers start at once: one makes the material, the others wait and load it.
    with open(directory / ".lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _write(path: Path, data: bytes, mode: int) -> None:
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    with os.fdopen(fd, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.chmod(tmp, mode)  # an existing .tmp kept its old mode through os.open
    os.replace(tmp, path)


def ensure_demo_trust(directory: Path, *, now: datetime | None = None) -> TrustMaterial:
    """Make the demo CA, seal and TSA in `directory` the first time (keys 0600), load them after.

    An incomplete directory is refused rather than overwritten: a new CA would make every seal
    made so far untrusted."""
    directory.mkdir(parents=True, exist_ok=True)
    with _locked(directory):
        if not any((directory / f).exists() for f in FILES):
            t = make_demo_trust(now or datetime.now(UTC))
            for name, data, mode in (
                ("ca.key", t.ca_key_pem, 0o600),
                ("seal.key", t.seal_key_pem, 0o600),
                ("tsa.key", t.tsa_key_pem, 0o600),
                ("seal.pem", t.seal_cert_pem, 0o644),
                ("tsa.pem", t.tsa_cert_pem, 0o644),
                ("ca.pem", t.ca_cert_pem, 0o644),
            ):
                _write(directory / name, data, mode)
        return load_trust(directory)
