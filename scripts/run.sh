#!/usr/bin/env bash
# Run the app on a fresh Debian machine: Debian's chromium when it is missing (the board report's PDF is
# printed by it), the Python requirements, then `streamlit run app.py` with the arguments given
# (e.g. `bash scripts/run.sh --server.port 8600 -- --db data/other.duckdb`).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/apt-missing.sh chromium=chromium
python -m pip install --quiet --disable-pip-version-check -r requirements.txt
exec python -m streamlit run app.py "$@"
