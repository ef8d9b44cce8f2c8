"""The one typed settings object, read from the workspace's pipeline.toml and the environment.

Built by `load_settings(home)` and passed explicitly; nothing here runs at import time.
Environment variables override the file: `PIPELINE_DB_URL`, and any nested value as
`PIPELINE_<SECTION>__<KEY>` (e.g. `PIPELINE_WATCHER__STABLE_SECONDS=2`).
"""

from __future__ import annotations

import tomllib
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field, ValidationError
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict
from sqlalchemy import URL

from pipeline.errors import ConfigurationError

CONFIG_NAME = "pipeline.toml"


class Kantor(BaseModel):
    nama: str = "Dinas Komunikasi, Informatika, Statistik dan Persandian"
    nama_singkat: str = "Diskominfo SP"
    pemerintah: str = "Pemerintah Provinsi Banten"
    alamat: str = "Jl. Syekh Nawawi Al-Bantani, Kawasan Pusat Pemerintahan Provinsi Banten (KP3B)"
    telepon: str = "(0254) 267000"
    email: str = "diskominfo@bantenprov.go.id"
    kota: str = "Serang"
    verifikasi_url: str = "https://diskominfo.bantenprov.go.id/verifikasi/"


class Pejabat(BaseModel):
    nama: str
    nip: str = ""
    jabatan: str
    email: str = ""


class Pejabats(BaseModel):
    kepala_dinas: Pejabat = Pejabat(
        nama="(nama Kepala Dinas)",
        nip="",
        jabatan="Kepala Dinas Komunikasi, Informatika, Statistik dan Persandian Provinsi Banten",
    )
    kepala_bidang: Pejabat = Pejabat(
        nama="(nama Kepala Bidang)", jabatan="Kepala Bidang Aplikasi Informatika"
    )
    kepala_seksi: Pejabat = Pejabat(
        nama="(nama Kepala Seksi)",
        jabatan="Kepala Seksi Pengembangan dan Integrasi Aplikasi",
    )


class Penomoran(BaseModel):
    """Number patterns; `{nomor}` is the per-year sequence, `{tahun}` the year."""

    nomor_agenda: str = "{nomor:04d}"
    nomor_permohonan: str = "PRM-{tahun}-{nomor:04d}"
    surat_keluar: str = "555/{nomor}-Diskominfo SP/{bulan_romawi}/{tahun}"


class Watcher(BaseModel):
    stable_seconds: float = Field(default=1.0, ge=0.0)
    poll_seconds: float = Field(default=0.25, gt=0.0)
    rescan_seconds: float = Field(default=30.0, gt=0.0)
    folder_quiet_seconds: float = Field(default=2.0, ge=0.0)
    # An empty file, or one missing its type's closing marker, waits this long instead.
    unfinished_seconds: float = Field(default=10.0, ge=0.0)
    # A claimed file whose worker stopped renewing its lease this long is taken over.
    lease_seconds: float = Field(default=60.0, ge=1.0)


class Extraction(BaseModel):
    review_threshold: float = Field(default=0.85, ge=0.0, le=1.0)
    pairing_days: int = Field(default=30, ge=1)


class Limits(BaseModel):
    """Resource limits per file; each error text names the limit an admin raises."""

    max_bytes: int = Field(default=100 * 1024 * 1024, gt=0)  # size of the dropped file
    max_pages: int = Field(default=50, gt=0)  # PDF pages read; the rest is archived unread
    max_pixels: int = Field(default=60_000_000, gt=0)  # per image frame (decompression bombs)
    max_seconds: float = Field(default=600.0, gt=0.0)  # reading + OCR of one file
    max_docx_unpacked_bytes: int = Field(default=200 * 1024 * 1024, gt=0)  # zip bombs
    max_attachments: int = Field(default=50, gt=0)  # files in one e-mail (zips, forwards too)


class Kalender(BaseModel):
    """Days off beyond weekends and national holidays: the government's cuti bersama."""

    cuti_bersama: list[date] = Field(default_factory=list)


class Smtp(BaseModel):
    host: str = ""  # empty: reminders are printed only
    port: int = 25
    sender: str = "pipeline@diskominfo.bantenprov.go.id"
    username: str = ""
    password: str = ""
    starttls: bool = False


class Ocr(BaseModel):
    enabled: bool = True
    workers: int = Field(default=0, ge=0)  # 0: one per CPU core
    page_seconds: float = Field(default=120.0, gt=0.0)


class Konversi(BaseModel):
    """PDF copies of generated documents, made by LibreOffice headless."""

    pdf: bool = True
    soffice: str = "soffice"
    python_uno: str = "/usr/bin/python3"  # a Python that has LibreOffice's `uno` module
    batas_detik: float = Field(default=60.0, gt=0.0)


class Penandatanganan(BaseModel):
    """Electronic signatures (PAdES) on generated documents."""

    selesaikan_langkah: bool = False  # signing a step's document completes that step
    tsa_url: str = ""  # RFC 3161 timestamp server: B-T instead of B-B
    akar_tepercaya: list[Path] = Field(default_factory=list)  # PEM files or folders


