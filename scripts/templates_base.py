"""Shared building blocks of the Word templates: fonts, paragraphs, tables, kop, signature.

Every Jinja tag is written as one run, so docxtpl sees it whole; the result is a plain Word
document (paragraphs, tables, tab stops) that the office can keep editing in Word. Saved
byte-for-byte stable: fixed core properties and fixed timestamps inside the zip.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, Protocol

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.table import Table, _Cell, _Row
from docx.text.paragraph import Paragraph
from docx.text.run import Run

FONT = "Arial"
SYMBOL_FONT = "Segoe UI Symbol"  # has ☐/☒ on Windows; LibreOffice falls back to DejaVu Sans
BOX_EMPTY = "☐"
BOX_CHECKED = "☒"
BODY_PT = 11
SMALL_PT = 9
PAGE_WIDTH_CM = 21.0
MARGIN_CM = 2.0
TEXT_WIDTH_CM = PAGE_WIDTH_CM - 2 * MARGIN_CM  # 17 cm
HALF_CM = TEXT_WIDTH_CM / 2
CELL_PAD_CM = 0.19  # Word's default left/right cell margin
FIXED_TIME = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
ZIP_TIME = (1980, 1, 1, 0, 0, 0)

# Children that must follow an element we insert (OOXML fixes the order; Word enforces it).
PBDR_SUCCESSORS = (
    "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
    "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd",
    "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents",
    "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment", "w:textboxTightWrap",
    "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange",
)  # fmt: skip
TBL_BORDERS_SUCCESSORS = (
    "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption", "w:tblDescription",
    "w:tblPrChange",
)  # fmt: skip
TBL_CELL_MAR_SUCCESSORS = ("w:tblLook", "w:tblCaption", "w:tblDescription", "w:tblPrChange")
LANG_SUCCESSORS = ("w:eastAsianLayout", "w:specVanish", "w:oMath")
SHD_SUCCESSORS = (
    "w:noWrap", "w:tcMar", "w:textDirection", "w:tcFitText", "w:vAlign", "w:hideMark",
    "w:headers", "w:cellIns", "w:cellDel", "w:cellMerge", "w:tcPrChange",
)  # fmt: skip
TBL_HEADER_SUCCESSORS = ("w:tblCellSpacing", "w:jc", "w:hidden", "w:ins", "w:del", "w:trPrChange")
CANT_SPLIT_SUCCESSORS = ("w:trHeight", "w:tblHeader", *TBL_HEADER_SUCCESSORS)


class Container(Protocol):
    """A document, table cell or footer: anything that holds paragraphs."""

    @property
    def paragraphs(self) -> list[Paragraph]: ...

    def add_paragraph(self, text: str = "", style: Any = None) -> Paragraph: ...


# --- low-level helpers -------------------------------------------------------------------


def text(
    par: Paragraph,
    value: str,
    *,
    size: float = BODY_PT,
    bold: bool = False,
    italic: bool = False,
    underline: bool = False,
    font: str = FONT,
) -> Run:
    """Add one run (holding one Jinja tag at most) with the given formatting."""
    run = par.add_run(value)
    run.font.name = font
    run.font.size = Pt(size)
    run.font.bold = bold or None
    run.font.italic = italic or None
    run.font.underline = underline or None
    fonts = run._r.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), font)
    return run


def box(par: Paragraph, checked_if: str | None = None) -> Run:
    """A check box glyph; with `checked_if` (a Jinja test) it is ticked when the test holds."""
    glyph = BOX_EMPTY
    if checked_if is not None:
        glyph = f"{{{{ '{BOX_CHECKED}' if {checked_if} else '{BOX_EMPTY}' }}}}"
    return text(par, glyph, font=SYMBOL_FONT)


def logic(container: Container, statement: str) -> Paragraph:
    """A docxtpl paragraph tag (`{%p ... %}`): the whole paragraph vanishes from the output.

    Small and grey, so whoever edits the template in Word sees it is machinery, not text.
    """
    par = para(container)
    run = text(par, f"{{%p {statement} %}}", size=8)
    run.font.color.rgb = RGBColor(0x80, 0x80, 0x80)
    return par


def para(
    container: Container,
    *,
    align: WD_ALIGN_PARAGRAPH | None = None,
    before: float = 0,
    after: float = 0,
    left_cm: float = 0,
    hanging_cm: float = 0,
    tabs_cm: Iterable[float] = (),
) -> Paragraph:
    """A new paragraph, or the empty first paragraph of a fresh table cell."""
    paragraphs = container.paragraphs
    reuse = isinstance(container, _Cell) and len(paragraphs) == 1 and not paragraphs[0].text
    par = paragraphs[0] if reuse else container.add_paragraph()
    fmt = par.paragraph_format
    fmt.space_before = Pt(before)
    fmt.space_after = Pt(after)
    if align is not None:
        fmt.alignment = align
    if left_cm or hanging_cm:
        fmt.left_indent = Cm(left_cm)
        fmt.first_line_indent = Cm(-hanging_cm)
    for pos in tabs_cm:
        fmt.tab_stops.add_tab_stop(Cm(pos))
    return par


def fill_to(par: Paragraph, width_cm: float) -> None:
    """Dots from here to `width_cm` (a right-aligned tab stop with a dot leader) to write on.

    The tab is followed by a period: LibreOffice draws no leader for a tab ending a paragraph.
    """
    par.paragraph_format.tab_stops.add_tab_stop(
        Cm(width_cm), WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS
    )
    text(par, "\t.")


def dotted_line(
    container: Container, width_cm: float, before: float = 6, *, left_cm: float = 0
) -> Paragraph:
    """An empty writing line, from `left_cm` to `width_cm` (tab stops count from the margin)."""
    par = para(container, before=before, left_cm=left_cm)
    fill_to(par, width_cm)
    return par


def field_line(
    container: Container, label: str, tag: str, label_cm: float, *, indent_cm: float = 0
) -> Paragraph:
    """`Label<tab>:<tab>value`, wrapped lines aligned under the value.

    The label starts at `indent_cm` and takes `label_cm`; the colon follows, then the value.
    """
    colon_cm = indent_cm + label_cm
    value_cm = colon_cm + 0.4
    par = para(
        container,
        left_cm=value_cm,
        hanging_cm=value_cm - indent_cm,
        tabs_cm=(colon_cm, value_cm),
    )
    text(par, label)
    text(par, "\t:\t")
    text(par, tag)
    return par


def checkbox_line(container: Container, label: str, *, indent_cm: float = 0) -> Paragraph:
    """`☐<tab>label`, a blank box to tick by hand; wrapped lines aligned under the label."""
    label_cm = indent_cm + 0.6
    par = para(container, left_cm=label_cm, hanging_cm=0.6, tabs_cm=(label_cm,))
    box(par)
    text(par, "\t")
    if label:
        text(par, label)
    return par


def bottom_rule(par: Paragraph) -> None:
    """The thick-thin double rule under a kop surat."""
    ppr = par._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "thickThinSmallGap"), ("w:sz", "24"), ("w:space", "1")):
        bottom.set(qn(key), value)
    bottom.set(qn("w:color"), "auto")
    borders.append(bottom)
    ppr.insert_element_before(borders, *PBDR_SUCCESSORS)


def table_borders(table: Table, *, visible: bool) -> None:
    """Single 0.75 pt lines on every edge, or none at all."""
    tblpr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "single" if visible else "nil")
        if visible:
            element.set(qn("w:sz"), "6")
            element.set(qn("w:space"), "0")
            element.set(qn("w:color"), "auto")
        borders.append(element)
    tblpr.insert_element_before(borders, *TBL_BORDERS_SUCCESSORS)


def new_table(
    doc: DocumentObject, widths_cm: Iterable[float], rows: int, *, borders: bool
) -> Table:
    """A fixed-width table; widths are set on the grid and on every cell (Word needs both)."""
    widths = list(widths_cm)
    table: Table = doc.add_table(rows=rows, cols=len(widths))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False  # w:tblLayout fixed
    table_borders(table, visible=borders)
    for index, width in enumerate(widths):
        table.columns[index].width = Cm(width)
        for cell in table.columns[index].cells:
            cell.width = Cm(width)
    return table


def cell_padding(table: Table, top_pt: float, bottom_pt: float) -> None:
    """Breathing room above and below the text of every cell."""
    margins = OxmlElement("w:tblCellMar")
    for edge, value in (("top", top_pt), ("bottom", bottom_pt)):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:w"), str(int(value * 20)))
        element.set(qn("w:type"), "dxa")
        margins.append(element)
    table._tbl.tblPr.insert_element_before(margins, *TBL_CELL_MAR_SUCCESSORS)


def inner_width(cell_cm: float) -> float:
    """Room for text in a cell, a hair short of the right edge so tab stops stay inside."""
    return cell_cm - 2 * CELL_PAD_CM - 0.15


def blank_checkbox_line(cell: _Cell, cell_cm: float) -> None:
    """`☐ ..........` for a recipient or instruction written by hand."""
    fill_to(checkbox_line(cell, ""), inner_width(cell_cm))


def prose(
    container: Container,
    *pieces: str,
    left_cm: float = 0,
    first_cm: float = 1.25,
    before: float = 0,
    after: float = 6,
) -> Paragraph:
    """A justified paragraph of running text; each piece is one run (a Jinja tag at most)."""
    par = para(container, align=WD_ALIGN_PARAGRAPH.JUSTIFY, before=before, after=after)
    fmt = par.paragraph_format
    fmt.line_spacing = 1.15
    if left_cm:
        fmt.left_indent = Cm(left_cm)
    if first_cm:
        fmt.first_line_indent = Cm(first_cm)
    for piece in pieces:
        text(par, piece)
    return par


def row_logic(row: _Row, statement: str) -> None:
    """A docxtpl row tag (`{%tr ... %}`): the whole table row vanishes from the output.

    The row's cells are merged into one, grey and small like `logic`, so it reads as machinery.
    """
    cells = row.cells
    cell = cells[0].merge(cells[-1]) if len(cells) > 1 else cells[0]
    run = text(para(cell), f"{{%tr {statement} %}}", size=8)
    run.font.color.rgb = RGBColor(0x80, 0x80, 0x80)


def shade(cell: _Cell, fill: str = "E7E6E6") -> None:
    """A light background for header cells."""
    shd = OxmlElement("w:shd")
    for key, value in (("w:val", "clear"), ("w:color", "auto"), ("w:fill", fill)):
        shd.set(qn(key), value)
    cell._tc.get_or_add_tcPr().insert_element_before(shd, *SHD_SUCCESSORS)


def repeat_as_header(row: _Row) -> None:
    """Word and LibreOffice repeat this row at the top of every page the table spans."""
    header = OxmlElement("w:tblHeader")
    row._tr.get_or_add_trPr().insert_element_before(header, *TBL_HEADER_SUCCESSORS)


def keep_on_one_page(row: _Row) -> None:
    """The row moves to the next page whole rather than breaking across two."""
    cant_split = OxmlElement("w:cantSplit")
    row._tr.get_or_add_trPr().insert_element_before(cant_split, *CANT_SPLIT_SUCCESSORS)


def label_table(
    doc: DocumentObject, rows: Sequence[tuple[str, str]], *, label_cm: float = 5.0
) -> Table:
    """A bordered two-column table of `label | value tag` rows in 10 pt."""
    table = new_table(doc, (label_cm, TEXT_WIDTH_CM - label_cm), len(rows), borders=True)
    cell_padding(table, 1, 1)
    for row, (label, tag) in zip(table.rows, rows, strict=True):
        text(para(row.cells[0]), label, size=10)
        text(para(row.cells[1]), tag, size=10)
    return table


# The request as the disposition sheets and the analysis report show it.
PERMOHONAN_ROWS = (
    ("Nomor Permohonan", "{{ permohonan.nomor_permohonan }}"),
    ("Sub domain yang dimohon", "{{ permohonan.subdomain }}"),
    ("Penanggung jawab", "{{ permohonan.penanggung_jawab.nama }}"),
    ("Jabatan", "{{ permohonan.penanggung_jawab.jabatan }}"),
    ("Telepon / HP", "{{ permohonan.penanggung_jawab.telepon }}"),
    ("Email", "{{ permohonan.penanggung_jawab.email }}"),
)


# --- document-level setup ------------------------------------------------------------------


def new_document(title: str) -> DocumentObject:
    """An A4 portrait document in Arial 11 pt, Indonesian language, fixed metadata."""
    doc = Document()
    section = doc.sections[0]
    section.page_width = Cm(PAGE_WIDTH_CM)
    section.page_height = Cm(29.7)
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Cm(MARGIN_CM))
    section.top_margin = Cm(1.5)
    section.bottom_margin = Cm(1.5)
    section.footer_distance = Cm(0.8)
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(BODY_PT)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = 1.0
    set_language(doc, "id-ID")
    props = doc.core_properties
    props.title = title
    props.author = "Diskominfo SP Provinsi Banten"
    props.last_modified_by = "scripts/build_templates.py"
    props.comments = "Templat docxtpl: tanda kurung kurawal diisi otomatis oleh sistem."
    props.language = "id-ID"
    props.created = FIXED_TIME
    props.modified = FIXED_TIME
    props.revision = 1
    return doc


def set_language(doc: DocumentObject, tag: str) -> None:
    """Proofing language of the document defaults, so Word checks spelling in Indonesian."""
    rpr = doc.styles.element.find(
        qn("w:docDefaults") + "/" + qn("w:rPrDefault") + "/" + qn("w:rPr")
    )
    if rpr is None:
        return
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.insert_element_before(lang, *LANG_SUCCESSORS)
    lang.set(qn("w:val"), tag)


def kop(doc: DocumentObject) -> None:
    """Letterhead: government, office, address, contacts, city, double rule."""
    centre = WD_ALIGN_PARAGRAPH.CENTER
    text(para(doc, align=centre), "{{ kantor.pemerintah|upper }}", size=14, bold=True)
    text(para(doc, align=centre), "{{ kantor.nama|upper }}", size=13, bold=True)
    text(para(doc, align=centre, before=2), "{{ kantor.alamat }}", size=SMALL_PT)
    contact = para(doc, align=centre)
    text(contact, "Telp. ", size=SMALL_PT)
    text(contact, "{{ kantor.telepon }}", size=SMALL_PT)
    text(contact, "   Email: ", size=SMALL_PT)
    text(contact, "{{ kantor.email }}", size=SMALL_PT)
    city = para(doc, align=centre, after=2)
    text(city, "{{ kantor.kota|upper }}", size=10, bold=True)
    bottom_rule(city)


def footer(doc: DocumentObject, label: str) -> None:
    """A small line with the document id, in the page footer."""
    par = doc.sections[0].footer.paragraphs[0]
    par.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT
    text(par, "{{ dokumen.qr }}", size=7.5)
    text(par, "  ", size=7.5)
    text(par, f"{label} · ", size=7.5, italic=True)
    text(par, "{{ dokumen.id }}", size=7.5, italic=True)
    text(par, " · dibuat ", size=7.5, italic=True)
    text(par, "{{ dokumen.dibuat }}", size=7.5, italic=True)
    text(par, " · pindai kembali setelah ditandatangani", size=7.5, italic=True)


def signature_block(
    doc: DocumentObject, official: str = "kepala_dinas", *, place_line: bool = True
) -> None:
    """Right-hand signature of `official`: city and date line (unless the letter is dated at
    the top), office, space to sign, name, NIP."""
    spacer = para(doc)  # keeps Word and LibreOffice from joining this table to the one above
    spacer.paragraph_format.keep_with_next = True
    table = new_table(doc, (HALF_CM - 0.5, HALF_CM + 0.5), 1, borders=False)
    keep_on_one_page(table.rows[0])  # the signature never breaks across pages
    cell = table.rows[0].cells[1]
    centre = WD_ALIGN_PARAGRAPH.CENTER
    if place_line:
        place = para(cell, align=centre, before=10)
        text(place, "{{ kantor.kota }}")
        text(place, ", ....................................")
    jabatan = para(cell, align=centre, before=4 if place_line else 10)
    text(jabatan, f"{{{{ {official}.jabatan }}}}")
    name = para(cell, align=centre, before=48)
    text(name, f"{{{{ {official}.nama }}}}", bold=True, underline=True)
    nip = para(cell, align=centre)
    text(nip, "NIP. ")
    text(nip, f"{{{{ {official}.nip }}}}")


# --- output --------------------------------------------------------------------------------


def save_stable(doc: DocumentObject, out: Path) -> Path:
    """Save with fixed zip timestamps so an unchanged template rebuilds to identical bytes."""
    raw = io.BytesIO()
    doc.save(raw)
    out.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(raw) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            info = zipfile.ZipInfo(item.filename, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            target.writestr(info, source.read(item.filename))
    return out
