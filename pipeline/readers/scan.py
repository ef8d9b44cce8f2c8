"""Scanned pages: which pages need OCR, and reading them in a pool of worker processes.

A job names a file and a page, not an image, so workers render the page themselves and
nothing large crosses the process boundary.
"""

from __future__ import annotations

import math
import os
import signal
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Executor
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from PIL import Image, ImageSequence

from pipeline.errors import UnreadableFileError
from pipeline.models import Media, Page, ReadDocument
from pipeline.readers.image import photo_page, scan_dpi
from pipeline.readers.limits import Deadline, time_limit_error
from pipeline.readers.ocr import (
    A4_WIDTH_PT,
    LOW_DPI,
    TARGET_DPI,
    OcrPage,
    SheetLines,
    ocr_page,
)
from pipeline.readers.ocr_clean import opencv
from pipeline.readers.pdf import PDFIUM_LOCK
from pipeline.settings import Batas

PdfRenderScale = TARGET_DPI / 72


@dataclass(frozen=True)
class OcrJob:
    path: str
    media: Media
    page: int  # 1-based
    timeout: float
    deadline: float = math.inf  # time.time() by which the whole file must be read
    max_pixels: int = Batas().maks_piksel  # a huge PDF page is rendered at a lower resolution
    keep: str | None = None  # where a phone photo's straightened page is saved (PNG)


OcrRunner = Callable[[list[OcrJob]], list[SheetLines]]


def leave_interrupts_to_the_parent() -> None:
    """A pool worker's start: Ctrl+C in a terminal reaches the whole process group, and a
    worker that took it would die mid-page with its traceback on the clerk's screen; the
    watcher stops the pool itself, once the pages under way are read. The worker was started
    with SIGINT held back (`_interrupts_held`), so one that came while it was starting is
    dropped here, not taken."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


@contextmanager
def _interrupts_held() -> Iterator[None]:
    """SIGINT held back in this thread while the pool may start workers (it starts them on
    demand, as jobs are handed in): a worker inherits the mask. This thread gets a held-back
    SIGINT as soon as the block ends."""
    before = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, before)


def run_job(job: OcrJob) -> SheetLines:
    """Worker entry point: render one page and read it, within the file's deadline."""
    os.environ["OMP_THREAD_LIMIT"] = "1"
    opencv()  # on one thread, before a photo is straightened
    left = job.deadline - time.time()
    if left <= 0:
        raise UnreadableFileError(f"Waktu membaca '{Path(job.path).name}' habis.")
    return ocr_page(_render(job), min(job.timeout, left))


def serial_runner(jobs: list[OcrJob]) -> list[SheetLines]:
    return [run_job(job) for job in jobs]


def pool_runner(executor: Executor) -> OcrRunner:
    def run(jobs: list[OcrJob]) -> list[SheetLines]:
        with _interrupts_held():
            read = executor.map(run_job, jobs)  # hands every job in, starting the workers
        return list(read)

    return run


def with_ocr(doc: ReadDocument, path: Path, runner: OcrRunner, timeout: float) -> ReadDocument:
    """Fill in the pages that have no usable text layer; DOCX is never OCR'd."""
    return with_ocr_many([(doc, path)], runner, timeout)[0]


def with_ocr_many(
    docs: list[tuple[ReadDocument, Path]],
    runner: OcrRunner,
    timeout: float,
    *,
    deadlines: list[Deadline] | None = None,
    max_pixels: int = Batas().maks_piksel,
) -> list[ReadDocument]:
    """OCR the pages of several files in one go, so the pool's workers all stay busy. Each
    file's pages stop at its deadline (batas.maks_detik)."""
    until = deadlines or [Deadline.never()] * len(docs)
    jobs = [
        OcrJob(str(path), doc.media, page.number, timeout, deadline.at, max_pixels)
        for (doc, path), deadline in zip(docs, until, strict=True)
        if doc.needs_ocr and doc.media is not Media.DOCX
        for page in doc.pages
        if not page.has_text
    ]
    try:
        results = runner(jobs) if jobs else []
    except UnreadableFileError:
        for (_, path), deadline in zip(docs, until, strict=True):
            if deadline.left() <= 0:
                raise time_limit_error(path.name, deadline.seconds) from None
        raise
    read = dict(zip(((j.path, j.page) for j in jobs), results, strict=True))
    return [_filled(doc, str(path), read) for doc, path in docs]


