"""Lay letter and form specs out as Word documents (python-docx), byte-stable."""

from __future__ import annotations

import datetime as _dt
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.section import _Header
from docx.shared import Cm, Pt
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from tests.corpus.form_specs import form_labels
from tests.corpus.specs import Block, FormRow, FormSpec, Kop, LetterSpec, Signature

PAGES = {"A4": (21.0, 29.7), "F4": (21.5, 33.0), "Letter": (21.59, 27.94)}
FIXED_TIME = (2024, 1, 1, 0, 0, 0)
Container = DocxDocument | _Cell | _Header


@dataclass(frozen=True)
class DocxLook:
    font: str = "Times New Roman"
    size: float = 12.0
    page: str = "A4"
    justify: bool = True
    first_indent: bool = False
    label_mode: str = "tab"  # table | tab | inline | padded
    kop_in_header: bool = False
    sig_table: bool = False
    form_layout: str = "t3"  # t2 | t3 | para
    borders: bool = True
    sdt: bool = False  # form values inside Word content controls
    form_break: str = "page"  # page | section
    date_flush: bool = True


def render_docx(
    path: Path, letter: LetterSpec | None, form: FormSpec | None, look: DocxLook, title: str
) -> dict[str, object]:
    _sdt_id[0] = 1000
    doc = Document()
    _setup(doc, look)
    notes: list[str] = []
    if letter:
        notes += _letter(doc, letter, look)
    if form:
        if letter and look.form_break == "section":
            doc.add_section(WD_SECTION.NEW_PAGE)
        elif letter:
            doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        _form(doc, form, look)
    cp = doc.core_properties
    cp.title, cp.author, cp.last_modified_by = title, "Sekretariat", "Sekretariat"
    cp.created = cp.modified = _dt.datetime(2024, 1, 1, tzinfo=_dt.UTC)
    cp.revision = 1
    _slim(doc)
    buf = io.BytesIO()
    doc.save(buf)
    path.write_bytes(_stable_zip(buf.getvalue()))
    return {"notes": notes}


def _slim(doc: DocxDocument) -> None:
    """Drop the default template's stray parts (legacy styles copy, thumbnail, customXml)."""
    drop = ("stylesWithEffects", "customXml", "thumbnail")
    for rels in (doc.part.rels, doc.part.package.rels):
        for rid, rel in list(rels.items()):
            if rel.reltype.rsplit("/", 1)[-1] in drop:
                rels.pop(rid)


def _stable_zip(data: bytes) -> bytes:
    """Rewrite the package with fixed timestamps so the bytes do not depend on the clock."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        for info in src.infolist():
            zi = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME)
            zi.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(zi, src.read(info.filename))
    return out.getvalue()


def _setup(doc: DocxDocument, look: DocxLook) -> None:
    w, h = PAGES[look.page]
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Cm(w), Cm(h)
    sec.left_margin, sec.right_margin = Cm(3), Cm(2)
    sec.top_margin, sec.bottom_margin = Cm(2), Cm(2)
    normal = doc.styles["Normal"]
    normal.font.name = look.font
    normal.font.size = Pt(look.size)
    rpr = normal.element.get_or_add_rPr()
    rpr.get_or_add_rFonts().set(qn("w:eastAsia"), look.font)
    pf = normal.paragraph_format
    pf.space_after, pf.space_before, pf.line_spacing = Pt(0), Pt(0), 1.0


def _text_width(doc: DocxDocument, look: DocxLook) -> float:
    return PAGES[look.page][0] - 5.0


# --------------------------------------------------------------------------- helpers


def para(
    box: Container,
    text: str = "",
    bold: bool = False,
    align: str = "left",
    size: float | None = None,
    indent: float | None = None,
) -> Paragraph:
    p = box.add_paragraph()
    if text:
        run = p.add_run(text)
        run.bold = bold or None
        if size:
            run.font.size = Pt(size)
    p.alignment = {
        "left": None,
        "center": WD_ALIGN_PARAGRAPH.CENTER,
        "right": WD_ALIGN_PARAGRAPH.RIGHT,
        "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
    }[align]
    if indent is not None:
        p.paragraph_format.left_indent = Cm(indent)
    return p


def tabs(p: Paragraph, *stops: tuple[float, str]) -> None:
    for pos, kind in stops:
        align = WD_TAB_ALIGNMENT.RIGHT if kind == "right" else WD_TAB_ALIGNMENT.LEFT
        p.paragraph_format.tab_stops.add_tab_stop(Cm(pos), align)


def bottom_border(p: Paragraph, kind: str) -> None:
    ppr = p._p.get_or_add_pPr()
    bdr = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    bottom.set(qn("w:val"), "thickThinSmallGap" if kind == "double" else "single")
    bottom.set(qn("w:sz"), "18" if kind == "double" else "8")
    bottom.set(qn("w:space"), "1")
    bottom.set(qn("w:color"), "auto")
    bdr.append(bottom)
    ppr.append(bdr)


def no_borders(table: Table) -> None:
    tblpr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "nil")
        borders.append(el)
    tblpr.append(borders)


def widths(table: Table, cms: list[float]) -> None:
    table.autofit = False
    for col, w in zip(table.columns, cms, strict=False):
        col.width = Cm(w)
    for row in table.rows:
        for cell, w in zip(row.cells, cms, strict=False):
            cell.width = Cm(w)


def cell_text(cell: _Cell, text: str, bold: bool = False, indent: float | None = None) -> None:
    p = cell.paragraphs[0]
    if text:
        p.add_run(text).bold = bold or None
    if indent:
        p.paragraph_format.left_indent = Cm(indent)


_sdt_id = [1000]
PLACEHOLDER = "Klik atau ketuk di sini untuk memasukkan teks."


def content_control(p: Paragraph, tag: str, value: str) -> None:
    """Append an inline plain-text content control (w:sdt) holding `value`; an empty one shows
    Word's placeholder text, as a blank control in a real form does."""
    _sdt_id[0] += 1
    sdt = OxmlElement("w:sdt")
    pr = OxmlElement("w:sdtPr")
    for name, val in (("w:alias", tag), ("w:tag", tag), ("w:id", str(_sdt_id[0]))):
        el = OxmlElement(name)
        el.set(qn("w:val"), val)
        pr.append(el)
    if not value:
        pr.append(OxmlElement("w:showingPlcHdr"))
    pr.append(OxmlElement("w:text"))
    content = OxmlElement("w:sdtContent")
    r = OxmlElement("w:r")
    t = OxmlElement("w:t")
    t.text = value or PLACEHOLDER
    t.set(qn("xml:space"), "preserve")
    r.append(t)
    content.append(r)
    sdt.append(pr)
    sdt.append(content)
    p._p.append(sdt)


