"""Tidying values read by OCR: rule fragments in front, lost underscores, a misread suffix.

Each fix is one the value's own grammar makes safe (an Indonesian phone number starts with 0
or +62; a form's subdomain ends in the printed `.bantenprov.go.id`). A fix that guesses (an
underscore for a space in an e-mail) is reported, so the value is flagged for review.
"""

from __future__ import annotations

import re
from datetime import date
from itertools import pairwise

from rapidfuzz import fuzz, process

from pipeline.extract.dates import parse_tanggal

PHONE_RE = re.compile(r"(?:\+\s*62|\(\s*0|62(?=\s?8)|0(?=[1-9]))[\d\s().\-]{6,}\d")
_PARENT = r"banten[po]ro[vyu]\s*[.,\-]?\s*[gq9a]?[o0c]{1,2}\s*[.,\-]?\s*[i1l]d"
SUFFIX_RE = re.compile(rf"[\s_.\-,]*\b{_PARENT}\b\W*$", re.I)
PARENT_RE = re.compile(rf"(?<=[.])\s*{_PARENT}\b", re.I)
SCHEME_RE = re.compile(r"https?\s*:\s*/\s*[/Il|]?\s*", re.I)
EMAIL_AT_RE = re.compile(r"(\S+)@(\S+)")
# The day may carry one digit OCR read as a letter ('Z2' for 22, 'l5' for 15, '2O' for 20).
LOOSE_DATE_RE = re.compile(
    r"\b([ZOIl]?\d{1,2}|\d[ZOIl])\s*[.,]?\s+([A-Za-z]{2,10})[.’'`]?\s+((?:19|20)\d\d)\b"
)
DAY_DIGITS = str.maketrans("ZOIl", "2011")
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
    "Pebruari",
    "Nopember",
    "Agust",
)


def strip_leading_junk(value: str, *, numeric_start: bool = True) -> str:
    """Drop tokens before the value that carry no letter: '1', '-:', '»', '(001'.
    With `numeric_start`, a value may itself begin with a number (245/PRM/…)."""
    tokens = value.split()
    while len(tokens) > 1 and not any(ch.isalpha() for ch in tokens[0]):
        if numeric_start and _looks_like_value_start(tokens[0]):
            break
        tokens.pop(0)
    while len(tokens) > 1 and len(tokens[-1]) <= 2 and not _word_or_joiner(tokens[-1]):
        tokens.pop()  # a lone '1' or '|' after the value: the table's right-hand rule
    return " ".join(tokens).lstrip("|¦!:;—–»«~'\"“”‘’_=>-° ").rstrip(",;:|")


def _word_or_joiner(token: str) -> bool:
    """A token with a letter, or '&' joining the value to its wrapped next line ('Desk PPID &'
    over 'Penyusunan Website'): not rule debris."""
    return token == "&" or any(ch.isalpha() for ch in token)


def _looks_like_value_start(token: str) -> bool:
    """A number such as 245/PRM-… or 0812… is the value itself, not rule debris."""
    return bool(re.match(r"^\+?\(?\d[\d().\-/]{3,}", token))


TRAILING_DEBRIS_RE = re.compile(r"(?:\s*[^\w\s)]+(?:\s+\w(?=\s|$))?)+\s*$")


def without_trailing_debris(value: str) -> str:
    """'… dan Data” 0', '… Banten : :' → the text without what a rule or a speck left after it:
    trailing punctuation, and a lone character after it."""
    return TRAILING_DEBRIS_RE.sub("", value)


def phone_part(value: str) -> str:
    """The longest stretch that can be an Indonesian number ('1 0811-…' → '0811-…')."""
    found = PHONE_RE.findall(value)
    if not found:
        return value
    best = str(max(found, key=len)).strip()
    return "+" + best if best.startswith("62") else best


def email_with_lost_underscore(value: str) -> tuple[str, bool]:
    """'yuli inspektorat@gmail.com' → 'yuli_inspektorat@gmail.com' (OCR drops underlined _)."""
    joined = re.sub(r"\s*@\s*", "@", value)
    joined = re.sub(r"(?<=\w)\.\s+(?=[a-z])", ".", joined)
    tokens = joined.split()
    at = next((i for i, t in enumerate(tokens) if "@" in t), None)
    if at is None:
        return value, False
    if at > 0 and tokens[at - 1].isalpha() and len(tokens[at - 1]) >= 3:
        return f"{tokens[at - 1]}_{tokens[at]}", True
    return tokens[at], False


PUBLIC_ENDINGS = frozenset({"id", "com", "net", "org", "info", "io", "co", "app"})