class Surel(BaseModel):
    """A watched IMAP mailbox: each new message is saved into the inbox as .eml, ingested like
    a dropped file, and moved to `folder_done` once registered (`folder_failed` when it could
    not be), never deleted. An empty `host` watches no mailbox."""

    host: str = ""
    port: int = Field(default=993, gt=0, lt=65536)
    username: str = ""
    password: str = ""
    password_file: Path | None = None  # one line, the password; kept out of pipeline.toml
    folder: str = "INBOX"
    tls: bool = True  # IMAPS (port 993); false: plain IMAP, upgraded with STARTTLS if `starttls`
    starttls: bool = False
    ca_file: Path | None = None  # PEM certificate(s) to trust, for a server's own certificate
    poll_seconds: float = Field(default=60.0, gt=0.0)  # without IDLE; and the IDLE renewal
    folder_done: str = "Tercatat"
    folder_failed: str = "Gagal"
    timeout_seconds: float = Field(default=30.0, gt=0.0)  # one IMAP command

    @property
    def enabled(self) -> bool:
        return bool(self.host)

    def secret(self, workspace: Path) -> str:
        """The password, from `password_file` (relative to the workspace) when set."""
        if self.password_file is None:
            return self.password
        path = (
            self.password_file
            if self.password_file.is_absolute()
            else workspace / self.password_file
        )
        try:
            return path.read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ConfigurationError(
                f"Berkas kata sandi surel {path} tidak bisa dibaca: {exc.strerror}.",
                hint="Periksa surel.password_file di pipeline.toml dan izin baca berkasnya.",
            ) from exc


class Web(BaseModel):
    """The web page's logins: wrong passwords in a row that lock an account, and how long."""

    max_failed_logins: int = Field(default=5, ge=1)
    lockout_minutes: float = Field(default=15.0, gt=0.0)


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="PIPELINE_", env_nested_delimiter="__", extra="ignore"
    )

    workspace: Path = Path(".")
    db_url: str | None = None
    opd_csv: Path | None = None
    kantor: Kantor = Kantor()
    pejabat: Pejabats = Pejabats()
    penomoran: Penomoran = Penomoran()
    watcher: Watcher = Watcher()
    extraction: Extraction = Extraction()
    limits: Limits = Limits()
    ocr: Ocr = Ocr()
    kalender: Kalender = Kalender()
    smtp: Smtp = Smtp()
    konversi: Konversi = Konversi()
    penandatanganan: Penandatanganan = Penandatanganan()
    web: Web = Web()
    surel: Surel = Surel()

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (env_settings, init_settings)

    @property
    def database_url(self) -> str:
        # URL.create escapes '?', '%' and '#' in the workspace path; an f-string would let
        # SQLite read them as a query string and open a register outside the workspace.
        if self.db_url:
            return self.db_url
        return URL.create("sqlite", database=str(self.register_path)).render_as_string()

    @property
    def register_path(self) -> Path:
        return self.workspace / "register.db"

    @property
    def inbox(self) -> Path:
        return self.workspace / "inbox"

    @property
    def failed(self) -> Path:
        return self.inbox / "failed"

    @property
    def outbox(self) -> Path:
        return self.workspace / "outbox"

    @property
    def archive(self) -> Path:
        return self.workspace / "archive"

    @property
    def work(self) -> Path:
        """Per-worker claim folders live here (an atomic rename claims a file)."""
        return self.inbox / ".work"


