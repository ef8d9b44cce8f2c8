"""Sample contexts, one per template: the shape the code must give each template.

Used by scripts/build_templates.py (lint and preview) and the tests; the values are made up.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

KANTOR: Mapping[str, str] = {
    "nama": "Dinas Komunikasi, Informatika, Statistik dan Persandian",
    "pemerintah": "Pemerintah Provinsi Banten",
    "alamat": "Kawasan Pusat Pemerintahan Provinsi Banten (KP3B), Jl. Syekh Nawawi Al-Bantani, "
    "Palima",
    "telepon": "(0254) 267000",
    "email": "diskominfo@bantenprov.go.id",
    "kota": "Serang",
}

LEMBAR_DISPOSISI_KADIS: Mapping[str, Any] = {
    "kantor": KANTOR,
    "kepala_dinas": {
        "nama": "Dr. Ahmad Fauzi, S.Kom., M.T.",
        "nip": "19700512 199503 1 002",
        "jabatan": "Kepala Dinas Komunikasi, Informatika, Statistik dan Persandian Provinsi Banten",
    },
    "kepala_bidang": {
        "nama": "Rina Marlina, S.T., M.Kom.",
        "jabatan": "Kepala Bidang Aplikasi Informatika",
    },
    "kepala_seksi": {
        "nama": "Budi Santoso, S.Kom.",
        "jabatan": "Kepala Seksi Integrasi Sistem Informasi",
    },
    "surat": {
        "dari": "Badan Penanggulangan Bencana Daerah",
        "nomor": "060/BPBD/834/2022",
        "tanggal": "12 Desember 2022",
        "perihal": "Pengajuan Integrasi Sistem Informasi / Aplikasi dan Data",
        "sifat": "Biasa",
    },
    "permohonan": {
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
    },
    "dokumen": {"id": "D-2022-000123", "dibuat": "14 Desember 2022"},
}

SAMPLE_CONTEXTS: Mapping[str, Mapping[str, Any]] = MappingProxyType(
    {"lembar-disposisi-kadis.docx": LEMBAR_DISPOSISI_KADIS}
)
