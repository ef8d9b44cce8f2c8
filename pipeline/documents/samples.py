"""Sample contexts, one per template: the shape the code must give each template.

Used by scripts/build_templates.py (lint and preview) and the tests; the values are made up.
Each template gets exactly the keys it reads (the linter reports the others as unused), so
the shared pieces below are trimmed with `_only` where a template shows part of them.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from pipeline.documents.render import QrCode

KANTOR: Mapping[str, str] = {
    "nama": "Dinas Komunikasi, Informatika, Statistik dan Persandian",
    "pemerintah": "Pemerintah Provinsi Banten",
    "alamat": "Kawasan Pusat Pemerintahan Provinsi Banten (KP3B), Jl. Syekh Nawawi Al-Bantani, "
    "Palima",
    "telepon": "(0254) 267000",
    "email": "diskominfo@bantenprov.go.id",
    "kota": "Serang",
}

KEPALA_DINAS: Mapping[str, str] = {
    "nama": "Dr. Ahmad Fauzi, S.Kom., M.T.",
    "nip": "19700512 199503 1 002",
    "jabatan": "Kepala Dinas Komunikasi, Informatika, Statistik dan Persandian Provinsi Banten",
}
KEPALA_BIDANG: Mapping[str, str] = {
    "nama": "Rina Marlina, S.T., M.Kom.",
    "nip": "19780923 200312 2 004",
    "jabatan": "Kepala Bidang Aplikasi Informatika",
}
KEPALA_SEKSI: Mapping[str, str] = {
    "nama": "Budi Santoso, S.Kom.",
    "nip": "19850314 201001 1 011",
    "jabatan": "Kepala Seksi Integrasi Sistem Informasi",
}

# One request followed through the SOP: letter, disposition sheets, analysis, completion.
SURAT_BPBD: Mapping[str, str] = {
    "dari": "Badan Penanggulangan Bencana Daerah",
    "nomor": "060/BPBD/834/2022",
    "tanggal": "12 Desember 2022",
    "perihal": "Pengajuan Integrasi Sistem Informasi / Aplikasi dan Data",
    "sifat": "Biasa",
}
PERMOHONAN_BPBD: Mapping[str, Any] = {
    "nomor_agenda": "A-2022-0117",
    "nomor_permohonan": "PRM-2022-0450",
    "diterima_tanggal": "14 Desember 2022",
    "subdomain": "sipkd.bantenprov.go.id",
    "penanggung_jawab": {
        "nama": "Nadia Sihombing, S.T.",
        "telepon": "+6281446102697",
        "email": "nadia.bpbd@bantenprov.go.id",
        "jabatan": "Kepala Seksi Sistem Informasi",
    },
}


def _only(mapping: Mapping[str, Any], *keys: str) -> dict[str, Any]:
    """The given keys of `mapping`, in that order."""
    return {key: mapping[key] for key in keys}


LEMBAR_DISPOSISI_KADIS: Mapping[str, Any] = {
    "kantor": KANTOR,
    "kepala_dinas": KEPALA_DINAS,
    "kepala_bidang": _only(KEPALA_BIDANG, "nama", "jabatan"),
    "kepala_seksi": _only(KEPALA_SEKSI, "nama", "jabatan"),
    "surat": SURAT_BPBD,
    "permohonan": PERMOHONAN_BPBD,
    "dokumen": {
        "id": "D-2022-000123",
        "dibuat": "14 Desember 2022",
        "qr": QrCode("https://diskominfo.bantenprov.go.id/verifikasi/contoh-D-2022-000123"),
    },
}

LEMBAR_DISPOSISI_KABID: Mapping[str, Any] = {
    "kantor": KANTOR,
    "kepala_bidang": KEPALA_BIDANG,
    "kepala_seksi": _only(KEPALA_SEKSI, "nama", "jabatan"),
    "surat": SURAT_BPBD,
    "permohonan": PERMOHONAN_BPBD,
    "disposisi": {
        "catatan_kadis": "Setuju untuk ditindaklanjuti. Koordinasikan dengan BPBD terkait "
        "data kejadian bencana dan posko pengungsian.",
        "tanggal_kadis": "15 Desember 2022",
    },
    "dokumen": {
        "id": "D-2022-000131",
        "dibuat": "15 Desember 2022",
        "qr": QrCode("https://diskominfo.bantenprov.go.id/verifikasi/contoh-D-2022-000131"),
    },
}

LAPORAN_HASIL_ANALISIS: Mapping[str, Any] = {
    "kantor": KANTOR,
    "kepala_seksi": KEPALA_SEKSI,
    "surat": _only(SURAT_BPBD, "dari", "nomor", "tanggal", "perihal"),
    "permohonan": _only(
        PERMOHONAN_BPBD, "nomor_agenda", "nomor_permohonan", "subdomain", "penanggung_jawab"
    ),
    "analisis": {
        "tabel": [
            {
                "nama": "kejadian_bencana",
                "kolom": [
                    {"nama": "id_kejadian", "tipe": "INTEGER", "keterangan": "Kunci utama"},
                    {
                        "nama": "jenis_bencana",
                        "tipe": "VARCHAR(50)",
                        "keterangan": "Banjir, tanah longsor, gempa bumi, dan lain-lain",
                    },
                    {
                        "nama": "kode_kecamatan",
                        "tipe": "CHAR(7)",
                        "keterangan": "Kode wilayah Kemendagri",
                    },
                    {"nama": "waktu_kejadian", "tipe": "TIMESTAMP", "keterangan": "Waktu WIB"},
                    {
                        "nama": "jumlah_terdampak",
                        "tipe": "INTEGER",
                        "keterangan": "Jumlah jiwa terdampak",
                    },
                ],
            },
            {
                "nama": "posko_pengungsian",
                "kolom": [
                    {"nama": "id_posko", "tipe": "INTEGER", "keterangan": "Kunci utama"},
                    {"nama": "nama_posko", "tipe": "VARCHAR(120)", "keterangan": "Nama posko"},
                    {
                        "nama": "kapasitas",
                        "tipe": "SMALLINT",
                        "keterangan": "Daya tampung (orang)",
                    },
                    {
                        "nama": "lokasi",
                        "tipe": "GEOMETRY(Point)",
                        "keterangan": "Koordinat WGS 84",
                    },
                ],
            },
        ],
        "biaya_angka": "45.000.000",
        "biaya_terbilang": "empat puluh lima juta rupiah",
    },
    "dokumen": {
        "id": "D-2022-000140",
        "dibuat": "19 Desember 2022",
        "qr": QrCode("https://diskominfo.bantenprov.go.id/verifikasi/contoh-D-2022-000140"),
    },
}

SURAT_SELESAI_INTEGRASI: Mapping[str, Any] = {
    "kantor": KANTOR,
    "kepala_dinas": KEPALA_DINAS,
    "surat": _only(SURAT_BPBD, "dari", "nomor", "tanggal", "perihal"),
    "permohonan": _only(PERMOHONAN_BPBD, "nomor_permohonan", "subdomain"),
    "surat_keluar": {
        "nomor": "555/214-Diskominfo/I/2023",
        "tanggal": "16 Januari 2023",
        "tembusan": [
            "Sekretaris Daerah Provinsi Banten",
            "Kepala Bidang Aplikasi Informatika",
            "Arsip",
        ],
    },
    "integrasi": {
        "endpoint": "https://api.bantenprov.go.id/bpbd/v1/kejadian-bencana",
        "catatan": "Akses API memakai token yang dikirim terpisah kepada penanggung jawab "
        "sistem; batas 60 permintaan per menit.",
    },
    "dokumen": {
        "id": "D-2023-000018",
        "dibuat": "16 Januari 2023",
        "qr": QrCode("https://diskominfo.bantenprov.go.id/verifikasi/contoh-D-2023-000018"),
    },
}

SURAT_PENOLAKAN: Mapping[str, Any] = {
    "kantor": KANTOR,
    "kepala_dinas": KEPALA_DINAS,
    "surat": {
        "dari": "Dinas Perhubungan",
        "nomor": "551.2/1207-Dishub/XI/2022",
        "tanggal": "21 November 2022",
        "perihal": "Permohonan Integrasi Data Angkutan Umum",
    },
    "permohonan": {"nomor_permohonan": "PRM-2022-0431", "subdomain": "angkutan.bantenprov.go.id"},
    "surat_keluar": {
        "nomor": "555/1983-Diskominfo/XI/2022",
        "tanggal": "25 November 2022",
        "tembusan": ["Kepala Bidang Aplikasi Informatika", "Arsip"],
    },
    "penolakan": {
        "alasan": "Data trayek dan armada angkutan umum yang dimohon telah tersedia melalui "
        "layanan Satu Data Banten (data.bantenprov.go.id), sehingga dapat dimanfaatkan "
        "langsung tanpa integrasi baru.",
    },
    "dokumen": {
        "id": "D-2022-000109",
        "dibuat": "25 November 2022",
        "qr": QrCode("https://diskominfo.bantenprov.go.id/verifikasi/contoh-D-2022-000109"),
    },
}

SURAT_KEKURANGAN_BERKAS: Mapping[str, Any] = {
    "kantor": KANTOR,
    "kepala_dinas": KEPALA_DINAS,
    "surat": {
        "dari": "Dinas Pariwisata",
        "nomor": "556/31-Dispar/XI/2022",
        "tanggal": "2 November 2022",
        "perihal": "Permohonan Integrasi Aplikasi Sistem Informasi Pariwisata",
    },
    "permohonan": {"nomor_agenda": "A-2022-0098"},
    "surat_keluar": {
        "nomor": "555/1871-Diskominfo/XI/2022",
        "tanggal": "4 November 2022",
        "tembusan": ["Kepala Bidang Aplikasi Informatika", "Arsip"],
    },
    "kekurangan": [
        "Form Pengajuan Integrasi Sistem Informasi / Aplikasi dan Data yang telah diisi",
        "Nomor telepon dan email penanggung jawab sistem informasi",
        "Nama sub domain yang dimohon (_____.bantenprov.go.id)",
    ],
    "dokumen": {
        "id": "D-2022-000097",
        "dibuat": "4 November 2022",
        "qr": QrCode("https://diskominfo.bantenprov.go.id/verifikasi/contoh-D-2022-000097"),
    },
}

SAMPLE_CONTEXTS: Mapping[str, Mapping[str, Any]] = MappingProxyType(
    {
        "lembar-disposisi-kadis.docx": LEMBAR_DISPOSISI_KADIS,
        "lembar-disposisi-kabid.docx": LEMBAR_DISPOSISI_KABID,
        "laporan-hasil-analisis.docx": LAPORAN_HASIL_ANALISIS,
        "surat-selesai-integrasi.docx": SURAT_SELESAI_INTEGRASI,
        "surat-penolakan.docx": SURAT_PENOLAKAN,
        "surat-kekurangan-berkas.docx": SURAT_KEKURANGAN_BERKAS,
    }
)