def under_parent(name: str) -> str:
    """The form's "Nama Subdomain" is the part in front of .bantenprov.go.id, dots and all:
    'sidalih.dinkes' → 'sidalih.dinkes.bantenprov.go.id'. A name ending like a public domain
    ('app.example.com') or already under bantenprov.go.id is left as written."""
    stripped = name.strip().rstrip(".")
    last = stripped.rsplit(".", 1)[-1].lower()
    if "." not in stripped or SUFFIX_RE.search(stripped) or last in PUBLIC_ENDINGS:
        return name
    return f"{stripped}.bantenprov.go.id"


def tidy_subdomain(value: str) -> str:
    """'1 e-perizinan .bantenprov.go.id', 'simpel -bantenprov.go.id' → 'name.bantenprov.go.id'."""
    match = SUFFIX_RE.search(value)
    if not match:
        return strip_leading_junk(value)
    name = strip_leading_junk(value[: match.start()]).strip(" _.-")
    return f"{name}.bantenprov.go.id" if name else value


COLON_AS_DIGIT_RE = re.compile(r"^\s*[1lI|!i](?=(?:0[1-9]|[12]\d|3[01])\s)")


def without_colon_read_as_digit(value: str) -> str:
    """'112 Agust 2025' → '12 Agust 2025': a label's colon read as '1' before a two-digit day
    (no month has a day 112, so the fix is certain)."""
    return COLON_AS_DIGIT_RE.sub("", value)


def loose_date(text: str) -> date | None:
    """A date whose month name OCR garbled by a letter or two ('12 uni 2024'), or whose
    day has a digit read as a letter ('Z2 Januari 2020')."""
    match = LOOSE_DATE_RE.search(text)
    if not match:
        return None
    found = process.extractOne(
        match.group(2).lower(), MONTHS, scorer=fuzz.ratio, processor=str.lower, score_cutoff=72
    )
    if not found:
        return None
    day = int(match.group(1).translate(DAY_DIGITS))
    return parse_tanggal(f"{day} {found[0]} {match.group(3)}")


def normalize_hosts(text: str) -> str:
    """Host names as OCR writes them ('sipintar.bantenprov.go. id', 'bantenproy.oo.id',
    'https: /Isipintar') put back in shape, so the subdomain finder sees them."""
    text = SCHEME_RE.sub("https://", text)
    return PARENT_RE.sub("bantenprov.go.id", text)


CONFUSIONS: tuple[tuple[str, str], ...] = (
    ("i", "l"),
    ("l", "i"),
    ("rn", "m"),
    ("m", "rn"),
    ("0", "o"),
    ("1", "l"),
    ("y", "v"),
    ("c", "e"),
    ("e", "c"),
    ("y", "p"),
    ("g", "d"),
    ("t", "l"),
    ("o", "p"),
    ("b", "p"),
    ("i", "j"),
)


def fix_host_words(host: str, vocabulary: frozenset[str]) -> tuple[str, bool]:
    """Repair a word of a host name that is one OCR confusion away from a known word
    ('ipse' → 'lpse', 'dihk' → 'dlhk'); unknown words without such a neighbour stay."""
    parts = re.split(r"([.\-@])", host)
    fixed = [_known_variant(part, vocabulary) for part in parts]
    value = "".join(fixed)
    return value, value != host


def _known_variant(word: str, vocabulary: frozenset[str]) -> str:
    if len(word) < 3 or word in vocabulary or not word.isalnum():
        return word
    for wrong, right in CONFUSIONS:
        start = word.find(wrong)
        while start != -1:
            candidate = word[:start] + right + word[start + len(wrong) :]
            if candidate in vocabulary:
                return candidate
            start = word.find(wrong, start + 1)
    return word


