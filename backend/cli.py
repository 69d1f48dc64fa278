"""The `autolease` command: quote, serve, demo, db, verify-contract, simulate-terminal, residual."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from backend.commands import db as db_cmd
from backend.commands import quote, residual, serve, simulate_terminal, verify_contract


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="autolease", description="AutoLease 汽车金融融资租赁")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in (quote, serve, db_cmd, verify_contract, simulate_terminal, residual):
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return int(args.handler(args))


if __name__ == "__main__":
    sys.exit(main())
