"""Word (.docx) reader: headers, paragraphs, tables and text boxes in reading order."""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import docx
from docx.oxml.ns import qn

from pipeline.errors import UnreadableFileError
from pipeline.models import Cell, Media, Page, ReadDocument, TextLine
from pipeline.readers.limits import MAX_DOCX_XML_BYTES, MAX_TEXT_CHARS, docx_xml_error
from pipeline.settings import Batas

MAX_UNPACKED_BYTES = Batas().maks_byte_terbuka
W_P, W_TBL, W_TR, W_TC = qn("w:p"), qn("w:tbl"), qn("w:tr"), qn("w:tc")
W_SDT = qn("w:sdt")
W_T = qn("w:t")
TEXTBOX = qn("w:txbxContent")
FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"


class _Pager:
    """Counts explicit page breaks so a letter and a form in one file land on pages 1 and 2."""

    def __init__(self) -> None:
        self.page = 1

    def line(self, texts: list[str]) -> TextLine | None:
        cells = tuple(Cell(x0=float(i), text=t) for i, t in enumerate(texts) if t)
        return TextLine(page=self.page, cells=cells) if cells else None


def read_docx(path: Path, max_unpacked: int = MAX_UNPACKED_BYTES) -> ReadDocument:
    _refuse_bombs(path, max_unpacked)
    try:
        document = docx.Document(str(path))
    except Exception as exc:  # python-docx raises KeyError, lxml and zip errors alike
        raise UnreadableFileError(
            f"Dokumen Word '{path.name}' rusak sehingga tidak bisa dibuka.",
            hint="Buka di Word, simpan ulang sebagai .docx atau PDF, lalu taruh lagi di inbox.",
        ) from exc
    pager = _Pager()
    lines = _capped([*_header_lines(document, pager), *_block_lines(document.element.body, pager)])
    return ReadDocument(media=Media.DOCX, pages=_paginate(lines), needs_ocr=False)


def _capped(lines: list[TextLine], limit: int = MAX_TEXT_CHARS) -> list[TextLine]:
    """The lines up to `limit` characters of text: what a letter and its form need."""
    kept: list[TextLine] = []
    total = 0
    for line in lines:
        total += sum(len(cell.text) for cell in line.cells)
        if total > limit:
            break
        kept.append(line)
    return kept


def _refuse_bombs(path: Path, max_unpacked: int) -> None:
    """Sizes come from the zip's central directory, before anything is unpacked; zipfile never
    unpacks more than a member's declared size, so a forged directory cannot lie past this."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise UnreadableFileError(f"Dokumen Word '{path.name}' rusak.") from exc
    unpacked = sum(info.file_size for info in members)
    xml = sum(info.file_size for info in members if info.filename.endswith((".xml", ".rels")))
    xml_limit = min(MAX_DOCX_XML_BYTES, max_unpacked)
    if xml > xml_limit:  # python-docx parses every XML part into memory at once
        raise docx_xml_error(path.name, xml, xml_limit)
    if unpacked > max_unpacked:
        raise UnreadableFileError(
            f"Dokumen Word '{path.name}' mengembang menjadi {unpacked // 1_000_000} MB saat "
            f"dibuka, melebihi batas {max_unpacked // 1_000_000} MB "
            "(batas.maks_byte_terbuka; kemungkinan 'zip bomb'); berkas ditolak demi "
            "keamanan.",
            hint="Minta OPD mengirim dokumen yang wajar (surat dan formulir saja); bila dokumen "
            "ini memang wajar, naikkan batas.maks_byte_terbuka di pipeline.toml.",
        )


def _header_lines(document: Any, pager: _Pager) -> Iterator[TextLine]:
    seen: set[int] = set()
    for section in document.sections:
        header = section.header
        if header.is_linked_to_previous or id(header._element) in seen:
            continue
        seen.add(id(header._element))
        yield from _block_lines(header._element, pager)


def _block_lines(parent: Any, pager: _Pager) -> Iterator[TextLine]:
    for child in parent.iterchildren():
        if child.tag == W_P:
            yield from _paragraph_lines(child, pager)
        elif child.tag == W_TBL:
            yield from _table_lines(child, pager)
        elif child.tag == W_SDT and not _placeholder(child):  # a content control's blocks
            content = child.find(qn("w:sdtContent"))
            if content is not None:
                yield from _block_lines(content, pager)


def _placeholder(sdt: Any) -> bool:
    """A content control still showing Word's 'Klik di sini…' prompt holds no value."""
    props = sdt.find(qn("w:sdtPr"))
    return props is not None and props.find(qn("w:showingPlcHdr")) is not None


def _paragraph_lines(p: Any, pager: _Pager) -> Iterator[TextLine]:
    if _breaks_page_before(p):
        pager.page += 1
    parts: list[str] = []
    for text in _runs_text(p, pager):
        parts.append(text)
    for raw in "".join(parts).split("\n"):
        line = pager.line([t.strip() for t in raw.split("\t")])
        if line:
            yield line
    for box in _text_boxes(p):
        yield from _block_lines(box, pager)


