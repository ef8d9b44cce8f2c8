"""Phone photos of a letter: a generated letter page photographed in perspective on a darker
desk, with a shadow, a little blur and JPEG/HEIC compression, is found, straightened and read."""

from __future__ import annotations

import io
import shutil
from collections.abc import Iterator
from pathlib import Path

import cv2
import numpy as np
import pillow_heif
import pypdfium2 as pdfium
import pytest
from PIL import Image

from pipeline.models import Media
from pipeline.readers import media_of
from pipeline.readers.image import photo_page
from pipeline.readers.scan import OcrRunner, pool_runner
from pipeline.service.context import make_matcher, make_ocr_pool
from pipeline.service.intake.extracting import FileResult, extract_paths
from pipeline.settings import Settings
from tests.factories import Submission, letter_pdf

needs_tesseract = pytest.mark.skipif(shutil.which("tesseract") is None, reason="no tesseract")
LETTER = Submission()
PHOTO_SIZE = (1200, 1600)  # a WhatsApp photo, portrait: long side 1,600 pixels
# where the page's corners land in the photo: top-left, top-right, bottom-right, bottom-left
CORNERS = ((170, 150), (1045, 205), (1110, 1470), (85, 1415))


def _page(tmp_path: Path, dpi: int = 150) -> np.ndarray:
    pdf = letter_pdf(tmp_path / "surat.pdf", LETTER)
    document = pdfium.PdfDocument(str(pdf))
    try:
        rendered = document[0].render(scale=dpi / 72).to_pil().convert("RGB")
    finally:
        document.close()
    return np.asarray(rendered)


def _desk_with_shadow(page: np.ndarray, corners: tuple[tuple[int, int], ...]) -> Image.Image:
    """The page warped onto a darker wooden-ish desk, a shadow falling across from the left,
    slightly out of focus."""
    width, height = PHOTO_SIZE
    rng = np.random.default_rng(14)
    desk = np.empty((height, width, 3), np.uint8)
    desk[:] = (78, 92, 112)  # BGR-agnostic brownish grey
    desk = np.clip(desk + rng.normal(0, 6, desk.shape), 0, 255).astype(np.uint8)
    h, w = page.shape[:2]
    source = np.float32([[0, 0], [w - 1, 0], [w - 1, h - 1], [0, h - 1]])
    matrix = cv2.getPerspectiveTransform(source, np.float32(corners))
    photo = cv2.warpPerspective(
        page, matrix, (width, height), dst=desk, borderMode=cv2.BORDER_TRANSPARENT
    )
    x = np.linspace(0.0, 1.0, width)[None, :]
    y = np.linspace(0.0, 1.0, height)[:, None]
    shadow = 0.6 + 0.4 * np.clip(0.7 * x + 0.5 * y, 0.0, 1.0)
    shaded = np.clip(photo * shadow[..., None], 0, 255).astype(np.uint8)
    blurred = cv2.GaussianBlur(shaded, (0, 0), 0.9)
    return Image.fromarray(blurred)


