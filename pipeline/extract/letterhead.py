"""The sender as its letterhead (kop surat) names it: the unit and the government it belongs to.

A kop is the block of capitals above the address line: "PEMERINTAH KABUPATEN JEPARA / DINAS
KESEHATAN", "KEMENTERIAN DALAM NEGERI / REPUBLIK INDONESIA", "UNIVERSITAS MUHAMMADIYAH KUDUS".
The sender is its most specific unit with its region ("Dinas Kesehatan Kabupaten Jepara"), so a
regency's office is never taken for the province's office of the same name. Which words open a
unit, and which units already name their place, are data (the tables below), not branches.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from rapidfuzz import fuzz, process

from pipeline.extract.lexicon import reads_as_words
from pipeline.extract.zones import signature_blocks
from pipeline.models import TextLine

# Words that open a unit's name in a kop. A kop line that starts with none of them continues
# the unit above it ("DINAS SOSIAL PEMBERDAYAAN / MASYARAKAT DAN DESA").
UNIT_WORDS: tuple[str, ...] = (
    "DINAS",
    "BADAN",
    "KANTOR",
    "SEKRETARIAT",
    "INSPEKTORAT",
    "BIRO",
    "KECAMATAN",
    "KELURAHAN",
    "DESA",
    "UPTD",
    "UPT",
    "PUSKESMAS",
    "RSUD",
    "RUMAH SAKIT",
    "BALAI",
    "DIREKTORAT",
    "SATUAN",
    "KEJAKSAAN",
    "PENGADILAN",
    "KEPOLISIAN",
    "UNIVERSITAS",
    "INSTITUT",
    "SEKOLAH TINGGI",
    "POLITEKNIK",
    "DEWAN",
    "KEMENTERIAN",
    "BPJS",
    "PENGURUS",
    "PIMPINAN",
    "LEMBAGA",
    "KOMISI",
    "PALANG MERAH",
    "PT",
    "CV",
    "PERUSAHAAN",
    "KOPERASI",
    "YAYASAN",
    "FAKULTAS",
    "PROGRAM STUDI",
    "JURUSAN",
    "AKADEMI",
    "SMA",
    "SMK",
    "SMP",
    "SD",
    "MADRASAH",
    "KAMPUNG",
    "UNIT PELAKSANA TEKNIS",
    "UOBK",
)
TWO_WORD_UNITS = tuple(unit for unit in UNIT_WORDS if len(unit.split()) == 2)
# Units whose own name already says where they are, or that belong to no regional
# government (schools, universities, companies): the regency is not appended.
PLACE_UNITS: tuple[str, ...] = (
    "KECAMATAN",
    "KELURAHAN",
    "DESA",
    "KAMPUNG",
    "PUSKESMAS",
    "UPTD",
    "UPT",
    "SMA",
    "SMK",
    "SMP",
    "SD",
    "MADRASAH",
    "UNIVERSITAS",
    "INSTITUT",
    "SEKOLAH TINGGI",
    "POLITEKNIK",
    "AKADEMI",
    "FAKULTAS",
    "PROGRAM STUDI",
    "JURUSAN",
    "YAYASAN",
    "PT",
    "CV",
)
# Units below another unit of the same kop: the most specific one is the sender, wherever
# its line stands ('FAKULTAS TEKNIK' under or above 'UNIVERSITAS DIPONEGORO'; a village above
# its sub-district).
INNER_UNITS: tuple[str, ...] = (
    "DESA",
    "KELURAHAN",
    "KAMPUNG",
    "FAKULTAS",
    "PROGRAM STUDI",
    "JURUSAN",
)
# Organisations whose branches are named by their territory on the kop's next line
# ('PENGURUS RANTING NAHDLATUL ULAMA MANGUNSUMAN / KECAMATAN SIMAN KABUPATEN PONOROGO'): there
# the territory is part of the sender's name, not an office of its own.
ORGANISATION_UNITS: tuple[str, ...] = ("PENGURUS", "PIMPINAN", "LEMBAGA", "PALANG MERAH")
TERRITORY_UNITS: tuple[str, ...] = ("KECAMATAN", "KELURAHAN", "DESA", "KAMPUNG")
TERRITORY_RE = re.compile(rf"\s(?:{'|'.join(TERRITORY_UNITS)})\b")
# Words before a unit's name that only say what kind of office it is.
UNIT_PREFIX_RE = re.compile(r"^(?:UPTD?|UOBK|UNIT PELAKSANA TEKNIS(?: DAERAH)?|KANTOR KEPALA)\s+")
# Lines that end the kop: address, contacts, the number block, a date, a title.
NUMBER_LABEL = r"nomor\b|no\s*[.:]"
KOP_NUMBER_RE = re.compile(rf"^\W*(?:{NUMBER_LABEL})", re.I)
KOP_END_RE = re.compile(
    r"^\W*(?:j[il1]\s*[.,]|jalan\b|alamat\b|telp|telepon|tlp|fax|faks|e-?mail|website|laman|"
    rf"http|www\.|kode\s*pos|{NUMBER_LABEL}|surat\b|keputusan\b|nota\s+dinas|kepada\b|yth\b|"
    r"form(?:ulir)?\b|daftar\b|bukti\b|berita\s+acara\b|lampiran\b)",
    re.I,
)
LEVEL = r"(?P<level>PROVINSI|KABUPATEN|KAB\s*\.|KOTA)"
GOVERNMENT_RE = re.compile(rf"(?:PEMERINTAH\s+)?{LEVEL}\s+(?P<name>[A-Z][A-Z .'\-]{{2,}})$")
REGION_SUFFIX_RE = re.compile(rf"\s{LEVEL}\s+(?P<name>[A-Z .'\-]+)$")
RUN_ON_GOVERNMENT_RE = re.compile(rf"\bPEMERINTAH\s+{LEVEL}\s+(?P<name>[A-Z0-9][A-Z0-9 ]*)")
# A run-on kop's province is another only when its name is plainly not Banten's ('BAN TEN',
# '8ANTEN' are OCR of the home province).
OTHER_PROVINCE_MAX_SIMILARITY = 60
GOVERNMENT_CUT_RE = re.compile(rf"(?:PEMERINTAH\s+)?{LEVEL}")
NATIONAL_RE = re.compile(r"\bREPUBLIK\s+INDONESIA\b")
NATIONAL_SUFFIX_RE = re.compile(r"\s+(?:REPUBLIK\s+INDONESIA|RI)$")
LEVEL_WORDS = {"PROVINSI": "Provinsi", "KABUPATEN": "Kabupaten", "KAB.": "Kabupaten"}
PLACE_DATE_RE = re.compile(r"[a-z],\s*\d{1,2}\s*[A-Za-z]{3,}\s+\d{4}")
HOME_PROVINCE = "BANTEN"
# The title each kind of unit's head signs with, alone ('Rektor,' for an institute or a
# university) or in place of the kind in the unit's name ('CAMAT KEDUNG', 'SEKRETARIS DAERAH').
HEADS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("REKTOR", ("UNIVERSITAS", "INSTITUT")),
    ("DEKAN", ("FAKULTAS",)),
    ("DIREKTUR", ("RSUD", "RUMAH SAKIT", "POLITEKNIK", "AKADEMI", "DIREKTORAT")),
    ("KETUA", ("SEKOLAH TINGGI", "PENGADILAN", "DEWAN", "KOMISI", "PENGURUS", "PIMPINAN")),
    ("SEKRETARIS DAERAH", ("SEKRETARIAT DAERAH",)),
    ("SEKRETARIS DPRD", ("SEKRETARIAT DPRD",)),
    ("CAMAT", ("KECAMATAN",)),
    ("LURAH", ("KELURAHAN",)),
    ("KEPALA DESA", ("DESA",)),
)
# A decree printed without a kop names its issuer in its title: 'KEPUTUSAN KETUA PENGADILAN
# AGAMA BANJARBARU' is issued by the head of the Pengadilan Agama Banjarbaru.
# An office's head signs as its Kepala: 'KEPALA,' alone under a Dinas's kop.
OFFICE_HEAD = ("KEPALA", ("DINAS", "BADAN", "KANTOR", "BALAI"))
HEAD_TITLES = "|".join([OFFICE_HEAD[0], *(head for head, _ in HEADS)])
DECREE_TITLE_RE = re.compile(rf"^\W*(?:SURAT\s+)?KEPUTUSAN\s+(?:{HEAD_TITLES})\s+(?P<unit>.+)$")
DECREE_TITLE_LINES = 2  # a long title wraps once before its Nomor
SIGNING_FOR_RE = re.compile(r"^(?:(?:AN|A N|PLT|PLH|PJ|UB|U B)\s+)+")  # 'An.', 'Plt.'
SIGNATURE_SPELLING_MIN = 94  # share alike of a kop's unit and its signature's misread copy
MIN_INITIALS = 3  # 'BPKAD' names its Badan; two letters could be anything
HOME_SPELLING_MIN = 80  # 'BANIEN', 'BANTFN' are Banten misread; 'BALI' or 'JAMBI' are not
SMALL_WORDS = frozenset({"dan", "di", "ke", "serta", "atau", "untuk", "pada", "dari"})
SMALL_CAPITALS = frozenset(word.upper() for word in SMALL_WORDS)
# Words kops are made of, for reading OCR's misspellings back (with the master list's words).
KOP_WORDS = frozenset(
    {w for unit in UNIT_WORDS for w in unit.split()}
    | set(
        [
            "PEMERINTAH",
            "PROVINSI",
            "KABUPATEN",
            "KOTA",
            "NEGERI",
            "KESEHATAN",
            "MASYARAKAT",
            "DAERAH",
            "UMUM",
            "RAKYAT",
            "PERWAKILAN",
            "TINGGI",
            "ILMU",
            "REPUBLIK",
            "INDONESIA",
            "PENDIDIKAN",
            "KEBUDAYAAN",
            "AGAMA",
            "ISLAM",
            "PELAYANAN",
            "PENGELOLAAN",
            "KEUANGAN",
            "PEKERJAAN",
            "PENATAAN",
            "RUANG",
            "PEMBERDAYAAN",
            "PERLINDUNGAN",
            "KOMUNIKASI",
            "INFORMATIKA",
            "STATISTIK",
            "PERSANDIAN",
            "PERTANAHAN",
            "KESATUAN",
            "BANGSA",
            "POLITIK",
            "PELATIHAN",
            "PENGEMBANGAN",
            "SUMBER",
            "MANUSIA",
            "MUHAMMADIYAH",
            "NAHDLATUL",
            "ULAMA",
            "CABANG",
        ]
    )
)
MIN_SPELLED = 5  # shorter words are too often other words one letter away
ACCREDITATION_WORD = "SK"
MIN_UNIT_WORDS = 2  # 'UPTD JEPARA' read without its unit word names only a place
MIN_CAPITALS = 0.75  # share of a kop line's letters that are capitals
MAX_KOP_LINES = 9
# Units that only their parent's name identifies, registered with the parent after them:
# 'Direktorat Jenderal Kesehatan Masyarakat' is the Ministry of Health's, 'Fakultas Teknik'
# a university's.
PARENTS: tuple[tuple[re.Pattern[str], tuple[str, ...]], ...] = (
    (re.compile(r"(?:DIREKTORAT|SEKRETARIAT|INSPEKTORAT)\s+JENDERAL\b"), ("KEMENTERIAN",)),
    (re.compile(r"KANTOR\s+WILAYAH\b"), ("KEMENTERIAN", "BADAN")),
    (
        re.compile(r"(?:FAKULTAS|PROGRAM STUDI|JURUSAN)\b"),
        ("UNIVERSITAS", "INSTITUT", "SEKOLAH TINGGI", "POLITEKNIK", "AKADEMI"),
    ),
)
MOTTO_RE = re.compile(r'^\W*["“”].*["“”]\W*$')  # '"UNTUK KEADILAN"' under a kop
# Titles inside a name ('RUMAH SAKIT OTAK DR. Drs. M. HATTA'), kept though not capitals.
TITLES = r"(?:Dr|Drs|dr|Ir|Prof|Hj|H|KH)\."
HONORIFIC_RE = re.compile(rf"^{TITLES}", re.I)
GLUED_TITLE_RE = re.compile(rf"\b({TITLES})(?=[A-Z]{{2}})")  # 'Dr.MOEWARDI'
NAME_NUMBER_RE = re.compile(r"^\d{1,3}$")  # 'SMA NEGERI 13': a school's number, not a code


@dataclass(frozen=True)
class Letterhead:
    """What a kop says: the sender's name as a clerk registers it, and where it was read."""

    unit: str | None  # the most specific unit, in capitals as printed
    region: str | None  # "KABUPATEN JEPARA", "PROVINSI BANTEN", "REPUBLIK INDONESIA"
    lines: tuple[TextLine, ...]

    @property
    def outside_province(self) -> bool:
        """The sender belongs to another government than the Province of Banten."""
        if self.region is None:
            return False
        if not self.region.startswith("PROVINSI"):
            return True
        name = self.region.removeprefix("PROVINSI").strip()
        return fuzz.ratio(name, HOME_PROVINCE) < HOME_SPELLING_MIN  # OCR: 'BANIEN' is home

    @property
    def name(self) -> str | None:
        """'Dinas Kesehatan Kabupaten Jepara'; 'Kecamatan Kedung' (a place unit stands alone)."""
        if self.unit is None:
            return None
        unit = UNIT_PREFIX_RE.sub("", self.unit).strip("() ")
        if len(unit.split()) < MIN_UNIT_WORDS:
            return None
        if self.region and _wants_region(unit, self.region):
            unit = f"{_without_place(unit, self.region)} {self.region}"
        return title_case(unit)

    @property
    def confidence(self) -> float:
        return min((ln.conf for ln in self.lines), default=0.0)