# --------------------------------------------------------------------------- letters


def _kop(doc: DocxDocument, kop: Kop, look: DocxLook, in_header: bool) -> None:
    box = doc.sections[0].header if in_header else doc
    sizes = {"gov": 2, "opd": 3, "opd2": 2, "addr": -2, "contact": -2}
    first = True
    last: Paragraph | None = None
    for text, role in kop.lines:
        bold = role in ("gov", "opd", "opd2")
        if in_header and first:
            p = doc.sections[0].header.paragraphs[0]
            p.add_run(text).bold = bold
            p.runs[0].font.size = Pt(look.size + sizes[role])
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        else:
            p = para(box, text, bold, "center", look.size + sizes[role])
        first = False
        last = p
    if kop.rule == "underscores":
        para(box, "_" * 78, align="center", size=look.size - 2)
    elif last is not None:
        bottom_border(last, kop.rule)
    if not in_header:
        para(doc)


def _letter(doc: DocxDocument, spec: LetterSpec, look: DocxLook) -> list[str]:
    notes: list[str] = []
    _kop(doc, spec.kop, look, look.kop_in_header)
    if spec.date_mode == "right":
        para(
            doc,
            spec.place_date,
            align="right" if look.date_flush else "left",
            indent=None if look.date_flush else 9.0,
        )
        para(doc)
    elif spec.date_mode == "left":
        para(doc, spec.place_date)
    beside_done = _labels(doc, spec, look)
    para(doc)
    if not beside_done:
        if spec.recipient_beside:
            notes.append("recipient-below")
        indent = 9.0 if spec.date_mode == "twocol" else None
        for r in spec.recipient:
            para(doc, r, indent=indent)
        para(doc)
    if spec.salutation:
        para(doc, spec.salutation)
    for block in spec.body:
        _block(doc, block, look)
    _body_para(doc, spec.closing, look)
    para(doc)
    _signature(doc, spec.sig, spec.place_date if spec.date_mode == "sig" else None, look)
    if spec.tembusan:
        para(doc)
        para(doc, "Tembusan:", size=look.size - 1)
        for i, t in enumerate(spec.tembusan):
            p = para(doc, f"{i + 1}.\t{t}", size=look.size - 1, indent=0.6)
            p.paragraph_format.first_line_indent = Cm(-0.6)
            tabs(p, (0.6, "left"))
    return notes


def _labels(doc: DocxDocument, spec: LetterSpec, look: DocxLook) -> bool:
    """The Nomor/Sifat/Lampiran/Perihal block; True when the recipient went beside it."""
    twocol = spec.date_mode == "twocol"
    if look.label_mode == "table":
        return _label_table(doc, spec, look)
    pad = max(len(lb) for lb, _ in spec.labels) + 2
    for i, (label, value) in enumerate(spec.labels):
        if look.label_mode == "tab":
            p = para(doc, f"{label}\t: {value}")
            tabs(p, (2.8, "left"))
            p.paragraph_format.left_indent = Cm(3.2)
            p.paragraph_format.first_line_indent = Cm(-3.2)
        elif look.label_mode == "padded":
            p = para(doc, label.ljust(pad) + ": " + value)
        else:
            p = para(doc, f"{label} : {value}")
        if twocol and i == 0:
            p.add_run("\t" + spec.place_date)
            tabs(p, (_text_width(doc, look), "right"))
    return False


