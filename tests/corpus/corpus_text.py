"""Indonesian wording for the corpus letters: subjects, bodies, closings, tembusan.

Only text lives here; which variant a case gets is decided in specs.py.
"""

from __future__ import annotations

import random

from tests.corpus.corpus_data import APP_LONG, DAYS, Date, Opd, write_date_plain

RECIPIENTS: tuple[tuple[str, ...], ...] = (
    (
        "Yth. Kepala Dinas Komunikasi, Informatika, Statistik dan Persandian Provinsi Banten",
        "di -",
        "Serang",
    ),
    (
        "Kepada",
        "Yth. Kepala Dinas Komunikasi, Informatika, Statistik dan Persandian",
        "Provinsi Banten",
        "di",
        "Tempat",
    ),
    ("Yth. Kepala Diskominfo SP Provinsi Banten", "di", "Serang"),
    (
        "Kepada Yth.",
        "Kepala Dinas Kominfo, Statistik dan Persandian Provinsi Banten",
        "c.q. Kepala Bidang Aplikasi Informatika",
        "di -",
        "Tempat",
    ),
)

REQUEST_SUBJECTS: tuple[str, ...] = (
    "Permohonan Integrasi Sistem Informasi",
    "Permohonan Integrasi Aplikasi dan Data",
    "Pengajuan Integrasi Sistem Informasi / Aplikasi dan Data",
    "Permohonan Integrasi Sistem Informasi/Aplikasi dan Data",
    "Permohonan Integrasi Data {APP} ke Portal Satu Data Banten",
    "Permohonan Integrasi dan Pembuatan Subdomain Aplikasi {APP}",
    "Usulan Integrasi Aplikasi {APP}",
    "Permohonan Fasilitasi Integrasi Sistem Informasi dan Penempatan Server Aplikasi {APP} "
    "pada Pusat Data Diskominfo SP",
    "Mohon Integrasi Sistem Informasi",
    "Permohonan Integrasi API {APP} dengan Sistem Informasi Pemerintah Provinsi Banten",
    "Permohonan Integrasi Data dan Subdomain",
)

OTHER_SUBJECTS: tuple[str, ...] = (
    "Undangan Rapat Koordinasi Penyusunan Rencana Kerja Tahun {Y1}",
    "Undangan Sosialisasi Sistem Pemerintahan Berbasis Elektronik",
    "Laporan Kegiatan Bimbingan Teknis Pengelolaan Website",
    "Laporan Hasil Monitoring dan Evaluasi Triwulan III Tahun {Y}",
    "Permohonan Narasumber",
    "Penyampaian Data Statistik Sektoral Tahun {Y}",
    "Pemberitahuan Pemeliharaan Jaringan",
    "Permohonan Peminjaman Ruang Rapat",
    "Undangan Pelantikan Pejabat Administrator dan Pengawas",
    "Penyampaian Laporan Realisasi Anggaran Semester I",
    "Permohonan Data Jumlah Pegawai",
    "Pemberitahuan Perubahan Alamat Surat Elektronik Dinas",
)

SOP_REF = "555/787-Dislominfo/X/2020"


def fill(template: str, app: str, dt: Date) -> str:
    return template.replace("{APP}", app).replace("{Y1}", str(dt.y + 1)).replace("{Y}", str(dt.y))


def opening(rng: random.Random, opd_ref: str, app: str, dt: Date) -> str:
    choices = (
        "Dalam rangka mendukung penyelenggaraan Sistem Pemerintahan Berbasis Elektronik (SPBE) "
        "di lingkungan Pemerintah Provinsi Banten, bersama ini kami mengajukan permohonan "
        f"integrasi sistem informasi / aplikasi dan data pada {opd_ref}.",
        f"Sehubungan dengan pengembangan aplikasi {app} pada {opd_ref}, dengan hormat kami "
        "mohon kiranya Bapak berkenan memfasilitasi integrasi sistem informasi dan data "
        "aplikasi tersebut dengan sistem milik Pemerintah Provinsi Banten.",
        "Menindaklanjuti Surat Edaran Gubernur Banten Nomor 555/1234-Diskominfo/2020 tentang "
        "Pemanfaatan Subdomain bantenprov.go.id, dengan ini kami sampaikan permohonan "
        f"integrasi aplikasi dan data pada {opd_ref}.",
        "Berdasarkan Peraturan Presiden Nomor 95 Tahun 2018 tentang Sistem Pemerintahan "
        "Berbasis Elektronik dan Peraturan Presiden Nomor 39 Tahun 2019 tentang Satu Data "
        f"Indonesia, {opd_ref} bermaksud mengintegrasikan aplikasi {app} ke dalam ekosistem "
        "aplikasi Pemerintah Provinsi Banten.",
        f"Memperhatikan SOP Integrasi Sistem Informasi / Aplikasi dan Data Nomor {SOP_REF}, "
        f"bersama ini {opd_ref} mengajukan permohonan integrasi sistem informasi / aplikasi "
        "dan data.",
    )
    return rng.choice(choices)


