"""Reliability figures for RELIABILITY.md: crash safety, bursts, several workers, a real
Windows share, odd names and the hostile contents of `hostile.py`. Every row counts files
dropped, registered, parked in inbox/failed/ with a reason, lost and duplicated.

Usage (from the repository's root):
    python -m tests.reliability.report [--kills 100] [--burst 10000] [--workers-files 2000]
        [--workers 3] [--folder 500] [--out RELIABILITY.md] [--only crash,burst,...]
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path

from tests.reliability.burst import run_burst
from tests.reliability.crash import run_crash
from tests.reliability.hostile import run_hostile
from tests.reliability.kit import ROOT, Row
from tests.reliability.names import run_names
from tests.reliability.samba import SambaUnavailable, run_samba
from tests.reliability.workers import run_workers, scratch_database

COLUMNS = (
    "uji",
    "dijatuhkan",
    "tercatat",
    "gagal + alasan",
    "hilang",
    "ganda",
    "kill -9",
    "RSS puncak (MB)",
    "waktu (s)",
    "catatan",
)


def main() -> None:
    args = _arguments()
    runs: dict[str, Callable[[Path], Row]] = {
        "names": lambda d: run_names(d, folder_files=args.folder).row,
        "samba": lambda d: run_samba(d, files=40, scan_megabytes=25),
        "hostile": _hostile,
        "workers": lambda d: _workers(d, args.workers_files, args.workers),
        "crash": lambda d: run_crash(d, kills=args.kills),
        "burst": lambda d: run_burst(d, files=args.burst, scans=5),
    }
    chosen = args.only.split(",") if args.only else list(runs)
    rows: list[Row] = []
    for name in chosen:
        with tempfile.TemporaryDirectory(prefix=f"reliability-{name}-") as tmp:
            print(f"… {name}", flush=True)
            try:
                row = runs[name](Path(tmp))
            except SambaUnavailable as exc:
                row = Row(test="share Samba (smbclient)", note=f"dilewati: {exc}")
            except Exception as exc:  # a broken run is a row that says so, not a lost table
                traceback.print_exc()
                row = Row(test=name, note=f"GAGAL DIJALANKAN: {exc}")
            print(_line(row), flush=True)
            rows.append(row)
            Path(args.out).write_text(_document(rows, args), encoding="utf-8")
    print(f"ditulis: {args.out}")
    if any(r.lost or r.duplicated for r in rows):
        raise SystemExit(1)


def _workers(workdir: Path, files: int, workers: int) -> Row:
    with scratch_database() as url:
        return run_workers(workdir, url, files=files, workers=workers)


def _hostile(workdir: Path) -> Row:
    found = run_hostile(workdir)
    return Row(
        test=str(found.get("test", "isi berkas yang bermusuhan")),
        dropped=int(found.get("dropped", 0)),
        registered=int(found.get("registered", 0)),
        failed=int(found.get("failed_with_reason", found.get("failed", 0))),
        lost=int(found.get("lost", 0)),
        duplicated=int(found.get("duplicated", 0)),
        kills=int(found.get("kills", 0)),
        peak_rss_mb=float(found["peak_rss_mb"]) if "peak_rss_mb" in found else None,
        seconds=float(found.get("seconds", 0.0)),
        note=str(found.get("note", "batas.maks_detik = 10 s untuk berkas yang lambat")),
    )


def _cells(row: Row) -> list[str]:
    rss = "–" if row.peak_rss_mb is None else f"{row.peak_rss_mb:.0f}"
    return [
        row.test,
        f"{row.dropped:,}".replace(",", "."),
        f"{row.registered:,}".replace(",", "."),
        str(row.failed),
        str(row.lost),
        str(row.duplicated),
        str(row.kills),
        rss,
        f"{row.seconds:.0f}",
        row.note.replace("|", "/"),
    ]


def _line(row: Row) -> str:
    return " | ".join(_cells(row))


def _document(rows: list[Row], args: argparse.Namespace) -> str:
    header = "| " + " | ".join(COLUMNS) + " |"
    rule = "|" + "|".join("---" for _ in COLUMNS) + "|"
    table = "\n".join("| " + " | ".join(_cells(r)) + " |" for r in rows)
    machine = (
        f"{platform.system()} {platform.release()}, {os.cpu_count()} CPU, "
        f"Python {platform.python_version()}"
    )
    return TEMPLATE.format(
        table=f"{header}\n{rule}\n{table}",
        when=time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        machine=machine,
        command=" ".join(["python -m tests.reliability.report", *sys.argv[1:]]),
        commit=_commit(),
    )


def _commit() -> str:
    import subprocess

    done = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
        capture_output=True,
        text=True,
        check=False,
    )
    return done.stdout.strip() or "?"


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--kills", type=int, default=100)
    parser.add_argument("--burst", type=int, default=10_000)
    parser.add_argument("--workers-files", type=int, default=2_000)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--folder", type=int, default=500)
    parser.add_argument("--out", default=str(ROOT / "RELIABILITY.md"))
    parser.add_argument("--only", default="")
    return parser.parse_args()


TEMPLATE = """\
# Keandalan: tidak ada berkas yang hilang atau tercatat dua kali

