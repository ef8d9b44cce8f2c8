"""Which digital cases become scans, in which medium, and with which degradations.

Everything here is drawn from `random.Random` instances seeded by the fixed seed and the case
name, so a plan depends only on the seed, the count and the digital corpus.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

MEDIA_SHARE = {"scan-pdf": 0.30, "tiff": 0.24, "mixed-pdf": 0.15, "jpg": 0.16, "png": 0.15}
HARD_REASONS = (
    (("low-dpi",), 4),
    (("skew",), 4),
    (("low-dpi", "skew"), 2),
    (("turn",), 2),
)


@dataclass(frozen=True)
class Source:
    """One case of the digital corpus."""

    name: str
    path: Path
    kind: str
    layout: str
    fields: dict[str, Any]
    letter_pages: int | None

    @property
    def is_docx(self) -> bool:
        return self.path.suffix == ".docx"

    @property
    def acro(self) -> bool:
        return "acro" in self.layout


@dataclass
class ScanPlan:
    """How one scanned case is made; the recorded parameters go into its expected JSON."""

    index: int
    source: Source
    pages: int
    medium: str
    clean: bool
    seed: str
    dpi: int = 200
    skew: float = 0.0
    turn: int = 0
    colour: str = "gray"
    jpeg_quality: int | None = None
    noise: float = 0.0
    grain: int = 1
    specks: float = 0.0
    shade: int = 255
    shade_angle: float = 0.0
    fade: int = 255
    fade_spot: bool = False
    blur: float = 0.0
    threshold: int | None = None
    shadow: str | None = None
    perspective: float = 0.0
    tint: tuple[int, int, int] | None = None
    desk: tuple[int, int, int] | None = None
    png_colours: int | None = None
    tiff_compression: str | None = None
    ext: str = "pdf"
    scanned: tuple[int, ...] = field(default_factory=tuple)

    @property
    def name(self) -> str:
        kind = self.source.kind.replace("+", "-")
        return f"SC{self.index:03d}_{kind}_{self.medium}"

    @property
    def file(self) -> str:
        return f"{self.name}.{self.ext}"

    @property
    def rotation(self) -> float:
        """The total counter-clockwise rotation applied: quarter turn plus skew."""
        return round(self.turn + self.skew, 2)

    def degradations(self) -> list[str]:
        checks = (
            ("rotate-" + str(self.turn), self.turn != 0),
            ("skew", self.skew != 0),
            ("perspective", self.perspective > 0),
            ("paper-tint", self.tint is not None),
            ("brightness-gradient", self.shade < 255),
            ("faded-toner", self.fade < 255),
            ("faded-area", self.fade_spot),
            ("edge-shadow", self.shadow is not None),
            ("blur", self.blur > 0),
            ("gaussian-noise", self.noise > 0),
            ("salt-pepper", self.specks > 0),
            ("bilevel", self.threshold is not None),
            ("palette", self.png_colours is not None),
            ("jpeg", self.jpeg_quality is not None),
        )
        return [name for name, applied in checks if applied]

    def params(self) -> dict[str, Any]:
        keys = (
            "colour",
            "skew",
            "turn",
            "jpeg_quality",
            "noise",
            "grain",
            "specks",
            "shade",
            "shade_angle",
            "fade",
            "blur",
            "threshold",
            "shadow",
            "perspective",
            "tint",
            "desk",
            "png_colours",
            "tiff_compression",
        )
        return {k: getattr(self, k) for k in keys}


def load_sources(digital: Path) -> list[Source]:
    """Every case of the digital corpus, from its truth.jsonl."""
    sources = []
    for line in (digital / "truth.jsonl").read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        sources.append(
            Source(
                name=Path(rec["file"]).stem,
                path=digital / rec["file"],
                kind=rec["kind"],
                layout=rec["layout"],
                fields=rec["fields"],
                letter_pages=rec.get("tags", {}).get("letter_pages"),
            )
        )
    return sources


def largest_remainder(weights: dict[str, float], total: int) -> dict[str, int]:
    """Split `total` in proportion to `weights`, rounding so the parts add up."""
    whole = sum(weights.values())
    exact = {k: total * w / whole for k, w in weights.items()}
    counts = {k: int(v) for k, v in exact.items()}
    order = sorted(exact, key=lambda k: (counts[k] - exact[k], k))
    for k in order[: total - sum(counts.values())]:
        counts[k] += 1
    return counts


def select(sources: list[Source], count: int, rng: random.Random) -> list[Source]:
    """`count` cases spread over kind and source format in proportion to the corpus."""
    if not 0 < count <= len(sources):
        raise ValueError(f"--count must be 1..{len(sources)}")
    strata: dict[str, list[Source]] = {}
    for s in sources:
        strata.setdefault(f"{s.kind}/{s.path.suffix}", []).append(s)
    quota = largest_remainder({k: len(v) for k, v in strata.items()}, count)
    chosen = [s for key in sorted(strata) for s in rng.sample(strata[key], quota[key])]
    rng.shuffle(chosen)
    return chosen


def assign_media(
    sources: list[Source], pages: dict[str, int], rng: random.Random
) -> dict[str, str]:
    """A medium per case: JPG and PNG only for one-page documents, mixed PDFs only for
    multi-page ones whose later pages carry real text (not AcroForm values)."""
    target = largest_remainder(MEDIA_SHARE, len(sources))
    multi = [s for s in sources if pages[s.name] > 1]
    single = [s for s in sources if pages[s.name] == 1]
    media: dict[str, str] = {}
    mixable = [s for s in multi if not s.acro]
    for s in mixable[: target["mixed-pdf"]]:
        media[s.name] = "mixed-pdf"
    rest_multi = [s for s in multi if s.name not in media]
    for i, s in enumerate(rest_multi):
        media[s.name] = ("tiff", "scan-pdf")[i % 2]
    left = {m: target[m] - sum(v == m for v in media.values()) for m in target}
    pool = [m for m in ("png", "jpg", "tiff", "scan-pdf") for _ in range(max(0, left[m]))]
    pool += ["scan-pdf"] * (len(single) - len(pool))
    rng.shuffle(pool)
    for s, m in zip(single, pool, strict=False):
        media[s.name] = m
    return media


def assign_clean(names_by_medium: dict[str, list[str]], rng: random.Random) -> dict[str, bool]:
    """Half of every medium clean, the other half hard (PNG screenshots lean clean)."""
    clean: dict[str, bool] = {}
    for medium, names in sorted(names_by_medium.items()):
        order = sorted(names)
        rng.shuffle(order)
        share = 0.65 if medium == "png" else 0.5
        n_clean = round(len(order) * share)
        for i, name in enumerate(order):
            clean[name] = i < n_clean
    return clean


def scanned_pages(source: Source, pages: int, medium: str) -> tuple[int, ...]:
    """Pages turned into images: all of them, or for a mixed PDF the letter's pages (page 1
    when that is unknown), keeping the rest digital."""
    if medium != "mixed-pdf":
        return tuple(range(pages))
    first = source.letter_pages or 1
    return tuple(range(min(first, pages - 1)))
