# Sourced by scripts/run and scripts/test: system packages, a virtualenv in .venv, the project in it.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

find_python() {
  for py in python3.13 python3.12 python3.11 python3; do
    if command -v "$py" >/dev/null && "$py" -c "import sys; sys.exit(sys.version_info < (3, 11))" 2>/dev/null; then
      echo "$py"; return
    fi
  done
  echo "AutoLease needs Python 3.11 or newer" >&2; exit 1
}

ensure_venv() {  # $1: what to install, "." or ".[dev]"
  local spec="$1" stamp
  [[ -x .venv/bin/python ]] || "$(find_python)" -m venv .venv
  stamp=".venv/.installed-$(cat pyproject.toml | sha256sum | cut -c1-16)-${spec//[^a-z]/}"
  if [[ ! -f "$stamp" ]]; then
    echo "installing AutoLease into .venv ..."
    .venv/bin/python -m pip install -q --upgrade pip
    .venv/bin/python -m pip install -q -e "$spec"
    touch "$stamp"
  fi
}
