"""Letters, forms and broken files for the live watcher test, and the ways they land."""

from __future__ import annotations

import io
import os
import random
import textwrap
import threading
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.enum.text import WD_BREAK
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

pytestmark = pytest.mark.slow

SEED = 20240917
DRAIN_TIMEOUT = 90.0
STOP_TIMEOUT = 10.0
SLOW_CHUNK_PAUSE = 0.5
QUIET_SLOW_WRITERS = 4
QUIET_TRICKLE = 12
QUIET_TRICKLE_PAUSE = 0.35
WRAP = 92
ERROR_NOTE = ".error.txt"

# --------------------------------------------------------------------------- make-believe data


@dataclass(frozen=True)
class Opd:
    name: str  # canonical, as in the packaged master list
    unit: str  # unit code in letter numbers
    host: str  # the OPD's own subdomain label


OPDS: tuple[Opd, ...] = (
    Opd("Dinas Kesehatan", "Dinkes", "dinkes"),
    Opd("Dinas Pekerjaan Umum dan Penataan Ruang", "DPUPR", "dpupr"),
    Opd("Satuan Polisi Pamong Praja", "SatpolPP", "satpolpp"),
    Opd("Badan Penanggulangan Bencana Daerah", "BPBD", "bpbd"),
    Opd("Dinas Perhubungan", "Dishub", "dishub"),
    Opd("Badan Kepegawaian Daerah", "BKD", "bkd"),
    Opd("Dinas Pariwisata", "Dispar", "dispar"),
    Opd("Dinas Sosial", "Dinsos", "dinsos"),
    Opd("Badan Perencanaan Pembangunan Daerah", "Bappeda", "bappeda"),
    Opd("Dinas Perindustrian dan Perdagangan", "Disperindag", "disperindag"),
)
FIRST = ("Nadia", "Budi", "Siti", "Agus", "Rina", "Dedi", "Maya", "Hendra", "Lina", "Yusuf")
LAST = ("Putra", "Sihombing", "Hidayat", "Lestari", "Saputra", "Wijaya", "Rahmawati", "Nugroho")
DEGREE = ("S.T.", "S.Kom.", "M.T.", "M.Si.", "S.E.")
JABATAN = ("Kepala Seksi Sistem Informasi", "Analis Sistem Informasi", "Pranata Komputer Ahli Muda")
APPS = ("sipeg", "simonev", "sidata", "layanan", "tracing", "siskeudes", "epanel", "sigap")
MONTHS = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)
ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")
ADDRESSEE = "Yth. Kepala Dinas Komunikasi, Informatika, Statistik dan Persandian Provinsi Banten"
FORM_TITLE = "FORMULIR PENGAJUAN INTEGRASI SISTEM INFORMASI / APLIKASI DAN DATA"
THANKS = "Demikian kami sampaikan, atas perhatian dan kerja samanya diucapkan terima kasih."


@dataclass(frozen=True)
class Submission:
    """One request: the letter's and the form's contents, unique per test run."""

    index: int
    opd: Opd
    nomor: str
    day: int
    month: int
    host: str  # requested subdomain label
    nama: str
    telepon: str
    email: str
    jabatan: str

    @property
    def fqdn(self) -> str:
        return f"{self.host}.bantenprov.go.id"

    @property
    def date_text(self) -> str:
        return f"Serang, {self.day} {MONTHS[self.month - 1]} 2025"


def make_submission(rng: random.Random, index: int) -> Submission:
    opd = OPDS[index % len(OPDS)]
    month, day = rng.randint(1, 12), rng.randint(1, 28)
    first, last = rng.choice(FIRST), rng.choice(LAST)
    return Submission(
        index=index,
        opd=opd,
        nomor=f"555/{1000 + index}-{opd.unit}/{ROMAN[month - 1]}/2025",
        day=day,
        month=month,
        host=f"{rng.choice(APPS)}{index:03d}-{opd.host}",
        nama=f"{first} {last}, {rng.choice(DEGREE)}",
        telepon=f"0812{rng.randint(10_000_000, 99_999_999)}",
        email=f"{first.lower()}{index}.{opd.host}@bantenprov.go.id",
        jabatan=rng.choice(JABATAN),
    )


def kop_lines(opd: Opd) -> list[str]:
    return [
        "PEMERINTAH PROVINSI BANTEN",
        opd.name.upper(),
        "Jl. Syekh Nawawi Al-Bantani, Kawasan Pusat Pemerintahan Provinsi Banten, Serang",
        f"Telp. (0254) 267000 Email: {opd.host}@bantenprov.go.id",
        "_" * 70,
    ]