def _runs_text(p: Any, pager: _Pager) -> Iterator[str]:
    for node in p.iter(qn("w:t"), qn("w:tab"), qn("w:br"), qn("w:cr")):
        if _inside_text_box(node, p) or _in_placeholder(node, p):
            continue
        if node.tag == qn("w:t"):
            yield node.text or ""
        elif node.tag == qn("w:tab"):
            yield "\t"
        elif node.get(qn("w:type")) == "page":
            pager.page += 1
            yield "\n"
        else:
            yield "\n"


def _has_ancestor(node: Any, stop: Any, test: Callable[[Any], bool]) -> bool:
    """Whether an element between `node` and `stop` passes `test`."""
    parent = node.getparent()
    while parent is not None and parent is not stop:
        if test(parent):
            return True
        parent = parent.getparent()
    return False


def _inside_text_box(node: Any, p: Any) -> bool:
    return _has_ancestor(node, p, lambda el: el.tag == TEXTBOX)


def _in_placeholder(node: Any, p: Any) -> bool:
    return _has_ancestor(node, p, lambda el: el.tag == W_SDT and _placeholder(el))


def _breaks_page_before(p: Any) -> bool:
    ppr = p.find(qn("w:pPr"))
    return ppr is not None and ppr.find(qn("w:pageBreakBefore")) is not None


def _text_boxes(p: Any) -> Iterator[Any]:
    for box in p.iter(TEXTBOX):
        if not any(a.tag == FALLBACK for a in box.iterancestors()):
            yield box


def _table_lines(tbl: Any, pager: _Pager) -> Iterator[TextLine]:
    for row in tbl.iterchildren(W_TR):
        cells: list[list[str]] = []
        for tc in row.iterchildren(W_TC):
            nested = list(tc.iterchildren(W_TBL))
            cells.append([" ".join(t.split()) for t in _cell_paragraph_texts(tc)])
            for inner in nested:
                yield from _table_lines(inner, pager)
        for texts in _row_lines(cells):
            line = pager.line(texts)
            if line:
                yield line


def _row_lines(cells: list[list[str]]) -> list[list[str]]:
    """A table row as the lines a reader sees. Usually one line of cells; but a row whose first
    cell stacks several paragraphs beside cells with as many (labels | colons | values, one per
    paragraph) is one line per paragraph, and a lone cell (a letterhead box) a line per
    paragraph, as is a letterhead box beside cells of one line (then those cells as one more
    line). Cells of another height follow as one more line."""
    filled = [c for c in cells if c]
    height = len(filled[0]) if filled else 0
    if len(filled) == 1 and height > 1:
        return [[text] for text in filled[0]]
    if filled and _heading_box(filled):
        return [*([text] for text in filled[0]), [" ".join(c) for c in filled[1:]]]
    stacked = [c for c in filled if len(c) == height]
    if height < 2 or len(stacked) < 2:
        return [[" ".join(c) for c in cells]]
    rest = [" ".join(c) for c in filled if len(c) != height]
    lines = [[c[i] for c in stacked] for i in range(height)]
    return [*lines, rest] if rest else lines


HEADING_BOX_LINES = 3  # a letterhead: government, unit, and more, one paragraph each
HEADING_CAPITALS = 0.75  # share of its letters that are capitals


def _heading_box(filled: list[list[str]]) -> bool:
    """The row's first cell is a box of several lines in capitals beside cells of one line
    each ('PEMERINTAH PROVINSI' / … / 'STATISTIK DAN PERSANDIAN' | 'Nomor SOP' | '55/…')."""
    first, rest = filled[0], filled[1:]
    letters = [ch for text in first for ch in text if ch.isalpha()]
    capitals = sum(ch.isupper() for ch in letters)
    return (
        len(first) >= HEADING_BOX_LINES
        and bool(rest)
        and all(len(c) == 1 for c in rest)
        and capitals >= HEADING_CAPITALS * len(letters) > 0
    )


def _cell_paragraph_texts(tc: Any) -> Iterator[str]:
    """A cell's lines: its paragraphs, each cut at its line breaks. A letterhead box typed as
    one paragraph ('BADAN PERTANAHAN NASIONAL RI' ↵ 'KANTOR WILAYAH …' ↵ 'Jalan …') is as many
    lines as the reader sees, and 'SURAT TUGAS' ↵ 'Nomor: …' never reads 'SURAT TUGASNomor'."""
    for p in tc.iter(W_P):
        if _nested_table(p, tc):
            continue
        text = "".join(
            (t.text or "") if t.tag == W_T else "\n"
            for t in p.iter(W_T, qn("w:br"), qn("w:cr"))
            if not _in_placeholder(t, p)
        )
        yield from (line.strip() for line in text.split("\n") if line.strip())


def _nested_table(p: Any, tc: Any) -> bool:
    return _has_ancestor(p, tc, lambda el: el.tag == W_TBL)


def _paginate(lines: list[TextLine]) -> tuple[Page, ...]:
    numbers = sorted({line.page for line in lines}) or [1]
    return tuple(
        Page(number=n, lines=tuple(x for x in lines if x.page == n), has_text=True) for n in numbers
    )
