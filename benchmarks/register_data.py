"""Realistic register rows for benchmarks/register.py: OPDs from the master list (a few busy,
most quiet), statuses by age (old requests are finished, recent ones in every step), five
years of dates, letters whose text names the application, the subdomain and the person."""

from __future__ import annotations

import functools
import json
import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from pipeline.reference import load_opd_directory
from pipeline.register.fulltext import INDEXED_FIELDS, folded

APPS = (
    "simpeg",
    "simrs",
    "sipd",
    "ekinerja",
    "simda",
    "sikesehatan",
    "simpatda",
    "sipkd",
    "lapor",
    "ppid",
    "jdih",
    "siap",
    "simbada",
    "sakip",
    "bansos",
    "perizinan",
    "samsat",
    "sidata",
    "opendata",
    "emonev",
)
FIRST = [
    "Siti",
    "Ahmad",
    "Budi",
    "Dewi",
    "Rina",
    "Agus",
    "Hendra",
    "Nur",
    "Yusuf",
    "Fitri",
    "Dian",
    "Eko",
    "Sri",
    "Wahyu",
    "Indah",
    "Rizky",
    "Aditya",
    "Ratna",
    "Bambang",
    "Lestari",
    "Andi",
    "Maya",
    "Fajar",
    "Putri",
    "Hadi",
]
LAST = [
    "Aminah",
    "Santoso",
    "Pratama",
    "Wijaya",
    "Kurniawan",
    "Hidayat",
    "Saputra",
    "Nugroho",
    "Rahmawati",
    "Susanti",
    "Firmansyah",
    "Maulana",
    "Permana",
    "Setiawan",
    "Hakim",
    "Suryani",
    "Gunawan",
    "Anggraini",
    "Ramadhan",
    "Fauzi",
]
JABATAN = ("Kepala Seksi Data dan Informasi", "Pranata Komputer", "Kepala Subbagian Umum")
SENTENCES = (
    "Bersama ini kami mengajukan permohonan integrasi sistem informasi {app} pada {opd}.",
    "Aplikasi {app} digunakan untuk pelayanan publik dan pengelolaan data {topic}.",
    "Mohon dapat disediakan subdomain {sub}.bantenprov.go.id sebagaimana formulir terlampir.",
    "Penanggung jawab aplikasi adalah {pj} selaku {jabatan}.",
    "Data {topic} akan dipertukarkan melalui API dengan Satu Data Banten.",
    "Demikian permohonan ini kami sampaikan, atas perhatian dan kerja samanya diucapkan "
    "terima kasih.",
)
TOPICS = ("kepegawaian", "keuangan", "aset", "pasien", "perizinan", "pajak", "pendidikan")
ACTIVE = ("awaiting_kadis", "awaiting_kabid", "in_analysis", "in_integration", "incomplete")
STEP_DAYS = {"awaiting_kadis": 1, "awaiting_kabid": 1, "in_analysis": 3, "in_integration": 31}


@dataclass(frozen=True)
class Row:
    request: tuple[object, ...]
    fields: str
    letters: str
    file: tuple[object, ...]
    events: tuple[tuple[object, ...], ...]


REQUEST_COLUMNS = [
    "id",
    "tahun_agenda",
    *INDEXED_FIELDS,  # the searchable fields, in the order the search index folds them
    "status",
    "has_letter",
    "has_form",
    "missing",
    "provenance",
    "problems",
    "received_at",
    "due_at",
    "updated_at",
]
FILE_COLUMNS = [
    "id",
    "sha256",
    "original_name",
    "archived_path",
    "size",
    "media",
    "kind",
    "needs_ocr",
    "signed",
    "request_id",
    "fields",
    "problems",
    "received_at",
]
EVENT_COLUMNS = ["request_id", "at", "who", "action", "from_status", "to_status", "note"]