def subdomain_sentence(rng: random.Random, written: str, app_long: str) -> str:
    choices = (
        f"Adapun aplikasi yang akan diintegrasikan menggunakan subdomain {written} sebagaimana "
        "tercantum dalam formulir pengajuan terlampir.",
        f"{app_long} tersebut direncanakan dapat diakses melalui alamat {written} dan "
        "akan dikelola oleh pengelola teknologi informasi pada unit kerja kami.",
        f"Untuk keperluan tersebut, kami mengusulkan penggunaan nama subdomain {written}.",
        f"Aplikasi dimaksud (subdomain: {written}) telah kami siapkan beserta dokumentasi "
        "struktur basis datanya.",
        f"Sebagai informasi, aplikasi tersebut saat ini berjalan pada alamat {written}, "
        "sehingga kami mohon dapat diintegrasikan dengan layanan data Pemerintah Provinsi "
        "Banten.",
    )
    return rng.choice(choices)


NO_SUBDOMAIN_SENTENCES: tuple[str, ...] = (
    "Rincian aplikasi dan data yang akan diintegrasikan kami sampaikan dalam formulir "
    "pengajuan terlampir.",
    "Adapun data teknis aplikasi dan penanggung jawab sistem akan kami sampaikan kemudian "
    "sesuai ketentuan yang berlaku.",
    "Bersama ini pula kami lampirkan spesifikasi teknis dan struktur basis data aplikasi "
    "sebagai bahan analisis.",
)

DATA_ITEMS: tuple[str, ...] = (
    "data induk pegawai dan riwayat jabatan",
    "data realisasi anggaran per kegiatan dan sub kegiatan",
    "data aset dan barang milik daerah",
    "data layanan pengaduan masyarakat beserta status tindak lanjutnya",
    "data perizinan yang diterbitkan per bulan",
    "data sarana dan prasarana pada unit pelaksana teknis daerah",
    "data kinerja program sesuai indikator Rencana Strategis",
    "data statistik sektoral yang dimutakhirkan setiap triwulan",
    "data kepesertaan dan penerima manfaat program",
    "data referensi wilayah (provinsi, kabupaten/kota, kecamatan dan desa/kelurahan)",
    "data jadwal kegiatan dan agenda pimpinan",
    "data dokumen perencanaan dan laporan kinerja instansi pemerintah",
)

CLOSINGS: tuple[str, ...] = (
    "Demikian permohonan ini kami sampaikan, atas perhatian dan kerja samanya diucapkan terima "
    "kasih.",
    "Demikian disampaikan, atas perhatian dan kerja sama Bapak kami ucapkan terima kasih.",
    "Atas perhatian dan kerja samanya, kami sampaikan terima kasih.",
)

TEMBUSAN: tuple[str, ...] = (
    "Yth. Gubernur Banten (sebagai laporan);",
    "Yth. Sekretaris Daerah Provinsi Banten;",
    "Yth. Inspektur Provinsi Banten;",
    "Arsip.",
)


def data_items(rng: random.Random, n: int) -> list[str]:
    items = rng.sample(DATA_ITEMS, n)
    return [it + (";" if i < n - 1 else ".") for i, it in enumerate(items)]


LEGAL_BASIS: tuple[str, ...] = (
    "Undang-Undang Nomor 14 Tahun 2008 tentang Keterbukaan Informasi Publik;",
    "Peraturan Presiden Nomor 95 Tahun 2018 tentang Sistem Pemerintahan Berbasis Elektronik;",
    "Peraturan Presiden Nomor 39 Tahun 2019 tentang Satu Data Indonesia;",
    "Peraturan Menteri Dalam Negeri Nomor 83 Tahun 2022 tentang Pedoman Tata Naskah Dinas;",
    "Peraturan Gubernur Banten tentang Tata Kelola Teknologi Informasi dan Komunikasi di "
    "Lingkungan Pemerintah Provinsi Banten.",
)


def long_paragraphs(rng: random.Random, opd_ref: str) -> list[str]:
    return [
        f"Saat ini {opd_ref} telah mengelola sejumlah aplikasi layanan yang masih berjalan "
        "secara terpisah dan belum saling berbagi pakai data, sehingga penyajian informasi "
        "kepada pimpinan dan masyarakat belum optimal serta memerlukan pemutakhiran manual "
        "yang memakan waktu.",
        "Integrasi tersebut diharapkan dapat mendukung pelaksanaan Satu Data Indonesia di "
        "tingkat Provinsi Banten, mengurangi duplikasi pengumpulan data, serta meningkatkan "
        "kualitas layanan publik yang cepat, tepat dan akuntabel. Kami siap menyediakan "
        "akses antarmuka pemrograman aplikasi (API) serta dokumentasi struktur basis data "
        + rng.choice(("yang diperlukan.", "sesuai standar interoperabilitas yang ditetapkan.")),
    ]


