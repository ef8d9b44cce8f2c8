"""Golden corpus: ≥ 98 % of fields right over the generated digital letters and forms.

Each case is `<case>.pdf|.docx` + `<case>.expected.json` in tests/corpus/digital/, made by
tests/corpus/make_corpus.py. Values are compared after the same normalisation the office's
scorer uses (../shared/eval/score_extract.py): spacing in numbers, phone formatting, case.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from pipeline.service.context import make_matcher
from pipeline.service.intake.extracting import extract_path
from pipeline.settings import Settings

CORPUS = Path(__file__).parent / "corpus" / "digital"
CASES = sorted(CORPUS.glob("*.expected.json"))
MIN_ACCURACY = 0.98


def norm(field: str, value: Any) -> str:
    if value is None:
        return ""
    text = str(value).strip()
    if field in ("nomor_surat", "nomor_permohonan"):
        return re.sub(r"\s+", "", text).upper()
    if field == "subdomain":
        return text.lower().removeprefix("https://").removeprefix("http://").rstrip("/")
    if field == "penanggung_jawab.telepon":
        digits = re.sub(r"\D", "", text)
        return "0" + digits[2:] if digits.startswith("62") else digits
    if field == "opd":
        text = re.sub(r"\bprovinsi banten\b", "", text, flags=re.I)
    return re.sub(r"\s+", " ", text).strip().rstrip(".").casefold()


def flat(data: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in (data or {}).items():
        if isinstance(value, dict):
            out.update(flat(value, f"{prefix}{key}."))
        else:
            out[prefix + key] = value
    return out


def score_case(case: Path, settings: Settings, matcher: Any) -> tuple[int, int, list[str]]:
    expected = json.loads(case.read_text(encoding="utf-8"))
    source = case.with_name(expected["file"])
    result = extract_path(source, settings, matcher).as_json(0.8)
    misses: list[str] = []
    if result["kind"] != expected["kind"]:
        misses.append(f"{source.name}: kind {result['kind']} != {expected['kind']}")
    got = flat(result.get("fields") or {})
    fields = flat(expected["fields"])
    if expected["kind"] == "other":
        fields = {}
    right = 0
    for name, want in fields.items():
        if norm(name, got.get(name)) == norm(name, want):
            right += 1
        else:
            misses.append(f"{source.name}: {name}: want {want!r} got {got.get(name)!r}")
    return right, len(fields) + 1, misses if misses else []


@pytest.mark.skipif(not CASES, reason="corpus not generated: python -m tests.corpus.make_corpus")
def test_corpus_accuracy_is_at_least_98_percent():
    settings = Settings()
    matcher = make_matcher(settings)
    right = total = 0
    misses: list[str] = []
    for case in CASES:
        got, count, case_misses = score_case(case, settings, matcher)
        kind_right = not any(": kind " in m for m in case_misses)
        right += got + kind_right
        total += count
        misses += case_misses
    accuracy = right / total
    print(f"corpus accuracy {accuracy:.1%} over {len(CASES)} files ({right}/{total})")
    assert len(CASES) >= 150
    assert accuracy >= MIN_ACCURACY, "\n".join(misses[:60])