def read_letterhead(
    lines: Sequence[TextLine], vocabulary: frozenset[str] = frozenset()
) -> Letterhead | None:
    """The kop of the first page, or None when the page opens without one. On a scan, a kop
    word OCR misspelt ('NESERI') is read as the one word of `vocabulary` + KOP_WORDS it is
    close to."""
    page = [ln for ln in lines if ln.page == lines[0].page]
    words = KOP_WORDS | vocabulary
    kop = [_spelled(ln, words) for ln in _kop_lines(page)]
    if not kop:
        return _decree_issuer(page)
    units: list[tuple[str, list[TextLine]]] = []
    region: str | None = None
    cut = ""  # 'PEMERINTAH PROVINSI' whose region's name is on the next line
    for line in kop:
        text = " ".join((cut, _capitals_of(line.text))).strip()
        bare = text.rstrip(", ")
        if not bare:
            continue
        cut = bare if GOVERNMENT_CUT_RE.fullmatch(bare) else ""
        if cut:
            continue
        government = GOVERNMENT_RE.search(bare)
        if government and _is_government_line(bare[: government.start()], bool(units)):
            region = _region(government)
            continue
        if NATIONAL_RE.fullmatch(bare.strip()):
            region = region or "REPUBLIK INDONESIA"
            continue
        start = _unit_start(text)
        if start >= 0 and not _territory_of(units, text[start:]):
            units.append((text[start:], [line]))
        elif units:
            units[-1] = (f"{units[-1][0]} {text}", [*units[-1][1], line])
    if not units:
        return Letterhead(None, region, tuple(kop)) if region else None
    unit, read = _most_specific(units)
    unit, inline_region = _split_region(unit.rstrip(", "))
    unit = _with_parent(unit, [u for u, _ in units], regional=inline_region is not None)
    if NATIONAL_RE.search(unit) or unit.startswith("KEMENTERIAN"):
        region = region or "REPUBLIK INDONESIA"
    return Letterhead(unit, inline_region or region, tuple(read))


