"""Laporan Hasil Analisis (SOP step 4): the request prefilled, the Kepala Seksi's findings left
to write by hand, and the database structure the OPD sent as a table."""

from __future__ import annotations

from pathlib import Path

from docx.document import Document as DocumentObject
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt
from docx.table import Table
from docx.text.paragraph import Paragraph
from templates_base import (
    PERMOHONAN_ROWS,
    TEXT_WIDTH_CM,
    cell_padding,
    checkbox_line,
    dotted_line,
    fill_to,
    footer,
    kop,
    label_table,
    logic,
    new_document,
    new_table,
    para,
    repeat_as_header,
    row_logic,
    save_stable,
    shade,
    signature_block,
    text,
)

INDENT_CM = 0.7  # section contents sit under the section's title, not its letter
LINE_CM = TEXT_WIDTH_CM - 0.1  # writing lines stop a hair short of the right margin
IDENTITAS_ROWS = (
    ("OPD Pemohon", "{{ surat.dari }}"),
    ("Nomor Surat", "{{ surat.nomor }}"),
    ("Tanggal Surat", "{{ surat.tanggal }}"),
    ("Perihal", "{{ surat.perihal }}"),
    ("Nomor Agenda", "{{ permohonan.nomor_agenda }}"),
    *PERMOHONAN_ROWS,
)
STRUKTUR_COLUMNS = (("No", 1.0), ("Nama Kolom", 4.6), ("Tipe Data", 3.6), ("Keterangan", 7.8))
STRUKTUR_PT = 10


def title(doc: DocumentObject) -> None:
    centre = WD_ALIGN_PARAGRAPH.CENTER
    text(para(doc, align=centre, before=10), "LAPORAN HASIL ANALISIS", size=13, bold=True)
    heading = "PERMOHONAN INTEGRASI SISTEM INFORMASI / APLIKASI DAN DATA"
    text(para(doc, align=centre, after=8), heading, size=11, bold=True)


def section(doc: DocumentObject, letter: str, heading: str) -> Paragraph:
    """`A.<tab>Heading`, bold, wrapped lines under the heading, kept with what follows."""
    par = para(
        doc, before=10, after=2, left_cm=INDENT_CM, hanging_cm=INDENT_CM, tabs_cm=(INDENT_CM,)
    )
    kept(par)
    text(par, f"{letter}.\t{heading}", bold=True)
    return par


def kept(par: Paragraph) -> Paragraph:
    """Keep with the next paragraph: a section's parts stay on one page."""
    par.paragraph_format.keep_with_next = True
    return par


def caption(doc: DocumentObject, words: str) -> None:
    text(kept(para(doc, before=4, left_cm=INDENT_CM)), words)


def writing_lines(doc: DocumentObject, count: int, *, ends_section: bool = True) -> None:
    """Lines to write on, kept together; the last one also with what follows unless it ends
    the section."""
    for index in range(count):
        line = dotted_line(doc, LINE_CM, before=8, left_cm=INDENT_CM)
        if index < count - 1 or not ends_section:
            kept(line)


def option(doc: DocumentObject, label: str, *, fill: bool = False) -> None:
    """A check box under a section; with `fill`, dots to the margin after the label."""
    par = kept(checkbox_line(doc, label, indent_cm=INDENT_CM))
    par.paragraph_format.space_before = Pt(3)
    if fill:
        fill_to(par, LINE_CM)


def struktur_table(doc: DocumentObject) -> Table:
    """One row per column of every submitted table, grouped under the table's name.

    `{%tr %}` rows repeat: the outer loop over `analisis.tabel` (items with `nama` and
    `kolom`), the inner over each table's columns (items with `nama`, `tipe`, `keterangan`).
    """
    widths = [width for _, width in STRUKTUR_COLUMNS]
    table = new_table(doc, widths, 7, borders=True)
    cell_padding(table, 1, 1)
    header, outer, name, inner, column, inner_end, outer_end = table.rows
    for cell, (label, _) in zip(header.cells, STRUKTUR_COLUMNS, strict=True):
        shade(cell)
        text(para(cell, align=WD_ALIGN_PARAGRAPH.CENTER), label, size=STRUKTUR_PT, bold=True)
    repeat_as_header(header)
    row_logic(outer, "for t in analisis.tabel")
    cell = name.cells[0].merge(name.cells[-1])
    shade(cell, "F2F2F2")
    par = para(cell)
    text(par, "Tabel ", size=STRUKTUR_PT, bold=True)
    text(par, "{{ loop.index }}", size=STRUKTUR_PT, bold=True)
    text(par, ": ", size=STRUKTUR_PT, bold=True)
    text(par, "{{ t.nama }}", size=STRUKTUR_PT, bold=True)
    row_logic(inner, "for k in t.kolom")
    tags = ("{{ loop.index }}", "{{ k.nama }}", "{{ k.tipe }}", "{{ k.keterangan }}")
    for index, (cell, tag) in enumerate(zip(column.cells, tags, strict=True)):
        align = WD_ALIGN_PARAGRAPH.CENTER if index == 0 else None
        text(para(cell, align=align), tag, size=STRUKTUR_PT)
    row_logic(inner_end, "endfor")
    row_logic(outer_end, "endfor")
    return table


def struktur_block(doc: DocumentObject) -> None:
    """The table when a structure was sent, otherwise a sentence saying it was not."""
    logic(doc, "if analisis.tabel")
    struktur_table(doc)
    logic(doc, "else")
    missing = para(doc, before=3, left_cm=INDENT_CM)
    text(missing, "Struktur basis data belum dilampirkan.", italic=True)
    logic(doc, "endif")


def biaya_line(doc: DocumentObject) -> None:
    par = section(doc, "D", "Perkiraan biaya:")
    text(par, " Rp ")
    text(par, "{{ analisis.biaya_angka }}")
    text(par, " (")
    text(par, "{{ analisis.biaya_terbilang }}", italic=True)
    text(par, ")")


def build_laporan_hasil_analisis(out: Path) -> Path:
    doc = new_document("Laporan Hasil Analisis Permohonan Integrasi")
    kop(doc)
    title(doc)
    label_table(doc, IDENTITAS_ROWS)
    section(doc, "A", "Apakah sistem lain dapat menyediakan data/layanan yang diminta?")
    option(doc, "Ya, tersedia pada sistem:", fill=True)
    option(doc, "Tidak")
    caption(doc, "Uraian:")
    writing_lines(doc, 3)
    section(doc, "B", "Struktur basis data (spek teknis) yang dikirim")
    struktur_block(doc)
    caption(doc, "Tanggapan atas struktur basis data:")
    writing_lines(doc, 2)
    section(doc, "C", "Rekomendasi")
    option(doc, "Integrasi dapat dilaksanakan")
    option(doc, "Integrasi dapat dilaksanakan setelah perbaikan/kelengkapan berikut")
    option(doc, "Integrasi tidak perlu dilaksanakan (data/layanan sudah tersedia)")
    writing_lines(doc, 3)
    biaya_line(doc)  # section D and the signature stay together on one page
    caption(doc, "Rincian perhitungan:")
    writing_lines(doc, 2, ends_section=False)
    signature_block(doc, "kepala_seksi")
    footer(doc, "Laporan Hasil Analisis")
    return save_stable(doc, out)
