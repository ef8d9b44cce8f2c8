"""Lembar Disposisi: the Kepala Dinas's sheet (SOP step 2) and the Kepala Bidang's (step 3)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from docx.document import Document as DocumentObject
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.shared import Cm
from docx.table import Table, _Cell, _Row
from templates_base import (
    HALF_CM,
    PERMOHONAN_ROWS,
    SMALL_PT,
    TEXT_WIDTH_CM,
    blank_checkbox_line,
    box,
    cell_padding,
    checkbox_line,
    dotted_line,
    field_line,
    footer,
    inner_width,
    kop,
    label_table,
    logic,
    new_document,
    new_table,
    para,
    save_stable,
    signature_block,
    text,
)

SIFAT_OPTIONS = (("Sangat Segera", "Segera"), ("Rahasia", "Biasa"))
HARAP_OPTIONS = (
    "Tanggapan dan Saran",
    "Proses lebih lanjut",
    "Koordinasi/konfirmasikan",
    "Untuk diketahui",
    "Arsip",
)


def disposisi_table(doc: DocumentObject, rows: int) -> Table:
    """Title, then the bordered two-column sheet; the `sifat` variables sit in between."""
    title = para(doc, align=WD_ALIGN_PARAGRAPH.CENTER, before=10, after=8)
    text(title, "LEMBAR DISPOSISI", size=14, bold=True)
    sifat_variables(doc)
    table = new_table(doc, (HALF_CM, HALF_CM), rows, borders=True)
    cell_padding(table, 3, 3)
    return table


def disposisi_header_row(row: _Row) -> None:
    """Surat dari / No. Surat / Tgl. Surat | Diterima Tgl / No. Agenda / Sifat."""
    left, right = row.cells
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


def perihal_row(row: _Row) -> None:
    cell = row.cells[0].merge(row.cells[1])
    field_line(cell, "Perihal", "{{ surat.perihal }}", 2.1)


def teruskan_row(
    row: _Row, *, offices: Sequence[str], officials: Sequence[str], blanks: int
) -> None:
    """Diteruskan kepada Sdr. | Dengan hormat harap — both as blank check boxes.

    `offices` are printed as they are, `officials` (context keys) with their title and name,
    and `blanks` lines are left for a recipient written by hand.
    """
    left, right = row.cells
    text(para(left, after=3), "Diteruskan kepada Sdr.:", bold=True)
    for office in offices:
        checkbox_line(left, office)
    for person in officials:
        checkbox_line(left, f"{{{{ {person}.jabatan }}}}")
        name = para(left, left_cm=0.6, after=1)
        text(name, "Sdr. ", size=SMALL_PT)
        text(name, f"{{{{ {person}.nama }}}}", size=SMALL_PT)
    for _ in range(blanks):
        blank_checkbox_line(left, HALF_CM)
    text(para(right, after=3), "Dengan hormat harap:", bold=True)
    for option in HARAP_OPTIONS:
        checkbox_line(right, option)
    blank_checkbox_line(right, HALF_CM)


def catatan_row(row: _Row, label: str, *, lines: int, decision: bool) -> None:
    """A note with writing lines; with `decision`, the Kepala Dinas's accept/reject boxes."""
    cell = row.cells[0].merge(row.cells[1])
    text(para(cell), label, bold=True)
    for _ in range(lines):
        dotted_line(cell, inner_width(TEXT_WIDTH_CM), before=8)
    if not decision:
        return
    par = para(cell, before=8, tabs_cm=(3.0, 10.0))
    text(par, "Keputusan:", bold=True)
    text(par, "\t")
    box(par)
    text(par, " Diterima, untuk ditindaklanjuti\t")
    box(par)
    text(par, " Ditolak (alasan pada catatan)")


def catatan_kadis_row(row: _Row) -> None:
    """The Kepala Dinas's note carried over from the first sheet, with its date."""
    cell = row.cells[0].merge(row.cells[1])
    head = para(cell)
    head.paragraph_format.tab_stops.add_tab_stop(
        Cm(inner_width(TEXT_WIDTH_CM)), WD_TAB_ALIGNMENT.RIGHT
    )
    text(head, "Catatan Kepala Dinas:", bold=True)
    text(head, "\tTanggal: ", size=SMALL_PT)
    text(head, "{{ disposisi.tanggal_kadis }}", size=SMALL_PT)
    text(para(cell, before=3, after=3), "{{ disposisi.catatan_kadis }}", italic=True)


def permohonan_block(doc: DocumentObject) -> None:
    """The request's own details: number, subdomain and the person in charge."""
    heading = para(doc, before=8, after=3)
    text(heading, "Data Permohonan Integrasi Sistem Informasi / Aplikasi dan Data", bold=True)
    label_table(doc, PERMOHONAN_ROWS)


def build_lembar_disposisi_kadis(out: Path) -> Path:
    doc = new_document("Lembar Disposisi Kepala Dinas")
    kop(doc)
    table = disposisi_table(doc, 4)
    disposisi_header_row(table.rows[0])
    perihal_row(table.rows[1])
    teruskan_row(
        table.rows[2],
        offices=("Sekretaris",),
        officials=("kepala_bidang", "kepala_seksi"),
        blanks=1,
    )
    catatan_row(table.rows[3], "Catatan:", lines=5, decision=True)
    permohonan_block(doc)
    signature_block(doc)
    footer(doc, "Lembar Disposisi Kepala Dinas")
    return save_stable(doc, out)


def build_lembar_disposisi_kabid(out: Path) -> Path:
    doc = new_document("Lembar Disposisi Kepala Bidang")
    kop(doc)
    table = disposisi_table(doc, 5)
    disposisi_header_row(table.rows[0])
    perihal_row(table.rows[1])
    catatan_kadis_row(table.rows[2])
    teruskan_row(table.rows[3], offices=(), officials=("kepala_seksi",), blanks=2)
    catatan_row(table.rows[4], "Catatan Kepala Bidang:", lines=4, decision=False)
    permohonan_block(doc)
    signature_block(doc, "kepala_bidang")
    footer(doc, "Lembar Disposisi Kepala Bidang")
    return save_stable(doc, out)