def _decree_issuer(lines: Sequence[TextLine]) -> Letterhead | None:
    """The unit a kop-less decree's title names after its head's title, or None."""
    title = list(itertools.takewhile(lambda ln: not KOP_NUMBER_RE.match(ln.text), lines))
    title = title[:DECREE_TITLE_LINES]
    found = DECREE_TITLE_RE.match(" ".join(_capitals_of(ln.text) for ln in title).strip())
    if found is None or _unit_start(found.group("unit")) != 0:
        return None
    unit, region = _split_region(found.group("unit"))
    return Letterhead(unit, region, tuple(title))


def other_government_in_kop(lines: Sequence[TextLine]) -> bool:
    """The kop names a government other than the Province of Banten ('PEMERINTAH PROVINSI
    KALIMANTAN UTARA', a regency, a city), also run on with the unit's name where the kop
    could not be read line by line: the letter comes from outside the master list."""
    for line in _kop_lines(lines):
        found = RUN_ON_GOVERNMENT_RE.search(line.text)
        if found is not None:
            return is_other_government(found.group("level"), found.group("name"))
    return False


def is_other_government(level: str, name: str) -> bool:
    """'KABUPATEN JEPARA', 'KOTA SERANG', 'PROVINSI KALIMANTAN UTARA' name a government other
    than the Province of Banten; 'PROVINSI BANTEN' (also as OCR spells it, '8ANTEN') does not."""
    if not level.upper().startswith("PROVINSI"):
        return True  # a regency's or a city's
    squeezed = name.upper().replace(" ", "")[: len(HOME_PROVINCE)]
    return fuzz.ratio(squeezed, HOME_PROVINCE) < OTHER_PROVINCE_MAX_SIMILARITY


