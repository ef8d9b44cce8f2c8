"""Outgoing letters (surat keluar) to the requesting OPD, in the format of a government letter
(naskah dinas): kop, number block and addressee, body, signature, tembusan.

Completion of the integration (SOP step 5), rejection by the Kepala Dinas (step 2), and the
list of what an incomplete submission lacks (the SOP does not follow those up).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from docx.document import Document as DocumentObject
from docx.shared import Pt
from templates_base import (
    CELL_PAD_CM,
    field_line,
    footer,
    kop,
    logic,
    new_document,
    new_table,
    para,
    prose,
    save_stable,
    signature_block,
    text,
)

HEAD_LEFT_CM = 10.0  # number block | addressee
HEAD_RIGHT_CM = 7.0
HEAD_LABEL_CM = 2.1  # "Lampiran"
BODY_CM = CELL_PAD_CM + HEAD_LABEL_CM + 0.4  # the body lines up under the values of Nomor … Hal
YTH_CM = 0.9  # "Kepada", the addressee and "di" align after "Yth."
DETAIL_LABEL_CM = 3.8
SOP = "Standar Operasional Prosedur (SOP) Integrasi Sistem Informasi / Aplikasi dan Data"
REFERENCE = (
    "Menindaklanjuti surat Saudara Nomor ",
    "{{ surat.nomor }}",
    " tanggal ",
    "{{ surat.tanggal }}",
    " perihal ",
    "{{ surat.perihal }}",
)
CONTACT = (
    "Informasi lebih lanjut dapat diperoleh melalui telepon ",
    "{{ kantor.telepon }}",
    " atau email ",
    "{{ kantor.email }}",
    ".",
)


def letter_head(doc: DocumentObject, hal: str) -> None:
    """Place and date top right; below, Nomor … Hal on the left and the addressee right."""
    para(doc, after=6)  # keeps the table off the kop's rule
    table = new_table(doc, (HEAD_LEFT_CM, HEAD_RIGHT_CM), 2, borders=False)
    date = para(table.rows[0].cells[1])
    text(date, "{{ kantor.kota }}")
    text(date, ", ")
    text(date, "{{ surat_keluar.tanggal }}")
    left, right = table.rows[1].cells
    field_line(left, "Nomor", "{{ surat_keluar.nomor }}", HEAD_LABEL_CM)
    field_line(left, "Sifat", "Biasa", HEAD_LABEL_CM)
    field_line(left, "Lampiran", "-", HEAD_LABEL_CM)
    field_line(left, "Hal", hal, HEAD_LABEL_CM)
    text(para(right, left_cm=YTH_CM), "Kepada")
    yth = para(right, left_cm=YTH_CM, hanging_cm=YTH_CM, tabs_cm=(YTH_CM,))
    text(yth, "Yth.\tKepala ")
    text(yth, "{{ surat.dari }}")
    text(para(right, left_cm=YTH_CM), "di")
    text(para(right, left_cm=YTH_CM + 0.6), "Tempat")
    para(doc, after=6)


def body(doc: DocumentObject, *pieces: str) -> None:
    prose(doc, *pieces, left_cm=BODY_CM, first_cm=1.0)


def detail(doc: DocumentObject, label: str, tag: str) -> None:
    """`Label : value` indented in the body, for the particulars the letter reports."""
    par = field_line(doc, label, tag, DETAIL_LABEL_CM, indent_cm=BODY_CM)
    par.paragraph_format.space_after = Pt(2)


def closing(doc: DocumentObject) -> None:
    body(
        doc,
        "Demikian kami sampaikan. Atas perhatian dan kerja sama Saudara, kami ucapkan "
        "terima kasih.",
    )


def tembusan(doc: DocumentObject) -> None:
    """`Tembusan:` and a numbered line per copy recipient; nothing when the list is empty."""
    logic(doc, "if surat_keluar.tembusan")
    text(para(doc, before=12), "Tembusan:", size=10, underline=True)
    logic(doc, "for penerima in surat_keluar.tembusan")
    line = para(doc, left_cm=0.6, hanging_cm=0.6, tabs_cm=(0.6,))
    text(line, "{{ loop.index }}", size=10)
    text(line, ".\t", size=10)
    text(line, "{{ penerima }}", size=10)
    logic(doc, "endfor")
    logic(doc, "endif")


def build_letter(
    out: Path, title: str, hal: str, content: Callable[[DocumentObject], None]
) -> Path:
    """The frame every outgoing letter shares, with `content` writing the body."""
    doc = new_document(title)
    kop(doc)
    letter_head(doc, hal)
    content(doc)
    closing(doc)
    signature_block(doc, place_line=False)
    tembusan(doc)
    footer(doc, title)
    return save_stable(doc, out)


# --- the letters ---------------------------------------------------------------------------


def selesai_content(doc: DocumentObject) -> None:
    body(
        doc,
        *REFERENCE,
        ", dengan hormat kami sampaikan bahwa integrasi sistem informasi / aplikasi dan data "
        "yang Saudara mohonkan telah selesai dilaksanakan, dengan rincian sebagai berikut:",
    )
    detail(doc, "Nomor Permohonan", "{{ permohonan.nomor_permohonan }}")
    detail(doc, "Sub domain", "{{ permohonan.subdomain }}")
    detail(doc, "Endpoint API", "{{ integrasi.endpoint }}")
    detail(doc, "Catatan", "{{ integrasi.catatan }}")
    para(doc, after=4)
    body(
        doc,
        "Layanan tersebut sudah dapat dimanfaatkan oleh instansi Saudara. Apabila terdapat "
        "kendala, mohon penanggung jawab sistem informasi menghubungi kami. ",
        *CONTACT,
    )


def penolakan_content(doc: DocumentObject) -> None:
    body(
        doc,
        *REFERENCE,
        ", dengan hormat kami sampaikan bahwa setelah dilakukan penelaahan, permohonan "
        "integrasi sistem informasi / aplikasi dan data dengan Nomor Permohonan ",
        "{{ permohonan.nomor_permohonan }}",
        " untuk sub domain ",
        "{{ permohonan.subdomain }}",
        " tidak dapat ditindaklanjuti, dengan alasan sebagai berikut:",
    )
    prose(doc, "{{ penolakan.alasan }}", left_cm=BODY_CM + 1.0, first_cm=0, after=6)
    body(
        doc,
        "Apabila di kemudian hari terdapat kebutuhan integrasi yang berbeda, Saudara dapat "
        f"mengajukan permohonan baru sesuai dengan {SOP}. ",
        *CONTACT,
    )


def kekurangan_content(doc: DocumentObject) -> None:
    body(
        doc,
        *REFERENCE,
        " yang kami terima dengan Nomor Agenda ",
        "{{ permohonan.nomor_agenda }}",
        ", dengan hormat kami sampaikan bahwa berkas permohonan tersebut belum lengkap. "
        "Kelengkapan yang masih diperlukan adalah sebagai berikut:",
    )
    logic(doc, "for item in kekurangan")
    bullet = para(doc, left_cm=BODY_CM + 1.5, hanging_cm=0.5, tabs_cm=(BODY_CM + 1.5,))
    bullet.paragraph_format.space_after = Pt(2)
    text(bullet, "•\t")
    text(bullet, "{{ item }}")
    logic(doc, "endfor")
    para(doc, after=4)
    body(
        doc,
        f"Perlu kami sampaikan bahwa {SOP} menetapkan: “Apabila laporan tidak lengkap, maka "
        "tidak bisa ditindaklanjuti.” Oleh karena itu, kami mohon Saudara melengkapi berkas "
        "di atas dan menyampaikannya kembali kepada kami dengan mencantumkan Nomor Agenda "
        "tersebut.",
    )


def build_surat_selesai_integrasi(out: Path) -> Path:
    hal = "Pemberitahuan Selesai Integrasi Sistem Informasi"
    return build_letter(out, "Surat Selesai Integrasi", hal, selesai_content)


def build_surat_penolakan(out: Path) -> Path:
    hal = "Jawaban atas Permohonan Integrasi Sistem Informasi"
    return build_letter(out, "Surat Penolakan Permohonan Integrasi", hal, penolakan_content)


def build_surat_kekurangan_berkas(out: Path) -> Path:
    hal = "Kelengkapan Berkas Permohonan Integrasi"
    return build_letter(out, "Surat Kekurangan Berkas Permohonan", hal, kekurangan_content)