def signature_lines(sub: Submission) -> list[str]:
    return [
        f"KEPALA {sub.opd.name.upper()}",
        "PROVINSI BANTEN",
        "Febi Marpaung, S.Kom.",
        "Pembina",
        "NIP. 19900511 201802 1 009",
    ]


def letter_lines(sub: Submission, perihal: str | None = None) -> list[str]:
    request = perihal is None
    body = (
        "Dalam rangka mendukung penyelenggaraan Sistem Pemerintahan Berbasis Elektronik, bersama "
        "ini kami mengajukan permohonan integrasi sistem informasi / aplikasi dan data pada "
        f"{sub.opd.name} Provinsi Banten."
        if request
        else "Sehubungan dengan evaluasi layanan publik, dengan hormat kami mengundang Bapak/Ibu "
        "untuk hadir pada rapat koordinasi yang akan dilaksanakan di Aula Pendopo Gubernur."
    )
    lines = [
        *kop_lines(sub.opd),
        sub.date_text,
        f"Nomor : {sub.nomor}",
        "Sifat : Biasa",
        "Lampiran : 1 (satu) berkas",
        f"Perihal : {perihal or 'Permohonan Integrasi Sistem Informasi / Aplikasi dan Data'}",
        ADDRESSEE,
        "di -",
        "Serang",
        *textwrap.wrap(body, WRAP),
    ]
    if request:
        lines += [
            "Adapun aplikasi yang akan diintegrasikan menggunakan subdomain",
            sub.fqdn,
            "sebagaimana tercantum dalam formulir pengajuan terlampir.",
        ]
    lines.append(THANKS)
    return lines + signature_lines(sub)


def form_rows(sub: Submission) -> list[tuple[str, str]]:
    return [
        ("Nomor Permohonan", ""),
        ("Nama OPD", sub.opd.name),
        ("Penanggung Jawab Sistem Informasi / Aplikasi dan Data", ""),
        ("Nama", sub.nama),
        ("Nomor Telepon Kantor/ Hand Phone", sub.telepon),
        ("Email", sub.email),
        ("Jabatan", sub.jabatan),
        ("Nama Sub domain", sub.host),
        ("Sub domain", sub.fqdn),
    ]


def form_lines(sub: Submission) -> list[str]:
    closing = (
        "Dengan ini kami mengajukan integrasi sistem informasi / aplikasi dan data untuk OPD "
        f"{sub.opd.name} dan menyanggupi serta berkomitmen untuk melakukan integrasi."
    )
    rows = [f"{label} : {value}".rstrip() for label, value in form_rows(sub)]
    return [
        FORM_TITLE,
        *rows,
        *textwrap.wrap(closing, WRAP),
        sub.date_text,
        "Kepala Dinas",
        "Febi Marpaung, S.Kom.",
        "NIP: 19900511 201802 1 009",
    ]


# --------------------------------------------------------------------------- file renderers


def pdf_bytes(pages: list[list[str]], title: str) -> bytes:
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, invariant=1)
    canvas.setTitle(title)
    for lines in pages:
        canvas.setFont("Helvetica", 10)
        y = A4[1] - 56
        for line in lines:
            canvas.drawString(56, y, line)
            y -= 15
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def docx_bytes(pages: list[list[str]]) -> bytes:
    document = docx.Document()
    for number, lines in enumerate(pages):
        if number:
            document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        for line in lines:
            document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def render(pages: list[list[str]], media: str, title: str) -> bytes:
    return pdf_bytes(pages, title) if media == "pdf" else docx_bytes(pages)


# --------------------------------------------------------------------------- the drop plan


@dataclass
class Drop:
    """One file to drop and what must become of it."""

    name: str
    data: bytes
    expect: str  # registered | other | failed | twin (one of two byte-identical files)
    way: str = "atomic"  # atomic | plain | slow | part | tmp
    folder: str | None = None


@dataclass
class Plan:
    drops: list[Drop] = field(default_factory=list)
    pairs: list[tuple[str, str]] = field(default_factory=list)  # letter, form
    singles: list[str] = field(default_factory=list)  # letter+form in one file
    lone_letters: list[str] = field(default_factory=list)
    folder: tuple[str, str, str] = ("", "", "")  # folder, letter, form
    twins: tuple[str, str] = ("", "")

    def add(self, name: str, data: bytes, expect: str = "registered", **extra: Any) -> str:
        self.drops.append(Drop(name, data, expect, **extra))
        return name

    def count(self, expect: str) -> int:
        return sum(d.expect == expect for d in self.drops)


