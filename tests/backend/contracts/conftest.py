"""Poppler's command-line tools read the PDFs as any outside party would."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest


def run_tool(*args: str | Path) -> str:
    """Run a poppler/NSS tool; a missing one fails (scripts/system-deps.sh installs them)."""
    if shutil.which(str(args[0])) is None:
        pytest.fail(f"{args[0]} is missing: run scripts/system-deps.sh")
    done = subprocess.run([str(a) for a in args], capture_output=True, text=True, check=False)
    return done.stdout + done.stderr


def pdf_pages(pdf: bytes, directory: Path) -> list[str]:
    """The text of each page, in reading layout (columns of a table stay on one line)."""
    path = directory / "contract.pdf"
    path.write_bytes(pdf)
    text = run_tool("pdftotext", "-layout", "-enc", "UTF-8", path, "-")
    return text.split("\f")[:-1]