def other_body(rng: random.Random, subject: str, opd: Opd, dt: Date) -> list[tuple[str, ...]]:
    """Blocks for a letter that is not an integration request."""
    day = DAYS[(dt.d + dt.m) % 5]
    when = write_date_plain(Date(dt.y, dt.m, min(dt.d + 7, 28)))
    if subject.startswith("Undangan"):
        return [
            (
                "p",
                "Dengan hormat, dalam rangka "
                + subject.removeprefix("Undangan ").lower()
                + ", kami mengundang Bapak/Ibu untuk hadir pada:",
            ),
            ("kv", "Hari/Tanggal", f"{day}, {when}"),
            ("kv", "Waktu", "09.00 WIB s.d. selesai"),
            (
                "kv",
                "Tempat",
                rng.choice(
                    (
                        "Aula Pendopo Gubernur Banten",
                        "Ruang Rapat Lantai 3 Gedung Sekretariat Daerah",
                    )
                ),
            ),
            ("kv", "Acara", subject.removeprefix("Undangan ")),
            ("p", "Mengingat pentingnya acara tersebut, kehadiran Bapak/Ibu sangat kami harapkan."),
        ]
    if subject.startswith("Pemberitahuan Pemeliharaan"):
        host = f"{opd.sub or 'setda'}.bantenprov.go.id"
        return [
            (
                "p",
                "Dengan hormat, kami beritahukan bahwa pada tanggal "
                f"{when} akan dilaksanakan pemeliharaan perangkat jaringan, sehingga layanan "
                f"website {host} tidak dapat diakses pukul 20.00 s.d. 23.00 WIB.",
            ),
            ("p", "Kami mohon maaf atas ketidaknyamanan yang ditimbulkan."),
        ]
    if subject.startswith("Permohonan Narasumber"):
        return [
            (
                "p",
                "Dengan hormat, dalam rangka kegiatan Peningkatan Kapasitas Aparatur "
                f"pada {opd.name} Provinsi Banten, kami mohon kesediaan Bapak untuk menugaskan "
                f"pejabat terkait sebagai narasumber pada hari {day}, {when}.",
            ),
            (
                "p",
                "Materi yang diharapkan adalah keamanan informasi dan pengelolaan "
                "website perangkat daerah.",
            ),
        ]
    return [
        (
            "p",
            f"Dengan hormat, bersama ini kami sampaikan {subject.lower()} pada "
            f"{opd.name} Provinsi Banten sebagaimana terlampir.",
        ),
        (
            "p",
            "Dokumen tersebut disusun sebagai bahan evaluasi dan tindak lanjut sesuai "
            "ketentuan yang berlaku.",
        ),
        (
            "p",
            f"Informasi lebih lanjut dapat menghubungi sekretariat kami pada hari {day} jam kerja.",
        ),
    ]


def app_long_name(app: str) -> str:
    return APP_LONG.get(app.lower(), f"Aplikasi {app.upper()}")


FORM_TITLES: tuple[tuple[str, ...], ...] = (
    ("FORMULIR PENGAJUAN INTEGRASI SISTEM INFORMASI / APLIKASI DAN DATA",),
    ("FORM PENGAJUAN", "INTEGRASI SISTEM INFORMASI / APLIKASI DAN DATA"),
    ("Form Pengajuan Integrasi Sistem Informasi/Aplikasi dan Data",),
    (
        "FORMULIR PENGAJUAN",
        "INTEGRASI SISTEM INFORMASI/APLIKASI DAN DATA",
        "PEMERINTAH PROVINSI BANTEN",
    ),
)

FORM_LABELS: dict[str, tuple[str, ...]] = {
    "nomor_permohonan": ("Nomor Permohonan", "No. Permohonan", "Nomor Permohonan"),
    "opd": ("Nama OPD", "Nama Perangkat Daerah", "OPD Pemohon", "Nama OPD"),
    "section": (
        "Penanggung Jawab Sistem Informasi / Aplikasi dan Data",
        "Penanggung Jawab Sistem Informasi/Aplikasi dan Data",
        "PENANGGUNG JAWAB SISTEM INFORMASI / APLIKASI DAN DATA",
    ),
    "nama": ("Nama", "Nama Lengkap", "Nama"),
    "telepon": (
        "Nomor Telepon Kantor / Hand Phone",
        "Nomor Telepon Kantor/ Hand Phone",
        "No. Telp/HP",
        "Telepon / HP",
    ),
    "email": ("Email", "E-mail", "Alamat Email"),
    "jabatan": ("Jabatan", "Jabatan"),
    "nama_subdomain": ("Nama Sub domain", "Nama Subdomain"),
    "subdomain": ("Sub domain", "Subdomain", "Alamat Sub domain"),
}

DECLARATIONS: tuple[str, ...] = (
    "Dengan ini kami mengajukan integrasi sistem informasi / aplikasi dan data untuk OPD {OPD} "
    "dan menyanggupi serta berkomitmen untuk melakukan integrasi sistem informasi / aplikasi "
    "dan data dalam rangka menyajikan informasi terkini yang dibutuhkan oleh masyarakat "
    "Provinsi Banten.",
    "Data di atas kami isi dengan sebenar-benarnya dan kami bersedia mematuhi ketentuan "
    "penamaan subdomain serta standar keamanan informasi yang berlaku.",
)
