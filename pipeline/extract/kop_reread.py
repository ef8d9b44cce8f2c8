"""A kop name OCR misread, read again where the letter names itself.

Kops sit over logos and stamps, so OCR misreads their words ("UPTD PUSKESMAS WE_A-=AN",
"RUMAH SAKIT CIIRA HUSADA JEMBER (AD ON"), while the body and the signature block name the
same sender in plain type ("… gudang Puskesmas Welahan I yang …", "Rumah Sakit Citra Husada
Jember" under the closing). The other reading is taken when it is a proper name (words that
open with a capital) that starts with the kop unit's first word, is read the same way at
least twice in the letter (a kop line read right beside its debris counts as one), and spells
nearly what the kop spells. A kop read cleanly, and a text layer, are left as they are.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import replace

from rapidfuzz import fuzz

from pipeline.extract.letterhead import UNIT_PREFIX_RE, Letterhead, letters_only
from pipeline.models import TextLine

MIN_SIMILARITY = 75.0  # fuzz.ratio of the two readings, letters only
MIN_REPEATS = 2  # the other reading is read the same way this many times at least
EXTRA_WORDS = 2  # a name in the body may run this many words past the kop's reading
MIN_LENGTH = 0.8  # ... and is never much shorter than it (a name cut at a comma)
CONNECTIVES = frozenset({"dan", "&"})  # inside a name: 'Statistik dan Persandian'


def reread(head: Letterhead, lines: Sequence[TextLine]) -> Letterhead:
    """`head` with its unit as the letter prints it elsewhere, when the kop was misread."""
    if head.unit is None or head.confidence >= 1.0:
        return head
    unit = UNIT_PREFIX_RE.sub("", head.unit)
    kop = letters_only(unit)
    if not kop or _clean(unit, kop):
        return head
    limit = len(kop.split()) + EXTRA_WORDS
    named = Counter(_names([ln.text for ln in lines], kop.split()[0], limit))
    repeated = [name for name, count in named.items() if count >= MIN_REPEATS]
    scored = [(fuzz.ratio(name, kop), name) for name in repeated]
    similarity, best = max(scored, default=(0.0, ""))
    if similarity < MIN_SIMILARITY or len(best) < MIN_LENGTH * len(kop):
        return head
    prefix = head.unit[: len(head.unit) - len(unit)]
    return replace(head, unit=f"{prefix}{best}")


def _clean(unit: str, letters: str) -> bool:
    """The kop's unit was read as plain words: nothing but letters and single spaces."""
    return " ".join(unit.upper().split()) == letters


def _names(texts: Sequence[str], first: str, limit: int) -> Iterator[str]:
    """Every proper name in `texts` that opens with the word `first` (any case): that word
    and the words after it that start with a capital, up to `limit` words, within a line."""
    for text in texts:
        words = [w.strip(".,;:()") for w in text.split()]
        for start, word in enumerate(words):
            if word.upper() != first:
                continue
            name = [word]
            for index in range(start + 1, min(start + limit, len(words))):
                if not _continues(words, index):
                    break
                name.append(words[index])
            if len(name) > 1:
                yield " ".join(name).upper()


def _continues(words: Sequence[str], index: int) -> bool:
    """The word at `index` is part of a proper name: it opens with a capital, or it joins two
    words that do."""
    word = words[index]
    if word.isalpha() and word[:1].isupper():
        return True
    following = words[index + 1] if index + 1 < len(words) else ""
    return word in CONNECTIVES and following[:1].isupper() and following.isalpha()
