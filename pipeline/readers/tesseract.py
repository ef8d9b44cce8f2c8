"""The one module that talks to Tesseract: checks it is installed, and keeps its engine loaded.

Starting the `tesseract` program costs about 0.35 s of CPU before it reads a pixel (it loads
and unpacks the `ind` and `eng` models and their word lists), a fifth of a page's OCR. So each
process loads the library (`libtesseract`, through its C API) once per language and hands it
pages as pixels (a cleaned page as a black-and-white Leptonica picture, which Tesseract takes
without thresholding it again; a line cut from the grey page as grey bytes): no program start,
no PNG to write and read back. Same library, same settings and same pixels as the
command line, so the words are the same.

Every recognition has a deadline; a page past it is an error, not a hang.
"""

from __future__ import annotations

import atexit
import ctypes
import ctypes.util
import os
import shutil
import threading
import time
from dataclasses import dataclass
from functools import cache

import numpy as np
import pytesseract
from numpy.typing import NDArray
from PIL import Image

from pipeline.errors import MissingDependencyError, UnreadableFileError

LANGUAGES = "ind+eng"
PSM_AUTO = 3  # full page layout analysis, no orientation detection (Tesseract's default)
PSM_SINGLE_LINE = 7  # the image is one line of text: no layout analysis
PSM_OSD_ONLY = 0
INSTALL_HINT = (
    "Pasang Tesseract dengan bahasa Indonesia: sudo apt-get install tesseract-ocr "
    "tesseract-ocr-ind (atau jalankan bash scripts/setup.sh)."
)
TIMEOUT_HINT = "Pindai ulang dengan resolusi 200–300 dpi, atau naikkan ocr.batas_detik_halaman."
ROTATE_FOR_ORIENTATION = {0: 0, 90: 270, 180: 180, 270: 90}  # as `tesseract --psm 0` says


@cache
def check_tesseract() -> str:
    """The Tesseract version, or a clear error saying how to install what is missing."""
    if shutil.which("tesseract") is None:
        raise MissingDependencyError("Program OCR Tesseract tidak terpasang.", hint=INSTALL_HINT)
    languages = set(pytesseract.get_languages(config=""))
    missing = {"ind", "osd"} - languages
    if missing:
        raise MissingDependencyError(
            f"Data bahasa Tesseract belum lengkap (kurang: {', '.join(sorted(missing))}).",
            hint=INSTALL_HINT,
        )
    return str(pytesseract.get_tesseract_version())


@dataclass(frozen=True)
class Orientation:
    rotate: int  # degrees clockwise that make the page upright: 0, 90, 180 or 270
    confidence: float


def read_tsv(image: Image.Image, timeout: float) -> str:
    """Tesseract's word boxes of a page (TSV rows, no header), full layout analysis."""
    engine = _engine(LANGUAGES)
    engine.set_image(image)
    return engine.recognise_tsv(timeout)


def read_line_tsv(image: Image.Image, timeout: float, language: str = LANGUAGES) -> str:
    """Tesseract's word boxes of an image that holds one line of text (TSV rows, no header).
    An engine of its own: Tesseract adapts its classifier to what it has read, so lines read
    through the page engine would change how the next pages are read."""
    engine = _engine(language, PSM_SINGLE_LINE)
    engine.set_image(image)
    return engine.recognise_tsv(timeout)


def detect_orientation(image: Image.Image) -> Orientation | None:
    """How far the page is turned, by Tesseract's orientation detection (None: no idea)."""
    engine = _engine("osd", PSM_OSD_ONLY)
    engine.set_image(image)
    return engine.orientation()


