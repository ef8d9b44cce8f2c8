"""Phone photos of generated letters and forms: the channel corpus for `pipeline.readers.photo`.

Each photo is one page of a one-page case of the digital corpus (tests/corpus/digital),
rendered at 150 dpi and laid on a desk in perspective, the way a clerk's colleague photographs
a letter on a table: a random tilt of each corner, a darker textured desk, a shadow falling
from a random side, a little blur, JPEG quality 60-80 as WhatsApp sends it, every fourth one
an iPhone HEIC and every fifth one stored sideways with its EXIF orientation. The seed is
fixed, so the same photos come out on every run; the truth is the case's expected JSON.

    .venv/bin/python tests/corpus/photo_corpus.py /tmp/foto   # write the photos and truth
"""

from __future__ import annotations

import json
import random
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import pillow_heif
import pypdfium2 as pdfium
from numpy.typing import NDArray
from PIL import Image

DIGITAL = Path(__file__).parent / "digital"
RENDER_DPI = 150
PHOTO_LONG_SIDE = 1600  # WhatsApp sends a photo with its long side at about 1,600 pixels
PHOTO_SIZE = (1200, PHOTO_LONG_SIDE)
SEED = 2026
EXIF_ORIENTATION = 0x0112

pillow_heif.register_heif_opener()


@dataclass(frozen=True)
class Photo:
    path: Path
    case: str  # the digital corpus case photographed
    expected: dict[str, Any]  # its expected JSON (kind, fields)


def one_page_cases(count: int) -> list[Path]:
    """Expected JSON of one-page PDF letters and forms whose text is printed (an AcroForm's
    values live in its fields, which a photo of the printed page does not show), letters
    and forms alternating."""
    letters: list[Path] = []
    forms: list[Path] = []
    for case in sorted(DIGITAL.glob("*.expected.json")):
        expected = json.loads(case.read_text(encoding="utf-8"))
        source = case.with_name(expected["file"])
        if source.suffix != ".pdf" or "acro" in expected.get("layout", ""):
            continue
        document = pdfium.PdfDocument(str(source))
        try:
            pages = len(document)
        finally:
            document.close()
        if pages == 1 and expected["kind"] in ("letter", "form"):
            (letters if expected["kind"] == "letter" else forms).append(case)
    alternating = [c for pair in zip(letters, forms, strict=False) for c in pair]
    return alternating[:count]


def make_photos(folder: Path, count: int = 20) -> list[Photo]:
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(SEED)
    photos = []
    for index, case in enumerate(one_page_cases(count)):
        expected = json.loads(case.read_text(encoding="utf-8"))
        page = rendered(case.with_name(expected["file"]))
        photo = on_a_desk(page, rng)
        target = _saved(photo, folder / f"foto_{index:02d}", index, rng)
        photos.append(Photo(target, expected["file"], expected))
    return photos


def rendered(pdf: Path) -> NDArray[np.uint8]:
    """The first page of `pdf` in colour at RENDER_DPI, as pixels."""
    document = pdfium.PdfDocument(str(pdf))
    try:
        image = document[0].render(scale=RENDER_DPI / 72).to_pil().convert("RGB")
    finally:
        document.close()
    return np.asarray(image, dtype=np.uint8)


def on_a_desk(page: NDArray[np.uint8], rng: random.Random) -> Image.Image:
    """The page photographed lying on a desk: in perspective, shaded from one side, soft."""
    width, height = PHOTO_SIZE
    nprng = np.random.default_rng(rng.randrange(1 << 30))
    tone = np.array([rng.randint(55, 110), rng.randint(65, 115), rng.randint(80, 130)])
    desk = np.clip(tone + nprng.normal(0, 7, (height, width, 3)), 0, 255).astype(np.uint8)
    h, w = page.shape[:2]
    source = np.array([[0, 0], [w - 1, 0], [w - 1, h - 1], [0, h - 1]], dtype=np.float32)
    matrix = cv2.getPerspectiveTransform(source, np.array(_corners(rng), dtype=np.float32))
    photo = cv2.warpPerspective(
        page, matrix, (width, height), dst=desk, borderMode=cv2.BORDER_TRANSPARENT
    )
    shaded = np.clip(photo * _shadow(rng)[..., None], 0, 255).astype(np.uint8)
    blurred = cv2.GaussianBlur(shaded, (0, 0), rng.uniform(0.5, 1.1))
    return Image.fromarray(blurred)


def _corners(rng: random.Random) -> list[tuple[float, float]]:
    """The page's corners in the photo: a margin of desk all round, each corner moved a little
    (the phone is held over the page, never quite square to it)."""
    width, height = PHOTO_SIZE
    margin_x, margin_y = 0.08 * width, 0.07 * height
    jitter = 0.045
    base = [
        (margin_x, margin_y),
        (width - margin_x, margin_y),
        (width - margin_x, height - margin_y),
        (margin_x, height - margin_y),
    ]
    return [
        (x + rng.uniform(-jitter, jitter) * width, y + rng.uniform(-jitter, jitter) * height)
        for x, y in base
    ]


def _shadow(rng: random.Random) -> NDArray[np.float64]:
    """Light falling off across the page from a random side: 55-75 % at the darkest corner."""
    width, height = PHOTO_SIZE
    x = np.linspace(0.0, 1.0, width)[None, :]
    y = np.linspace(0.0, 1.0, height)[:, None]
    if rng.random() < 0.5:
        x = 1.0 - x
    if rng.random() < 0.5:
        y = 1.0 - y
    darkest = rng.uniform(0.55, 0.75)
    weight = rng.uniform(0.4, 0.8)
    ramp = np.clip(weight * x + (1 - weight) * y, 0.0, 1.0)
    return np.asarray(darkest + (1 - darkest) * ramp, dtype=np.float64)


def _saved(photo: Image.Image, stem: Path, index: int, rng: random.Random) -> Path:
    quality = rng.randint(60, 80)
    if index % 4 == 3:
        target = stem.with_suffix(".heic")
        photo.save(target, format="HEIF", quality=quality)
        return target
    target = stem.with_suffix(".jpg")
    if index % 5 == 4:  # stored on its side; the camera's EXIF says how to turn it
        exif = Image.Exif()
        exif[EXIF_ORIENTATION] = 6
        photo.rotate(90, expand=True).save(target, quality=quality, exif=exif)
        return target
    photo.save(target, quality=quality)
    return target


def main(argv: list[str]) -> None:
    folder = Path(argv[1]) if len(argv) > 1 else Path("/tmp/foto-corpus")
    photos = make_photos(folder)
    with (folder / "truth.jsonl").open("w", encoding="utf-8") as out:
        for photo in photos:
            row = {**photo.expected, "file": photo.path.name, "case": photo.case}
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"{len(photos)} foto di {folder}")


if __name__ == "__main__":
    main(sys.argv)