_DEGREE = r"(?:[A-Z][A-Za-z]{0,3}\.){1,3}"  # S.Kom., M.M., A.Md., S.Tr.Kom.
_NAME_REPAIRS: tuple[tuple[re.Pattern[str], str], ...] = (
    # 'a 2 Ir Rizky', 'ag Wahyu' (a name's own particle, 'de Silva', 'al Hakim', stays)
    (re.compile(r"^(?:(?!(?:de|da|di|du|al|el|la|le)\s)(?:[a-z]{1,2}|\d+)\s+)+(?=[A-Z])"), ""),
    (re.compile(r"^[.,;:'\s]+(?=[A-Z])"), ""),  # '.H. Ria Gunawan'
    (re.compile(r"(?:^|(?<=\.\s))(?:Jr|fr|lr|1r)\.(?=\s)"), "Ir."),  # 'Jr. Ria', 'Dr. fr. Andi'
    (re.compile(r"^(?:Or|0r)\.(?=\s)"), "Dr."),  # 'Or. Bambang'
    (re.compile(r"\bl(?=[bcdfghjklmnpqrstvwxz][a-z])"), "I"),  # 'lwan', 'llham': no name has 'lw'
    (re.compile(r"^(Dr|Ir|Drs|Dra|Hj|H|Prof)[,]?(?=\s)"), r"\1."),  # 'Ir, Rizky', 'Dr Ir.'
    (re.compile(rf"(?<=[a-z]{{3}})(?<!Prof)[.:;]\s+(?={_DEGREE})"), ", "),  # 'Siregar. S.Si.'
    (re.compile(rf"\.\.(?=\s+{_DEGREE})"), ".,"),  # 'S.Sos.. M.Si.'
    (re.compile(r"(?<=\b[A-Z]\.)\s+(?=[A-Z][a-z]{1,3}\.)"), ""),  # 'S. Kom.'
)


def tidy_person_name(value: str) -> tuple[str, bool]:
    """A name and its degrees as OCR misreads the punctuation between them: a degree follows
    the name after a comma ('Siregar, S.Si.'), a title before it ends in a dot ('Ir. ')."""
    fixed = value
    for pattern, replacement in _NAME_REPAIRS:
        fixed = pattern.sub(replacement, fixed)
    return fixed, fixed != value


# Words of Indonesian civil-service positions, for one-letter OCR slips ('Kepata', 'Aptikasi').
_POSITION = (
    "kepala sekretaris sub bagian bidang seksi subbagian umum kepegawaian program pelaporan "
    "keuangan perencanaan sistem informasi aplikasi data pengembangan pengelola statistik "
    "persandian pranata komputer ahli pertama muda madya terampil analis statistisi dinas "
    "badan biro teknologi layanan infrastruktur jaringan keamanan dan"
)
POSITION_WORDS = frozenset(_POSITION.split())
_LABEL_REMNANT_RE = re.compile(r"^\W*\w{1,2}\s*[:;]\s+(?=\w{3})")  # 'Ta : Kepala', 'Ii: Pranata'


def tidy_position(value: str) -> tuple[str, bool]:
    """A position as OCR misreads it: the tail of its label in front ('Ta : Kepala …'), or a
    word one letter off a civil-service word ('Kepata Seksi' → 'Kepala Seksi')."""
    text = _LABEL_REMNANT_RE.sub("", value)
    words = [_position_word(word) for word in text.split(" ")]
    fixed = " ".join(words)
    return fixed, fixed != value


def _position_word(word: str) -> str:
    lower = word.lower()
    if lower in POSITION_WORDS or not lower.isalpha():
        return word
    known = _known_variant(lower, POSITION_WORDS)
    if known == lower:
        return word
    return known.capitalize() if word[:1].isupper() else known


_REQUEST_NUMBER_SPACES_RE = re.compile(r"\s*([/\-])\s*")


def tidy_request_number(value: str) -> tuple[str, bool]:
    """'s PRM-2024-0797', 'PRM-2020- 0703.' → 'PRM-2024-0797', 'PRM-2020-0703': a lone
    lowercase speck in front, spaces around separators and a full stop after the number."""
    text = re.sub(r"^[a-z]\s+(?=[A-Z0-9])", "", value.strip())
    text = _REQUEST_NUMBER_SPACES_RE.sub(r"\1", text).rstrip(".,;: ")
    return text, text != value.strip()


_BANTENPROV_MAIL_RE = re.compile(
    rf"(?<=[@.]){_PARENT}\s*$|(?<=[@.])bantenprov\.(?:[zc]o\.)?id$", re.I
)
_SPLIT_LOCAL_PART_RE = re.compile(r"(?<=\w)[.,]\s+(?=\w+\s*@)")  # 'Lilis. Kurniasih@', 'Rudi, K…'


def email_rejoined(value: str) -> tuple[str, bool]:
    """'Lilis. Kurniasih@…', 'fitri, setdprd@…' → one address: OCR put a space after the dot
    between first and last name (or read that dot as a comma)."""
    fixed = _SPLIT_LOCAL_PART_RE.sub(".", value.strip())
    return fixed, fixed != value.strip()


def email_on_bantenprov(value: str) -> tuple[str, bool]:
    """'…@bantenprov.zo.id', '…@dinkes.bantenorov.go.id' → the province's own mail domain."""
    fixed = _BANTENPROV_MAIL_RE.sub("bantenprov.go.id", value.strip())
    return fixed, fixed != value.strip()


