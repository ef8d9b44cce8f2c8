"""Indonesian words, as evidence that an OCR'd phrase was read right.

Tesseract's confidence for a word is noisy: 'Permohonan' read perfectly may score 0.5, and a
line's confidence is its weakest word's. A misread, though, rarely makes another real word
('Bekeria', 'Scktor', 'We_a-=an'). So a phrase of words whose every word is in the Indonesian
word list of Tesseract's own language data (pipeline/data/kata-ind.txt.gz, 43,000 words) is
trusted as if read at `WORDS_CONFIDENCE`. Numbers, codes, acronyms and single letters are no
words: a phrase holding one keeps its OCR confidence (a digit misread is another digit).
"""

from __future__ import annotations

import gzip
from functools import cache
from importlib import resources

WORDS_CONFIDENCE = 0.95  # an OCR'd phrase of known words, whatever Tesseract said of them
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


def reads_as_words(text: str) -> bool:
    """Every token of `text` is a known Indonesian word (or a mark joining two), there are at
    least MIN_WORDS of them, and the phrase does not stop on a word that needs another after
    it ('Sistem Informasi dan': the rest was lost). In a phrase not written in capitals, a
    token in capitals is an acronym or a code, not a word."""
    tokens = [t.strip(EDGES) for t in text.split()]
    words = [t for t in tokens if t and not all(ch in NEUTRAL for ch in t)]
    shouting = text.upper() == text
    if len(words) < MIN_WORDS or words[-1].lower() in CONTINUES or tokens[-1] in NEUTRAL:
        return False
    return all(_known(word) and (shouting or not _acronym(word)) for word in words)


def _known(token: str) -> bool:
    return len(token) >= 2 and token.isalpha() and token.lower() in known_words()


def _acronym(token: str) -> bool:
    return len(token) > 1 and token.isupper()


def checked_confidence(text: str, ocr_confidence: float) -> float:
    """The OCR confidence of a phrase, raised to WORDS_CONFIDENCE when it reads as words."""
    if ocr_confidence >= 1.0 or not reads_as_words(text):
        return ocr_confidence
    return max(ocr_confidence, WORDS_CONFIDENCE)