def signed_by_unit(head: Letterhead, lines: Sequence[TextLine]) -> bool:
    """The kop's unit is named again under a closing, where its head signs ('KEPALA DINAS
    KOPERASI UKM / TENAGA KERJA DAN TRANSMIGRASI'), and the place of its region is printed
    twice or more (kop and address, date line or signature): the sender read twice, in two
    zones, the same way."""
    unit = letters_only(UNIT_PREFIX_RE.sub("", head.unit or ""))
    if len(unit.split()) < MIN_UNIT_WORDS:
        return False
    zones = signature_blocks(lines)
    elsewhere = _words_outside_kop(lines)
    named = any(_names_unit(f" {letters_only(' '.join(zone))} ", unit, elsewhere) for zone in zones)
    printed = head.confidence >= 1.0  # a text layer: the kop's words are as printed
    if not (named or (printed and any(_signed_by_its_head(zone, unit) for zone in zones))):
        return False
    if head.region is None or head.region == "REPUBLIK INDONESIA":
        return True
    place = letters_only(head.region.split(" ", 1)[-1])
    everywhere = f" {letters_only(' '.join(ln.text for ln in lines))} "
    return everywhere.count(f" {place} ") >= 2


def _signed_by_its_head(zone: Sequence[str], unit: str) -> bool:
    """A signature line is the bare title of the head of the kop's kind of unit ('An.
    Rektor,' under an institute's kop, 'KEPALA,' under a Dinas's): of the kop's units, the one
    chosen is the one that signs. A title that goes on names a unit ('KEPALA DINAS KESEHATAN')
    and is _names_unit's to judge. Only for a kop read from a text layer, since the title says
    nothing of the name."""
    for line in zone:
        title = SIGNING_FOR_RE.sub("", letters_only(line))
        if any(title == head and unit.startswith(kinds) for head, kinds in (*HEADS, OFFICE_HEAD)):
            return True
    return False


