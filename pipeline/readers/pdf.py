"""PDF reader: pdfium checks the file and finds the text layer; pdfplumber gives word positions."""

from __future__ import annotations

import ctypes
import re
import threading
from collections import OrderedDict
from collections.abc import Iterator
from itertools import islice, pairwise
from pathlib import Path
from typing import Any

import pdfplumber
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from pdfminer.layout import LTChar, LTComponent, LTContainer
from pdfminer.pdfpage import PDFPage
from pdfminer.pdftypes import resolve1
from pdfminer.psparser import PSLiteral
from pdfminer.utils import decode_text
from pdfplumber.page import Page as PlumberPage
from pdfplumber.page import fix_fontname_bytes

from pipeline.errors import UnreadableFileError
from pipeline.models import Media, Page, ReadDocument
from pipeline.readers.limits import Deadline
from pipeline.readers.lines import Word, words_to_lines
from pipeline.readers.text_layer import layer_quality, strip_bidi

MIN_TEXT_CHARS = 20
# Two different glyphs overlapping by this share of the narrower one: text printed over text,
# as HTML-to-PDF tools do when a label column is narrower than its labels.
OVERPRINT_SHARE = 0.4
SAME_LINE_POINTS = 2.0
DOUBLE_PRINT_POINTS = 0.6  # the same glyph again within this: one glyph, printed twice
WORD_GAP_POINTS = 3.0
BSRE_FOOTER_RE = re.compile(r"ditandatangani\s+secara\s+elektronik", re.I)
SIGNATURE_MARKERS = (b"/ByteRange", b"/Adbe.pkcs7", b"/ETSI.CAdES")


def read_pdf(path: Path, max_pages: int, deadline: Deadline | None = None) -> ReadDocument:
    """Read the first `max_pages` pages (the letter and form come first); the original is
    archived whole, and a note says how many pages were left unread."""
    deadline = deadline or Deadline.never()
    text_pages, total = _page_flags(path, max_pages, deadline)
    pages, fields = _read_layout(path, text_pages, deadline)
    text = " ".join(line.text for page in pages for line in page.lines)
    return ReadDocument(
        media=Media.PDF,
        pages=tuple(pages),
        form_fields=fields,
        needs_ocr=not all(text_pages),
        signed=looks_signed(path) or bool(BSRE_FOOTER_RE.search(text)),
        notes=_unread_pages_note(total, max_pages),
    )


def _unread_pages_note(total: int, max_pages: int) -> tuple[str, ...]:
    if total <= max_pages:
        return ()
    return (
        f"PDF ini memiliki {total} halaman; hanya {max_pages} halaman pertama yang dibaca "
        "(batas.maks_halaman). Berkas asli tetap diarsipkan utuh; periksa sisanya bila surat "
        "atau formulir ada di halaman belakang.",
    )


# PDFium is not thread-safe: every call in this process goes through this lock.
PDFIUM_LOCK = threading.RLock()


def pages_with_text(path: Path, max_pages: int) -> list[bool]:
    """Open with pdfium (fast, strict) and tell which of the first `max_pages` pages carry a
    usable text layer."""
    return _page_flags(path, max_pages, Deadline.never())[0]


# The text-layer check of the last few files read. The intake asks it twice of every PDF it
# has claimed (is it one of our documents coming back as a scan? then the reading itself), and
# pdfium opened the file each time (2 ms a digital PDF, 4 % of its whole intake). Keyed by the
# file's path, identity and version, so a changed or replaced file is checked anew.
_FLAGS: OrderedDict[tuple[str, int, int, int, int, int], tuple[tuple[bool, ...], int]] = (
    OrderedDict()
)
FLAGS_KEPT = 8


def _page_flags(path: Path, max_pages: int, deadline: Deadline) -> tuple[list[bool], int]:
    try:
        facts = path.stat()
    except OSError:
        return _page_flags_read(path, max_pages, deadline)  # pdfium says what is wrong
    key = (str(path), facts.st_dev, facts.st_ino, facts.st_size, facts.st_mtime_ns, max_pages)
    with PDFIUM_LOCK:
        known = _FLAGS.get(key)
        if known is None:
            flags, total = _page_flags_read(path, max_pages, deadline)
            known = _FLAGS[key] = (tuple(flags), total)
            while len(_FLAGS) > FLAGS_KEPT:
                _FLAGS.popitem(last=False)
        return list(known[0]), known[1]


