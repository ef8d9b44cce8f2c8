"""Build the Word templates in templates/ with python-docx, so they are reproducible.

Usage: python scripts/build_templates.py [--out DIR] [--check]

Every Jinja tag is written as one run, so docxtpl sees it whole; the result is a plain Word
document (paragraphs, tables, tab stops) that the office can keep editing in Word. The output
is byte-for-byte stable: fixed core properties and fixed timestamps inside the zip.
With --check the built templates are linted against the sample context.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import sys
import zipfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, Protocol

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph
from docx.text.run import Run

ROOT = Path(__file__).resolve().parent.parent
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

SIFAT_OPTIONS = (("Sangat Segera", "Segera"), ("Rahasia", "Biasa"))
HARAP_OPTIONS = (
    "Tanggapan dan Saran",
    "Proses lebih lanjut",
    "Koordinasi/konfirmasikan",
    "Untuk diketahui",
    "Arsip",
)

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


def dotted_line(container: Container, width_cm: float, before: float = 6) -> Paragraph:
    """An empty writing line: one tab to a right-aligned stop with a dot leader.

    The tab is followed by a period: LibreOffice draws no leader for a tab ending a paragraph.
    """
    par = para(container, before=before)
    par.paragraph_format.tab_stops.add_tab_stop(
        Cm(width_cm), WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS
    )
    text(par, "\t.")
    return par


def field_line(container: Container, label: str, tag: str, label_cm: float) -> Paragraph:
    """`Label<tab>:<tab>value`, wrapped lines aligned under the value."""
    value_cm = label_cm + 0.4
    par = para(container, left_cm=value_cm, hanging_cm=value_cm, tabs_cm=(label_cm, value_cm))
    text(par, label)
    text(par, "\t:\t")
    text(par, tag)
    return par


def checkbox_line(container: Container, label: str) -> Paragraph:
    """`☐<tab>label`, a blank box to tick by hand; wrapped lines aligned under the label."""
    par = para(container, left_cm=0.6, hanging_cm=0.6, tabs_cm=(0.6,))
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
    text(par, f"{label} · ", size=7.5, italic=True)
    text(par, "{{ dokumen.id }}", size=7.5, italic=True)
    text(par, " · dibuat ", size=7.5, italic=True)
    text(par, "{{ dokumen.dibuat }}", size=7.5, italic=True)
    text(par, " · pindai kembali setelah ditandatangani", size=7.5, italic=True)


# --- lembar disposisi kepala dinas --------------------------------------------------------


def disposisi_header_row(table: Table) -> None:
    """Surat dari / No. Surat / Tgl. Surat | Diterima Tgl / No. Agenda / Sifat."""
    left, right = table.rows[0].cells
    field_line(left, "Surat dari", "{{ surat.dari }}", 2.1)
    field_line(left, "No. Surat", "{{ surat.nomor }}", 2.1)
    field_line(left, "Tgl. Surat", "{{ surat.tanggal }}", 2.1)
    field_line(right, "Diterima Tgl", "{{ permohonan.diterima_tanggal }}", 2.3)
    field_line(right, "No. Agenda", "{{ permohonan.nomor_agenda }}", 2.3)
    sifat_lines(right, 2.3)


def sifat_lines(cell: _Cell, label_cm: float) -> None:
    """`Sifat : ☐ Sangat Segera ☐ Segera / ☐ Rahasia ☐ Biasa`, the letter's one ticked."""
    value_cm = label_cm + 0.4
    for row, options in enumerate(SIFAT_OPTIONS):
        par = para(cell, left_cm=value_cm, hanging_cm=0 if row else value_cm)
        par.paragraph_format.tab_stops.add_tab_stop(Cm(label_cm))
        par.paragraph_format.tab_stops.add_tab_stop(Cm(value_cm))
        par.paragraph_format.tab_stops.add_tab_stop(Cm(value_cm + 2.9))
        if row == 0:
            text(par, "Sifat")
            text(par, "\t:\t")
        for column, option in enumerate(options):
            if column:
                text(par, "\t")
            box(par, f"sifat == '{option.lower()}'")
            text(par, f" {option}")
    logic(cell, "if sifat_lain")
    other = para(cell, left_cm=value_cm)
    text(other, "Lainnya: ", size=SMALL_PT)
    text(other, "{{ surat.sifat }}", size=SMALL_PT)
    logic(cell, "endif")


def sifat_variables(doc: DocumentObject) -> None:
    """`sifat` (normalised) and `sifat_lain` (not one of the printed options) for the boxes."""
    known = ", ".join(f"'{option.lower()}'" for row in SIFAT_OPTIONS for option in row)
    logic(doc, "set sifat = surat.sifat|trim|lower")
    logic(doc, f"set sifat_lain = sifat not in ['', {known}]")


def perihal_row(table: Table) -> None:
    cell = table.rows[1].cells[0].merge(table.rows[1].cells[1])
    field_line(cell, "Perihal", "{{ surat.perihal }}", 2.1)


def teruskan_row(table: Table) -> None:
    """Diteruskan kepada Sdr. | Dengan hormat harap — both as blank check boxes."""
    left, right = table.rows[2].cells
    text(para(left, after=3), "Diteruskan kepada Sdr.:", bold=True)
    checkbox_line(left, "Sekretaris")
    for person in ("kepala_bidang", "kepala_seksi"):
        checkbox_line(left, f"{{{{ {person}.jabatan }}}}")
        name = para(left, left_cm=0.6, after=1)
        text(name, "Sdr. ", size=SMALL_PT)
        text(name, f"{{{{ {person}.nama }}}}", size=SMALL_PT)
    blank_checkbox_line(left, HALF_CM)
    text(para(right, after=3), "Dengan hormat harap:", bold=True)
    for option in HARAP_OPTIONS:
        checkbox_line(right, option)
    blank_checkbox_line(right, HALF_CM)


