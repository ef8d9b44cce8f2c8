"""Render a digital case's pages, degrade them and write the scanned medium.

Media: `scan-pdf` (one JPEG or CCITT G4 image per page, as a copier writes it), `tiff` (G4
bilevel or LZW greyscale, one or more pages), `jpg` (phone photo), `png` (clean screenshot or
export) and `mixed-pdf` (the letter's pages scanned, the later pages kept digital).
"""

from __future__ import annotations

import hashlib
import io
import random
import re
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
from PIL import Image, ImageChops

from tests.corpus.scans_make import degrade as dg
from tests.corpus.scans_make.plan import ScanPlan

PDFIUM_DATE = re.compile(rb"(/(?:CreationDate|ModDate)\(D:)\d{14}")
PDFIUM_ID = re.compile(rb"/ID\s*\[\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>")
FIXED_DATE = b"20250102080000"


def render_pages(pdf_path: Path, plan: ScanPlan) -> list[Image.Image]:
    """The pages to scan, rendered at the plan's dpi (AcroForm values drawn)."""
    doc = pdfium.PdfDocument(pdf_path)
    try:
        doc.init_forms()
        images = []
        for index in plan.scanned:
            page = doc[index]
            bitmap = page.render(
                scale=plan.dpi / 72, grayscale=plan.colour != "rgb", may_draw_forms=True
            )
            images.append(bitmap.to_pil().convert("RGB" if plan.colour == "rgb" else "L"))
            page.close()
        return images
    finally:
        doc.close()


def weaken_toner(img: Image.Image, plan: ScanPlan, rng: random.Random) -> Image.Image:
    """Toner fading towards one side, and for some hard scans a faded patch."""
    if plan.fade == 255:
        return img
    strength = dg.linear_ramp(img.size, rng.uniform(0, 360), plan.fade)
    if plan.fade_spot:
        w, h = img.size
        radius = int(w * rng.uniform(0.15, 0.3))
        center = (rng.randrange(w), rng.randrange(h))
        spot = dg.radial_blob(img.size, center, radius, plan.fade)
        strength = ImageChops.darker(strength, spot)
    return dg.fade_ink(img, strength)


def scanner_page(img: Image.Image, plan: ScanPlan, rng: random.Random) -> Image.Image:
    """A copier or flatbed scan of one page."""
    img = weaken_toner(img, plan, rng)
    if plan.blur:
        img = dg.blur(img, plan.blur * plan.dpi / 200)
    img = dg.rotate(img, plan.skew)
    if plan.shade < 255:
        img = dg.shade_paper(img, dg.linear_ramp(img.size, plan.shade_angle, plan.shade))
    if plan.shadow:
        img = dg.edge_shadow(img, plan.shadow, int(img.width * rng.uniform(0.008, 0.025)), 60)
    if plan.tint:
        img = dg.tint(img, plan.tint)
    if plan.noise:
        img = dg.add_noise(img, plan.noise, plan.grain, rng)
    if plan.specks:
        img = dg.add_specks(img, plan.specks, rng)
    if plan.threshold is not None:
        img = dg.bilevel(img, plan.threshold)
    return dg.quarter_turn(img, plan.turn)


def photo_page(img: Image.Image, plan: ScanPlan, rng: random.Random) -> Image.Image:
    """A phone photo of the page lying on a desk, under uneven room light."""
    img = dg.tint(img, plan.tint or (255, 255, 255))
    img = dg.photograph(img, plan.skew, plan.perspective, plan.desk or (90, 90, 90), rng)
    img = dg.shade_paper(img, dg.linear_ramp(img.size, plan.shade_angle, plan.shade))
    img = dg.blur(img, plan.blur * plan.dpi / 200)
    img = dg.add_noise(img, plan.noise, 1, rng)
    return dg.quarter_turn(img, plan.turn)


def screen_page(img: Image.Image, plan: ScanPlan) -> Image.Image:
    return dg.palette(img, plan.png_colours) if plan.png_colours else img


