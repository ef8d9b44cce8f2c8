"""The one typed settings object, read from the workspace's pipeline.toml and the environment.

Built by `load_settings(home)` and passed explicitly; nothing here runs at import time.
Environment variables override the file: `PIPELINE_DB_URL`, and any nested value as
`PIPELINE_<SECTION>__<KEY>` (e.g. `PIPELINE_PEMANTAU__STABIL_DETIK=2`).

Every name an admin writes is Bahasa Indonesia (the admin reads and edits pipeline.toml, its
comments are Indonesian); technical terms stay as they are (`host`, `port`, `tls`, `db_url`).
The English names of earlier releases still work, in the file and in the environment, with a
note that says what to rename (`pipeline.settings_names`).
"""

from __future__ import annotations

import os
import tomllib
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field, PrivateAttr, ValidationError, model_validator
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict
from sqlalchemy import URL

from pipeline.errors import ConfigurationError
from pipeline.fields import SURE_CHANCE, chance_from_rule_score
from pipeline.settings_names import merged, modernised, modernised_environment

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


class Pemantau(BaseModel):
    """The inbox watcher."""

    stabil_detik: float = Field(default=1.0, ge=0.0)
    jeda_detik: float = Field(default=0.25, gt=0.0)
    pindai_ulang_detik: float = Field(default=30.0, gt=0.0)
    folder_tenang_detik: float = Field(default=2.0, ge=0.0)
    # An empty file, or one missing its type's closing marker, waits this long instead.
    belum_lengkap_detik: float = Field(default=10.0, ge=0.0)
    # A claimed file whose worker stopped renewing its lease this long is taken over.
    masa_klaim_detik: float = Field(default=60.0, ge=1.0)


class Pembacaan(BaseModel):
    # The chance of being right under which a value read is 'perlu diperiksa'.
    ambang_peluang: float = Field(default=SURE_CHANCE, ge=0.0, le=1.0)
    # The same line on the rules' old score scale (releases before the chance): still read, put
    # on the chance scale when ambang_peluang is not written, and named in a note to rename.
    ambang_yakin: float | None = Field(default=None, ge=0.0, le=1.0)
    rentang_pasangan_hari: int = Field(default=30, ge=1)

    @model_validator(mode="after")
    def _old_scale(self) -> Pembacaan:
        if self.ambang_yakin is not None and "ambang_peluang" not in self.model_fields_set:
            self.ambang_peluang = chance_from_rule_score(self.ambang_yakin)
        return self


class Batas(BaseModel):
    """Resource limits per file; each error text names the limit an admin raises."""

    maks_byte: int = Field(default=100 * 1024 * 1024, gt=0)  # size of the dropped file
    maks_halaman: int = Field(default=50, gt=0)  # PDF pages read; the rest is archived unread
    maks_piksel: int = Field(default=60_000_000, gt=0)  # per image frame (decompression bombs)
    maks_detik: float = Field(default=600.0, gt=0.0)  # reading + OCR of one file
    maks_byte_terbuka: int = Field(default=200 * 1024 * 1024, gt=0)  # zip bombs
    maks_lampiran: int = Field(default=50, gt=0)  # files in one e-mail (zips, forwards too)


class Kalender(BaseModel):
    """Days off beyond weekends and national holidays: the government's cuti bersama."""

    cuti_bersama: list[date] = Field(default_factory=list)


class Smtp(BaseModel):
    host: str = ""  # empty: reminders are printed only
    port: int = 25
    pengirim: str = "pipeline@diskominfo.bantenprov.go.id"
    pengguna: str = ""
    kata_sandi: str = ""
    starttls: bool = False


