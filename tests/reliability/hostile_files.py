"""Hostile file contents, made on the spot: broken, encrypted, bombs, huge, slow.

Each `Hostile` says what must become of it: `failed` with words its `.error.txt` must hold
(the limit's setting name, so an admin knows what to raise), or `registered`.
"""

from __future__ import annotations

import io
import os
import random
import struct
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import docx
from PIL import Image, ImageDraw
from reportlab.lib.pagesizes import A4
from reportlab.lib.pdfencrypt import StandardEncryption
from reportlab.pdfgen.canvas import Canvas

MB = 1_000_000
BIG_BYTES = 105 * MB  # over the default batas.maks_byte (100 MiB ≈ 104.9 MB)
BOMB_UNPACKED = 250 * 1024 * 1024  # over the default batas.maks_byte_terbuka (200 MiB)
BOMB_SIDE = 20_000  # 400 million pixels: over batas.maks_piksel and Pillow's own ceiling
LONG_PDF_PAGES = 2_000
SLOW_PAGES = 40  # dense pages, 1-5 s each to lay out: far over the run's batas.maks_detik
SLOW_WORDS_PER_LINE = 45
SLOW_LINES = 120
SEED = 6


@dataclass(frozen=True)
class Hostile:
    name: str
    expect: str  # failed | registered
    words: str  # in the error note (failed) or in the file's problems (registered), or ""


LETTER = [
    "PEMERINTAH PROVINSI BANTEN",
    "DINAS KESEHATAN",
    "Serang, 12 Agustus 2025",
    "Nomor : 555/{n}-Dinkes/VIII/2025",
    "Perihal : Permohonan Integrasi Sistem Informasi / Aplikasi dan Data",
    "Yth. Kepala Dinas Komunikasi, Informatika, Statistik dan Persandian Provinsi Banten",
    "Dengan hormat, bersama ini kami mengajukan permohonan integrasi sistem informasi",
    "dengan subdomain sehat{n}.bantenprov.go.id sebagaimana formulir terlampir.",
    "KEPALA DINAS KESEHATAN PROVINSI BANTEN",
]
FORM = [
    "FORMULIR PENGAJUAN INTEGRASI SISTEM INFORMASI / APLIKASI DAN DATA",
    "Nama OPD : Dinas Kesehatan",
    "Nama : Siti Aminah, S.Kom.",
    "Nomor Telepon Kantor/ Hand Phone : 081234567{n:03d}",
    "Email : siti{n}.dinkes@bantenprov.go.id",
    "Jabatan : Analis Sistem Informasi",
    "Sub domain : sehat{n}.bantenprov.go.id",
]


def letter_pages(number: int) -> list[list[str]]:
    return [[line.format(n=number) for line in page] for page in (LETTER, FORM)]


def pdf_bytes(pages: list[list[str]], encrypt: StandardEncryption | None = None) -> bytes:
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, invariant=1, encrypt=encrypt)
    for lines in pages:
        canvas.setFont("Helvetica", 10)
        for row, line in enumerate(lines):
            canvas.drawString(56, A4[1] - 56 - 15 * row, line)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def docx_bytes(lines: list[str]) -> bytes:
    document = docx.Document()
    for line in lines:
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def jpeg_bytes() -> bytes:
    page = Image.new("L", (1240, 1754), 255)
    draw = ImageDraw.Draw(page)
    for row, line in enumerate(LETTER):
        draw.text((100, 100 + 40 * row), line.format(n=1), fill=0)
    buffer = io.BytesIO()
    page.save(buffer, format="JPEG", quality=85)
    return buffer.getvalue()


def random_bytes(rng: random.Random, size: int) -> bytes:
    """Noise that starts like no known format (the first byte rules out every magic number)."""
    return b"\x00" + rng.randbytes(size - 1)