def load_settings(home: Path) -> Settings:
    """Read `home/pipeline.toml` (if present) under the environment's overrides."""
    home = home.resolve()
    data: dict[str, Any] = {}
    config = home / CONFIG_NAME
    if config.is_file():
        try:
            data = tomllib.loads(config.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise ConfigurationError(
                f"Berkas konfigurasi {config} tidak bisa dibaca: {exc}",
                hint="Periksa penulisan pipeline.toml (format TOML).",
            ) from exc
    try:
        settings = Settings(**data)
    except ValidationError as exc:
        raise ConfigurationError(
            f"Isi {config} tidak sah:\n{exc}", hint="Perbaiki nilai yang disebut di atas."
        ) from exc
    return settings.model_copy(update={"workspace": home})


DEFAULT_TOML = """\
# Konfigurasi pipeline — identitas kantor untuk dokumen, penomoran, dan register.
# Nilai di sini dapat ditimpa variabel lingkungan, mis. PIPELINE_DB_URL.

# Register: kosongkan untuk SQLite di folder ini; PostgreSQL bila beberapa mesin berbagi:
# db_url = "postgresql+psycopg://user@127.0.0.1:5432/pipeline"

[kantor]
nama = "Dinas Komunikasi, Informatika, Statistik dan Persandian"
nama_singkat = "Diskominfo SP"
pemerintah = "Pemerintah Provinsi Banten"
alamat = "Jl. Syekh Nawawi Al-Bantani, Kawasan Pusat Pemerintahan Provinsi Banten (KP3B)"
telepon = "(0254) 267000"
email = "diskominfo@bantenprov.go.id"
kota = "Serang"
verifikasi_url = "https://diskominfo.bantenprov.go.id/verifikasi/"  # dicetak dalam kode QR

[pejabat.kepala_dinas]
nama = "(nama Kepala Dinas)"
nip = ""
jabatan = "Kepala Dinas Komunikasi, Informatika, Statistik dan Persandian Provinsi Banten"

[pejabat.kepala_bidang]
nama = "(nama Kepala Bidang)"
nip = ""
jabatan = "Kepala Bidang Aplikasi Informatika"

[pejabat.kepala_seksi]
nama = "(nama Kepala Seksi)"
nip = ""
jabatan = "Kepala Seksi Pengembangan dan Integrasi Aplikasi"

[penomoran]
nomor_agenda = "{nomor:04d}"
nomor_permohonan = "PRM-{tahun}-{nomor:04d}"
surat_keluar = "555/{nomor}-Diskominfo SP/{bulan_romawi}/{tahun}"

[watcher]
stable_seconds = 1.0     # berkas dianggap selesai ditulis bila ukuran & waktu tetap selama ini
poll_seconds = 0.25
rescan_seconds = 30.0    # pemindaian ulang penuh sebagai jaring pengaman
folder_quiet_seconds = 2.0
unfinished_seconds = 10.0  # berkas kosong/tanpa penutup (masih disalin) ditunggu selama ini
lease_seconds = 60.0     # berkas yang diklaim pekerja yang mati diambil alih setelah ini

[extraction]
review_threshold = 0.85  # isian di bawah keyakinan ini ditandai 'perlu diperiksa'
pairing_days = 30        # surat dan formulir dipasangkan bila tiba dalam rentang ini

[limits]
# batas per berkas; pesan galat menyebut nama batas yang perlu dinaikkan
max_bytes = 104857600                # ukuran berkas (100 MB)
max_pages = 50                       # halaman PDF yang dibaca; sisanya tetap diarsipkan
max_pixels = 60000000                # piksel per gambar (A4 600 dpi ≈ 35 juta)
max_seconds = 600.0                  # waktu baca + OCR satu berkas
max_docx_unpacked_bytes = 209715200  # ukuran .docx / lampiran .zip setelah dibuka (200 MB)
max_attachments = 50                 # lampiran satu surel (termasuk isi .zip dan pesan terusan)

[kalender]
# cuti bersama yang ditetapkan pemerintah (selain akhir pekan dan hari libur nasional)
cuti_bersama = []        # mis. ["2026-12-24", "2026-12-26"]

[smtp]
host = ""                # kosong: pengingat hanya dicetak; isi untuk mengirim e-mail
port = 25
sender = "pipeline@diskominfo.bantenprov.go.id"

[ocr]
enabled = true           # baca pindaian/foto dengan Tesseract (bahasa Indonesia)
workers = 0              # jumlah proses OCR; 0 = satu per inti CPU
page_seconds = 120.0     # batas waktu OCR per halaman

[konversi]
pdf = true               # buat salinan PDF setiap dokumen (LibreOffice); false = DOCX saja
soffice = "soffice"      # program LibreOffice
python_uno = "/usr/bin/python3"  # Python yang memiliki modul uno (paket python3-uno)
batas_detik = 60.0       # batas waktu konversi satu dokumen

[penandatanganan]
selesaikan_langkah = false  # tanda tangan elektronik atas dokumen suatu langkah menyelesaikannya
tsa_url = ""             # server cap waktu (RFC 3161); diisi: PAdES B-T, kosong: B-B
akar_tepercaya = []      # berkas/folder sertifikat akar (PEM) untuk memeriksa rantai sertifikat

[web]
max_failed_logins = 5    # salah kata sandi berturut-turut sebanyak ini mengunci akun sementara
lockout_minutes = 15.0   # lama akun terkunci (atau buka dengan: pipeline user enable NAMA)

[surel]
# Kotak surat yang dipantau (IMAP). Kosongkan host bila tidak ada; surel juga bisa disimpan
# sebagai .eml/.msg langsung ke folder inbox.
host = ""                # mis. "mail.bantenprov.go.id"
port = 993
username = ""
password = ""            # atau password_file = "surel.pass" (satu baris, di luar pipeline.toml)
folder = "INBOX"         # folder yang diambil surel barunya
tls = true               # IMAPS (993); false = IMAP biasa (143), starttls = true untuk STARTTLS
starttls = false
# ca_file = "surel-ca.pem"  # sertifikat (PEM) yang dipercaya bila server memakai sertifikat sendiri
poll_seconds = 60.0      # jeda pemeriksaan bila server tanpa IDLE
folder_done = "Tercatat" # surel yang sudah tercatat dipindah ke sini (tidak pernah dihapus)
folder_failed = "Gagal"  # surel yang gagal dibaca (alasannya di inbox/failed/)
"""