def batch(index: int, size: int, count: int, now: datetime) -> list[Row]:
    """Rows index*size+1 … of `count` requests received over five years up to `now`;
    each batch has its own seed, so batches can be made in parallel."""
    rng = random.Random(index)
    opds = load_opd_directory().entries
    weights = [1 / (i + 1) for i in range(len(opds))]
    start = now - timedelta(days=5 * 365)
    step = (now - start) / count
    first = index * size + 1
    made = []
    for i in range(first, min(first + size, count + 1)):
        opd = rng.choices(opds, weights)[0]
        made.append(_row(rng, i, start + step * (i - 1), opd, now))
    return made


def _row(rng: random.Random, i: int, received: datetime, opd, now) -> Row:  # type: ignore[no-untyped-def]
    app = rng.choice(APPS)
    abbr = (opd.short or "opd").lower().replace(" ", "")
    sub = f"{app}{abbr}{i % 97}"
    pj = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    jabatan = rng.choice(JABATAN)
    status = _status(rng, now - received)
    due = received + timedelta(days=STEP_DAYS[status]) if status in STEP_DAYS else None
    year = received.year
    nomor_surat = f"555/{rng.randint(1, 9999)}-{abbr.capitalize()}/{_roman(received.month)}/{year}"
    perihal = f"Permohonan Integrasi Sistem Informasi {app.upper()} {opd.nama}"
    values = dict(app=app, opd=opd.nama, sub=sub, pj=pj, jabatan=jabatan, topic=rng.choice(TOPICS))
    letter = " ".join(_folded_sentence(s.format(**values)) for s in rng.sample(SENTENCES, 4))
    agenda = f"{i:07d}"  # unique over all years, as (tahun_agenda, nomor_agenda) must be
    permohonan = None if status == "incomplete" else f"PRM-{year}-{i:07d}"
    stamp = _stamp(received)
    request = (
        i, year, agenda, permohonan, nomor_surat, received.date().isoformat(), opd.nama,
        perihal, f"{sub}.bantenprov.go.id", pj, f"+62812{rng.randint(10**6, 10**7 - 1)}",
        f"{pj.split()[0].lower()}.{abbr}@bantenprov.go.id", jabatan, status, True,
        status != "incomplete", json.dumps(["formulir"] if status == "incomplete" else []),
        "{}", "[]", stamp, _stamp(due) if due else None, stamp,
    )  # fmt: skip
    fields = folded(
        (
            agenda,
            permohonan,
            nomor_surat,
            request[5],
            opd.nama,
            perihal,
            request[8],
            pj,
            str(request[10]),
            str(request[11]),
            jabatan,
        )
    )
    file = (
        i, f"{i:064x}", f"surat-{abbr}-{i}.pdf", f"archive/{i:064x}.pdf", 48_000, "pdf",
        "letter+form", False, False, i, "{}", "[]", stamp,
    )  # fmt: skip
    events = (
        (i, stamp, "sistem", "diterima", None, "incomplete", f"Berkas 'surat-{abbr}-{i}.pdf'."),
        (i, stamp, "sistem", "lengkap", "incomplete", status, "Surat dan formulir lengkap."),
    )
    return Row(request, fields, letter, file, events)


@functools.lru_cache(maxsize=100_000)
def _folded_sentence(sentence: str) -> str:
    """Sentences repeat across letters; folding each once keeps the fill fast."""
    return folded([sentence])


def _status(rng: random.Random, age: timedelta) -> str:
    if age > timedelta(days=90):
        roll = rng.random()
        return "completed" if roll < 0.88 else "rejected" if roll < 0.98 else rng.choice(ACTIVE)
    return rng.choice((*ACTIVE, "completed", "completed", "rejected"))


def _stamp(moment: datetime) -> str:
    """SQLAlchemy's SQLite datetime text, in UTC (what AwareDateTime stores)."""
    return f"{moment.astimezone(UTC):%Y-%m-%d %H:%M:%S.%f}"


def _roman(month: int) -> str:
    return ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"][month - 1]
