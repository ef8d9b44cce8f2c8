#!/usr/bin/env bash
# Install everything pipeline needs on a fresh Debian 12 machine: system packages, a venv
# with the project and its development tools. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(libreoffice-writer-nogui tesseract-ocr tesseract-ocr-ind tesseract-ocr-eng
              python3-uno poppler-utils fonts-liberation fonts-dejavu-core
              chromium samba smbclient dovecot-imapd faketime)
missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e ".[dev]"
# RapidOCR's recogniser and its ONNX models, in the wheel (nothing is downloaded at run time);
# without its declared dependencies, which pyproject.toml lists but for the desktop OpenCV
.venv/bin/python -m pip install -q --no-deps "rapidocr-onnxruntime==1.4.4"
# Browser tests drive Debian's Chromium (/usr/bin/chromium): never `playwright install`.