def _names_unit(zone: str, unit: str, elsewhere: frozenset[str]) -> bool:
    """The signature names the unit as the kop does; or, when the kop's unit is all
    dictionary words, with a letter or two misread in the signature ('KEPALA DINAS SESIAL
    PEMBERDAYAAN …'). Which of the two readings is right is then settled by the rest of the
    document: every kop word the signature reads otherwise is printed there too ('SOSIAL').
    A misread kop can be made of words as well ('KOMUNIKASI JAN INFORMATIKA' under a
    signature's 'KOMUNIKASI DAN INFORMATIKA'), and then nothing else prints its odd word."""
    if any(f" {name} " in zone for name in _names_of_unit(unit)):
        return True
    return (
        reads_as_words(unit)
        and fuzz.partial_ratio(unit, zone) >= SIGNATURE_SPELLING_MIN
        and all(word in elsewhere for word in unit.split() if f" {word} " not in zone)
    )


def _words_outside_kop(lines: Sequence[TextLine]) -> frozenset[str]:
    """The words (capitals, letters only) of every line but the first page's kop."""
    kop = {id(line) for line in _kop_lines([ln for ln in lines if ln.page == lines[0].page])}
    return frozenset(letters_only(" ".join(ln.text for ln in lines if id(ln) not in kop)).split())