def _page_flags_read(path: Path, max_pages: int, deadline: Deadline) -> tuple[list[bool], int]:
    with PDFIUM_LOCK:
        try:
            document = pdfium.PdfDocument(path)
        except pdfium.PdfiumError as exc:
            raise _open_error(path, str(exc)) from exc
        try:
            total = len(document)
            if total == 0:
                raise UnreadableFileError(f"PDF '{path.name}' tidak memiliki halaman.")
            flags = []
            for index in range(min(total, max_pages)):
                deadline.check(path.name)
                flags.append(_has_text(document[index]))
            return flags, total
        finally:
            document.close()


def _has_text(page: pdfium.PdfPage) -> bool:
    """Whether the page's text layer is worth reading: enough text, and not garbage (a
    scanner's own OCR under or over its picture is trusted only when it reads cleanly)."""
    textpage = page.get_textpage()
    try:
        text = textpage.get_text_range()
    finally:
        textpage.close()
    if len(strip_bidi(text).strip()) < MIN_TEXT_CHARS:
        return False
    quality = layer_quality(text)
    if quality.trusted(hidden=True):  # reads cleanly even by the bar for a scanner's OCR
        return True
    return quality.trusted(hidden=False) and not _text_hidden_under_picture(page)


PAGE_PICTURE_SHARE = 0.5  # an image this big (of the page's area) is a scan of the page
MAX_OBJECTS_CHECKED = 20_000  # a page of more objects than this is no scan


def _text_hidden_under_picture(page: pdfium.PdfPage) -> bool:
    """A picture covers the page and nearly all text is invisible (text render mode 3) or
    drawn before the picture (under it): the text layer is OCR that came with the scan."""
    raw = page.raw
    count = pdfium_c.FPDFPage_CountObjects(raw)
    if count > MAX_OBJECTS_CHECKED:
        return False
    width, height = page.get_size()
    kinds = [
        pdfium_c.FPDFPageObj_GetType(pdfium_c.FPDFPage_GetObject(raw, i)) for i in range(count)
    ]
    pictures = [
        i
        for i, kind in enumerate(kinds)
        if kind in (pdfium_c.FPDF_PAGEOBJ_IMAGE, pdfium_c.FPDF_PAGEOBJ_FORM)
        and _area(pdfium_c.FPDFPage_GetObject(raw, i)) >= PAGE_PICTURE_SHARE * width * height
        and _holds_image(pdfium_c.FPDFPage_GetObject(raw, i), kind)
    ]
    if not pictures:
        return False
    shown = texts = 0
    for i, kind in enumerate(kinds):
        if kind != pdfium_c.FPDF_PAGEOBJ_TEXT:
            continue
        texts += 1
        mode = pdfium_c.FPDFTextObj_GetTextRenderMode(pdfium_c.FPDFPage_GetObject(raw, i))
        shown += i > pictures[0] and mode != pdfium_c.FPDF_TEXTRENDERMODE_INVISIBLE
    return texts > 0 and shown <= 0.1 * texts


def _area(obj: Any) -> float:
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    found = pdfium_c.FPDFPageObj_GetBounds(
        obj, ctypes.byref(left), ctypes.byref(bottom), ctypes.byref(right), ctypes.byref(top)
    )
    if not found:
        return 0.0
    return max(0.0, right.value - left.value) * max(0.0, top.value - bottom.value)


def _holds_image(obj: Any, kind: int) -> bool:
    """An image, or a form XObject with an image directly inside (how some scanners wrap it)."""
    if kind == pdfium_c.FPDF_PAGEOBJ_IMAGE:
        return True
    inner = min(pdfium_c.FPDFFormObj_CountObjects(obj), 50)
    return any(
        pdfium_c.FPDFPageObj_GetType(pdfium_c.FPDFFormObj_GetObject(obj, i))
        == pdfium_c.FPDF_PAGEOBJ_IMAGE
        for i in range(inner)
    )


def _open_error(path: Path, reason: str) -> UnreadableFileError:
    if "password" in reason.lower():
        return UnreadableFileError(
            f"PDF '{path.name}' dilindungi kata sandi (sandi pembuka) sehingga tidak bisa dibaca.",
            hint="Minta OPD mengirim versi tanpa kata sandi, atau buka dengan sandinya lalu "
            "cetak ulang ke PDF.",
        )
    return UnreadableFileError(
        f"PDF '{path.name}' rusak atau terpotong sehingga tidak bisa dibuka.",
        hint="Minta OPD mengirim ulang berkasnya; bila dari pemindai, pindai ulang.",
    )


