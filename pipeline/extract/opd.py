"""Which OPD sent the file: evidence from the form, letterhead, signature, body and number.

Each piece of evidence votes for one or more master-list entries with a weight; an
abbreviation shared by two OPDs (DKP) splits its vote. The winner must lead clearly, or the
field stays empty and a problem says why — a guess would be worse than a blank.
"""

from __future__ import annotations

import itertools
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property

from rapidfuzz import fuzz, process

from pipeline.extract.letterhead import is_other_government
from pipeline.models import TextLine
from pipeline.reference import Opd, OpdDirectory, load_known_hosts

COMMON_HOST_WORDS = frozenset(
    {
        "bantenprov",
        "go",
        "id",
        "gmail",
        "yahoo",
        "co",
        "com",
        "lapor",
        "simpeg",
        "sipd",
        "e-office",
        "dashboard",
        "pantau",
        "sipintar",
        # national e-government systems every province runs under its own domain
        "jdih",
        "sakip",
        "simbada",
        "sipkd",
        "kinerja",
        "arsip",
        "lpse",
        "sirup",
        "spse",
        "ppid",
        "opendata",
        "satudata",
    }
)
WEIGHTS = {
    "form": 5.0,
    "letterhead": 4.0,
    "signature": 3.0,
    "body": 2.0,
    "nomor": 2.0,
    "email": 1.0,
}
FUZZY_MIN = 90.0
TITLE_RE = re.compile(
    r"^(?:a\.?\s*n\.?\s+|plt\.?\s+|plh\.?\s+|pj\.?\s+)*(?:kepala|sekretaris|direktur|inspektur)"
    r"(?:\s+(?:utama|pelaksana))?\s+",
    re.I,
)
PROVINCE_RE = re.compile(
    r"(?:\s+sekretariat\s+daerah)?\s*(?:pemerintah\s+)?provinsi\s+banten\W*$", re.I
)
SETDA = "Sekretariat Daerah"
HEAD_END_RE = re.compile(
    r"^\s*(?:_{5,}|-{5,}|={5,}|nomor\b|no\s*[.:]|[A-Z][a-z]+,\s*\d{1,2}\s|formulir|form\b)", re.I
)
ADDRESSEE_RE = re.compile(r"\b(?:yth\.?|kepada|kpd\.?)\b", re.I)
# After a unit's name, another government's region: "Dinas Kesehatan Kabupaten Jepara" is not
# the province's Dinas Kesehatan.
FOREIGN_REGION_RE = re.compile(
    r"^\s*,?\s*(?:kabupaten|kab\s*\.|kota|kecamatan|kelurahan|desa|provinsi\s+(?!banten\b))"
)
# Before a unit's name, another government: "Pemerintah Provinsi Kalimantan Utara / Dinas
# Komunikasi, Informatika, Statistik dan Persandian" is not the province's Diskominfo.
GOVERNMENT_BEFORE_RE = re.compile(
    r"\bpemerintah\s+(?P<level>provinsi|kabupaten|kab\s*\.|kota)"
    r"\s+(?P<name>[a-z][a-z'\-]*(?:\s+[a-z][a-z'\-]*){0,3})\s*[,.]?\s*$"
)
# An institution's own domain in its kop; the province's OPDs write under bantenprov.go.id.
INSTITUTION_DOMAIN_RE = re.compile(
    r"\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:go|ac|sch|desa|or|mil)\.id\b", re.I
)
OFFICIAL_BEFORE_RE = re.compile(r"\b(?:kepala|sekretaris|kadis|yth\.?)\s*$")
HOME_DOMAIN = "bantenprov"  # the label before .go.id; OCR may misspell it by a letter or two
HOME_DOMAIN_MIN_SIMILARITY = 80.0
KOP_LINES = 10


@dataclass(frozen=True)
class OpdVote:
    opd: Opd
    source: str
    weight: float
    matched: str
    page: int | None


@dataclass(frozen=True)
class OpdDecision:
    opd: Opd | None
    votes: tuple[OpdVote, ...]
    confidence: float
    problem: str | None


