"""PAdES signatures with pyHanko: B-B, or B-T with a timestamp server; a visible stamp that
shows the official and the document's verification QR code."""

from __future__ import annotations

import io
import textwrap
from dataclasses import dataclass

import segno
from PIL import Image
from pyhanko.pdf_utils import layout
from pyhanko.pdf_utils.images import PdfImage
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers, timestamps
from pyhanko.stamp import TextStampStyle

from pipeline.signing.identity import Official

BOX_WIDTH, BOX_HEIGHT, MARGIN, GAP = 230, 72, 36, 8
BOTTOM = 80  # above the footer line with the document's own QR code
STAMP_TEXT = "Ditandatangani secara elektronik oleh:\n%(nama)s\n%(nip)s%(jabatan)s\n%(waktu)s"


@dataclass(frozen=True)
class Stamp:
    official: Official
    qr_payload: str  # the document's verification address
    reason: str
    location: str
    waktu: str  # when, as the office reads it (WIB)


def sign_pdf(data: bytes, signer: signers.SimpleSigner, stamp: Stamp, tsa_url: str = "") -> bytes:
    """`data` with one more signature appended as an incremental update (earlier ones stay)."""
    writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
    existing = _signature_count(writer)
    name = f"TandaTangan{existing + 1}"
    page = int(writer.root["/Pages"]["/Count"]) - 1
    fields.append_signature_field(
        writer, fields.SigFieldSpec(name, on_page=page, box=_box(writer, page, existing))
    )
    metadata = signers.PdfSignatureMetadata(
        field_name=name,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        reason=stamp.reason,
        location=stamp.location,
        name=stamp.official.nama,
    )
    timestamper = timestamps.HTTPTimeStamper(tsa_url) if tsa_url else None
    pdf_signer = signers.PdfSigner(
        metadata, signer=signer, stamp_style=_style(stamp), timestamper=timestamper
    )
    output = io.BytesIO()
    pdf_signer.sign_pdf(writer, output=output, appearance_text_params=_text_params(stamp))
    return output.getvalue()


def _signature_count(writer: IncrementalPdfFileWriter) -> int:
    return len(writer.prev.embedded_signatures)


def _box(writer: IncrementalPdfFileWriter, page: int, index: int) -> tuple[int, int, int, int]:
    """Above the footer of the last page, right to left: one slot per earlier signature."""
    page_ref = writer.find_page_for_modification(page)[0]  # type: ignore[no-untyped-call]
    width = int(float(page_ref.get_object()["/MediaBox"][2]))
    per_row = max(1, (width - 2 * MARGIN + GAP) // (BOX_WIDTH + GAP))
    row, column = divmod(index, per_row)
    right = width - MARGIN - column * (BOX_WIDTH + GAP)
    bottom = BOTTOM + row * (BOX_HEIGHT + GAP)
    return (right - BOX_WIDTH, bottom, right, bottom + BOX_HEIGHT)


def _style(stamp: Stamp) -> TextStampStyle:
    inset = 4
    return TextStampStyle(
        stamp_text=STAMP_TEXT,
        border_width=1,
        background=PdfImage(_qr_image(stamp.qr_payload)),
        background_opacity=1.0,
        background_layout=layout.SimpleBoxLayoutRule(
            x_align=layout.AxisAlignment.ALIGN_MIN,
            y_align=layout.AxisAlignment.ALIGN_MID,
            margins=layout.Margins(inset, inset, inset, inset),
        ),
        inner_content_layout=layout.SimpleBoxLayoutRule(
            x_align=layout.AxisAlignment.ALIGN_MIN,
            y_align=layout.AxisAlignment.ALIGN_MID,
            margins=layout.Margins(left=BOX_HEIGHT + inset, right=inset, top=inset, bottom=inset),
        ),
    )


def _qr_image(payload: str) -> Image.Image:
    buffer = io.BytesIO()
    segno.make(payload, error="m").save(buffer, kind="png", scale=6, border=1)
    buffer.seek(0)
    return Image.open(buffer).convert("RGB")


def _text_params(stamp: Stamp) -> dict[str, str]:
    official = stamp.official
    jabatan = "\n".join(textwrap.wrap(official.jabatan, 40)[:3])
    return {
        "nama": official.nama,
        "nip": f"NIP {official.nip}\n" if official.nip else "",
        "jabatan": jabatan,
        "waktu": stamp.waktu,
    }