def _read_layout(
    path: Path, text_pages: list[bool], deadline: Deadline
) -> tuple[list[Page], dict[str, str]]:
    try:
        with pdfplumber.open(path) as pdf:
            pages = []
            for plumbed, has in zip(_first_pages(pdf, len(text_pages)), text_pages, strict=True):
                deadline.check(path.name)
                pages.append(_page(plumbed, plumbed.page_number, has))
                plumbed.close()  # drop the page's cached characters: memory stays one page
            return pages, _form_fields(pdf.doc.catalog)
    except UnreadableFileError:
        raise
    except Exception as exc:  # pdfminer raises many unrelated types on damaged files
        raise _open_error(path, str(exc)) from exc


def _first_pages(pdf: Any, count: int) -> list[Any]:
    """The first `count` pages, without walking the rest of the page tree (pdfplumber's
    `pdf.pages` parses every page object: seconds for a 2,000-page attachment)."""
    pages: list[Any] = []
    doctop = 0.0
    for number, raw in enumerate(islice(PDFPage.create_pages(pdf.doc), count), start=1):
        page = CharPage(pdf, raw, page_number=number, initial_doctop=doctop)
        pages.append(page)
        doctop += float(page.height)
    pdf._pages = pages  # close() walks `pdf.pages`: let it find only these
    return pages


class CharPage(PlumberPage):
    """A pdfplumber page that knows only its characters, each with the attributes word grouping
    and de-duplication read. pdfplumber's own page resolves every attribute of every object
    (colours, colour spaces, marked content, curves' paths): 40 % of the time of reading a
    letter, for attributes no reading here uses. The characters' text and positions are
    pdfplumber's own (`Page.process_object`'s arithmetic), so words come out the same."""

    def parse_objects(self) -> dict[str, list[dict[str, Any]]]:
        return {"char": [self._char(obj) for obj in _layout_chars(self.layout._objs)]}

    def _char(self, obj: LTChar) -> dict[str, Any]:
        left, shift_down = self.mediabox[:2]
        top = float(self.height) - obj.y1 + shift_down
        fontname = obj.fontname
        return {
            "object_type": "char",
            "page_number": self.page_number,
            "text": obj.get_text(),
            "fontname": fix_fontname_bytes(fontname) if isinstance(fontname, bytes) else fontname,
            "size": obj.size,
            "upright": obj.upright,
            "matrix": obj.matrix,
            "adv": obj.adv,
            "x0": obj.x0 + left,
            "x1": obj.x1 + left,
            "y0": obj.y0,
            "y1": obj.y1,
            "width": obj.width,
            "height": obj.height,
            "top": top,
            "bottom": float(self.height) - obj.y0 + shift_down,
            "doctop": self.initial_doctop + top,
        }


def _layout_chars(objects: list[LTComponent]) -> Iterator[LTChar]:
    for obj in objects:
        if isinstance(obj, LTChar):
            yield obj
        elif isinstance(obj, LTContainer):  # a figure (form XObject) holds its own characters
            yield from _layout_chars(obj._objs)


def _page(page: Any, number: int, has_text: bool) -> Page:
    if not has_text:
        return Page(number=number, lines=(), has_text=False)
    raw = _words(page, return_chars=True)
    if any(_printed_twice(w["chars"]) for w in raw):  # a bold faked by printing twice
        page = page.dedupe_chars(tolerance=DOUBLE_PRINT_POINTS)
        raw = _words(page, return_chars=True)
    overprinted = [w["top"] for w in raw if _overprinted(w["chars"])]
    if overprinted:
        raw = _unstacked(page, raw, overprinted)
    words = [
        Word(text, w["x0"], w["x1"], w["top"], w["bottom"])
        for w in raw
        if (text := strip_bidi(w["text"]))  # direction marks around every run are no text
    ]
    words += _widget_words(page)
    lines = words_to_lines(words, number, float(page.width))
    return Page(number=number, lines=tuple(lines), has_text=True)


def _words(page: Any, **options: bool) -> list[dict[str, Any]]:
    """pdfplumber's words with the tolerances every reading of a page uses."""
    words: list[dict[str, Any]] = page.extract_words(x_tolerance=1.5, y_tolerance=2, **options)
    return words