class _Engine:
    """One loaded TessBaseAPI. Not shared between threads (see `_engine`)."""

    def __init__(self, lib: ctypes.CDLL, language: str, psm: int) -> None:
        self._lib = lib
        self._handle = lib.TessBaseAPICreate()
        if lib.TessBaseAPIInit3(self._handle, None, language.encode()) != 0:
            lib.TessBaseAPIDelete(self._handle)
            raise MissingDependencyError(
                f"Tesseract tidak dapat memuat data bahasa '{language}'.", hint=INSTALL_HINT
            )
        lib.TessBaseAPISetPageSegMode(self._handle, psm)
        # its chatter ("Estimating resolution as 300") would land in the watcher's log
        lib.TessBaseAPISetVariable(self._handle, b"debug_file", os.devnull.encode())

    def close(self) -> None:
        self._lib.TessBaseAPIEnd(self._handle)
        self._lib.TessBaseAPIDelete(self._handle)

    def set_image(self, image: Image.Image) -> None:
        """A bilevel image goes in as a Leptonica picture of its bits (`_bilevel_picture`),
        anything else as grey bytes."""
        if image.mode == "1":
            picture = _bilevel_picture(np.asarray(image))
            try:
                self._lib.TessBaseAPISetImage2(self._handle, picture)
            finally:
                _leptonica().pixDestroy(ctypes.byref(picture))
            return
        grey = image if image.mode == "L" else image.convert("L")
        self._lib.TessBaseAPISetImage(
            self._handle, grey.tobytes(), grey.width, grey.height, 1, grey.width
        )

    def recognise_tsv(self, timeout: float) -> str:
        lib = self._lib
        monitor = lib.TessMonitorCreate()
        started = time.monotonic()
        try:
            lib.TessMonitorSetDeadlineMSecs(monitor, max(1, int(timeout * 1000)))
            failed = lib.TessBaseAPIRecognize(self._handle, monitor) != 0
            text = None if failed else lib.TessBaseAPIGetTsvText(self._handle, 0)
            tsv = ctypes.string_at(text).decode("utf-8", errors="replace") if text else None
            if text:
                lib.TessDeleteText(text)
        finally:
            lib.TessMonitorDelete(monitor)
            lib.TessBaseAPIClear(self._handle)
        if tsv is None and time.monotonic() - started >= timeout:
            raise UnreadableFileError(
                f"OCR halaman ini melebihi batas waktu {timeout:.0f} detik.", hint=TIMEOUT_HINT
            )
        if tsv is None:
            raise UnreadableFileError("OCR gagal membaca gambar ini.")
        return tsv

    def orientation(self) -> Orientation | None:
        degrees, confidence = ctypes.c_int(), ctypes.c_float()
        script, script_confidence = ctypes.c_char_p(), ctypes.c_float()
        found = self._lib.TessBaseAPIDetectOrientationScript(
            self._handle,
            ctypes.byref(degrees),
            ctypes.byref(confidence),
            ctypes.byref(script),
            ctypes.byref(script_confidence),
        )
        self._lib.TessBaseAPIClear(self._handle)
        if not found:
            return None
        return Orientation(ROTATE_FOR_ORIENTATION.get(degrees.value, 0), confidence.value)


def _bilevel_picture(paper: NDArray[np.bool_]) -> ctypes.c_void_p:
    """A 1-bit Leptonica picture (Pix) of a bilevel page, `paper` True where the page is white.

    Handed raw packed bits, Tesseract builds this same picture itself, but bit by bit: 9 ms for
    a page of 4 million pixels. Leptonica keeps a row as 32-bit words in the machine's byte
    order, the first pixel in a word's top bit, and a set bit is ink; numpy packs the rows so
    (the page's bits inverted, each row padded to whole words, each word's bytes put in the
    machine's order) in about 2 ms, and the rows are copied in at once. Tesseract copies the
    picture it is given, so it is freed right after."""
    height, width = paper.shape
    words_per_row = (width + 31) // 32
    rows = np.zeros((height, words_per_row * 4), np.uint8)
    packed = np.packbits(~paper, axis=1)
    rows[:, : packed.shape[1]] = packed
    words = rows.view(">u4").astype(np.uint32)
    leptonica = _leptonica()
    picture = ctypes.c_void_p(leptonica.pixCreateNoInit(width, height, 1))
    if not picture.value or leptonica.pixGetWpl(picture) != words_per_row:
        raise UnreadableFileError("Gambar halaman ini terlalu besar untuk dibaca OCR.")
    ctypes.memmove(leptonica.pixGetData(picture), words.ctypes.data, words.nbytes)
    return picture


_local = threading.local()
_loaded: list[_Engine] = []


def _engine(language: str, psm: int = PSM_AUTO) -> _Engine:
    """This thread's engine for `language` and page segmentation mode `psm`, loaded on first
    use and kept for the next page."""
    engines: dict[tuple[str, int], _Engine] = _local.__dict__.setdefault("engines", {})
    key = (language, psm)
    if key not in engines:
        check_tesseract()
        engines[key] = _Engine(_library(), language, psm)
        _loaded.append(engines[key])
    return engines[key]


