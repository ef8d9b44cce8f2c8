"""Real letterheads (tests/corpus/kops/kops.jsonl) set over a plain letter, for reading the
sender the way `extract` does."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from pipeline.models import Cell, Media, Page, ReadDocument, TextLine

KOPS = Path(__file__).resolve().parent / "kops" / "kops.jsonl"
LETTER_BELOW_KOP = (
    "Nomor : 005/123/2024",
    "Perihal : Undangan Rapat Koordinasi",
    "Kepada Yth. Kepala Dinas Komunikasi dan Informatika",
    "Dengan hormat, bersama ini kami mengundang Bapak/Ibu untuk hadir dalam rapat.",
    "Demikian kami sampaikan, atas perhatiannya diucapkan terima kasih.",
)
DEFAULT_ADDRESS = "Jl. Merdeka No. 1 Telp. (0291) 123456"


@dataclass(frozen=True)
class Kop:
    source: str
    lines: tuple[str, ...]
    address: str
    sender: str
    scored: bool  # neither uncertain nor outside the reader's scope

    def letter(self) -> ReadDocument:
        texts = (*self.lines, self.address or DEFAULT_ADDRESS, *LETTER_BELOW_KOP)
        lines = tuple(TextLine(1, (Cell(150.0, text, 1.0),), 595.0) for text in texts)
        return ReadDocument(media=Media.PDF, pages=(Page(1, lines, True),))


def load_kops() -> list[Kop]:
    rows = [json.loads(line) for line in KOPS.read_text(encoding="utf-8").splitlines() if line]
    return [
        Kop(
            row["source"],
            tuple(row["kop"]),
            row["address"],
            row["sender"],
            not row.get("uncertain") and not row.get("outside_scope"),
        )
        for row in rows
    ]


def same_sender(got: str | None, want: str) -> bool:
    """As ../shared/eval/score_extract.py compares a sender: case, spaces, a UPT prefix."""

    def norm(text: str) -> str:
        text = re.sub(r"^\s*uptd?\s+", "", text, flags=re.I)
        return re.sub(r"\s+", " ", text).strip().rstrip(".").casefold()

    return got is not None and norm(got) == norm(want)
