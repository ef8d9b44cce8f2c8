"""Draw the degradation parameters of one scan from its medium and its clean/hard lot.

Clean means dpi >= 200, |skew| <= 1 degree and no quarter turn, with mild noise, toner and
JPEG loss. Hard means at least one of 150 dpi, a 1.2-3 degree skew or a 90/180/270 degree
turn, with harsher noise, fading, blur and compression on top.
"""

from __future__ import annotations

import random

from tests.corpus.scans_make.plan import HARD_REASONS, ScanPlan

COLOURS = {
    "scan-pdf": (("gray", 45), ("rgb", 25), ("bilevel", 30)),
    "mixed-pdf": (("gray", 60), ("rgb", 25), ("bilevel", 15)),
    "tiff": (("bilevel", 75), ("gray", 25)),
}
DESKS = ((96, 72, 52), (60, 60, 64), (180, 170, 150), (35, 38, 45), (140, 110, 80))


def weighted(rng: random.Random, options: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([o for o, _ in options], weights=[w for _, w in options])[0]


def hard_reasons(rng: random.Random, medium: str) -> tuple[str, ...]:
    if medium == "png":
        return ("low-dpi",)
    options = [r for r, _ in HARD_REASONS]
    return rng.choices(options, weights=[w for _, w in HARD_REASONS])[0]


def geometry(plan: ScanPlan, rng: random.Random, reasons: tuple[str, ...]) -> None:
    """Resolution, skew and quarter turn."""
    plan.dpi = 150 if "low-dpi" in reasons else rng.choice((200, 200, 240, 300))
    sign = rng.choice((-1, 1))
    if "skew" in reasons:
        plan.skew = round(sign * rng.uniform(1.2, 3.0), 2)
    elif rng.random() < 0.85:
        plan.skew = round(sign * rng.uniform(0.3, 1.0), 2)
    if "turn" in reasons:
        plan.turn = rng.choice((90, 180, 270) if plan.medium != "jpg" else (90, 270))


def scanner_look(plan: ScanPlan, rng: random.Random) -> None:
    """Copier or flatbed: toner, paper, noise, JPEG or bilevel."""
    hard = not plan.clean
    plan.colour = weighted(rng, COLOURS[plan.medium])
    plan.noise = round(rng.uniform(6, 14) if hard else rng.uniform(2, 6), 1)
    plan.grain = rng.choice((1, 2))
    plan.specks = round(rng.uniform(40, 250) if hard else rng.choice((0, 0, rng.uniform(5, 40))))
    if hard or rng.random() < 0.5:
        plan.shade = rng.randint(195, 235) if hard else rng.randint(225, 245)
        plan.shade_angle = round(rng.uniform(0, 360), 1)
    if hard or rng.random() < 0.4:
        plan.fade = rng.randint(150, 205) if hard else rng.randint(200, 235)
    plan.fade_spot = hard and rng.random() < 0.4
    if hard or rng.random() < 0.5:
        plan.blur = round(rng.uniform(0.5, 1.1) if hard else rng.uniform(0.3, 0.6), 2)
    plan.shadow = rng.choice(("left", "right", "top", "bottom")) if rng.random() < 0.2 else None
    if plan.colour == "rgb":
        plan.tint = (rng.randint(245, 255), rng.randint(240, 252), rng.randint(220, 245))
    if plan.colour == "bilevel":
        bilevel_limits(plan, rng)
    elif plan.medium == "tiff":
        grey_tiff(plan, rng)
    else:
        plan.jpeg_quality = rng.randint(35, 55) if hard else rng.randint(50, 70)


def bilevel_limits(plan: ScanPlan, rng: random.Random) -> None:
    """A threshold that keeps thin strokes: faded ink and blur would otherwise vanish."""
    plan.threshold = rng.randint(140, 185) if not plan.clean else rng.randint(150, 175)
    plan.fade = max(plan.fade, 185)
    plan.blur = min(plan.blur, 0.8)
    if plan.medium == "tiff":
        plan.tiff_compression = "group4"


def grey_tiff(plan: ScanPlan, rng: random.Random) -> None:
    """Greyscale TIFF: LZW of a noise-free page (noise would make it megabytes) or JPEG."""
    if rng.random() < 0.5:
        plan.tiff_compression = "tiff_lzw"
        plan.noise, plan.specks = 0.0, 0
    else:
        plan.tiff_compression = "jpeg"
        plan.jpeg_quality = rng.randint(40, 55) if not plan.clean else rng.randint(55, 70)


def photo_look(plan: ScanPlan, rng: random.Random) -> None:
    """A phone photo of the page on a desk."""
    hard = not plan.clean
    plan.colour = "rgb"
    plan.dpi = min(plan.dpi, 240)
    plan.perspective = round(rng.uniform(0.01, 0.025) if hard else rng.uniform(0.003, 0.008), 4)
    plan.tint = (rng.randint(240, 255), rng.randint(230, 248), rng.randint(200, 235))
    plan.desk = rng.choice(DESKS)
    plan.shade = rng.randint(165, 215) if hard else rng.randint(205, 240)
    plan.shade_angle = round(rng.uniform(0, 360), 1)
    plan.blur = round(rng.uniform(0.6, 1.2) if hard else rng.uniform(0.3, 0.7), 2)
    plan.noise = round(rng.uniform(5, 10) if hard else rng.uniform(2, 5), 1)
    plan.jpeg_quality = rng.randint(35, 55) if hard else rng.randint(50, 70)


def screen_look(plan: ScanPlan, rng: random.Random) -> None:
    """A clean export or screenshot; hard ones are only low resolution."""
    plan.skew = 0.0
    plan.dpi = 150 if not plan.clean else rng.choice((200, 240, 300))
    plan.colour = "gray"
    if rng.random() < 0.5:
        plan.png_colours = rng.choice((16, 32, 64))


def draw_look(plan: ScanPlan, rng: random.Random) -> None:
    """Fill in every degradation parameter of `plan`."""
    reasons: tuple[str, ...] = () if plan.clean else hard_reasons(rng, plan.medium)
    geometry(plan, rng, reasons)
    if plan.medium == "jpg":
        photo_look(plan, rng)
        plan.ext = "jpeg" if rng.random() < 0.25 else "jpg"
    elif plan.medium == "png":
        screen_look(plan, rng)
        plan.ext = "png"
    else:
        scanner_look(plan, rng)
        plan.ext = ("tif" if rng.random() < 0.3 else "tiff") if plan.medium == "tiff" else "pdf"