def _label_table(doc: DocxDocument, spec: LetterSpec, look: DocxLook) -> bool:
    twocol = spec.date_mode == "twocol"
    cols = 4 if twocol else 3
    t = doc.add_table(rows=len(spec.labels), cols=cols)
    no_borders(t)
    for row, (label, value) in zip(t.rows, spec.labels, strict=True):
        cell_text(row.cells[0], label)
        cell_text(row.cells[1], ":")
        cell_text(row.cells[2], value)
    total = _text_width(doc, look)
    widths(t, [2.6, 0.4, 6.6, total - 9.6] if twocol else [2.8, 0.4, total - 3.2])
    if not twocol:
        return False
    right = t.cell(0, 3)
    if len(spec.labels) > 1:
        right = right.merge(t.cell(len(spec.labels) - 1, 3))
    cell_text(right, spec.place_date)
    if spec.recipient_beside:
        right.add_paragraph()
        for r in spec.recipient:
            right.add_paragraph(r)
    return spec.recipient_beside


def _body_para(doc: DocxDocument, text: str, look: DocxLook) -> None:
    p = para(doc, text, align="justify" if look.justify else "left")
    if look.first_indent:
        p.paragraph_format.first_line_indent = Cm(1.25)
    p.paragraph_format.space_after = Pt(6)


def _block(doc: DocxDocument, block: Block, look: DocxLook) -> None:
    if block[0] == "p":
        _body_para(doc, block[1], look)
    elif block[0] == "li":
        p = para(
            doc, f"{block[1]}\t{block[2]}", align="justify" if look.justify else "left", indent=1.4
        )
        p.paragraph_format.first_line_indent = Cm(-0.6)
        tabs(p, (1.4, "left"))
    else:
        p = para(doc, f"\t{block[1]}\t: {block[2]}")
        tabs(p, (1.0, "left"), (4.2, "left"))


def _signature(doc: DocxDocument, sig: Signature, place_date: str | None, look: DocxLook) -> None:
    lines: list[tuple[str, bool]] = []
    if place_date:
        lines.append((place_date, False))
    lines += [(ln, ln.isupper()) for ln in sig.lines]
    if sig.esign:
        lines += [("", False), ("Ditandatangani secara elektronik oleh:", False), ("", False)]
    else:
        lines += [("", False)] * 3
    lines.append((sig.nama, True))
    if sig.pangkat:
        lines.append((sig.pangkat, False))
    lines.append((f"NIP. {sig.nip}", False))
    if look.sig_table:
        t = doc.add_table(rows=1, cols=2)
        no_borders(t)
        t.alignment = WD_TABLE_ALIGNMENT.CENTER
        widths(t, [7.5, _text_width(doc, look) - 7.5])
        cell = t.cell(0, 1)
        cell_text(cell, lines[0][0], lines[0][1])
        for text, bold in lines[1:]:
            cell.add_paragraph().add_run(text).bold = bold or None
        return
    for text, bold in lines:
        para(doc, text, bold, indent=8.5)


# --------------------------------------------------------------------------- forms


def _form(doc: DocxDocument, spec: FormSpec, look: DocxLook) -> None:
    if spec.kop:
        _kop(doc, spec.kop, look, in_header=False)
    for t in spec.title:
        para(doc, t, bold=True, align="center")
    para(doc)
    if look.form_layout == "para":
        _form_paragraphs(doc, spec, look)
    else:
        _form_table(doc, spec, look)
    para(doc)
    if spec.declaration:
        _body_para(doc, spec.declaration, look)
    para(doc)
    _signature(doc, spec.sig, spec.place_date, look)


def _value(p: Paragraph, row: FormRow, look: DocxLook) -> None:
    if look.sdt and row.key != "section":
        content_control(p, row.key, row.value or "")
    elif row.value:
        run = p.add_run(row.value)
        run.underline = bool(row.suffix) or None
    if row.suffix:
        p.add_run(row.suffix)


def _form_table(doc: DocxDocument, spec: FormSpec, look: DocxLook) -> None:
    three = look.form_layout == "t3"
    t = doc.add_table(rows=0, cols=3 if three else 2)
    if look.borders:
        t.style = doc.styles["Table Grid"]
    else:
        no_borders(t)
    total = _text_width(doc, look)
    for row, label, sub in form_labels(spec):
        cells = t.add_row().cells
        if row.key == "section":
            merged = cells[0].merge(cells[-1])
            cell_text(merged, label, bold=True)
            continue
        cell_text(cells[0], label, indent=0.5 if sub else None)
        if three:
            cell_text(cells[1], ":")
        _value(cells[-1].paragraphs[0], row, look)
    widths(t, [6.0, 0.5, total - 6.5] if three else [6.0, total - 6.0])


def _form_paragraphs(doc: DocxDocument, spec: FormSpec, look: DocxLook) -> None:
    for row, label, sub in form_labels(spec):
        if row.key == "section":
            para(doc, label, bold=True)
            continue
        p = para(doc, f"{label}\t: ", indent=0.5 if sub else None)
        tabs(p, (6.5, "left"))
        _value(p, row, look)