def degrade_pages(images: list[Image.Image], plan: ScanPlan) -> list[Image.Image]:
    out = []
    for number, img in enumerate(images, start=1):
        rng = random.Random(f"{plan.seed}:page{number}")
        if plan.medium == "jpg":
            out.append(photo_page(img, plan, rng))
        elif plan.medium == "png":
            out.append(screen_page(img, plan))
        else:
            out.append(scanner_page(img, plan, rng))
    return out


def image_pdf(images: list[Image.Image], plan: ScanPlan) -> bytes:
    """An image-only PDF the way a copier's scan-to-PDF writes it (no dates, so it is stable)."""
    buf = io.BytesIO()
    extra: dict[str, Any] = {"quality": plan.jpeg_quality} if plan.jpeg_quality else {}
    images[0].save(
        buf,
        "PDF",
        save_all=True,
        append_images=images[1:],
        resolution=float(plan.dpi),
        title=None,
        creationDate=None,
        modDate=None,
        **extra,
    )
    return buf.getvalue()


def stable_pdfium(data: bytes) -> bytes:
    """PDFium stamps a new document with the current time and a file ID seeded by a memory
    address; replace both, keeping their lengths so the cross-reference table stays valid."""
    data = PDFIUM_DATE.sub(rb"\g<1>" + FIXED_DATE, data)
    matches = list(PDFIUM_ID.finditer(data))
    if not matches:
        return data
    match = matches[-1]
    digest = hashlib.md5(data[: match.start()], usedforsecurity=False).hexdigest().upper()
    first, second = (digest.encode()[: len(match[g])] for g in (1, 2))
    return data[: match.start(1)] + first + b"><" + second + data[match.end(2) :]


def mixed_pdf(scan: bytes, pdf_path: Path, plan: ScanPlan) -> bytes:
    """Scanned pages from `scan` where the plan says so, the source's digital pages elsewhere."""
    scanned = pdfium.PdfDocument(scan)
    source = pdfium.PdfDocument(pdf_path)
    out = pdfium.PdfDocument.new()
    try:
        for index in range(plan.pages):
            if index in plan.scanned:
                out.import_pages(scanned, pages=[plan.scanned.index(index)])
            else:
                out.import_pages(source, pages=[index])
        buf = io.BytesIO()
        out.save(buf)
        return stable_pdfium(buf.getvalue())
    finally:
        for doc in (out, source, scanned):
            doc.close()


def write_medium(images: list[Image.Image], plan: ScanPlan, pdf_path: Path, dest: Path) -> None:
    if plan.medium == "scan-pdf":
        dest.write_bytes(image_pdf(images, plan))
    elif plan.medium == "mixed-pdf":
        dest.write_bytes(mixed_pdf(image_pdf(images, plan), pdf_path, plan))
    elif plan.medium == "tiff":
        extra = {"quality": plan.jpeg_quality} if plan.jpeg_quality else {}
        images[0].save(
            dest,
            "TIFF",
            save_all=True,
            append_images=images[1:],
            compression=plan.tiff_compression,
            dpi=(plan.dpi, plan.dpi),
            **extra,
        )
    elif plan.medium == "jpg":
        # Phones record 72 dpi whatever the page's real resolution is.
        images[0].save(dest, "JPEG", quality=plan.jpeg_quality, dpi=(72, 72))
    elif plan.medium == "png":
        images[0].save(dest, "PNG", dpi=(plan.dpi, plan.dpi))
    else:
        raise ValueError(f"unknown medium {plan.medium}")


def make_scan(plan: ScanPlan, pdf_path: Path, out_dir: Path) -> str:
    """Render, degrade and write one scanned case; returns its file name."""
    images = degrade_pages(render_pages(pdf_path, plan), plan)
    write_medium(images, plan, pdf_path, out_dir / plan.file)
    return plan.file