MEDIA = ("pdf", "docx")


def build_plan() -> Plan:
    """200 files: 73 pairs (146) + a subfolder pair (2) + 20 letter+form + 12 lone letters
    + 8 other letters + 2 identical letters + 10 broken files."""
    rng = random.Random(SEED)
    plan = Plan()
    numbers = iter(range(1, 10_000))

    def submission() -> Submission:
        return make_submission(rng, next(numbers))

    for _ in range(73):
        add_pair(plan, submission(), rng.choice(MEDIA), rng.choice(MEDIA))
    for _ in range(20):
        sub, media = submission(), rng.choice(MEDIA)
        pages = [letter_lines(sub), form_lines(sub)]
        name = f"surat-dan-formulir-{sub.index:03d}.{media}"
        plan.singles.append(plan.add(name, render(pages, media, sub.nomor)))
    for _ in range(12):
        sub, media = submission(), rng.choice(MEDIA)
        name = f"surat-saja-{sub.index:03d}.{media}"
        plan.lone_letters.append(plan.add(name, render([letter_lines(sub)], media, sub.nomor)))
    for _ in range(8):
        sub, media = submission(), rng.choice(MEDIA)
        lines = letter_lines(sub, perihal="Undangan Rapat Koordinasi Layanan Publik")
        plan.add(f"undangan-{sub.index:03d}.{media}", render([lines], media, sub.nomor), "other")
    add_twins(plan, submission())
    add_folder(plan, submission())
    add_broken(plan, submission(), rng)
    assign_ways(plan, rng)
    rng.shuffle(plan.drops)
    return plan


def add_pair(plan: Plan, sub: Submission, letter_media: str, form_media: str) -> None:
    letter = f"surat-{sub.index:03d}.{letter_media}"
    form = f"formulir-{sub.index:03d}.{form_media}"
    plan.add(letter, render([letter_lines(sub)], letter_media, sub.nomor))
    plan.add(form, render([form_lines(sub)], form_media, sub.host))
    plan.pairs.append((letter, form))


def add_twins(plan: Plan, sub: Submission) -> None:
    data = pdf_bytes([letter_lines(sub)], sub.nomor)
    first = plan.add(f"surat-kembar-{sub.index:03d}.pdf", data, "twin")
    second = plan.add(f"salinan surat-kembar-{sub.index:03d}.pdf", data, "twin")
    plan.twins = (first, second)


def add_folder(plan: Plan, sub: Submission) -> None:
    folder = f"Pengajuan {sub.opd.unit} {sub.index:03d}"
    letter = plan.add(
        f"surat-{sub.index:03d}.pdf", pdf_bytes([letter_lines(sub)], sub.nomor), folder=folder
    )
    form = plan.add(f"formulir-{sub.index:03d}.docx", docx_bytes([form_lines(sub)]), folder=folder)
    plan.folder = (folder, letter, form)