class OpdMatcher:
    def __init__(self, directory: OpdDirectory) -> None:
        self.directory = directory
        self._names = {_fold(o.nama): o for o in directory.entries}
        self._abbrev: dict[str, list[Opd]] = defaultdict(list)
        for opd in directory.entries:
            for key in {*(_squash(a) for a in opd.singkatan), _squash(opd.subdomain)} - {""}:
                self._abbrev[key].append(opd)

    def match_name(self, text: str) -> tuple[Opd, float] | None:
        """A full or abbreviated OPD name (as written on a form) to its master-list entry."""
        cleaned = PROVINCE_RE.sub("", " ".join(text.split())).strip(" .,:")
        if not cleaned:
            return None
        exact = self._names.get(_fold(cleaned))
        if exact:
            return exact, 1.0
        by_abbrev = self._abbrev.get(_squash(cleaned), [])
        if len(by_abbrev) == 1:
            return by_abbrev[0], 0.95
        best = process.extractOne(_fold(cleaned), list(self._names), scorer=fuzz.ratio)
        if best and best[1] >= FUZZY_MIN:
            return self._names[best[0]], best[1] / 100
        return None

    @cached_property
    def host_words(self) -> frozenset[str]:
        """Words an OPD's host names are made of: its subdomain and abbreviations."""
        words = {opd.subdomain for opd in self.directory.entries if opd.subdomain}
        words |= {_squash(a) for opd in self.directory.entries for a in opd.singkatan}
        words |= {w for host in load_known_hosts() for w in re.split(r"[.\-]", host)}
        return frozenset(w for w in words if w) | COMMON_HOST_WORDS

    @cached_property
    def name_words(self) -> frozenset[str]:
        """The words of the master list's names, in capitals, as a kop prints them."""
        return frozenset(w.upper() for o in self.directory.entries for w in o.nama.split())

    def abbreviation(self, token: str) -> list[Opd]:
        return list(self._abbrev.get(_squash(token), []))

    def names_in(self, text: str, *, official_of: bool = True) -> list[Opd]:
        """Master-list names written out in free text, longest first, without overlaps; a name
        followed by another government's region names that government's unit, not ours. With
        `official_of=False`, "Kepala Dinas …" (an official of that unit, mostly the addressee)
        does not count."""
        folded = _fold(text)
        found: list[Opd] = []
        for name in sorted(self._names, key=len, reverse=True):
            if name not in folded:
                continue
            pieces = folded.split(name)
            mentions = itertools.pairwise(pieces)
            if any(
                not FOREIGN_REGION_RE.match(after)
                and not _under_other_government(before)
                and (official_of or not OFFICIAL_BEFORE_RE.search(before))
                for before, after in mentions
            ):
                found.append(self._names[name])
            folded = " ".join(pieces)
        return found


def _under_other_government(before: str) -> bool:
    """The text before a unit's name ends with another government's 'Pemerintah …'."""
    found = GOVERNMENT_BEFORE_RE.search(before)
    return found is not None and is_other_government(found.group("level"), found.group("name"))


def decide(votes: Sequence[OpdVote]) -> OpdDecision:
    totals: dict[str, float] = defaultdict(float)
    by_name: dict[str, Opd] = {}
    for vote in votes:
        totals[vote.opd.nama] += vote.weight
        by_name[vote.opd.nama] = vote.opd
    if not totals:
        return OpdDecision(None, tuple(votes), 0.0, None)
    ranked = sorted(totals.items(), key=lambda kv: kv[1], reverse=True)
    (top, top_score), runner = ranked[0], (ranked[1][1] if len(ranked) > 1 else 0.0)
    if top_score - runner < 1.0:
        names = " atau ".join(name for name, _ in ranked[:2])
        return OpdDecision(
            None,
            tuple(votes),
            0.0,
            f"OPD pengirim ambigu ({names}); mohon dipastikan oleh petugas.",
        )
    confidence = min(0.99, 0.6 + 0.08 * (top_score - runner))
    return OpdDecision(by_name[top], tuple(votes), confidence, None)


