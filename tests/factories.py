"""Make real letters and forms (PDF via reportlab, DOCX via python-docx) for tests."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import docx
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas


@dataclass(frozen=True)
class Submission:
    nomor: str = "555/787-Dinkes/X/2026"
    tanggal: str = "5 Oktober 2026"
    opd: str = "Dinas Kesehatan"
    opd_caps: str = "DINAS KESEHATAN"
    perihal: str = "Permohonan Integrasi Sistem Informasi"
    subdomain: str = "sikesehatan"
    nama: str = "Siti Aminah, S.Kom."
    telepon: str = "0812-3456-7890"
    email: str = "siti.dinkes@bantenprov.go.id"
    jabatan: str = "Kepala Seksi Data dan Informasi"
    nomor_permohonan: str = ""
    nip: str = ""  # the penanggung jawab's NIP: a row of the form only when given


def letter_lines(s: Submission) -> list[str]:
    return [
        "PEMERINTAH PROVINSI BANTEN",
        s.opd_caps,
        "Jl. Syekh Nawawi Al-Bantani, Serang",
        f"Serang, {s.tanggal}",
        f"Nomor : {s.nomor}",
        "Lampiran : 1 (satu) berkas",
        f"Perihal : {s.perihal}",
        "Yth. Kepala Dinas Komunikasi, Informatika, Statistik dan Persandian Provinsi Banten",
        "di -",
        "Serang",
        f"Bersama ini kami mengajukan permohonan integrasi pada {s.opd} Provinsi Banten",
        f"dengan subdomain {s.subdomain}.bantenprov.go.id sebagaimana formulir terlampir.",
        f"KEPALA {s.opd_caps}",
        "Budi Santoso, M.T.",
        "NIP. 19700101 199503 1 001",
    ]


def form_rows(s: Submission) -> list[tuple[str, str]]:
    nip = [("NIP", s.nip)] if s.nip else []
    return [
        ("Nomor Permohonan", s.nomor_permohonan),
        ("Nama OPD", s.opd),
        ("Penanggung Jawab Sistem Informasi / Aplikasi dan Data", ""),
        ("Nama", s.nama),
        ("Nomor Telepon Kantor/ Hand Phone", s.telepon),
        ("Email", s.email),
        ("Jabatan", s.jabatan),
        *nip,
        ("Nama Sub domain", s.subdomain),
        ("Sub domain", f"{s.subdomain} .bantenprov.go.id"),
    ]


def letter_pdf(path: Path, s: Submission, *, with_form: bool = False) -> Path:
    pdf = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    _draw_lines(pdf, letter_lines(s))
    if with_form:
        pdf.showPage()
        _draw_form(pdf, s)
    pdf.save()
    return path


def form_pdf(path: Path, s: Submission) -> Path:
    pdf = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    _draw_form(pdf, s)
    pdf.save()
    return path


def _draw_lines(pdf: canvas.Canvas, lines: list[str]) -> None:
    y = 800.0
    pdf.setFont("Helvetica", 11)
    for line in lines:
        pdf.drawString(60, y, line)
        y -= 18


def _draw_form(pdf: canvas.Canvas, s: Submission) -> None:
    pdf.setFont("Helvetica-Bold", 11)
    pdf.drawString(60, 800, "FORMULIR PENGAJUAN INTEGRASI SISTEM INFORMASI / APLIKASI DAN DATA")
    pdf.setFont("Helvetica", 11)
    y = 770.0
    for label, value in form_rows(s):
        pdf.drawString(60, y, label if len(label) < 40 else label[:38])
        if value:
            pdf.drawString(300, y, value)
        y -= 20


def form_docx(path: Path, s: Submission) -> Path:
    document = docx.Document()
    document.add_paragraph("FORMULIR PENGAJUAN INTEGRASI SISTEM INFORMASI / APLIKASI DAN DATA")
    table = document.add_table(rows=0, cols=2)
    for label, value in form_rows(s):
        cells = table.add_row().cells
        cells[0].text, cells[1].text = label, value
    document.save(str(path))
    return path


def letter_docx(path: Path, s: Submission) -> Path:
    document = docx.Document()
    for line in letter_lines(s):
        label, sep, value = line.partition(" : ")
        document.add_paragraph(f"{label}\t: {value}" if sep else line)
    document.save(str(path))
    return path


# A regency's invitation: not a request, its sender off the master list and named only by its
# kop (no signature names it), so the sender waits for review while number and date are sure.
REGENCY_INVITATION = (
    "PEMERINTAH KABUPATEN JEPARA",
    "DINAS KESEHATAN",
    "Jl. Kartini No. 44 Jepara",
    "Jepara, 6 Januari 2020",
    "Nomor : 005/123/2020",
    "Perihal : Undangan Rapat Koordinasi",
    "Dengan hormat, kami mengundang Saudara pada rapat koordinasi.",
    "Demikian undangan ini kami sampaikan.",
    "dr. Siti Aminah",
)


def regency_invitation_docx(path: Path) -> Path:
    document = docx.Document()
    for line in REGENCY_INVITATION:
        document.add_paragraph(line)
    document.save(str(path))
    return path