def add_broken(plan: Plan, sub: Submission, rng: random.Random) -> None:
    pdf, word = pdf_bytes([letter_lines(sub)], sub.nomor), docx_bytes([letter_lines(sub)])
    zipped = io.BytesIO()
    with zipfile.ZipFile(zipped, "w") as archive:
        archive.writestr("readme.txt", "bukan dokumen Word")
    broken: list[tuple[str, bytes, str]] = [
        ("kosong.pdf", b"", "atomic"),
        ("kosong.docx", b"", "plain"),
        ("terpotong-1.pdf", pdf[: len(pdf) // 3], "atomic"),
        ("terpotong-2.pdf", pdf[: len(pdf) // 2], "slow"),
        ("terpotong.docx", word[: len(word) // 2], "atomic"),
        ("acak-1.pdf", rng.randbytes(5000), "atomic"),
        ("acak-2.pdf", rng.randbytes(20000), "atomic"),
        ("acak-1.docx", rng.randbytes(8000), "atomic"),
        ("acak-2.docx", rng.randbytes(300), "plain"),
        ("arsip-zip.docx", zipped.getvalue(), "atomic"),
    ]
    for name, data, way in broken:
        plan.add(name, data, "failed", way=way)


def assign_ways(plan: Plan, rng: random.Random) -> None:
    """8 files come slowly, 6 as `.part` and 6 as `~tmpNNN.tmp` renamed; 30 are written in
    place in one go; the rest are moved in by an atomic rename."""
    loose = [d for d in plan.drops if d.folder is None and d.way == "atomic" and d.data]
    chosen = rng.sample(loose, 50)
    for drop, way in zip(
        chosen, ["slow"] * 8 + ["part"] * 6 + ["tmp"] * 6 + ["plain"] * 30, strict=True
    ):
        drop.way = way


# --------------------------------------------------------------------------- writing the drops


def write_slowly(target: Path, data: bytes, rng: random.Random) -> None:
    """Keep the file open and write it in chunks over 3–5 s, as a slow SMB copy does."""
    chunks = rng.randint(7, 10)
    step = max(1, -(-len(data) // chunks))
    with target.open("wb") as handle:
        for start in range(0, len(data), step):
            handle.write(data[start : start + step])
            handle.flush()
            os.fsync(handle.fileno())
            time.sleep(SLOW_CHUNK_PAUSE)


def write_renamed(inbox: Path, drop: Drop, rng: random.Random) -> None:
    """Written under a name the watcher ignores, then renamed to its final name."""
    if drop.way == "part":
        temporary = inbox / f"{drop.name}.part"
    else:
        temporary = inbox / f"~tmp{rng.randint(100, 999)}.tmp"
    if rng.random() < 0.5:
        write_slowly(temporary, drop.data, rng)
    else:
        temporary.write_bytes(drop.data)
    os.rename(temporary, inbox / drop.name)


def write_drop(inbox: Path, staging: Path, drop: Drop, rng: random.Random) -> None:
    final = inbox / drop.name
    if drop.way == "plain":
        final.write_bytes(drop.data)
    elif drop.way == "slow":
        write_slowly(final, drop.data, rng)
    elif drop.way in ("part", "tmp"):
        write_renamed(inbox, drop, rng)
    else:
        staged = staging / drop.name
        staged.write_bytes(drop.data)
        os.rename(staged, final)


def write_folder(inbox: Path, plan: Plan) -> None:
    """A subfolder made in the inbox and filled one file after the other."""
    folder = inbox / plan.folder[0]
    folder.mkdir()
    for drop in (d for d in plan.drops if d.folder == plan.folder[0]):
        (folder / drop.name).write_bytes(drop.data)
        time.sleep(0.4)


def drop_all(inbox: Path, staging: Path, plan: Plan) -> None:
    """Drop every file while the watcher runs: first a few slow writers and a trickle while
    the watcher is idle (a busy watcher would hide a too-eager take), then the rest in bulk."""
    rng = random.Random(SEED + 1)
    loose = [d for d in plan.drops if d.folder is None]
    early = [d for d in loose if d.way == "slow" and d.expect != "failed"][:QUIET_SLOW_WRITERS]
    trickle = [d for d in loose if d.way == "atomic"][:QUIET_TRICKLE]
    threads = [
        start_thread(write_drop, inbox, staging, d, random.Random(rng.random())) for d in early
    ]
    for drop in trickle:
        write_drop(inbox, staging, drop, rng)
        time.sleep(QUIET_TRICKLE_PAUSE)
    rest = [d for d in loose if d not in early and d not in trickle]
    threads += drop_in_bulk(inbox, staging, plan, rest, rng)
    for thread in threads:
        thread.join()


def drop_in_bulk(
    inbox: Path, staging: Path, plan: Plan, drops: list[Drop], rng: random.Random
) -> list[threading.Thread]:
    """Files arrive every 0–50 ms; slow and renamed ones and the subfolder on own threads."""
    threads: list[threading.Thread] = []
    for position, drop in enumerate(drops):
        if position == len(drops) // 2:
            threads.append(start_thread(write_folder, inbox, plan))
        if drop.way in ("slow", "part", "tmp"):
            own_rng = random.Random(rng.random())
            threads.append(start_thread(write_drop, inbox, staging, drop, own_rng))
        else:
            write_drop(inbox, staging, drop, rng)
        time.sleep(rng.uniform(0.0, 0.05))
    return threads


def start_thread(target: Callable[..., None], *args: Any) -> threading.Thread:
    thread = threading.Thread(target=target, args=args, daemon=True)
    thread.start()
    return thread


# --------------------------------------------------------------------------- the watcher