def _names_of_unit(unit: str) -> list[str]:
    """'BADAN PENGELOLAAN KEUANGAN DAN ASET DAERAH' as a signature may name it: in full, by its
    initials ('BPKAD'), by its head's title ('KECAMATAN KEDUNG' → 'CAMAT KEDUNG'), or an
    organisation's branch without its territory."""
    names = [unit, *_without_territory(unit)]
    initials = "".join(w[0] for w in unit.split() if w not in SMALL_CAPITALS)
    if len(initials) >= MIN_INITIALS:
        names.append(initials)
    names += [
        unit.replace(kind, head, 1)
        for head, kinds in HEADS
        for kind in kinds
        if unit.startswith(kind)
    ]
    return names


def letters_only(text: str) -> str:
    """'UPTD PUSKESMAS WE_A-=AN' -> 'UPTD PUSKESMAS WE A AN': capitals and single spaces."""
    return " ".join(re.sub(r"[^A-Z]+", " ", text.upper()).split())


def _is_government_line(before: str, after_unit: bool) -> bool:
    """'PEMERINTAH KABUPATEN JEPARA' (OCR debris before it allowed), not a unit naming its
    region ('DINAS KESEHATAN KOTA BANDUNG') nor a unit's last line ('DAN ASET DAERAH
    KABUPATEN JEPARA')."""
    return _unit_start(before) < 0 and not (after_unit and len(before.split()) >= 2)


def _territory_of(units: list[tuple[str, list[TextLine]]], unit: str) -> bool:
    """`unit` is the territory of the organisation named just above ('KECAMATAN SIMAN' under
    'PENGURUS RANTING NAHDLATUL ULAMA …'), so it continues that name."""
    return (
        bool(units)
        and unit.startswith(TERRITORY_UNITS)
        and units[-1][0].startswith(ORGANISATION_UNITS)
    )


def _without_territory(unit: str) -> list[str]:
    """'PENGURUS RANTING NAHDLATUL ULAMA MANGUNSUMAN' of '… MANGUNSUMAN KECAMATAN SIMAN'."""
    found = TERRITORY_RE.search(unit) if unit.startswith(ORGANISATION_UNITS) else None
    return [unit[: found.start()]] if found else []


def _most_specific(units: list[tuple[str, list[TextLine]]]) -> tuple[str, list[TextLine]]:
    """The last unit of the kop, unless an inner unit (a faculty, a village) is named."""
    inner = [u for u in units if UNIT_PREFIX_RE.sub("", u[0]).startswith(INNER_UNITS)]
    return (inner or units)[-1]