@atexit.register
def _unload() -> None:
    """Free the engines before the library's own exit checks count them as leaks."""
    while _loaded:
        _loaded.pop().close()


@cache
def _library() -> ctypes.CDLL:
    os.environ["OMP_THREAD_LIMIT"] = "1"  # read when OpenMP starts: one thread per worker
    name = ctypes.util.find_library("tesseract") or "libtesseract.so.5"
    try:
        lib = ctypes.CDLL(name)
    except OSError as exc:
        raise MissingDependencyError(
            f"Pustaka Tesseract (libtesseract) tidak dapat dimuat: {exc}.", hint=INSTALL_HINT
        ) from exc
    _declare(lib)
    _quiet_leptonica()
    return lib


L_SEVERITY_NONE = 6  # leptonica's environ.h: print no messages


def _quiet_leptonica() -> None:
    """Leptonica (Tesseract's image library) prints warnings such as 'Error in
    boxClipToRectangle' straight to stderr, into the watcher's log; the page is read anyway."""
    _leptonica().setMsgSeverity(L_SEVERITY_NONE)


@cache
def _leptonica() -> ctypes.CDLL:
    """Leptonica, the image library Tesseract is built on (loaded with it)."""
    name = ctypes.util.find_library("lept") or ctypes.util.find_library("leptonica")
    try:
        lib = ctypes.CDLL(name or "liblept.so.5")
    except OSError as exc:
        raise MissingDependencyError(
            f"Pustaka gambar Tesseract (Leptonica) tidak dapat dimuat: {exc}.", hint=INSTALL_HINT
        ) from exc
    picture = ctypes.c_void_p
    signatures: dict[str, tuple[list[type], type | None]] = {
        "setMsgSeverity": ([ctypes.c_int], ctypes.c_int),
        "pixCreateNoInit": ([ctypes.c_int, ctypes.c_int, ctypes.c_int], picture),
        "pixGetWpl": ([picture], ctypes.c_int),
        "pixGetData": ([picture], ctypes.c_void_p),
        "pixDestroy": ([ctypes.POINTER(picture)], None),
    }
    _typed(lib, signatures)
    return lib


def _declare(lib: ctypes.CDLL) -> None:
    """Argument and result types of the C functions used (tesseract/capi.h, Tesseract 4–5)."""
    handle, text = ctypes.c_void_p, ctypes.c_void_p
    signatures: dict[str, tuple[list[type], type | None]] = {
        "TessBaseAPICreate": ([], handle),
        "TessBaseAPIDelete": ([handle], None),
        "TessBaseAPIInit3": ([handle, ctypes.c_char_p, ctypes.c_char_p], ctypes.c_int),
        "TessBaseAPISetPageSegMode": ([handle, ctypes.c_int], None),
        "TessBaseAPISetImage": (
            [handle, ctypes.c_char_p, ctypes.c_int, ctypes.c_int, ctypes.c_int, ctypes.c_int],
            None,
        ),
        "TessBaseAPISetImage2": ([handle, ctypes.c_void_p], None),
        "TessBaseAPIRecognize": ([handle, ctypes.c_void_p], ctypes.c_int),
        "TessBaseAPIGetTsvText": ([handle, ctypes.c_int], text),
        "TessBaseAPIClear": ([handle], None),
        "TessBaseAPIEnd": ([handle], None),
        "TessBaseAPISetVariable": ([handle, ctypes.c_char_p, ctypes.c_char_p], ctypes.c_int),
        "TessBaseAPIDetectOrientationScript": (
            [handle, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p],
            ctypes.c_int,
        ),
        "TessDeleteText": ([text], None),
        "TessMonitorCreate": ([], ctypes.c_void_p),
        "TessMonitorDelete": ([ctypes.c_void_p], None),
        "TessMonitorSetDeadlineMSecs": ([ctypes.c_void_p, ctypes.c_int], None),
    }
    _typed(lib, signatures)


def _typed(lib: ctypes.CDLL, signatures: dict[str, tuple[list[type], type | None]]) -> None:
    for name, (arguments, result) in signatures.items():
        function = getattr(lib, name)
        function.argtypes = arguments
        function.restype = result