def letterhead_votes(matcher: OpdMatcher, lines: Sequence[TextLine]) -> list[OpdVote]:
    """The OPD's name in capitals under PEMERINTAH PROVINSI BANTEN, maybe over two lines."""
    head = [ln for ln in _letterhead(lines) if _is_letterhead_text(ln.text)]
    # The lowest matching line wins: "SEKRETARIAT DAERAH" above "BIRO HUKUM" means Biro Hukum.
    candidates = [(i, ln.text, ln.page) for i, ln in enumerate(head)]
    candidates += [
        (i + 1, a.text + " " + b.text, a.page) for i, (a, b) in enumerate(itertools.pairwise(head))
    ]
    best: tuple[int, OpdVote] | None = None
    for index, text, page in candidates:
        found = matcher.match_name(text)
        if found and (best is None or index > best[0]):
            best = (index, OpdVote(found[0], "letterhead", WEIGHTS["letterhead"], text, page))
    return [best[1]] if best else []


def _letterhead(lines: Sequence[TextLine]) -> list[TextLine]:
    """The lines above the rule, the number block, the date or the addressee."""
    head: list[TextLine] = []
    for line in lines[:8]:
        if HEAD_END_RE.match(line.text) or ADDRESSEE_RE.search(line.text):
            break
        head.append(line)
    return head


def _is_letterhead_text(text: str) -> bool:
    lowered = text.lower()
    return not (
        lowered.startswith(
            (
                "pemerintah",
                "jl",
                "jalan",
                "telp",
                "email",
                "e-mail",
                "website",
                "laman",
                "kode pos",
                "_",
                "-",
            )
        )
        or ":" in text
    )


def signature_votes(matcher: OpdMatcher, lines: Sequence[TextLine]) -> list[OpdVote]:
    votes: list[OpdVote] = []
    for index, line in enumerate(lines):
        if not TITLE_RE.match(line.text) or ADDRESSEE_RE.search(line.text):
            continue
        name = TITLE_RE.sub("", line.text)
        following = lines[index + 1].text if index + 1 < len(lines) else ""
        for text in (name, f"{name} {following}"):
            found = matcher.match_name(text)
            if found:
                votes.append(
                    OpdVote(found[0], "signature", WEIGHTS["signature"], line.text, line.page)
                )
                break
    return votes[-1:]


def body_votes(matcher: OpdMatcher, lines: Sequence[TextLine]) -> list[OpdVote]:
    """Names written out in the body, skipping the addressee (always Diskominfo)."""
    text = " ".join(_without_addressee(lines))
    found = matcher.names_in(text, official_of=False)
    if any(o.nama.startswith("Biro ") for o in found):  # a Biro sits inside the Setda
        found = [o for o in found if o.nama != SETDA]
    return [OpdVote(opd, "body", WEIGHTS["body"], opd.nama, None) for opd in found][:2]


def kop_outside_province(lines: Sequence[TextLine]) -> bool:
    """The kop's website or e-mail is an institution's own domain outside the province's."""
    for line in lines[:KOP_LINES]:
        for domain in INSTITUTION_DOMAIN_RE.findall(line.text.replace(" ", "")):
            owner = domain.casefold().split(".")[-3]
            if not _home(owner) and not _home(owner[-len(HOME_DOMAIN) :]):
                return True
    return False


def _home(owner: str) -> bool:
    """The domain's owner is the province, as OCR spells it: 'bantcnprov'; its tail is tried
    too, where the '@' before it was read as letters ('dinkewibantenprov' for
    dinkes@bantenprov)."""
    return fuzz.ratio(owner, HOME_DOMAIN) >= HOME_DOMAIN_MIN_SIMILARITY


def _without_addressee(lines: Sequence[TextLine]) -> Iterable[str]:
    skip = 0
    for line in lines:
        if ADDRESSEE_RE.search(line.text):
            skip = 1
            continue
        if skip:
            skip -= 1
            continue
        if TITLE_RE.match(line.text):
            continue
        yield line.text


def abbreviation_votes(
    matcher: OpdMatcher, tokens: Iterable[str], source: str, page: int | None
) -> list[OpdVote]:
    votes: list[OpdVote] = []
    for token in tokens:
        found = matcher.abbreviation(token)
        for opd in found:
            votes.append(OpdVote(opd, source, WEIGHTS[source] / len(found), token, page))
        if found:
            break
    return votes


def _fold(text: str) -> str:
    return " ".join(text.replace(",", " ,").split()).casefold().replace(" ,", ",")


def _squash(text: str) -> str:
    return re.sub(r"[^0-9a-z]", "", text.casefold())
