# Shared by scripts/run and scripts/test: a virtual environment in .venv with the project
# installed, re-installed only when pyproject.toml changed.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PYTHON="${PYTHON:-python3}"
VENV="${VENV:-$ROOT/.venv}"
if [ ! -x "$VENV/bin/python" ]; then
  echo "==> Creating the virtual environment in $VENV"
  "$PYTHON" -m venv "$VENV"
fi
STAMP="$VENV/.carte-commune-installed-$1"
if [ ! -f "$STAMP" ] || [ pyproject.toml -nt "$STAMP" ]; then
  echo "==> Installing Carte Commune and its dependencies"
  "$VENV/bin/python" -m pip install --quiet --upgrade pip
  if [ "$1" = "dev" ]; then
    "$VENV/bin/python" -m pip install --quiet -e ".[dev]"
  else
    "$VENV/bin/python" -m pip install --quiet -e .
  fi
  touch "$STAMP"
fi
export PATH="$VENV/bin:$PATH"
