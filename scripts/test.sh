#!/usr/bin/env bash
# Set up everything the tests need on a fresh Debian machine, then run them all (browser tests too):
# Debian's chromium (browser tests, the board report's PDF), poppler (pdftotext, pdftoppm) and
# LibreOffice's calc, impress and writer (the deliverables opened by a real reader), when missing.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/apt-missing.sh chromium=chromium pdftotext=poppler-utils \
  soffice=libreoffice-calc,libreoffice-impress,libreoffice-writer
python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
python -m ruff check .
python -m pytest "$@"
