"""Lay letter and form specs out as PDF pages (reportlab, invariant output)."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path

from reportlab.lib.units import cm
from reportlab.pdfgen.canvas import Canvas

from tests.corpus.form_specs import form_labels
from tests.corpus.pdf_flow import Flow, family_fonts, wrap
from tests.corpus.specs import Block, FormRow, FormSpec, Kop, LetterSpec, Signature


@dataclass(frozen=True)
class PdfLook:
    family: str = "times"
    size: float = 11.0
    page: str = "A4"
    justify: bool = False
    first_indent: bool = False
    body_indent: bool = False
    label_mode: str = "aligned"  # aligned | inline | padded
    date_flush: bool = True  # date line flush right, else at the signature column
    page_header: bool = False
    form_layout: str = "t3"  # t2 | t3 | para | inline | acro
    borders: bool = True
    acro_names: dict[str, str] = field(default_factory=dict)
    acro_border: str = "solid"


def render_pdf(
    path: Path,
    letter: LetterSpec | None,
    form: FormSpec | None,
    look: PdfLook,
    title: str,
    watch: list[str],
) -> dict[str, object]:
    """Write the PDF; returns layout notes (pages, whether a subdomain was split, ...)."""
    buf = io.BytesIO()
    c = Canvas(buf, invariant=1, pageCompression=1)
    c.setTitle(title)
    c.setAuthor("Sekretariat")
    f = Flow(c, look.family, look.size, look.page, page_header=look.page_header, watch=list(watch))
    letter_pages = 0
    if letter:
        draw_letter(f, letter, look)
        letter_pages = f.page_no
    if form:
        if letter:
            f.page_header = False
            f.new_page()
        draw_form(f, form, look)
    c.showPage()
    c.save()
    path.write_bytes(buf.getvalue())
    return {"pages": f.page_no, "letter_pages": letter_pages, "notes": sorted(f.notes)}


# --------------------------------------------------------------------------- letterhead


def draw_kop(f: Flow, kop: Kop) -> None:
    top = f.y
    cx = f.w / 2
    if kop.logo:
        f.c.setLineWidth(1.2)
        f.c.circle(f.left + 1.0 * cm, f.y - 0.9 * cm, 0.95 * cm)
        f.c.rect(f.left + 0.6 * cm, f.y - 1.4 * cm, 0.8 * cm, 1.0 * cm)
        cx = (f.left + 2.2 * cm + f.right) / 2
    avail = f.right - (f.left + (2.3 * cm if kop.logo else 0))
    sizes = {
        "gov": f.size + 2,
        "opd": f.size + 3,
        "opd2": f.size + 2,
        "addr": f.size - 2,
        "contact": f.size - 2,
    }
    for text, role in kop.lines:
        size = sizes[role]
        bold = role in ("gov", "opd", "opd2")
        for ln in wrap(text, avail, avail, f.measurer(bold, size)):
            f.draw(ln, cx, bold, size, align="center")
            f.y -= size * 1.25
    if kop.logo:
        f.y = min(f.y, top - 2.0 * cm)
    f.y -= 2
    f.rule(kop.rule)
    f.gap(0.6)


# --------------------------------------------------------------------------- letters


def draw_letter(f: Flow, spec: LetterSpec, look: PdfLook) -> None:
    draw_kop(f, spec.kop)
    sig_x = f.left + f.width * 0.52
    if spec.date_mode == "right":
        if look.date_flush:
            f.draw(spec.place_date, f.right, align="right")
        else:
            f.draw(spec.place_date, sig_x)
        f.gap(1.6)
    elif spec.date_mode == "left":
        f.line(spec.place_date)
        f.gap(0.6)
    value_x = _label_block(f, spec, look)
    f.gap()
    if not spec.recipient_beside:
        x = f.left + f.width * 0.58 if spec.date_mode == "twocol" else f.left
        for r in spec.recipient:
            f.para(r, x, f.right - x)
        f.gap()
    body_x = value_x if look.body_indent else f.left
    if spec.salutation:
        f.line(spec.salutation, body_x)
    for block in spec.body:
        _block(f, block, look, body_x)
    _paragraph(f, spec.closing, look, body_x)
    f.gap(0.5)
    _signature(f, spec.sig, spec.place_date if spec.date_mode == "sig" else None, sig_x)
    if spec.tembusan:
        f.gap(0.5)
        f.need(f.lead * (len(spec.tembusan) + 1))
        f.line(
            "Tembusan:" if len(spec.tembusan) > 2 else "Tembusan disampaikan kepada:",
            size=f.size - 1,
        )
        for i, t in enumerate(spec.tembusan):
            f.para(t, f.left + 0.6 * cm, hang=f"{i + 1}.")


def _label_block(f: Flow, spec: LetterSpec, look: PdfLook) -> float:
    """Draw Nomor/Sifat/Lampiran/Perihal; returns the x where values start."""
    twocol = spec.date_mode == "twocol"
    label_w = max(f.measure(lb) for lb, _ in spec.labels) + 0.35 * cm
    pad = max(len(lb) for lb, _ in spec.labels) + 2
    value_x = f.left + label_w + f.measure(":") + 0.25 * cm
    # the letter number never wraps: the right column starts after it
    nomor_label, nomor = spec.labels[0]
    nomor_end = (
        value_x
        if look.label_mode == "aligned"
        else f.left + f.measure(_prefix(nomor_label, look.label_mode, pad))
    ) + f.measure(nomor)
    right_x = max(f.left + f.width * 0.58, nomor_end + 0.8 * cm)
    right_x = min(right_x, f.right - f.measure(spec.place_date))
    if twocol and nomor_end + 0.3 * cm > right_x:
        f.notes.add("twocol-overlap")
    right: list[str] = []
    if twocol:
        right = [spec.place_date]
        if spec.recipient_beside:
            right.append("")
            for r in spec.recipient:
                right += wrap(r, f.right - right_x, f.right - right_x, f.measurer())
    limit = right_x - 0.5 * cm if twocol else f.right
    i = 0
    for k, (label, value) in enumerate(spec.labels):
        if look.label_mode == "aligned":
            prefix, vx = "", value_x
        else:
            prefix = _prefix(label, look.label_mode, pad)
            vx = f.left + f.measure(prefix)
        lines = [value] if k == 0 else wrap(value, limit - vx, limit - vx, f.measurer())
        for j, ln in enumerate(lines):
            f.need(f.lead)
            if j == 0 and look.label_mode == "aligned":
                f.draw(label, f.left)
                f.draw(":", f.left + label_w)
                f.draw(ln, vx)
            elif j == 0:
                f.draw(prefix + ln, f.left)
            else:
                f.draw(ln, vx)
            if i < len(right):
                f.draw(right[i], right_x)
            i += 1
            f.y -= f.lead
    for rest in right[i:]:
        f.draw(rest, right_x)
        f.y -= f.lead
    return float(value_x)


def _prefix(label: str, mode: str, pad: int) -> str:
    return f"{label} : " if mode == "inline" else label.ljust(pad) + ": "


def _paragraph(f: Flow, text: str, look: PdfLook, x: float) -> None:
    f.para(text, x, first_indent=1.25 * cm if look.first_indent else 0.0, justify=look.justify)
    f.gap(0.35)


def _block(f: Flow, block: Block, look: PdfLook, x: float) -> None:
    kind = block[0]
    if kind == "p":
        _paragraph(f, block[1], look, x)
    elif kind == "li":
        f.para(block[2], x + 0.8 * cm, justify=look.justify, hang=block[1])
    elif kind == "kv":
        f.need(f.lead)
        f.draw(block[1], x + 1.0 * cm)
        f.draw(":", x + 4.2 * cm)
        f.para(block[2], x + 4.5 * cm)


def _signature(f: Flow, sig: Signature, place_date: str | None, x: float) -> None:
    f.need(f.lead * (len(sig.lines) + 7))
    if place_date:
        f.line(place_date, x)
    for ln in sig.lines:
        f.para(ln, x, f.right - x, bold=ln.isupper())
    if sig.esign:
        f.c.setLineWidth(0.6)
        f.c.rect(x, f.y - 1.9 * cm, 6.2 * cm, 2.1 * cm)
        f.c.rect(x + 0.2 * cm, f.y - 1.7 * cm, 1.7 * cm, 1.7 * cm, fill=1)
        f.draw("Ditandatangani secara", x + 2.1 * cm, size=f.size - 3, y=f.y - 0.6 * cm)
        f.draw("elektronik oleh:", x + 2.1 * cm, size=f.size - 3, y=f.y - 1.0 * cm)
        f.y -= 2.4 * cm
    else:
        f.gap(3.4)
    f.line(sig.nama, x, bold=True)
    if sig.pangkat:
        f.line(sig.pangkat, x)
    f.line(f"NIP. {sig.nip}", x)


# --------------------------------------------------------------------------- forms


def draw_form(f: Flow, spec: FormSpec, look: PdfLook) -> None:
    if spec.kop:
        draw_kop(f, spec.kop)
    for t in spec.title:
        f.line(t, f.w / 2, bold=True, align="center")
    f.gap()
    layout = look.form_layout
    label_w = f.width * (0.40 if layout != "para" else 0.44)
    colon_w = 0.4 * cm if layout in ("t3", "acro", "para") else 0.0
    vx = f.left + label_w + colon_w + 0.15 * cm
    generic = 0
    for row, label, sub in form_labels(spec):
        indent = 0.5 * cm if sub else 0.0
        if row.key == "section":
            _section_row(f, label, look)
            continue
        if layout == "inline":
            text = f"{label} : {row.value}" + (f" {row.suffix}" if row.suffix else "")
            f.para(text, f.left + indent)
            f.y -= 3
            continue
        lines = wrap(label, label_w - indent - 0.2 * cm, label_w - indent - 0.2 * cm, f.measurer())
        vals = wrap(row.value, f.right - vx - 0.2 * cm, f.right - vx - 0.2 * cm, f.measurer())
        n = max(len(lines), len(vals), 1)
        f.need(n * f.lead + 6)
        top = f.y + f.lead * 0.8
        for j, ln in enumerate(lines):
            f.draw(ln, f.left + 0.1 * cm + indent, y=f.y - j * f.lead)
        if colon_w:
            f.draw(":", f.left + label_w + 0.05 * cm)
        if layout == "acro":
            generic += 1
            _acro_field(f, row, look, vx, generic)
        else:
            for j, ln in enumerate(vals or [""]):
                f.draw(ln, vx, y=f.y - j * f.lead)
            if row.suffix:
                _suffix(f, row, vx)
        f.y -= n * f.lead
        if look.borders and layout in ("t2", "t3"):
            _row_box(f, top, f.y + f.lead * 0.8, label_w, colon_w)
        f.y -= 3
    f.gap(0.5)
    if spec.declaration:
        f.para(spec.declaration, justify=look.justify)
        f.gap(0.5)
    _signature(f, spec.sig, spec.place_date, f.left + f.width * 0.55)


def _section_row(f: Flow, label: str, look: PdfLook) -> None:
    f.need(f.lead * 2)
    top = f.y + f.lead * 0.8
    f.draw(label, f.left + 0.1 * cm, bold=True)
    f.y -= f.lead
    if look.borders and look.form_layout in ("t2", "t3"):
        f.c.setLineWidth(0.6)
        f.c.rect(f.left, f.y + f.lead * 0.8, f.width, top - (f.y + f.lead * 0.8))
    f.y -= 3


def _row_box(f: Flow, top: float, bottom: float, label_w: float, colon_w: float) -> None:
    f.c.setLineWidth(0.6)
    f.c.rect(f.left, bottom, f.width, top - bottom)
    f.c.line(f.left + label_w, top, f.left + label_w, bottom)
    if colon_w:
        f.c.line(f.left + label_w + colon_w, top, f.left + label_w + colon_w, bottom)


def _suffix(f: Flow, row: FormRow, vx: float) -> None:
    blank = max(3.2 * cm, f.measure(row.value) + 0.3 * cm)
    f.c.setLineWidth(0.5)
    f.c.line(vx, f.y - 2, vx + blank, f.y - 2)
    f.draw(row.suffix, vx + blank + 1)


def _acro_field(f: Flow, row: FormRow, look: PdfLook, vx: float, n: int) -> None:
    name = look.acro_names.get(row.key) or f"Text{n}"
    width = f.right - vx - 0.1 * cm
    if row.suffix:
        width = max(3.4 * cm, f.measure(row.value) + 0.6 * cm)
        f.draw(row.suffix, vx + width + 2)
    serif = family_fonts(look.family)[0].startswith(("Times", "LiberationSerif"))
    base = "Times-Roman" if serif else "Helvetica"
    f.c.acroForm.textfield(
        name=name,
        value=row.value,
        x=vx,
        y=f.y - 4,
        width=width,
        height=f.lead + 3,
        fontName=base,
        fontSize=f.size - 1,
        borderStyle=look.acro_border,
        borderWidth=0.6,
        forceBorder=True,
        tooltip=row.label,
        maxlen=200,
    )
