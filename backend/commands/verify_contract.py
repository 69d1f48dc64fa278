"""`autolease verify-contract FILE --evidence BUNDLE.json --ca ca.pem --public-key audit.pem`:
check a sealed contract offline, trusting nothing but the CA certificate and the audit key
(backend/contracts/offline.py says what is checked). Exit status 0 only when every check holds."""

from __future__ import annotations

import argparse
import asyncio
import json
from pathlib import Path

from backend.contracts.offline import verify_offline


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("verify-contract", help="check a sealed contract PDF offline")
    p.add_argument("file", type=Path, help="the contract PDF")
    p.add_argument("--evidence", "--checkpoint", dest="evidence", type=Path, required=True,
                   help="the evidence bundle (GET /api/contracts/{id}/evidence)")  # fmt: skip
    p.add_argument("--ca", type=Path, required=True, help="the CA certificate (/api/trust/ca.pem)")
    p.add_argument("--public-key", type=Path, required=True,
                   help="the audit log's public key (/api/audit/public-key)")  # fmt: skip
    p.add_argument("--json", action="store_true", help="print the verdict as JSON")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    verdict = asyncio.run(
        verify_offline(
            args.file.read_bytes(),
            json.loads(args.evidence.read_text(encoding="utf-8")),
            args.ca.read_bytes(),
            args.public_key.read_bytes(),
        )
    )
    if args.json:
        print(json.dumps(verdict.__dict__, ensure_ascii=False, indent=2))
    else:
        mark = {True: "✓", False: "✗"}
        print(f"合同 {verdict.contract_number or '?'}")
        for label, ok in (
            ("签章完整 seal intact", verdict.seal_intact),
            ("签章可信 seal chains to the CA", verdict.seal_trusted),
            ("检查点签名 checkpoint signature", verdict.checkpoint_ok),
            ("审计链 audit chain to the checkpoint", verdict.chain_ok),
            ("文件即签署原件 the file is the sealed original", verdict.file_matches),
        ):
            print(f"  {mark[ok]} {label}")
        for problem in verdict.problems:
            print(f"  - {problem}")
        print("验真通过 VERIFIED" if verdict.ok else "验真失败 NOT VERIFIED")
    return 0 if verdict.ok else 1
