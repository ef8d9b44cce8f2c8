"""Is a PDF page's text layer worth reading, or should the page be OCR'd like a scan?

Two kinds of text layer fail a clerk. A scanner (or an OCR tool before us) lays its own reading,
invisible, over the page's picture: on a real letter it reads 'PEIT,TERINTAH', 'Subdom ai n' and
'D**uBrt***i', and while it is trusted our OCR never runs. And a digital PDF whose fonts lost
their character map yields replacement characters, '(cid:12)' or private-use code points.

A layer is judged by the share of its characters that sit in plausible tokens (words shaped like
Indonesian or English words, numbers, letter numbers, e-mail and web addresses) and by the share
of impossible characters. A digital page's visible text is trusted unless it is plainly broken,
so a good digital page always stays on the fast text path; a hidden layer over a page-size
picture is somebody else's OCR and is trusted only when it reads as cleanly as typed text.

Bidi controls (U+202A-U+202E, U+2066-U+2069, and the LRM/RLM/ALM marks) that some PDF makers put
around every run are no garbage: they are stripped from the text before anything else.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

BIDI_CONTROLS = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_STRIP_BIDI = dict.fromkeys(map(ord, BIDI_CONTROLS))

MIN_TOKENS = 15  # fewer than this: too little text to judge, trust it
VISIBLE_WORD_SHARE = 0.6  # visible text: OCR the page only below this (broken fonts)
HIDDEN_WORD_SHARE = 0.97  # hidden OCR layer: trusted only at about typed-text quality
BAD_CHAR_SHARE = 0.05  # replacement, control, private-use characters or '(cid:N)'

_EDGE = "\"'`“”‘’()[]{}<>.,:;!?«»*"
_LETTERS = r"A-Za-zÀ-ÖØ-öø-ÿ"
# one part of a token (tokens are split at . / - : , @ _ &): a word in one of the usual cases,
# a short mixed-case abbreviation (Jl, dr, M, Pd, IaaS, BSrE), a number, or a short code
_PART = re.compile(
    rf"""
    [{_LETTERS}]*[aeiouyAEIOUYÀ-ÖØ-öø-ÿ][{_LETTERS}]*   # has a vowel
    | [A-Z]{{1,8}} | [a-z]{{1,3}} | [A-Z][a-z]{{1,3}}     # abbreviations: SKPD, dr, Jl, Km
    | \d+ | \d+[A-Za-z]{{1,2}} | [A-Za-z]{{1,5}}\d+[A-Za-z]{{0,4}}  # 12, 2A, KP3B, dp3akkb
    | [A-Za-z]{{3,}}\d{{1,4}}                                # user names: budi82
    | [IVXLCivxlc]+                                        # roman numerals
    """,
    re.VERBOSE,
)
_CASE = re.compile(
    r"[a-zà-öø-ÿ]+|[A-ZÀ-ÖØ-Þ]*[a-zà-öø-ÿ]*|[A-Z][a-z]+[A-Z][a-z]*"  # word, Word, WORD, IaaS
)
_CONSONANTS = re.compile(r"[bcdfghjklmnpqrstvwxz]{5}", re.I)
_SPLIT = re.compile(r"[./\-:,@_&+%=]")
_JUNK_CHARS = re.compile(r"[\\|^~*#{}<>\[\]$§¤¦¬]")
# replacement character, C0/C1 controls but tab and line ends, private use, surrogates and
# the noncharacters U+FFF0-U+FFFF
_IMPOSSIBLE = re.compile(
    "[\ufffd\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ue000-\uf8ff\ud800-\udfff\ufff0-\uffff]"
)
_CID = re.compile(r"\(cid:\d+\)")
_APOSTROPHE = re.compile(r"(?<=[A-Za-z]{2})['’](?=[a-z]{2})")  # Syam'un, Rabi'ul
_FILLER = frozenset("-_./:=…·•")
_ADDRESS = re.compile(
    r"(?:[a-z]+://|www\.)?[\w.%+-]+@[\w-]+(?:\.[\w-]+)+"  # e-mail
    r"|(?:[a-z]+://|www\.)[\w.-]+(?::\d+)?(?:/[\w./%?=&#~+-]*)?"  # web address with scheme
    r"|[\w-]+(?:\.[\w-]+)*\.(?:go\.id|ac\.id|co\.id|or\.id|desa\.id|id|com|net|org)"
    r"(?:/[\w./%?=&#~+-]*)?",
    re.I,
)
PDFIUM_SOFT_HYPHEN = "\ufffe"  # pdfium's text for a hyphen that breaks a word at a line end


def strip_bidi(text: str) -> str:
    """The text without bidi embedding, override, isolate and mark characters."""
    return text.translate(_STRIP_BIDI)


@dataclass(frozen=True)
class LayerQuality:
    word_share: float  # plausible tokens / judged tokens
    bad_char_share: float  # impossible characters / all non-space characters
    tokens: int  # tokens judged

    def trusted(self, *, hidden: bool) -> bool:
        """Whether to read this layer rather than OCR the page."""
        if self.bad_char_share > BAD_CHAR_SHARE:
            return False
        if self.tokens < MIN_TOKENS:
            return not hidden  # a few hidden words over a picture tell nothing: OCR
        return self.word_share >= (HIDDEN_WORD_SHARE if hidden else VISIBLE_WORD_SHARE)


def layer_quality(text: str) -> LayerQuality:
    text = strip_bidi(text).replace(PDFIUM_SOFT_HYPHEN, "-")
    split = text.split()
    chars = sum(map(len, split))
    bad = len(_CID.findall(text)) * 8 + len(_IMPOSSIBLE.findall(text))
    good = tokens = 0
    for token in split:
        verdict = plausible(token)
        if verdict is None:
            continue
        tokens += 1
        good += verdict
    return LayerQuality(
        word_share=good / tokens if tokens else 1.0,
        bad_char_share=min(1.0, bad / chars) if chars else 0.0,
        tokens=tokens,
    )


@functools.lru_cache(maxsize=65_536)  # a page repeats its words: judge each once
def plausible(token: str) -> bool | None:
    """Whether a token looks like something typed (None: punctuation, not judged)."""
    core = _APOSTROPHE.sub("", token.strip(_EDGE))
    if not core:
        return None if set(token) <= _FILLER | set(_EDGE) - set("*") else False
    if all(not c.isalnum() for c in core):
        return None if set(core) <= _FILLER else False
    if _ADDRESS.fullmatch(core):
        return True
    if _JUNK_CHARS.search(core) or _IMPOSSIBLE.search(core):
        return False
    if len(core) == 1:  # a lone letter: 'a' / 'i' / a list marker, else a torn-off fragment
        return core.isdigit() or core in "aAiI" or token[1:2] in (".", ")")
    return all(_part(part) for part in _SPLIT.split(core) if part)


def _part(part: str) -> bool:
    if part.isdigit():
        return True
    if not _PART.fullmatch(part):
        return False
    letters = part.isalpha()
    if letters and not _CASE.fullmatch(part):
        return False  # 'SuPriYanto', 'kePada': case flips inside a word
    return not (letters and not part.isupper() and _CONSONANTS.search(part))
