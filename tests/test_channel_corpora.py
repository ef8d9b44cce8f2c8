"""Channel corpora: the generated letters and forms, arriving the other ways a secretariat gets
them, read as well as the originals.

- Legacy word files: every DOCX case of tests/corpus/digital saved by LibreOffice as Word
  97-2003 (.doc), RTF and OpenDocument (.odt): at least 99 % of fields right.
- Phone photos (tests/corpus/photo_corpus.py): at least 90 % of fields right, and the values
  given as sure (not 'perlu diperiksa') at least 99.5 % right.

The e-mail corpus is in tests/test_email_intake.py.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from pipeline.readers.replay import straightened_path
from pipeline.service.context import make_matcher, make_ocr_pool
from pipeline.service.intake.extracting import FileResult, extract_paths
from pipeline.settings import Settings
from tests.corpus.photo_corpus import make_photos
from tests.test_extract_corpus import CORPUS, flat, norm

pytestmark = pytest.mark.slow
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
LEGACY_FORMATS = {"doc": "doc:MS Word 97", "rtf": "rtf", "odt": "odt"}


@dataclass
class Score:
    right: int = 0
    total: int = 0
    sure: int = 0
    sure_wrong: int = 0
    misses: list[str] = field(default_factory=list)

    def add(
        self, name: str, result: FileResult, expected: dict[str, Any], threshold: float
    ) -> None:
        data = result.as_json(threshold)
        if data["kind"] != expected["kind"]:
            self.misses.append(f"{name}: jenis {data['kind']} != {expected['kind']}")
        got = flat(data.get("fields") or {})
        review = set(data.get("needs_review") or ())
        for key, want in flat(expected["fields"]).items():
            self.total += 1
            ok = norm(key, got.get(key)) == norm(key, want)
            self.right += ok
            sure = got.get(key) is not None and not _reviewed(key, review)
            self.sure += sure
            self.sure_wrong += sure and not ok
            if not ok:
                mark = " [SURE]" if sure else ""
                self.misses.append(f"{name}: {key}: {want!r} != {got.get(key)!r}{mark}")

    @property
    def share(self) -> float:
        return self.right / self.total

    @property
    def sure_right(self) -> float:
        return 1 - self.sure_wrong / self.sure if self.sure else 1.0


def _reviewed(key: str, review: set[str]) -> bool:
    """A nested field (penanggung_jawab.nama) is flagged by its own name or its block's."""
    return key in review or key.split(".")[0] in review


def _expected_cases(suffix: str) -> list[dict[str, Any]]:
    cases = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(CORPUS.glob("*.json"))]
    return [c for c in cases if c["file"].endswith(suffix)]


# ----------------------------------------------------------------------------- legacy formats


@pytest.fixture(scope="module")
def legacy(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[Path]]:
    if SOFFICE is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    folder = tmp_path_factory.mktemp("lama")
    sources = [CORPUS / c["file"] for c in _expected_cases(".docx")]
    made: dict[str, list[Path]] = {}
    for medium, filter_name in LEGACY_FORMATS.items():
        out = folder / medium
        _soffice_convert(sources, filter_name, out, folder / "profile")
        made[medium] = [out / f"{s.stem}.{medium}" for s in sources]
    return made


def _soffice_convert(sources: Sequence[Path], to: str, out: Path, profile: Path) -> None:
    """One LibreOffice run saves every source in the format `to` (a separate profile, so a
    LibreOffice the pipeline itself keeps warm is not disturbed)."""
    command = [
        str(SOFFICE),
        f"-env:UserInstallation=file://{profile}",
        "--headless",
        "--convert-to",
        to,
        "--outdir",
        str(out),
        *map(str, sources),
    ]
    subprocess.run(command, check=True, capture_output=True, timeout=900)


def test_legacy_word_files_read_as_well_as_their_docx(
    legacy: dict[str, list[Path]], tmp_path: Path
) -> None:
    settings = Settings(workspace=tmp_path)
    expected = _expected_cases(".docx")
    files = [path for medium in LEGACY_FORMATS for path in legacy[medium]]
    results = extract_paths(files, settings, make_matcher(settings))
    scores = {medium: Score() for medium in LEGACY_FORMATS}
    threshold = settings.pembacaan.ambang_peluang
    for path, result in zip(files, results, strict=True):
        case = next(c for c in expected if Path(c["file"]).stem == path.stem)
        assert result.medium == path.suffix[1:], result
        scores[path.suffix[1:]].add(path.name, result, case, threshold)
    for medium, score in scores.items():
        print(
            f"\n{medium}: {score.right}/{score.total} isian benar ({score.share:.1%}), "
            f"{score.sure_wrong} yakin tapi salah"
        )
        assert score.share >= 0.99, score.misses
        assert score.sure_wrong == 0, score.misses


# ------------------------------------------------------------------------------- phone photos


@pytest.fixture(scope="module")
def ocr_pool() -> Iterator[ProcessPoolExecutor]:
    if shutil.which("tesseract") is None:
        pytest.skip("Tesseract is not installed")
    with make_ocr_pool(2) as pool:  # spawned, as the intake's: no threads inherited by a fork
        yield pool


def test_phone_photos_are_read_and_sure_values_are_right(
    ocr_pool: ProcessPoolExecutor, tmp_path: Path
) -> None:
    from pipeline.readers.replay import cached_runner
    from pipeline.readers.scan import pool_runner

    photos = make_photos(tmp_path / "foto")
    settings = Settings(workspace=tmp_path / "ws")
    cache = tmp_path / "ocr"
    runner = cached_runner(pool_runner(ocr_pool), cache)
    results = extract_paths([p.path for p in photos], settings, make_matcher(settings), runner)
    score = Score()
    for photo, result in zip(photos, results, strict=True):
        assert result.medium == "photo", result
        score.add(photo.path.name, result, photo.expected, settings.pembacaan.ambang_peluang)
    kept = list(cache.glob("*/*.png"))
    print(
        f"\nfoto: {score.right}/{score.total} isian benar ({score.share:.1%}); "
        f"{score.sure} yakin, {score.sure_wrong} di antaranya salah ({score.sure_right:.1%})"
    )
    print("\n".join(score.misses))
    assert score.share >= 0.90, score.misses
    assert score.sure_right >= 0.995, score.misses
    assert len(kept) == len(photos)  # each straightened page kept beside its OCR text
    assert all(p.name.endswith(".png") and straightened_path(cache, p.stem) == p for p in kept)