def _printed_twice(chars: list[dict[str, Any]]) -> bool:
    return any(
        first["text"] == second["text"] and abs(second["x0"] - first["x0"]) < DOUBLE_PRINT_POINTS
        for first, second in pairwise(chars)
        if first["text"].strip()
    )


def _overprinted(chars: list[dict[str, Any]]) -> bool:
    for first, second in pairwise(chars):
        narrower = min(first["x1"] - first["x0"], second["x1"] - second["x0"])
        overlap = first["x1"] - second["x0"]
        different = first["text"] != second["text"]  # a bold faked by printing twice is not
        if different and narrower > 0 and overlap > OVERPRINT_SHARE * narrower:
            return True
    return False


def _unstacked(page: Any, raw: list[dict[str, Any]], tops: list[float]) -> list[dict[str, Any]]:
    """Lines where text was printed over text ('0N4:8o m/ o r' for 'Nomor : 048/ /…') are
    taken again in the order the file wrote them (label, then value): each value keeps its
    place, so a wrapped value still lines up with its next line, and the words written before
    it are set to its left."""

    def on_overprinted_line(word: dict[str, Any]) -> bool:
        return any(abs(word["top"] - top) <= SAME_LINE_POINTS for top in tops)

    kept = [w for w in raw if not on_overprinted_line(w)]
    flowing = _words(page, use_text_flow=True)
    for top in sorted(set(tops)):
        line = [w for w in flowing if abs(w["top"] - top) <= SAME_LINE_POINTS]
        placed: list[dict[str, Any]] = []
        cursor = float("inf")
        for word in reversed(line):
            width = word["x1"] - word["x0"]
            x1 = word["x1"] if word["x1"] <= cursor else cursor - WORD_GAP_POINTS
            placed.append({**word, "x0": x1 - width, "x1": x1})
            cursor = x1 - width
        shift = max(0.0, -min((w["x0"] for w in placed), default=0.0))
        kept += [{**w, "x0": w["x0"] + shift, "x1": w["x1"] + shift} for w in placed]
    return kept


def _widget_words(page: Any) -> list[Word]:
    """Filled-in form fields placed where they sit, so `Label : [field]` reads as a line."""
    words: list[Word] = []
    for annot in page.annots:
        data = annot.get("data") or {}
        if _text(data.get("Subtype")) != "Widget":
            continue
        value = _text(data.get("V"))
        if not value:
            parent = resolve1(data.get("Parent"))
            value = _text(parent.get("V")) if isinstance(parent, dict) else ""
        if value.strip():
            text = " ".join(value.split())
            words.append(Word(text, annot["x0"], annot["x1"], annot["top"], annot["bottom"]))
    return words


def _form_fields(catalog: dict[str, Any]) -> dict[str, str]:
    """Values of fillable (AcroForm) fields, by their fully qualified names."""
    acroform = resolve1(catalog.get("AcroForm"))
    if not isinstance(acroform, dict):
        return {}
    found: dict[str, str] = {}
    for field in resolve1(acroform.get("Fields")) or []:
        _collect_field(resolve1(field), "", found)
    return found


def _collect_field(field: Any, prefix: str, found: dict[str, str]) -> None:
    if not isinstance(field, dict):
        return
    name = _text(field.get("T"))
    full = f"{prefix}.{name}" if prefix and name else (name or prefix)
    value = _text(resolve1(field.get("V")))
    if value and value.strip():
        found[full] = value.strip()
    for kid in resolve1(field.get("Kids")) or []:
        _collect_field(resolve1(kid), full, found)


def _text(value: Any) -> str:
    value = resolve1(value)
    if isinstance(value, bytes):
        return decode_text(value)
    if isinstance(value, PSLiteral):
        return str(value.name)
    return value if isinstance(value, str) else ""


def looks_signed(path: Path) -> bool:
    """A digital signature dictionary anywhere in the file: the original must stay intact."""
    overlap = max(len(m) for m in SIGNATURE_MARKERS)
    tail = b""
    with path.open("rb") as handle:
        while chunk := handle.read(1024 * 1024):  # a 100 MB scan is not read into memory
            window = tail + chunk
            if any(marker in window for marker in SIGNATURE_MARKERS):
                return True
            tail = window[-overlap:]
    return False
