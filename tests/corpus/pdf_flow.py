"""A small text-flow engine on a reportlab canvas: fonts, wrapping, justified lines, pages.

Wrapping breaks at spaces and, like Word, after a "-" inside a word that does not fit,
so a hyphenated subdomain or a URL can end up split over two lines.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.units import cm, mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

PAGES: dict[str, tuple[float, float]] = {"A4": A4, "F4": (215 * mm, 330 * mm), "Letter": LETTER}
LIBERATION = Path("/usr/share/fonts/truetype/liberation")
FAMILIES: dict[str, tuple[str, str]] = {
    "times": ("Times-Roman", "Times-Bold"),
    "helv": ("Helvetica", "Helvetica-Bold"),
    "libsans": ("LiberationSans", "LiberationSans-Bold"),
    "libserif": ("LiberationSerif", "LiberationSerif-Bold"),
}
_FALLBACK = {"libsans": "helv", "libserif": "times"}
_registered: dict[str, bool] = {}


def family_fonts(family: str) -> tuple[str, str]:
    """Regular and bold font names; Liberation TTFs when installed, else the base-14 twin."""
    if family in _FALLBACK:
        if family not in _registered:
            stem = "LiberationSans" if family == "libsans" else "LiberationSerif"
            ok = (LIBERATION / f"{stem}-Regular.ttf").exists()
            if ok:
                pdfmetrics.registerFont(TTFont(stem, str(LIBERATION / f"{stem}-Regular.ttf")))
                pdfmetrics.registerFont(
                    TTFont(stem + "-Bold", str(LIBERATION / f"{stem}-Bold.ttf"))
                )
            _registered[family] = ok
        if not _registered[family]:
            family = _FALLBACK[family]
    return FAMILIES[family]


def split_fit(word: str, avail: float, width: Callable[[str], float]) -> tuple[str, str]:
    """Split `word` after its last '-' such that the head fits `avail`; ("", word)."""
    best = ""
    for i, ch in enumerate(word[:-1]):
        if ch == "-" and i >= 2 and width(word[: i + 1]) <= avail:
            best = word[: i + 1]
    return (best, word[len(best) :]) if best else ("", word)


def wrap(text: str, first_width: float, width: float, measure: Callable[[str], float]) -> list[str]:
    lines: list[str] = []
    cur = ""
    for word in text.split():
        limit = first_width if not lines else width
        cand = f"{cur} {word}" if cur else word
        if measure(cand) <= limit:
            cur = cand
            continue
        head, tail = split_fit(word, limit - measure(cur + " " if cur else ""), measure)
        if head:
            lines.append(f"{cur} {head}" if cur else head)
            cur = tail
        elif cur:
            lines.append(cur)
            cur = word
        else:
            cur = word
    if cur:
        lines.append(cur)
    return lines


@dataclass
class Flow:
    c: Canvas
    family: str
    size: float
    page: str
    left: float = 3 * cm
    right_margin: float = 2 * cm
    top: float = 2 * cm
    bottom: float = 2.2 * cm
    page_header: bool = False
    watch: list[str] = field(default_factory=list)
    notes: set[str] = field(default_factory=set)
    y: float = 0.0
    page_no: int = 1

    def __post_init__(self) -> None:
        self.w, self.h = PAGES[self.page]
        self.regular, self.bold = family_fonts(self.family)
        self.c.setPageSize((self.w, self.h))
        self.y = self.h - self.top

    # ---------------------------------------------------------------- geometry
    @property
    def right(self) -> float:
        return self.w - self.right_margin

    @property
    def width(self) -> float:
        return self.right - self.left

    @property
    def lead(self) -> float:
        return self.size * 1.32

    def font(self, bold: bool = False) -> str:
        return self.bold if bold else self.regular

    def measure(self, text: str, bold: bool = False, size: float | None = None) -> float:
        return float(pdfmetrics.stringWidth(text, self.font(bold), size or self.size))

    def measurer(self, bold: bool = False, size: float | None = None) -> Callable[[str], float]:
        return lambda t: self.measure(t, bold, size)

    # ---------------------------------------------------------------- pages
    def need(self, h: float) -> None:
        if self.y - h < self.bottom:
            self.new_page()

    def new_page(self) -> None:
        self.c.showPage()
        self.c.setPageSize((self.w, self.h))
        self.page_no += 1
        self.y = self.h - self.top
        if self.page_header:
            self.draw(f"- {self.page_no} -", self.w / 2, align="center")
            self.y -= 2 * self.lead

    def gap(self, lines: float = 1.0) -> None:
        self.y -= self.lead * lines

    # ---------------------------------------------------------------- drawing
    def draw(
        self,
        text: str,
        x: float,
        bold: bool = False,
        size: float | None = None,
        align: str = "left",
        y: float | None = None,
    ) -> None:
        size = size or self.size
        yy = self.y if y is None else y
        self.c.setFont(self.font(bold), size)
        if align == "center":
            self.c.drawCentredString(x, yy, text)
        elif align == "right":
            self.c.drawRightString(x, yy, text)
        else:
            self.c.drawString(x, yy, text)

    def line(
        self,
        text: str,
        x: float | None = None,
        bold: bool = False,
        size: float | None = None,
        align: str = "left",
    ) -> None:
        self.need(self.lead)
        self.draw(text, self.left if x is None else x, bold, size, align)
        self.y -= self.lead * max(1.0, (size or self.size) / self.size)

    def justified(self, text: str, x: float, width: float, bold: bool = False) -> None:
        words = text.split(" ")
        used = sum(self.measure(w, bold) for w in words)
        space = (width - used) / (len(words) - 1) if len(words) > 1 else 0.0
        if len(words) < 2 or space > self.size * 1.6:
            self.draw(text, x, bold)
            return
        for w in words:
            self.draw(w, x, bold)
            x += self.measure(w, bold) + space

    def para(
        self,
        text: str,
        x: float | None = None,
        width: float | None = None,
        first_indent: float = 0.0,
        justify: bool = False,
        bold: bool = False,
        hang: str = "",
    ) -> int:
        """Wrap and draw a paragraph; `hang` is a list marker drawn left of x. Returns lines."""
        x = self.left if x is None else x
        width = self.right - x if width is None else width
        lines = wrap(text, width - first_indent, width, self.measurer(bold))
        self._watch(lines)
        for i, ln in enumerate(lines):
            self.need(self.lead)
            if i == 0 and hang:
                self.draw(hang, x - self.measure(hang + "  "), bold)
            lx = x + (first_indent if i == 0 else 0.0)
            lw = width - (first_indent if i == 0 else 0.0)
            if justify and i < len(lines) - 1:
                self.justified(ln, lx, lw, bold)
            else:
                self.draw(ln, lx, bold)
            self.y -= self.lead
        return len(lines)

    def _watch(self, lines: list[str]) -> None:
        for w in self.watch:
            if w in "".join(lines) and not any(w in ln for ln in lines):
                self.notes.add("subdomain-split")

    def rule(self, kind: str) -> None:
        self.c.setLineWidth(1.6 if kind != "line" else 1.0)
        if kind == "underscores":
            n = int(self.width / self.measure("_"))
            self.line("_" * n)
            return
        self.c.line(self.left, self.y + self.lead * 0.6, self.right, self.y + self.lead * 0.6)
        if kind == "double":
            self.c.setLineWidth(0.5)
            self.c.line(self.left, self.y + self.lead * 0.45, self.right, self.y + self.lead * 0.45)
        self.y -= self.lead * 0.4