Dibuat oleh `{command}` pada {when} (commit {commit}; {machine}).
Setiap baris adalah satu uji nyata: proses `pipeline watch` sungguhan, berkas sungguhan,
register sungguhan (SQLite; PostgreSQL untuk beberapa pekerja). *Hilang* = berkas yang
dijatuhkan tetapi tidak tercatat dan tidak diparkir di `inbox/failed/` dengan alasan;
*ganda* = berkas yang tercatat dua kali, catatan duplikat palsu, atau dokumen yang dibuat dua
kali. RSS puncak = proses watcher sendiri (pekerja OCR disebut di catatan).

{table}

## Apa yang diuji

- **kill -9 selama ingest**: berkas dijatuhkan bergelombang; watcher dimatikan dengan SIGKILL
  pada saat acak (0,4–1,6 s setelah mulai memantau) lalu dijalankan lagi. Setelah kill terakhir
  watcher berjalan sampai inbox kosong. Diperiksa: tiap berkas tercatat tepat sekali, arsip
  aslinya ada dan SHA-256-nya sama, lembar disposisi dibuat sekali per permohonan (dan tidak
  ada berkas .docx yatim di outbox), nomor agenda tanpa celah, jurnal intake kosong.
- **berkas sekaligus**: salinan korpus digital yang berbeda per bita (sebagian besar Word,
  sisanya PDF) ditambah beberapa pindaian, dijatuhkan sekaligus dengan rename atomik. Di
  tengah jalan watcher diberi SIGTERM (harus keluar cepat dengan kode 0; berkas yang belum
  mulai dikembalikan ke inbox), lalu dijalankan lagi sampai selesai.
- **beberapa pekerja**: beberapa `pipeline watch` pada satu inbox dan satu database
  PostgreSQL khusus. Satu pekerja dibekukan (SIGSTOP: hidup tetapi detak jantungnya berhenti)
  saat memegang berkas; berkasnya diambil alih pekerja lain setelah lease habis. Satu pekerja
  lain dimatikan (SIGKILL) saat memegang berkas; berkasnya diambil alih juga.
- **share Samba**: smbd Debian sendiri di loopback (port 14450, konfigurasi pribadi) membagikan
  `inbox/`; berkas ditulis dengan `smbclient`, termasuk `put` lambat sebuah pindaian besar
  lewat pipa; watcher dalam mode `--polling`.
- **nama & sistem berkas yang aneh**: nama dengan spasi, Unicode, 250 karakter, diawali tanda
  minus, dua nama yang sama setelah normalisasi Unicode (NFC/NFD), symlink ke berkas dan ke
  folder di luar inbox (ditolak ke `failed/` dengan alasan; target tidak disentuh), berkas
  yang dihapus saat sedang dibaca (tidak dihitung hilang: pemiliknya yang menghapus), satu
  folder berisi 500 berkas sebagai satu kiriman, dan berkas tanpa izin baca.

## Bagaimana keandalan ini dicapai

- **Jurnal intake di register** (tabel `intake`): sebelum berkas dipindah (rename atomik) ke
  folder pekerja, satu baris dicatat (jalur, nama asli, kiriman, pekerja, lease). Statusnya
  bergerak *claimed → archived → registered*; status *registered* ditulis dalam transaksi yang
  sama dengan baris berkas, permohonannya, nomor agenda dan dokumen yang dibuat, sehingga
  "tercatat" dan "dokumen dibuat" tidak pernah terpisah. Setelah salinan pekerja dihapus,
  barisnya dihapus. Dipilih di register (bukan berkas jurnal di samping berkas) karena register
  adalah satu-satunya tempat yang sama bagi semua pekerja di beberapa mesin dan karena status
  *registered* harus ikut transaksi register.
- **Pemulihan**: saat mulai, pekerja mengambil alih baris milik pekerja mati di mesin yang sama
  (pid sudah tidak ada) tanpa menunggu; baris pekerja lain diambil alih saat lease-nya habis
  (`pemantau.masa_klaim_detik`, diperbarui detak jantung tiap sepertiga lease). Ambil alih memakai
  compare-and-set pada pemilik lama. Status baris menentukan sisa pekerjaan: *registered* →
  hanya membersihkan; *failed* → memarkir dengan alasan yang tercatat; *claimed/archived* →
  diproses ulang (arsip berbasis isi, idempoten).
- **Tepat sekali tidak bergantung pada lease**: SHA-256 unik di tabel `files` dan transaksi
  pencatatan menjamin satu catatan walau dua pekerja sempat memegang berkas yang sama.
- **Ledakan berkas**: watcher hanya mengklaim berkas secepat jalurnya (digital, pindaian)
  mengerjakannya, sehingga ribuan berkas tetap di inbox (bisa diambil pekerja lain), memori
  terbatas, dan SIGTERM cepat: berkas yang sudah diklaim tetapi belum mulai dikembalikan ke inbox.
- **Berkas yang belum selesai disalin**: berkas kosong atau yang belum memiliki penanda akhir
  jenisnya (mis. `%%EOF`) baru diambil setelah tenang `pemantau.belum_lengkap_detik` (10 s) —
  share Windows membuat berkas kosong dulu lalu mengisinya.
"""


if __name__ == "__main__":
    main()