@pytest.fixture(scope="module")
def photos(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("foto")
    page = _page(folder)
    photo = _desk_with_shadow(page, CORNERS)
    made = {"jpeg": folder / "foto_wa.jpg"}
    photo.save(made["jpeg"], quality=70)
    made["sideways"] = folder / "foto_miring.jpg"  # stored on its side, EXIF says turn it
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: rotate 90° clockwise to show
    photo.rotate(90, expand=True).save(made["sideways"], quality=75, exif=exif)
    made["heic"] = folder / "foto_iphone.heic"
    pillow_heif.register_heif_opener()
    photo.save(made["heic"], format="HEIF", quality=70)
    # cropped tight: the page fills the frame, there is no desk to find it on
    tight = Image.fromarray(page).resize((1200, 1600), Image.Resampling.LANCZOS)
    made["no_page"] = folder / "foto_penuh.jpg"
    tight.save(made["no_page"], quality=70)
    return made


@pytest.fixture(scope="module")
def ocr() -> Iterator[OcrRunner]:
    # The pool the intake uses (spawned workers): a forked one inherits the OpenCV threads
    # this module's photo drawing started, and its workers hang on their locks.
    with make_ocr_pool(2) as pool:
        yield pool_runner(pool)


@pytest.fixture(scope="module")
def results(photos: dict[str, Path], ocr: OcrRunner) -> dict[str, FileResult]:
    settings = Settings()
    read = extract_paths(list(photos.values()), settings, make_matcher(settings), ocr)
    return dict(zip(photos, read, strict=True))


def test_a_heic_photo_is_recognised_by_its_content(photos: dict[str, Path]):
    renamed = photos["heic"].with_name("tanpa_akhiran.bin")
    shutil.copy(photos["heic"], renamed)
    assert media_of(renamed) is Media.IMAGE


def test_the_page_is_found_and_straightened_and_kept_for_the_clerk(
    photos: dict[str, Path], tmp_path: Path
):
    kept = tmp_path / "halaman.png"
    with Image.open(photos["sideways"]) as image:
        page = photo_page(image.copy(), image.format, None, keep=kept)
    assert page is not None and kept.exists()
    assert page.height > page.width  # upright by EXIF: a portrait page
    ratio = page.height / page.width
    assert 1.3 < ratio < 1.55  # A4 is 1.41
    paper = np.asarray(page)
    corner = paper[: paper.shape[0] // 10, : paper.shape[1] // 10]
    assert np.median(corner) > 200  # the shadow is gone: the paper is white at every corner
    assert np.median(paper[-paper.shape[0] // 10 :, -paper.shape[1] // 10 :]) > 200


def test_scans_and_tight_photos_are_not_straightened(photos: dict[str, Path], tmp_path: Path):
    with Image.open(photos["no_page"]) as image:
        assert photo_page(image.copy(), image.format, None) is None
    scan = tmp_path / "pindaian.png"
    with Image.open(photos["jpeg"]) as image:
        image.save(scan)
    with Image.open(scan) as image:
        assert photo_page(image.copy(), image.format, None) is None  # PNG: a scanner's page
    with Image.open(photos["jpeg"]) as image:
        assert photo_page(image.copy(), image.format, 300.0) is None  # a scan records its dpi


@needs_tesseract
@pytest.mark.parametrize("kind", ["jpeg", "sideways", "heic", "no_page"])
def test_a_phone_photo_is_read(kind: str, results: dict[str, FileResult]):
    result = results[kind]
    assert result.extraction is not None, result.error
    assert result.document is not None and result.document.ocr_pages == (1,)
    assert result.extraction.value("nomor_surat") == LETTER.nomor
    assert result.extraction.value("perihal") == LETTER.perihal


@needs_tesseract
def test_the_clerk_sees_the_straightened_page_the_ocr_read(
    photos: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Registered through the workspace's own OCR (its cache), a phone photo's request page
    shows the page as found and straightened; a scan has no such page."""
    from fastapi.testclient import TestClient

    from pipeline.inbox import claim_copy
    from pipeline.service.context import open_services
    from pipeline.service.intake.ingest import ingest_claim
    from pipeline.service.operations.users import add_user
    from pipeline.service.operations.workspace import init_workspace
    from pipeline.settings import load_settings
    from pipeline.web import create_app
    from tests.test_web import PASSWORD, log_in

    monkeypatch.delenv("PIPELINE_DB_URL", raising=False)
    home = tmp_path / "kantor"
    init_workspace(home)
    services = open_services(load_settings(home))
    try:
        outcome = ingest_claim(services, claim_copy(photos["jpeg"], services.settings.work))
        add_user(services, "sekretariat", "sekretariat", PASSWORD)
    finally:
        services.close()
    assert outcome.request_id is not None
    with TestClient(create_app(home), follow_redirects=False) as client:
        log_in(client, "sekretariat")
        shown = client.get(f"/permohonan/{outcome.request_id}").text
        link = f"/permohonan/{outcome.request_id}/berkas/1/halaman-dibaca"
        assert link in shown and "diluruskan" in shown
        page = client.get(link)
        assert page.status_code == 200 and page.headers["content-type"] == "image/png"
        with Image.open(io.BytesIO(page.content)) as kept:
            assert kept.height > kept.width  # the page, upright, not the desk photo
        unknown = client.get(f"/permohonan/{outcome.request_id}/berkas/2/halaman-dibaca")
        assert unknown.status_code == 404