def write_png_bomb(target: Path, side: int = BOMB_SIDE) -> None:
    """A valid 1-bit PNG declaring side×side pixels, all white, in a few dozen kilobytes."""
    row = b"\x00" + b"\xff" * ((side + 7) // 8)
    packer = zlib.compressobj(9)
    body = b"".join(packer.compress(row) for _ in range(side)) + packer.flush()

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    target.write_bytes(
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", body) + chunk(b"IEND", b"")
    )


def write_zip_bomb(target: Path) -> None:
    """A real .docx whose one extra part unpacks to 250 MB of zeros (about 250 KB packed)."""
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        with zipfile.ZipFile(io.BytesIO(docx_bytes(LETTER))) as real:
            for item in real.infolist():
                archive.writestr(item, real.read(item))
        with archive.open("word/media/image1.bin", "w", force_zip64=True) as bomb:
            zeros = bytes(MB)
            for _ in range(BOMB_UNPACKED // MB):
                bomb.write(zeros)


def write_big_pdf(target: Path) -> None:
    """A real letter padded with a comment to 105 MB, written in 1 MB chunks."""
    letter = pdf_bytes(letter_pages(9))
    with target.open("wb") as handle:
        handle.write(letter[: letter.rindex(b"%%EOF")])
        filler = b"%" + b"0" * (MB - 2) + b"\n"
        while handle.tell() < BIG_BYTES:
            handle.write(filler)
        handle.write(b"%%EOF\n")


def write_long_pdf(target: Path) -> None:
    """Letter and form on pages 1–2, then 1,998 pages of attachment."""
    pages = letter_pages(7)
    pages += [[f"Lampiran halaman {n} — data pendukung"] for n in range(3, LONG_PDF_PAGES + 1)]
    target.write_bytes(pdf_bytes(pages))


def write_slow_pdf(target: Path, rng: random.Random) -> None:
    """Pages of tiny dense text (a spreadsheet printed to PDF): slow to lay out word by word."""
    canvas = Canvas(str(target), pagesize=A4, invariant=1)
    letters = "abcdefghijklmnopqrstuvwxyz"
    words = ["".join(rng.choices(letters, k=5)) for _ in range(SLOW_WORDS_PER_LINE * 7)]
    lines = [" ".join(rng.sample(words, SLOW_WORDS_PER_LINE)) for _ in range(SLOW_LINES)]
    for _ in range(SLOW_PAGES):
        canvas.setFont("Helvetica", 3)
        for row, line in enumerate(lines):
            canvas.drawString(10, A4[1] - 10 - 6.5 * row, line)
        canvas.showPage()
    canvas.save()


def build_hostile(folder: Path) -> list[Hostile]:
    """Write every hostile file into `folder`; return what must become of each."""
    rng = random.Random(SEED)
    folder.mkdir(parents=True, exist_ok=True)
    letter_pdf, letter_docx, photo = pdf_bytes(letter_pages(1)), docx_bytes(LETTER), jpeg_bytes()
    plain: list[tuple[str, bytes, str, str]] = [
        ("kosong.pdf", b"", "failed", "kosong"),
        ("terpotong.pdf", letter_pdf[: len(letter_pdf) // 3], "failed", "rusak"),
        ("terpotong.docx", letter_docx[: len(letter_docx) // 2], "failed", "rusak"),
        ("terpotong.jpg", photo[: len(photo) * 3 // 5], "failed", "rusak"),
        ("acak.pdf", random_bytes(rng, 6000), "failed", "tidak dikenali"),
        ("acak.docx", random_bytes(rng, 9000), "failed", "tidak dikenali"),
        ("acak.jpg", random_bytes(rng, 12000), "failed", "tidak dikenali"),
        ("acak.tiff", random_bytes(rng, 15000), "failed", "tidak dikenali"),
        (
            "sandi-pembuka.pdf",
            pdf_bytes(letter_pages(2), StandardEncryption("rahasia", "pemilik", canPrint=1)),
            "failed",
            "dilindungi kata sandi",
        ),
        (
            "sandi-pemilik-saja.pdf",
            pdf_bytes(letter_pages(3), StandardEncryption("", "pemilik", canPrint=1)),
            "registered",
            "",
        ),
    ]
    made = [Hostile(name, expect, words) for name, _, expect, words in plain]
    for name, data, _, _ in plain:
        (folder / name).write_bytes(data)
    writers: list[tuple[str, Callable[[Path], None], str, str]] = [
        ("bom-zip.docx", write_zip_bomb, "failed", "batas.maks_byte_terbuka"),
        ("bom-piksel.png", write_png_bomb, "failed", "batas.maks_piksel"),
        ("besar-105mb.pdf", write_big_pdf, "failed", "batas.maks_byte"),
        ("2000-halaman.pdf", write_long_pdf, "registered", "batas.maks_halaman"),
        ("lambat.pdf", lambda p: write_slow_pdf(p, rng), "failed", "batas.maks_detik"),
    ]
    for name, write, expect, words in writers:
        write(folder / name)
        made.append(Hostile(name, expect, words))
    return made


def drop(staging: Path, inbox: Path, name: str) -> None:
    """Moved in whole, as a copy program that writes a temporary name and renames does."""
    os.rename(staging / name, inbox / name)