def _filled(doc: ReadDocument, path: str, read: dict[tuple[str, int], SheetLines]) -> ReadDocument:
    """`doc` with its OCR'd pages filled in. A sheet that held two pages side by side becomes
    two pages, and the pages after it are numbered on."""
    if not any((path, p.number) in read for p in doc.pages):
        return doc
    pages: list[Page] = []
    done: list[int] = []
    extra = 0  # pages added so far by two-up sheets
    for page in doc.pages:
        sheet = read.get((path, page.number))
        if sheet is None:
            pages.append(_numbered(page, page.number + extra))
            continue
        for index, lines in enumerate(sheet or [[]]):  # a page read as nothing stays a page
            number = page.number + extra + index
            pages.append(_numbered(Page(number, tuple(lines), True), number))
            done.append(number)
        extra = pages[-1].number - page.number
    return replace(doc, pages=tuple(pages), needs_ocr=False, ocr_pages=tuple(done))


def _numbered(page: Page, number: int) -> Page:
    """`page` (and its lines) as page `number` of the document."""
    if page.number == number and all(line.page == number for line in page.lines):
        return page
    lines = tuple(replace(line, page=number) for line in page.lines)
    return Page(number, lines, page.has_text)


def _render(job: OcrJob) -> OcrPage:
    if job.media is Media.PDF:
        return _render_pdf_page(job.path, job.page, job.max_pixels)
    return _image_frame(job.path, job.page, Path(job.keep) if job.keep else None)


def _render_pdf_page(path: str, number: int, max_pixels: int) -> OcrPage:
    with PDFIUM_LOCK:
        return _render_locked(path, number, max_pixels)


def _render_locked(path: str, number: int, max_pixels: int) -> OcrPage:
    document = pdfium.PdfDocument(path)
    try:
        page = document[number - 1]
        width, height = page.get_size()
        scale = min(PdfRenderScale, math.sqrt(max_pixels / max(width * height, 1.0)))
        native = _scan_resolution(page)
        if native is not None and native < LOW_DPI:
            # rendered at the picture's own resolution: `ocr_page` scales it up to 300 dpi
            # with a better filter than the renderer's (a 100 dpi scan reads far better)
            scale = min(scale, native / 72)
        image = page.render(scale=scale, grayscale=True).to_pil()
        return OcrPage(image=image, number=number, points_per_pixel=1 / scale)
    finally:
        document.close()


PICTURE_SHARE = 0.5  # an image covering this much of the page is the scan of it


def _scan_resolution(page: pdfium.PdfPage) -> float | None:
    """Dots per inch of the picture that covers the page (a scanned page), else None."""
    width, height = page.get_size()
    best: tuple[float, float] | None = None  # (area in points², dpi)
    for obj in page.get_objects(max_depth=1):
        if obj.type != pdfium_c.FPDF_PAGEOBJ_IMAGE:
            continue
        left, bottom, right, top = obj.get_bounds()
        area = max(0.0, right - left) * max(0.0, top - bottom)
        if area < PICTURE_SHARE * width * height:
            continue
        try:
            pixels_wide, pixels_high = obj.get_px_size()
        except pdfium.PdfiumError:
            continue
        dpi = 72 * math.sqrt(pixels_wide * pixels_high / area)
        if best is None or area > best[0]:
            best = (area, dpi)
    return best[1] if best else None


def _image_frame(path: str, number: int, keep: Path | None = None) -> OcrPage:
    with Image.open(path) as image:
        frame = next(f for i, f in enumerate(_frames(image), start=1) if i == number)
        copy = frame.copy()
        dpi = scan_dpi(image)
        page = photo_page(copy, image.format, dpi, keep)  # a phone photo: its page, straightened
    if page is not None:
        return OcrPage(image=page, number=number, points_per_pixel=A4_WIDTH_PT / page.width)
    points = 72 / dpi if dpi else A4_WIDTH_PT / copy.width
    return OcrPage(image=copy, number=number, points_per_pixel=points)


def _frames(image: Image.Image) -> Iterator[Image.Image]:
    yield from ImageSequence.Iterator(image)
