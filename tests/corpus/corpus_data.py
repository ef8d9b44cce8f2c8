"""Static make-believe data for the digital test corpus: OPDs, people, numbers, dates.

The OPD rows mirror /work/shared/reference/opd-banten.csv (canonical name, abbreviations,
subdomain) so the corpus is self-contained and regenerates identically without the reference
folder. Every person, number and phone below is invented.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

# --------------------------------------------------------------------------- OPDs


@dataclass(frozen=True)
class Opd:
    name: str  # canonical, as in opd-banten.csv
    abbrs: tuple[str, ...]  # as in opd-banten.csv
    sub: str  # the OPD's own subdomain ("" when none)
    units: tuple[str, ...]  # unit codes seen in letter numbers (no spaces)
    head: str  # the head's title, capitals, without "PROVINSI BANTEN"
    place: str = "Serang"

    @property
    def is_biro(self) -> bool:
        return self.name.startswith("Biro ")

    @property
    def ambiguous(self) -> bool:
        return "DKP" in self.abbrs


def _o(name: str, abbrs: str, sub: str, units: str, head: str = "", place: str = "Serang") -> Opd:
    return Opd(
        name=name,
        abbrs=tuple(a for a in abbrs.split(";") if a),
        sub=sub,
        units=tuple(units.split(";")),
        head=head or "KEPALA " + name.upper(),
        place=place,
    )


# fmt: off
OPDS: tuple[Opd, ...] = (
    _o("Sekretariat Daerah", "Setda", "", "Setda;Sekda", "SEKRETARIS DAERAH"),
    _o("Biro Pemerintahan dan Kesejahteraan Rakyat", "Biro Pemkesra", "biropemerintahan",
       "BiroPemkesra;Br.Pemkesra"),
    _o("Biro Hukum", "", "birohukum", "Hukum;Br.Huk;BiroHukum"),
    _o("Biro Perekonomian dan Administrasi Pembangunan", "Biro Ekbang;Biro Adpem", "biroadpem",
       "BiroAdpem;Br.Ekbang"),
    _o("Biro Administrasi Pimpinan", "Biro Adpim", "biroaprt", "BiroAdpim;Br.Adpim"),
    _o("Biro Organisasi dan Reformasi Birokrasi", "Biro Organisasi;Biro ORB", "biroorganisasi",
       "Org;BiroORB;Br.Org"),
    _o("Biro Umum", "", "biroumum", "BiroUmum;Br.Um"),
    _o("Biro Pengadaan Barang/Jasa", "Biro PBJ", "lpse", "BiroPBJ;Br.PBJ"),
    _o("Sekretariat DPRD", "Setwan;Setdprd", "setdprd", "Setwan;Setdprd", "SEKRETARIS DPRD"),
    _o("Inspektorat", "", "inspektorat", "Insp;Inspektorat", "INSPEKTUR"),
    _o("Badan Perencanaan Pembangunan Daerah", "Bappeda", "bappeda", "Bappeda;SEK-Bappeda"),
    _o("Badan Pendapatan Daerah", "Bapenda", "bapenda", "Bapenda;Sekr.Bapenda"),
    _o("Badan Pengelolaan Keuangan dan Aset Daerah", "BPKAD", "bpkad", "BPKAD;SEK-BPKAD"),
    _o("Badan Kepegawaian Daerah", "BKD", "bkd", "BKD;Sekr.BKD"),
    _o("Badan Pengembangan Sumber Daya Manusia Daerah", "BPSDMD;BPSDM", "bpsdmd", "BPSDMD;BPSDM"),
    _o("Badan Kesatuan Bangsa dan Politik", "Kesbangpol", "kesbangpol", "Kesbangpol"),
    _o("Badan Penanggulangan Bencana Daerah", "BPBD", "bpbd", "BPBD;SEK-BPBD"),
    _o("Badan Penghubung Daerah", "Banghub;Penghubung", "penghubung", "Banghub;Penghubung",
       place="Jakarta"),
    _o("Dinas Pendidikan dan Kebudayaan", "Dindikbud", "dindikbud", "Dindikbud;Sekr.Dindikbud"),
    _o("Dinas Kesehatan", "Dinkes", "dinkes", "Dinkes;Sekr.Dinkes;SEK-Dinkes"),
    _o("Dinas Pekerjaan Umum dan Penataan Ruang", "DPUPR", "dpupr", "DPUPR;SEK-DPUPR"),
    _o("Dinas Perumahan Rakyat dan Kawasan Permukiman", "Perkim;Disperkim", "perkim",
       "Perkim;Disperkim"),
    _o("Satuan Polisi Pamong Praja", "Satpol PP", "satpolpp", "SatpolPP;Satpol.PP"),
    _o("Dinas Sosial", "Dinsos", "dinsos", "Dinsos;Sekr.Dinsos"),
    _o("Dinas Tenaga Kerja dan Transmigrasi", "Disnakertrans", "disnakertrans",
       "Disnakertrans;SEK-Disnakertrans"),
    _o("Dinas Pemberdayaan Perempuan, Perlindungan Anak, Kependudukan dan Keluarga Berencana",
       "DP3AKKB", "dp3akkb", "DP3AKKB"),
    _o("Dinas Ketahanan Pangan", "Disketapang;DKP", "disketapang", "Disketapang;DKP"),
    _o("Dinas Lingkungan Hidup dan Kehutanan", "DLHK", "dlhk", "DLHK;SEK-DLHK"),
    _o("Dinas Pemberdayaan Masyarakat dan Desa", "DPMD", "dpmd", "DPMD"),
    _o("Dinas Perhubungan", "Dishub", "dishub", "Dishub;Sekr.Dishub"),
    _o("Dinas Komunikasi, Informatika, Statistik dan Persandian",
       "Diskominfo SP;Diskominfo;Dislominfo", "diskominfo",
       "Dislominfo;DiskominfoSP;Diskominfo"),
    _o("Dinas Koperasi, Usaha Kecil dan Menengah", "Dinkop UKM;Dinkopukm", "dinkopukm",
       "DinkopUKM;Dinkopukm"),
    _o("Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu", "DPMPTSP", "dpmptsp",
       "DPMPTSP;SEK-DPMPTSP"),
    _o("Dinas Kepemudaan dan Olah Raga", "Dispora", "dispora", "Dispora"),
    _o("Dinas Perpustakaan dan Kearsipan", "DPK;Dispusip", "dpk", "DPK;Dispusip"),
    _o("Dinas Kelautan dan Perikanan", "DKP", "dkp", "DKP;SEK-DKP"),
    _o("Dinas Pariwisata", "Dispar", "dispar", "Dispar;Sekr.Dispar"),
    _o("Dinas Pertanian", "Distan;Dispertan", "dispertan", "Distan;Dispertan"),
    _o("Dinas Energi dan Sumber Daya Mineral", "Dinas ESDM;DESDM", "desdm", "DESDM;ESDM"),
    _o("Dinas Perindustrian dan Perdagangan", "Disperindag", "disperindag", "Disperindag"),
    _o("Rumah Sakit Umum Daerah Banten", "RSUD Banten", "rsud", "RSUDBanten;RSUD",
       "DIREKTUR RUMAH SAKIT UMUM DAERAH BANTEN"),
    _o("Rumah Sakit Umum Daerah Malingping", "RSUD Malingping", "rsudmalingping",
       "RSUDMalingping;RSUD.Mlp", "DIREKTUR RUMAH SAKIT UMUM DAERAH MALINGPING",
       place="Malingping"),
)
# fmt: on

DISKOMINFO = next(o for o in OPDS if o.sub == "diskominfo")


def short_abbr(opd: Opd) -> str | None:
    """An abbreviation that names this OPD alone (never the ambiguous DKP)."""
    ok = [a for a in opd.abbrs if a != "DKP"]
    return ok[0] if ok else None


ADDRESSES: dict[str, str] = {
    "Serang": "Jl. Syekh Nawawi Al-Bantani, Kawasan Pusat Pemerintahan Provinsi Banten (KP3B), "
    "Palima, Serang 42171",
    "Jakarta": "Jl. Kuningan Barat Raya No. 12, Mampang Prapatan, Jakarta Selatan 12710",
    "Malingping": "Jl. Raya Saketi - Malingping Km. 1, Malingping, Kabupaten Lebak 42391",
}
ALT_ADDRESSES: tuple[str, ...] = (
    "Jl. Syekh Nawawi Al-Bantani, Kawasan Pusat Pemerintahan Provinsi Banten, Serang",
    "Jl. Brigjen KH. Syam'un No. 5, Kota Serang, Banten 42111",
    "Jl. Raya Serang - Pandeglang Km. 4, Karundang, Cipocok Jaya, Serang 42124",
    "Jl. Ahmad Yani No. 158, Sumurpecung, Kota Serang 42118",
)

# --------------------------------------------------------------------------- people

# fmt: off
FIRST_NAMES: tuple[str, ...] = (
    "Budi", "Siti", "Ahmad", "Dewi", "Rudi", "Nurul", "Agus", "Rina", "Hendra", "Yuli", "Asep",
    "Euis", "Dedi", "Neneng", "Iwan", "Lilis", "Ujang", "Tati", "Eko", "Fitri", "Bambang", "Ratna",
    "Wahyu", "Intan", "Andi", "Maya", "Fajar", "Sri", "Taufik", "Ayu", "Rizky", "Nadia", "Yusuf",
    "Kartika", "Irfan", "Wulan", "Hasan", "Citra", "Dimas", "Laras", "Muhamad", "Eneng", "Surya",
    "Puspita", "Arief", "Mega", "Gilang", "Anisa", "Heri", "Ria",
)
LAST_NAMES: tuple[str, ...] = (
    "Santoso", "Aminah", "Hidayat", "Lestari", "Setiawan", "Fauziah", "Saputra", "Rahmawati",
    "Gunawan", "Kurniasih", "Suryadi", "Maulana", "Sulastri", "Permana", "Nurhayati", "Firmansyah",
    "Wijaya", "Handayani", "Prasetyo", "Hasanah", "Ramdani", "Mulyani", "Sopandi", "Suherman",
    "Jayadi", "Kusnadi", "Syafrudin", "Marlina", "Rohman", "Anggraeni", "Sutisna", "Fadilah",
    "Herlambang", "Komariah", "Nugraha", "Pratiwi", "Sembiring", "Siregar", "Tanjung", "Wibisono",
)
# fmt: on
PREFIX_TITLES: tuple[str, ...] = ("Dr.", "Ir.", "Drs.", "H.", "Hj.", "dr.", "Dr. Ir.", "Dr. H.")
# fmt: off
SUFFIX_TITLES: tuple[str, ...] = (
    "S.Kom.", "S.Kom., M.Kom.", "S.T.", "S.T., M.T.", "M.T.", "S.E.", "S.E., M.Ak.", "M.Si.",
    "S.Sos.", "S.Sos., M.Si.", "S.H., M.H.", "S.IP., M.Si.", "M.M.", "S.Si.", "A.Md.",
    "S.Tr.Kom.", "M.Kes.", "S.Kom, MM", "S.Pd., M.Pd.", "S.Stat.",
)
# fmt: on
JABATAN_PJ: tuple[str, ...] = (
    "Kepala Seksi Data dan Informasi",
    "Kepala Sub Bagian Program dan Pelaporan",
    "Kepala Sub Bagian Umum dan Kepegawaian",
    "Analis Sistem Informasi",
    "Pranata Komputer Ahli Muda",
    "Pranata Komputer Ahli Pertama",
    "Pranata Komputer Terampil",
    "Kepala Bidang Sistem Informasi dan Pelaporan",
    "Sekretaris Dinas",
    "Pengelola Teknologi Informasi",
    "Statistisi Ahli Pertama",
    "Administrator Database",
    "Kepala UPTD Pengelolaan Data",
    "Kepala Seksi Pengembangan Aplikasi",
)
# fmt: off
PANGKAT: tuple[str, ...] = (
    "Pembina Utama Madya", "Pembina Utama Muda", "Pembina Tingkat I", "Pembina",
    "Penata Tingkat I", "Pembina Utama Muda (IV/c)", "Pembina Tingkat I (IV/b)",
)
# fmt: on


@dataclass(frozen=True)
class Person:
    nama: str
    first: str
    last: str


def make_person(rng: random.Random, titled: float = 0.75) -> Person:
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    nama = f"{first} {last}"
    if rng.random() < 0.18:
        nama = f"{rng.choice(PREFIX_TITLES)} {nama}"
    if rng.random() < titled:
        nama = f"{nama}, {rng.choice(SUFFIX_TITLES)}"
    return Person(nama=nama, first=first, last=last)


def make_nip(rng: random.Random, spaced: bool = True) -> str:
    by = rng.randint(1965, 1994)
    born = f"{by}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
    start = f"{by + rng.randint(23, 30)}{rng.choice((1, 2, 3, 4, 12)):02d}"
    g, seq = str(rng.randint(1, 2)), f"{rng.randint(1, 12):03d}"
    return " ".join((born, start, g, seq)) if spaced else born + start + g + seq


# --------------------------------------------------------------------------- phones, emails

# fmt: off
MOBILE_PREFIXES: tuple[str, ...] = (
    "811", "812", "813", "821", "822", "852", "853", "856", "857", "877", "878", "881", "895",
)
# fmt: on


def make_phone(rng: random.Random, style: str) -> tuple[str, str]:
    """(as written, E.164). Styles: dash, plain, intl, space, landline, landline_dash."""
    if style.startswith("landline"):
        local = f"2{rng.randint(10000, 99999)}"
        e164 = f"+62254{local}"
        return (f"(0254) {local}" if style == "landline" else f"0254-{local}"), e164
    rest = "".join(str(rng.randint(0, 9)) for _ in range(rng.choice((7, 8, 8))))
    digits = rng.choice(MOBILE_PREFIXES) + rest  # without the trunk 0
    national = "0" + digits
    e164 = "+62" + digits
    if style == "dash":
        return f"{national[:4]}-{national[4:8]}-{national[8:]}", e164
    if style == "space":
        return f"{national[:4]} {national[4:8]} {national[8:]}", e164
    if style == "intl":
        return f"+62 {digits[:3]} {digits[3:7]} {digits[7:]}", e164
    return national, e164


def make_email(rng: random.Random, p: Person, opd: Opd, style: str) -> tuple[str, str]:
    """(as written, lowercase). Styles: dinas, gmail, opdhost, caps."""
    first, last = p.first.lower(), p.last.lower()
    tag = opd.sub or "setda"
    if style == "gmail":
        written = rng.choice(
            (f"{first}{last}{rng.randint(70, 99)}", f"{first}.{last}", f"{first}_{tag}")
        ) + rng.choice(("@gmail.com", "@yahoo.co.id"))
    elif style == "opdhost":
        written = f"{first}@{tag}.bantenprov.go.id"
    elif style == "caps":
        written = f"{p.first}.{p.last}@BantenProv.go.id"
    else:
        written = rng.choice((f"{first}.{tag}", f"{first}.{last}", f"{first}{last[0]}")) + (
            "@bantenprov.go.id"
        )
    return written, written.lower()


# --------------------------------------------------------------------------- subdomains

# fmt: off
APPS: tuple[str, ...] = (
    "simpeg", "sipd", "siskeudes", "sidalih", "lapor", "e-kinerja", "sikd", "simbada", "sigap",
    "sipadu", "sitaru", "simonev", "sikesehatan", "ppid", "satudata", "opendata", "e-office",
    "simak-bmd", "tracing", "dashboard-covid", "jdih", "sakip", "e-absensi", "sipkd", "simrs",
    "siap", "pantau", "e-arsip", "geoportal", "sipintar", "e-planning", "simlitbang", "sibangga",
    "e-perizinan", "silaras", "sidak", "simpel", "e-retribusi", "sipangan", "simperikanan",
)
# fmt: on
APP_LONG: dict[str, str] = {
    "simpeg": "Sistem Informasi Manajemen Kepegawaian",
    "sipd": "Sistem Informasi Pemerintahan Daerah",
    "sikd": "Sistem Informasi Kearsipan Dinamis",
    "simbada": "Sistem Informasi Manajemen Barang Daerah",
    "simonev": "Sistem Informasi Monitoring dan Evaluasi",
    "e-kinerja": "Aplikasi Penilaian Kinerja Pegawai",
    "geoportal": "Geoportal Data Spasial",
    "e-perizinan": "Layanan Perizinan Elektronik",
    "simrs": "Sistem Informasi Manajemen Rumah Sakit",
    "sipangan": "Sistem Informasi Ketersediaan Pangan",
}


def make_subdomain(rng: random.Random, opd: Opd, shape: str) -> tuple[str, str, str]:
    """(application, the name written before .bantenprov.go.id, full lowercase FQDN)."""
    app = rng.choice(APPS)
    tag = opd.sub or "setda"
    name = {
        "bare": app,
        "suffixed": f"{app}-{tag}",
        "prefixed": f"{tag}-{app}",
        "multi": f"{app.replace('-', '')}.{tag}",
    }[shape]
    return app, name, f"{name}.bantenprov.go.id"


# --------------------------------------------------------------------------- dates

# fmt: off
MONTHS: tuple[str, ...] = (
    "Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
    "Oktober", "November", "Desember",
)
# fmt: on
OLD_MONTHS = {2: "Pebruari", 11: "Nopember"}
# fmt: off
ABBR_MONTHS = {1: ("Jan",), 2: ("Feb", "Peb"), 3: ("Mar",), 4: ("Apr",), 5: ("Mei",),
               6: ("Jun",), 7: ("Jul",), 8: ("Agt", "Agu", "Agust"), 9: ("Sep", "Sept"),
               10: ("Okt",), 11: ("Nov", "Nop"), 12: ("Des",)}
# fmt: on
ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")
DAYS = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat")


@dataclass(frozen=True)
class Date:
    y: int
    m: int
    d: int

    @property
    def iso(self) -> str:
        return f"{self.y:04d}-{self.m:02d}-{self.d:02d}"

    @property
    def roman(self) -> str:
        return ROMAN[self.m - 1]


def make_date(rng: random.Random, style: str) -> Date:
    y = rng.randint(2019, 2025)
    m = rng.choice((2, 11)) if style == "old" else rng.randint(1, 12)
    if style == "abbr" and rng.random() < 0.4:
        m = 8
    return Date(y, m, rng.randint(1, 28))


def write_date(rng: random.Random, dt: Date, style: str) -> str:
    """Styles: full, full0 (leading zero), old (Pebruari/Nopember), abbr (Okt, Agt, ...)."""
    zero = style == "full0" or (style == "abbr" and rng.random() < 0.3)
    day = f"{dt.d:02d}" if zero else str(dt.d)
    if style == "old" and dt.m in OLD_MONTHS:
        month = OLD_MONTHS[dt.m]
    elif style == "abbr":
        month = rng.choice(ABBR_MONTHS[dt.m]) + ("." if rng.random() < 0.25 else "")
    else:
        month = MONTHS[dt.m - 1]
    return f"{day} {month} {dt.y}"


def write_date_plain(dt: Date) -> str:
    return f"{dt.d} {MONTHS[dt.m - 1]} {dt.y}"


# --------------------------------------------------------------------------- letter numbers

# fmt: off
CLASS_3: tuple[str, ...] = (
    "555", "005", "060", "045", "050", "800", "900", "440", "420", "027", "061", "482", "470",
    "489", "485", "120", "093",
)
CLASS_2 = ("05", "48", "60", "90")
CLASS_DOTTED: tuple[str, ...] = (
    "000.1.2.3", "800.1.13.2", "555.1", "000.7.2", "400.14.5.4", "500.12", "100.3.4", "027.2",
    "900.1.3.1", "000.5.2",
)
# c class, s serial, u unit, B bidang index, R Roman month, y year, Ks "Kep." + serial,
# Ds dotted serial; "/" and "-" are the separators as printed
NUMBER_SHAPES: tuple[str, ...] = (
    "c/s-u/R/y", "c/s-u/y", "c/u/s/y", "c/s/u/y", "c/s/u/R/y", "c/s-u-B/y", "c/s-u-B/R/y",
    "c/Ks-u/y", "c/Ds-u/R/y", "c/u/s/R/y",
)
# fmt: on
NUMBER_SPACING = ("none", "none", "none", "all", "slashes")


def _serial(rng: random.Random) -> str:
    digits = rng.choice((1, 2, 3, 3, 3, 4, 4, 4, 5, 6))
    lo = 10 ** (digits - 1) if digits > 1 else 1
    return str(rng.randint(lo, 10**digits - 1))


def make_nomor(
    rng: random.Random,
    opd: Opd,
    dt: Date,
    shape: str,
    klass: str,
    spacing: str,
    unit: str | None = None,
) -> tuple[str, str]:
    """(as written, canonical without spaces). `shape` letters: c class, s serial, u unit,
    B bidang index, R Roman month, y year, K "Kep." prefix, D dotted serial."""
    unit = unit or rng.choice(opd.units)
    serial = _serial(rng)
    if "Ds" in shape:
        serial = f"{serial}.{rng.randint(1, 9)}"
    if "Ks" in shape:
        serial = "Kep." + serial
    bidang = rng.choice(ROMAN[:6])
    parts: list[list[str]] = []
    for seg in shape.split("/"):
        pieces = []
        for tok in seg.split("-"):
            pieces.append(
                {
                    "c": klass,
                    "s": serial,
                    "Ks": serial,
                    "Ds": serial,
                    "u": unit,
                    "B": bidang,
                    "R": dt.roman,
                    "y": str(dt.y),
                }[tok]
            )
        parts.append(pieces)
    canon = "/".join("-".join(p) for p in parts)
    dash = " - " if spacing == "all" else "-"
    slash = " / " if spacing in ("all", "slashes") else "/"
    return slash.join(dash.join(p) for p in parts), canon


def pick_class(rng: random.Random, kind: str) -> str:
    return {"3": rng.choice(CLASS_3), "2": rng.choice(CLASS_2), "dotted": rng.choice(CLASS_DOTTED)}[
        kind
    ]


def make_nomor_permohonan(rng: random.Random, dt: Date, opd: Opd, shape: str) -> str | None:
    if shape == "blank":
        return None
    n = rng.randint(1, 999)
    unit = short_abbr(opd) or "DKP"
    return {
        "prm_dash": f"PRM-{dt.y}-{n:04d}",
        "prm_slash": f"{n}/PRM/{dt.y}",
        "prm_unit": f"{n:03d}/PRM-{unit.replace(' ', '')}/{dt.y}",
        "int": f"INT/{dt.y}/{n:03d}",
    }[shape]
