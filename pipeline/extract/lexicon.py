"""Indonesian words, as evidence that an OCR'd phrase was read right.

Tesseract's confidence for a word is noisy: 'Permohonan' read perfectly may score 0.5, and a
line's confidence is its weakest word's. A misread, though, rarely makes another real word
('Bekeria', 'Scktor', 'We_a-=an'). So a phrase of words whose every word is in the Indonesian
word list of Tesseract's own language data (pipeline/data/kata-ind.txt.gz, 43,000 words) is
trusted as if read at `WORDS_CONFIDENCE`. Numbers, codes, acronyms and single letters are no
words: a phrase holding one keeps its OCR confidence (a digit misread is another digit) —
except an acronym or a name of letters that the same document reads the same way elsewhere
(the subject's 'PBI JKN' in the body): two readings that agree confirm it as a list does a
word. Of two-letter tokens only TWO_LETTER_WORDS count, as the list holds nearly every pair.
"""

from __future__ import annotations

import gzip
from collections.abc import Iterable
from functools import cache
from importlib import resources

WORDS_CONFIDENCE = 0.95  # an OCR'd phrase of known words, whatever Tesseract said of them
TWO_LETTER_WORDS = frozenset({"di", "ke", "ya"})  # the list's other pairs are OCR debris
MIN_CONFIRMED_CHARS = 3  # 'SIGA', 'Soewondo': two letters recur anywhere
MIN_WORDS = 2  # one known word is too little evidence ('Undangan' alone may be a fragment)
NEUTRAL = frozenset("/&-–—,")  # joining marks that stand between words
EDGES = ".,;:()\"'“”‘’"
# Words after which a phrase goes on: one that ends on them lost its end to a line wrap.
CONTINUES = frozenset(
    {"dan", "atau", "serta", "di", "ke", "dari", "dengan", "pada", "untuk", "bagi", "yang"}
    | {"oleh", "tentang", "terhadap", "dalam"}
)


@cache
def known_words() -> frozenset[str]:
    raw = resources.files("pipeline").joinpath("data", "kata-ind.txt.gz").read_bytes()
    return frozenset(gzip.decompress(raw).decode("utf-8").split())


def reads_as_words(text: str, read_elsewhere: frozenset[str] = frozenset()) -> bool:
    """Every token of `text` is a known Indonesian word (or a mark joining two), there are at
    least MIN_WORDS of them, and the phrase does not stop on a word that needs another after
    it ('Sistem Informasi dan': the rest was lost). In a phrase not written in capitals, a
    token in capitals is an acronym or a code, not a word — unless it is in `read_elsewhere`
    (in capitals): a name or an acronym read the same way in another part of the document
    ('SIGA' in the subject and in the body) is confirmed as printed, as a word is by the list."""
    tokens = [t.strip(EDGES) for t in text.split()]
    words = [t for t in tokens if t and not all(ch in NEUTRAL for ch in t)]
    shouting = text.upper() == text
    if len(words) < MIN_WORDS or words[-1].lower() in CONTINUES or tokens[-1] in NEUTRAL:
        return False
    return all(
        (_known(word) and (shouting or not _acronym(word))) or _confirmed(word, read_elsewhere)
        for word in words
    )


def _confirmed(token: str, read_elsewhere: frozenset[str]) -> bool:
    """A name or code of letters found again; never a number: a year or a serial recurs in
    any letter by chance, and a digit misread is another digit."""
    plain = len(token) >= MIN_CONFIRMED_CHARS and not any(ch.isdigit() for ch in token)
    return plain and token.upper() in read_elsewhere


def repairs_confirmed(read: str, repaired: str, read_elsewhere: frozenset[str]) -> bool:
    """Every word `repaired_words` changed ('Bekeria' → 'Bekerja') is printed, as repaired,
    elsewhere in the document ('… Penduduk yang Bekerja di …' in the body)."""
    before, after = read.split(), repaired.split()
    if len(before) != len(after):
        return False
    pairs = zip(before, after, strict=True)
    return all(was == now or now.strip(EDGES).upper() in read_elsewhere for was, now in pairs)


def tokens_of(texts: Iterable[str]) -> frozenset[str]:
    """The tokens of `texts` in capitals, edges stripped: what `read_elsewhere` holds."""
    return frozenset(t.strip(EDGES).upper() for text in texts for t in text.split())


def _known(token: str) -> bool:
    if len(token) == 2:  # the list holds nearly every pair of letters
        return token.lower() in TWO_LETTER_WORDS
    return len(token) > 2 and token.isalpha() and token.lower() in known_words()


def _acronym(token: str) -> bool:
    return len(token) > 1 and token.isupper()


# Letters Tesseract takes for others in a word: (as read, as printed).
CONFUSIONS: tuple[tuple[str, str], ...] = (
    ("c", "e"), ("e", "c"), ("i", "j"), ("j", "i"), ("l", "i"), ("i", "l"), ("1", "l"),
    ("rn", "m"), ("m", "rn"), ("n", "ri"), ("ii", "u"), ("u", "ii"), ("h", "b"), ("b", "h"),
    ("o", "a"), ("a", "o"), ("t", "l"), ("f", "t"),
)  # fmt: skip
MIN_REPAIR_LETTERS = 4  # shorter words have too many neighbours to repair safely


def repaired_words(text: str) -> str:
    """`text` with each word OCR misread by one usual confusion ('Bekeria', 'Scktor') put
    back to the one known word it can be ('Bekerja', 'Sektor'). A word with no such single
    repair, or with more than one, stays as read (names and places are not in the list)."""
    return " ".join(_repaired(token) for token in text.split(" "))


def _repaired(token: str) -> str:
    bare = token.strip(EDGES)
    if len(bare) < MIN_REPAIR_LETTERS or not bare.isalpha() or _known(bare) or bare.isupper():
        return token
    found = {c for c in _one_confusion_away(bare.lower()) if c in known_words()}
    if len(found) != 1:
        return token
    fixed = _same_case(found.pop(), bare)
    return token.replace(bare, fixed, 1)


def _one_confusion_away(word: str) -> set[str]:
    out: set[str] = set()
    for wrong, right in CONFUSIONS:
        start = word.find(wrong)
        while start != -1:
            out.add(word[:start] + right + word[start + len(wrong) :])
            start = word.find(wrong, start + 1)
    return out


def _same_case(word: str, like: str) -> str:
    """A capital kept; an 'l' or '1' read for a capital I at the start becomes that capital."""
    capital = like[:1].isupper() or (like[:1] in "l1" and word.startswith("i"))
    return word.capitalize() if capital else word


def checked_confidence(
    text: str, ocr_confidence: float, read_elsewhere: frozenset[str] = frozenset()
) -> float:
    """The OCR confidence of a phrase, raised to WORDS_CONFIDENCE when it reads as words."""
    if ocr_confidence >= 1.0 or not reads_as_words(text, read_elsewhere):
        return ocr_confidence
    return max(ocr_confidence, WORDS_CONFIDENCE)