def _with_parent(unit: str, units: list[str], regional: bool) -> str:
    """The unit named with the parent that identifies it. A regional office's own region
    stands after both ('KANTOR WILAYAH' of 'BADAN PERTANAHAN NASIONAL RI', 'PROVINSI SUMATERA
    BARAT'), so the parent's national suffix is dropped there."""
    for part, parents in PARENTS:
        if part.match(UNIT_PREFIX_RE.sub("", unit)):
            parent = next((u for u in reversed(units) if u.startswith(parents)), None)
            if parent and regional:
                parent = _split_region(NATIONAL_SUFFIX_RE.sub("", parent))[0]
            if parent and parent not in unit:
                return f"{unit} {parent}"
    return unit


def _spelled(line: TextLine, vocabulary: frozenset[str]) -> TextLine:
    if line.conf >= 1.0:
        return line
    cells = tuple(replace(c, text=_spelled_text(c.text, vocabulary)) for c in line.cells)
    return replace(line, cells=cells)


def _spelled_text(text: str, vocabulary: frozenset[str]) -> str:
    out = []
    for word in _rejoined(_unit_phrases(text.split()), vocabulary):
        bare = word.strip(",.;:!?")
        if len(bare) >= MIN_SPELLED and _mostly_capitals(bare) and bare.upper() not in vocabulary:
            found = process.extractOne(bare.upper(), vocabulary, scorer=fuzz.ratio, score_cutoff=80)
            word = word.replace(bare, found[0]) if found else word
        out.append(word)
    return " ".join(out)


def _unit_phrases(words: list[str]) -> list[str]:
    """A two-word unit name with a short word OCR misread ('RUMAH SAKT'): the phrase is read
    whole, since a four-letter word alone is too often another word."""
    out: list[str] = []
    index = 0
    while index < len(words):
        pair = " ".join(words[index : index + 2])
        found = process.extractOne(pair, TWO_WORD_UNITS, scorer=fuzz.ratio, score_cutoff=90)
        if pair.isupper() and found and " " in pair:
            out += found[0].split()
            index += 2
            continue
        out.append(words[index])
        index += 1
    return out


def _rejoined(words: list[str], vocabulary: frozenset[str]) -> list[str]:
    """A kop word OCR broke in two or three ('KESAT JAN' for KESATUAN, 'MUHAV MAD YAH' for
    MUHAMMADIYAH): neighbouring capitals words, none a kop word, whose join is one letter or
    two off a kop word."""
    out: list[str] = []
    index = 0
    while index < len(words):
        for size in (2, 3):
            piece = words[index : index + size]
            joined = "".join(piece)
            if (
                len(piece) == size
                and len(joined) >= MIN_SPELLED + 2
                and all(_fragment(w, vocabulary) for w in piece)
            ):
                found = process.extractOne(joined, vocabulary, scorer=fuzz.ratio, score_cutoff=85)
                if found:
                    out.append(found[0])
                    index += size
                    break
        else:
            out.append(words[index])
            index += 1
    return out


def _fragment(word: str, vocabulary: frozenset[str]) -> bool:
    """A capitals word that may be a piece of a kop word: not a kop word nor 'DAN'."""
    return word.isalpha() and word.isupper() and word not in vocabulary | SMALL_CAPITALS


def _mostly_capitals(word: str) -> bool:
    """A capitals word, also with one letter OCR read in lower case ('Pi.SKESMAS')."""
    letters = [ch for ch in word if ch.isalpha()]
    lower = sum(ch.islower() for ch in letters)
    return bool(letters) and lower <= 1 and lower < len(letters) - lower


def title_case(text: str) -> str:
    """'DINAS SOSIAL DAN DESA KAB. JEPARA' → 'Dinas Sosial dan Desa Kabupaten Jepara'."""
    words = []
    for index, word in enumerate(text.replace("KAB.", "KABUPATEN").split()):
        bare = word.strip(",.").lower()
        if index and bare in SMALL_WORDS:
            words.append(word.lower())
        elif _is_acronym(word):
            words.append(word)
        else:
            words.append(word[:1] + word[1:].lower())
    return " ".join(words)


