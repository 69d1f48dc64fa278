#!/usr/bin/env bash
# System packages AutoLease needs: libzbar0 for pyzbar (VIN barcodes), poppler-utils and
# libnss3-tools to check contract PDFs and their seal (pdftotext, pdfsig, certutil), Chromium for the
# browser tests. Installs only what is missing; quiet when all is there.
set -euo pipefail
want=(libzbar0 poppler-utils libnss3-tools)
if [[ "${1:-}" == "--test" ]]; then want+=(chromium); fi
missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "installing system packages: ${missing[*]}"
  SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
