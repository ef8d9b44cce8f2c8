"""The parts of a surat dinas found from its lines: where the body runs, where it closes, where
its head signs and where the copies list starts.

A letter is a kop, a header block (Nomor / Lampiran / Perihal, the place-and-date line, the
addressee), the body, a closing ("Demikian …", "… terima kasih", a decree's "Ditetapkan di …"),
the signature block and the copies list (Tembusan). The body names other letters, events and
offices; the letter's own number, date and sender live around it. Each fact about these parts
is declared here once, for every rule that needs it.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from pipeline.models import TextLine

# The words a letter's body opens with (after the addressee block): the greeting, or the
# first sentence when there is none.
BODY_OPENINGS = (
    r"dengan\s+hormat|assala+mu\W?alaikum|salam\s+sejahtera|dengan\s+ini|"
    r"yang\s+bertanda\s*tangan|berdasarkan|menindaklanjuti|sehubungan|bersama\s+ini|"
    r"dalam\s+rangka|memperhatikan|merujuk|menunjuk|mengingat|menimbang"
)
BODY_OPENING_RE = re.compile(rf"^\W*(?:{BODY_OPENINGS})\b", re.I)
# The paragraph a letter closes with, or a decree's 'Ditetapkan di …': the signer's title
# follows within SIGNATURE_SPAN lines.
CLOSING_RE = re.compile(
    r"^\W*(?:demikian|atas\s+perhatian)|terima\s*kasih|^\W*(?:ditetapkan|dikeluarkan)\s+di\b",
    re.I,
)
SIGNATURE_SPAN = 12
COPIES_RE = re.compile(r"^\W*tembusan", re.I)
# A letter with no closing sentence (a policy, a Surat Tugas) still has a signature block: the
# signer's title on a short line of its own ('KEPALA,', 'An. KEPALA KANTOR WILAYAH'), the
# signer's name and NIP under it.
SIGNER_TITLE_RE = re.compile(
    r"^\W*(?:(?:a\.?\s?n|plt|plh|u\.?\s?b)\.?\s+)*"
    r"(?:kepala|rektor|dekan|direktur|ketua|camat|lurah|sekretaris|bupati|wali\s*kota|gubernur)\b",
    re.I,
)
SIGNER_TITLE_WORDS = 8  # a title line is short; a body sentence opening with 'Kepala' is not
NIP_LINE_RE = re.compile(r"^\W*NIP\b", re.I)


@dataclass(frozen=True)
class Body:
    """Indexes into a letter's lines: its body runs from `start` up to `end` (the closing)."""

    start: int
    end: int

    def holds(self, index: int) -> bool:
        return self.start <= index < self.end


def closings(lines: Sequence[TextLine]) -> list[int]:
    """Indexes of the lines that close a letter (every letter of a document, every page)."""
    return [i for i, line in enumerate(lines) if CLOSING_RE.search(line.text)]


NO_BODY = Body(0, 0)  # holds no line


def body_of(lines: Sequence[TextLine]) -> Body:
    """The first letter's body: from the first line that opens a body to the first closing
    below it, on the same page; NO_BODY when either is missing (nothing is set apart)."""
    start = next((i for i, line in enumerate(lines) if BODY_OPENING_RE.match(line.text)), None)
    if start is None:
        return NO_BODY
    end = next((i for i in closings(lines) if i > start), None)
    if end is None or lines[end].page != lines[start].page:
        return NO_BODY
    return Body(start, end)


def signature_blocks(lines: Sequence[TextLine]) -> list[list[str]]:
    """The text of every signature block: below each closing, and from each signer's title
    that has a NIP under it on its page (a letter that ends without a closing sentence)."""
    zones = [signature_zone(lines, start) for start in closings(lines)]
    titled = [_titled_block(lines, i) for i, line in enumerate(lines) if _signer_title(line)]
    return zones + [block for block in titled if block]


def _signer_title(line: TextLine) -> bool:
    return bool(SIGNER_TITLE_RE.match(line.text)) and len(line.text.split()) <= SIGNER_TITLE_WORDS


def _titled_block(lines: Sequence[TextLine], title: int) -> list[str]:
    """From a signer's title down to its NIP line, within SIGNATURE_SPAN on its page; empty
    when no NIP follows (a title that signs nothing)."""
    block: list[str] = []
    for line in lines[title : title + SIGNATURE_SPAN]:
        if line.page != lines[title].page:
            break
        block.append(line.text)
        if NIP_LINE_RE.match(line.text):
            return block
    return []


def signature_zone(lines: Sequence[TextLine], closing: int) -> list[str]:
    """The lines from a closing down, on its page, before the copies list: 'Tembusan : 1.
    Sekretaris Daerah …' names other offices, and the next page (an attachment's header,
    'LAMPIRAN KEPUTUSAN REKTOR …') names the unit without anyone signing."""
    page = lines[closing].page
    below = itertools.takewhile(
        lambda ln: ln.page == page and not COPIES_RE.match(ln.text),
        lines[closing : closing + SIGNATURE_SPAN],
    )
    return [ln.text for ln in below]
