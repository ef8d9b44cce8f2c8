#!/usr/bin/env bash
# Rebuild pipeline/data/kata-ind.txt.gz: the Indonesian word list of Tesseract's own `ind`
# language data (its LSTM word DAWG, Apache-2.0), lower-cased, letters only, one per line.
# The extractor trusts an OCR'd phrase whose every word is in it more than Tesseract's own
# per-word confidence (a misread rarely makes another real word).
set -euo pipefail
cd "$(dirname "$0")/.."
tessdata="${TESSDATA:-/usr/share/tesseract-ocr/5/tessdata}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp "$tessdata/ind.traineddata" "$work/"
combine_tessdata -u "$work/ind.traineddata" "$work/ind." >/dev/null
dawg2wordlist "$work/ind.lstm-unicharset" "$work/ind.lstm-word-dawg" "$work/words.txt" >/dev/null
tr '[:upper:]' '[:lower:]' <"$work/words.txt" | grep -E '^[a-z]{2,}$' | LC_ALL=C sort -u |
  gzip -9n >pipeline/data/kata-ind.txt.gz
echo "$(zcat pipeline/data/kata-ind.txt.gz | wc -l) kata di pipeline/data/kata-ind.txt.gz"