def _kop_lines(lines: Sequence[TextLine]) -> list[TextLine]:
    kop: list[TextLine] = []
    for line in lines[:MAX_KOP_LINES]:
        if KOP_END_RE.match(line.text) or (kop and PLACE_DATE_RE.search(line.text)):
            break
        kop.append(line)
    return kop


def _capitals_of(text: str) -> str:
    """The line's run of capitals (OCR debris before it dropped), or '' for a non-kop line."""
    text = GLUED_TITLE_RE.sub(r"\1 ", text)  # 'Dr.MOEWARDI'
    words = [w for w in text.split() if any(ch.isalpha() for ch in w) or NAME_NUMBER_RE.match(w)]
    letters = [ch for w in words for ch in w if ch.isalpha()]
    if not letters or sum(ch.isupper() for ch in letters) < MIN_CAPITALS * len(letters):
        return ""
    if ACCREDITATION_WORD in words:  # 'SK MENDIKNAS RI NO. …': a licence, not a name
        words = words[: words.index(ACCREDITATION_WORD)]
    if MOTTO_RE.match(" ".join(words)):
        return ""
    kept = [
        w.strip(";:!?").lstrip(",")  # a comma between a unit's words is part of its name
        for w in words
        if w.isupper() or w in {"&", "-"} or HONORIFIC_RE.match(w) or NAME_NUMBER_RE.match(w)
    ]
    kept = [w for w in kept if NAME_NUMBER_RE.match(w) or not any(ch.isdigit() for ch in w)]
    return re.sub(r"\s*\([A-Z]+\)", "", " ".join(kept))  # "(IAIN)" repeats the name


def _unit_start(text: str) -> int:
    """Where a unit's name opens in a kop line (within its first words, after OCR debris), or
    -1 when the line continues the unit above ('MASYARAKAT DAN DESA')."""
    found = [m.start() for word in UNIT_WORDS if (m := re.search(rf"\b{word}\b", text)) is not None]
    start = min(found, default=-1)
    before = text[:start].split() if start > 0 else []
    return start if start >= 0 and len(before) <= 2 and "DAN" not in before else -1


def _region(match: re.Match[str]) -> str:
    level = LEVEL_WORDS.get(match.group("level").replace(" ", ""), match.group("level"))
    return f"{level.upper()} {match.group('name').strip()}"


def _split_region(unit: str) -> tuple[str, str | None]:
    """'DINAS KESEHATAN KABUPATEN JEPARA' → ('DINAS KESEHATAN', 'KABUPATEN JEPARA')."""
    found = REGION_SUFFIX_RE.search(unit)
    if found is None:
        return unit, None
    return unit[: found.start()].strip(", "), _region(found)


def _wants_region(unit: str, region: str) -> bool:
    if region == "REPUBLIK INDONESIA" and not unit.startswith("KEMENTERIAN"):
        return False
    if unit.startswith(PLACE_UNITS) or region in unit:
        return False
    if unit.startswith("KEMENTERIAN"):
        return True
    return region.split(" ", 1)[-1] not in unit or _without_place(unit, region) != unit


def _without_place(unit: str, region: str) -> str:
    """'RSUD RAA SOEWONDO PATI' under 'KABUPATEN PATI' → 'RSUD RAA SOEWONDO': the bare place
    at the end of the unit's name is the region, registered with its level."""
    place = region.split(" ", 1)[-1]
    bare = unit.removesuffix(f" {place}")
    return bare if len(bare.split()) >= MIN_UNIT_WORDS else unit


def _is_acronym(word: str) -> bool:
    bare = word.strip(",.")
    if re.fullmatch(r"[IVX]+", bare):
        return True
    vowels = sum(ch in "AIUEO" for ch in bare)
    return bare.isupper() and ((len(bare) <= 4 and vowels <= 1) or vowels == 0)