class Ocr(BaseModel):
    aktif: bool = True
    proses: int = Field(default=0, ge=0)  # 0: one per CPU core
    batas_detik_halaman: float = Field(default=120.0, gt=0.0)


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
    a dropped file, and moved to `folder_tercatat` once registered (`folder_gagal` when it
    could not be), never deleted. An empty `host` watches no mailbox."""

    host: str = ""
    port: int = Field(default=993, gt=0, lt=65536)
    pengguna: str = ""
    kata_sandi: str = ""
    berkas_kata_sandi: Path | None = None  # one line, the password; kept out of pipeline.toml
    folder: str = "INBOX"
    tls: bool = True  # IMAPS (port 993); false: plain IMAP, upgraded with STARTTLS if `starttls`
    starttls: bool = False
    berkas_ca: Path | None = None  # PEM certificate(s) to trust, for a server's own certificate
    jeda_detik: float = Field(default=60.0, gt=0.0)  # without IDLE; and the IDLE renewal
    folder_tercatat: str = "Tercatat"
    folder_gagal: str = "Gagal"
    batas_detik: float = Field(default=30.0, gt=0.0)  # one IMAP command

    @property
    def enabled(self) -> bool:
        return bool(self.host)

    def secret(self, workspace: Path) -> str:
        """The password, from `berkas_kata_sandi` (relative to the workspace) when set."""
        if self.berkas_kata_sandi is None:
            return self.kata_sandi
        path = (
            self.berkas_kata_sandi
            if self.berkas_kata_sandi.is_absolute()
            else workspace / self.berkas_kata_sandi
        )
        try:
            return path.read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ConfigurationError(
                f"Berkas kata sandi surel {path} tidak bisa dibaca: {exc.strerror}.",
                hint="Periksa surel.berkas_kata_sandi di pipeline.toml dan izin baca berkasnya.",
            ) from exc


class Web(BaseModel):
    """The web page's logins: wrong passwords in a row that lock an account, and how long."""

    maks_gagal_masuk: int = Field(default=5, ge=1)
    lama_kunci_menit: float = Field(default=15.0, gt=0.0)


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="PIPELINE_", env_nested_delimiter="__", extra="ignore"
    )

    workspace: Path = Path(".")
    db_url: str | None = None
    daftar_opd: Path | None = None  # the office's own copy of the OPD master list (CSV)
    kantor: Kantor = Kantor()
    pejabat: Pejabats = Pejabats()
    penomoran: Penomoran = Penomoran()
    pemantau: Pemantau = Pemantau()
    pembacaan: Pembacaan = Pembacaan()
    batas: Batas = Batas()
    ocr: Ocr = Ocr()
    kalender: Kalender = Kalender()
    smtp: Smtp = Smtp()
    konversi: Konversi = Konversi()
    penandatanganan: Penandatanganan = Penandatanganan()
    web: Web = Web()
    surel: Surel = Surel()
    # What load_settings noticed about the names used (old ones, unknown ones), for doctor.
    _name_notes: tuple[str, ...] = PrivateAttr(default=())

    @property
    def name_notes(self) -> tuple[str, ...]:
        return self._name_notes

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
    config = home / CONFIG_NAME
    data, notes = modernised(_read_toml(config), f"{CONFIG_NAME}")
    environment, env_notes = modernised_environment(os.environ)
    try:
        settings = Settings(**merged(data, environment))
    except ValidationError as exc:
        raise ConfigurationError(
            f"Isi {config} tidak sah:\n{exc}", hint="Perbaiki nilai yang disebut di atas."
        ) from exc
    settings = settings.model_copy(update={"workspace": home})
    unknown = _unknown_names(data, Settings, "")
    settings._name_notes = (*notes, *env_notes, *unknown, *_old_scale_notes(settings))
    return settings


def _old_scale_notes(settings: Settings) -> list[str]:
    read = settings.pembacaan
    if read.ambang_yakin is None:
        return []
    if read.ambang_peluang != chance_from_rule_score(read.ambang_yakin):  # both were written
        return ["[pembacaan] ambang_yakin diabaikan karena ambang_peluang ditulis; hapus baris itu"]
    return [
        f"[pembacaan] ambang_yakin = {read.ambang_yakin} memakai skala lama; dibaca sebagai "
        f"ambang_peluang = {read.ambang_peluang:.3f}. Ganti baris itu dengan ambang_peluang "
        "(peluang benar, bawaan 0.99)"
    ]


def _unknown_names(data: dict[str, Any], model: type[BaseModel], section: str) -> list[str]:
    """A note per name in the file that no setting has (a typo is otherwise silently ignored)."""
    notes: list[str] = []
    for key, value in data.items():
        field = model.model_fields.get(key)
        inner = field.annotation if field else None
        if field is None or key == "workspace":
            where = f"[{section}] " if section else ""
            notes.append(f"{CONFIG_NAME}: nama {where}{key} tidak dikenal dan diabaikan")
        elif isinstance(value, dict) and isinstance(inner, type) and issubclass(inner, BaseModel):
            notes.extend(_unknown_names(value, inner, f"{section}.{key}" if section else key))
    return notes


def _read_toml(config: Path) -> dict[str, Any]:
    if not config.is_file():
        return {}
    try:
        return tomllib.loads(config.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigurationError(
            f"Berkas konfigurasi {config} tidak bisa dibaca: {exc}",
            hint="Periksa penulisan pipeline.toml (format TOML).",
        ) from exc


def default_toml() -> str:
    """The commented pipeline.toml a new workspace starts with."""
    return (Path(__file__).parent / "data" / "pipeline.default.toml").read_text(encoding="utf-8")