def blank_checkbox_line(cell: _Cell, cell_cm: float) -> None:
    """`☐ ..........` for a recipient or instruction written by hand."""
    par = checkbox_line(cell, "")
    par.paragraph_format.tab_stops.add_tab_stop(
        Cm(inner_width(cell_cm)), WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS
    )
    text(par, "\t.")  # see dotted_line


def inner_width(cell_cm: float) -> float:
    """Room for text in a cell, a hair short of the right edge so tab stops stay inside."""
    return cell_cm - 2 * CELL_PAD_CM - 0.15


def catatan_row(table: Table) -> None:
    """Catatan with writing lines, then the Kepala Dinas's decision as two check boxes."""
    cell = table.rows[3].cells[0].merge(table.rows[3].cells[1])
    text(para(cell), "Catatan:", bold=True)
    for _ in range(5):
        dotted_line(cell, inner_width(TEXT_WIDTH_CM), before=8)
    decision = para(cell, before=8, tabs_cm=(3.0, 10.0))
    text(decision, "Keputusan:", bold=True)
    text(decision, "\t")
    box(decision)
    text(decision, " Diterima, untuk ditindaklanjuti\t")
    box(decision)
    text(decision, " Ditolak (alasan pada catatan)")


def permohonan_block(doc: DocumentObject) -> None:
    """The request's own details: number, subdomain and the person in charge."""
    heading = para(doc, before=8, after=3)
    text(heading, "Data Permohonan Integrasi Sistem Informasi / Aplikasi dan Data", bold=True)
    rows = (
        ("Nomor Permohonan", "{{ permohonan.nomor_permohonan }}"),
        ("Sub domain yang dimohon", "{{ permohonan.subdomain }}"),
        ("Penanggung jawab", "{{ permohonan.penanggung_jawab.nama }}"),
        ("Jabatan", "{{ permohonan.penanggung_jawab.jabatan }}"),
        ("Telepon / HP", "{{ permohonan.penanggung_jawab.telepon }}"),
        ("Email", "{{ permohonan.penanggung_jawab.email }}"),
    )
    table = new_table(doc, (5.0, TEXT_WIDTH_CM - 5.0), len(rows), borders=True)
    cell_padding(table, 1, 1)
    for row, (label, tag) in zip(table.rows, rows, strict=True):
        text(para(row.cells[0]), label, size=10)
        text(para(row.cells[1]), tag, size=10)


def signature_block(doc: DocumentObject) -> None:
    """Right-hand signature: city and date line, office, space to sign, name, NIP."""
    para(doc)  # keeps Word and LibreOffice from joining this table to the one above
    table = new_table(doc, (HALF_CM - 0.5, HALF_CM + 0.5), 1, borders=False)
    cell = table.rows[0].cells[1]
    centre = WD_ALIGN_PARAGRAPH.CENTER
    place = para(cell, align=centre, before=10)
    text(place, "{{ kantor.kota }}")
    text(place, ", ....................................")
    text(para(cell, align=centre, before=4), "{{ kepala_dinas.jabatan }}")
    text(para(cell, align=centre, before=48), "{{ kepala_dinas.nama }}", bold=True, underline=True)
    nip = para(cell, align=centre)
    text(nip, "NIP. ")
    text(nip, "{{ kepala_dinas.nip }}")


def build_lembar_disposisi_kadis(out: Path) -> Path:
    doc = new_document("Lembar Disposisi Kepala Dinas")
    kop(doc)
    title = para(doc, align=WD_ALIGN_PARAGRAPH.CENTER, before=10, after=8)
    text(title, "LEMBAR DISPOSISI", size=14, bold=True)
    sifat_variables(doc)
    table = new_table(doc, (HALF_CM, HALF_CM), 4, borders=True)
    cell_padding(table, 3, 3)
    disposisi_header_row(table)
    perihal_row(table)
    teruskan_row(table)
    catatan_row(table)
    permohonan_block(doc)
    signature_block(doc)
    footer(doc, "Lembar Disposisi Kepala Dinas")
    return save_stable(doc, out)


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


BUILDERS: dict[str, Callable[[Path], Path]] = {
    "lembar-disposisi-kadis.docx": build_lembar_disposisi_kadis,
}


def check(paths: Iterable[Path]) -> int:
    """Lint the built templates against the sample contexts; 0 when all are clean."""
    sys.path.insert(0, str(ROOT))
    from pipeline.documents import check_template, context_keys
    from pipeline.documents.samples import SAMPLE_CONTEXTS

    status = 0
    for path in paths:
        report = check_template(path, context_keys(SAMPLE_CONTEXTS[path.name]))
        print(f"{report.template}: unknown={list(report.unknown)} unused={list(report.unused)}")
        status |= 0 if report.ok else 1
    return status


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--out", type=Path, default=ROOT / "templates")
    parser.add_argument("--check", action="store_true", help="lint against the sample context")
    args = parser.parse_args(argv)
    built = [build(args.out / name) for name, build in BUILDERS.items()]
    for path in built:
        print(f"built {path}")
    return check(built) if args.check else 0


if __name__ == "__main__":
    raise SystemExit(main())