TRAILING_PHONE_RE = re.compile(r"\s+(\+?\(?\d[\d\s().\-]{6,}\d)\s*$")


def split_trailing_phone(value: str) -> tuple[str, str | None]:
    """A name or position never ends in a phone number: OCR put the next cell on this row."""
    match = TRAILING_PHONE_RE.search(value)
    if not match:
        return value, None
    return value[: match.start()].rstrip(" ,"), match.group(1)


NAME_PART_MIN = 3  # shorter parts ('dr', 'sh') are too easily another word
NAME_PART_SIMILARITY = 80.0
_LOCAL_PART_RE = re.compile(r"^([^@\s]+)@")
_DIGIT_LOOKALIKES = str.maketrans({"l": "1", "I": "1", "o": "0", "O": "0"})
_DIGIT_RUN_LOOKALIKE_RE = re.compile(r"(?<=\d)[lIoO](?=\d*(?:$|[._\-]))")


def email_by_name(email: str, name: str) -> tuple[str, bool]:
    """An OCR'd address whose local part is made of its owner's name, read back by the name
    on the same form: 'anmad.santoso@…' of Ahmad Santoso, 'hasarisantoso77@…' of Hasan
    Santoso; 'sulastri9l' → 'sulastri91' (a letter inside a run of digits is a digit)."""
    found = _LOCAL_PART_RE.match(email)
    if found is None:
        return email, False
    local = found.group(1)
    fixed = _DIGIT_RUN_LOOKALIKE_RE.sub(lambda m: m.group(0).translate(_DIGIT_LOOKALIKES), local)
    words = _name_words(name)
    fixed = re.sub(r"[A-Za-z]+", lambda m: _as_named(m.group(0), words), fixed)
    return fixed + email[found.end(1) :], fixed != local


def _name_words(name: str) -> list[str]:
    """The words of a person's name an address may be made of (titles like 'dr' too short)."""
    return [w for w in re.split(r"[^a-z]+", name.lower()) if len(w) >= NAME_PART_MIN]


def _joined_pairs(words: list[str]) -> list[str]:
    """Neighbouring name words written as one ('budisantoso')."""
    return ["".join(pair) for pair in pairwise(words)]


def spells_name(email: str, name: str) -> bool:
    """The address's local part is the name itself, at least two of its words ('rina.marlina'
    of Rina Marlina, 'budisantoso' of Budi Santoso): two readings that agree letter for letter."""
    found = _LOCAL_PART_RE.match(email.lower())
    words = _name_words(name)
    runs = re.findall(r"[a-z]+", found.group(1)) if found else []
    pairs = set(_joined_pairs(words))
    spelled = [run for run in runs if run in words or run in pairs]
    named = sum(2 if run in pairs else 1 for run in spelled)
    return bool(runs) and len(spelled) == len(runs) and named >= 2


def _as_named(part: str, words: list[str]) -> str:
    """A letters run of the local part, as the name's word(s) it was OCR'd from."""
    candidates = [*words, *_joined_pairs(words)]
    lower = part.lower()
    if len(lower) < NAME_PART_MIN + 1 or lower in candidates:
        return part
    found = process.extractOne(
        lower, candidates, scorer=fuzz.ratio, score_cutoff=NAME_PART_SIMILARITY
    )
    if found is None or abs(len(found[0]) - len(lower)) > 2:
        return part
    word = str(found[0])
    # 'nadias' is Nadia S., 'ari' may be Arief's own choice: a name's prefix or the name and
    # more are how addresses are made, not misreadings
    return part if word.startswith(lower) or lower.startswith(word) else word


# The same blanks as OCR reads them off a printed template: '$( tanggal )', '${instansi',
# '$inama kadin' (a dollar before a lower-case name), 'Spenanggung jawab nama)' (the '${' read
# as one or two letters, or as two marks apart: 'T Sipenanggung jawab nama)'; the underscores
# as spaces, the '}' as ')'): lower-case words closing a bracket they never opened, alone or
# before the next column's label: 'SIpenanggung jawab jabatan) “Alamat'.
OCR_TEMPLATE_RE = re.compile(
    r"\$\s*[({\[]?\s*[a-z]|^\W*(?:\S{1,2}\s)?[^\sa-z]{0,2}[a-z]+(?:[ _][a-z]+)+\s*[)}\]](?:\W*$|\s)"
)


def is_ocr_template(text: str) -> bool:
    """An OCR reading of a template's blank (`${…}`), not a value."""
    return OCR_TEMPLATE_RE.search(text) is not None
