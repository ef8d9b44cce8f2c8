"""Tell what a file is from its first bytes, never from its name."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import olefile

from pipeline.errors import UnreadableFileError
from pipeline.models import Media

IMAGE_MAGIC: tuple[bytes, ...] = (
    b"\xff\xd8\xff",  # JPEG
    b"\x89PNG\r\n\x1a\n",
    b"II*\x00",  # TIFF little-endian
    b"MM\x00*",  # TIFF big-endian
)
# HEIC/HEIF (iPhone photos): an ISO-BMFF file whose first box is `ftyp` with one of these brands.
HEIF_BRANDS = frozenset({b"heic", b"heix", b"mif1", b"msf1", b"hevc"})
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
RTF_MAGIC = b"{\\rtf"
ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"
ODF_MIMETYPE = b"application/vnd.oasis.opendocument."
# Word with macros: document.macroEnabled.main+xml (.docm), template.macroEnabledTemplate (.dotm)
MACRO_CONTENT_TYPE = b"application/vnd.ms-word."
MACRO_MARK = b"macroEnabled"
MAX_CONTENT_TYPES_BYTES = 1024 * 1024  # [Content_Types].xml is a few kilobytes
# What an OLE2 compound file holds, by its streams: what it is, for the clerk's reason.
OLE_OTHERS: tuple[tuple[str, str], ...] = (
    ("Workbook", "lembar kerja Excel lama (.xls)"),
    ("Book", "lembar kerja Excel lama (.xls)"),
    ("PowerPoint Document", "presentasi PowerPoint lama (.ppt)"),
    ("VisioDocument", "gambar Visio (.vsd)"),
)
# An Outlook item (.msg) keeps its MAPI properties in streams named __substg1.0_<tag>; its
# message class (001A) or subject (0037) is always there, as Unicode (001F) or 8-bit (001E).
MSG_STREAMS = frozenset(
    f"__substg1.0_{tag}" for tag in ("001A001F", "001A001E", "0037001F", "0037001E")
)
MSG_PROPERTIES = "__properties_version1.0"
# An RFC 822 message starts with header fields; a saved one has some of these among them.
EMAIL_HEADERS = frozenset(
    {
        "from", "to", "cc", "subject", "date", "message-id", "mime-version", "received",
        "return-path", "delivered-to", "reply-to", "sender", "x-mozilla-status",
        "content-type", "x-mailer", "user-agent", "dkim-signature", "authentication-results",
    }
)  # fmt: skip
EMAIL_ORIGIN = frozenset({"from", "received", "message-id", "return-path", "delivered-to"})
_HEADER_LINE = re.compile(rb"^([!-9;-~]+)[ \t]*:")
FIB_FLAGS = 0x0A  # the Word file information block's flags word
F_ENCRYPTED = 0x0100

# The only kinds a browser is allowed to show inline from the app's own origin: none of them can
# carry a script the browser would run (unlike SVG, HTML or XML).
INLINE_SAFE: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
)
# Scanner images a browser cannot display: shown as a PNG the app draws itself.
REDRAWN: tuple[bytes, ...] = (b"II*\x00", b"MM\x00*", b"BM")
# What an official may attach to a step: the analysis and the database structure.
ATTACHMENT_ZIP_PARTS = {"word/document.xml": "DOCX", "xl/workbook.xml": "XLSX"}
ATTACHMENT_TEXT_SUFFIXES = {".csv": "CSV", ".sql": "SQL"}
ATTACHMENT_KINDS_TEXT = "PDF, Word (.docx), Excel (.xlsx), CSV, SQL, atau gambar (PNG/JPEG/TIFF)"


def sniff(path: Path) -> Media:
    head = _head(path)
    if not head:
        raise UnreadableFileError(
            f"Berkas '{path.name}' kosong (0 byte).",
            hint="Kirim ulang berkas aslinya; kemungkinan penyalinan terputus.",
        )
    if is_email_head(head):
        return Media.EML
    if b"%PDF-" in head[:1024]:
        return Media.PDF
    if head.startswith(b"PK\x03\x04"):
        return _zip_media(path)
    if head.startswith(IMAGE_MAGIC) or is_webp(head) or is_heif(head):
        return Media.IMAGE
    if head.startswith(OLE_MAGIC):
        return _ole_media(path)
    if head.startswith(RTF_MAGIC):
        return Media.RTF
    raise UnreadableFileError(
        f"Jenis berkas '{path.name}' tidak dikenali: bukan PDF, dokumen Word/OpenDocument/RTF, "
        "gambar, atau surel (.eml/.msg).",
        hint="Pastikan berkas tidak rusak; kirim sebagai PDF, Word (.docx/.doc), .odt, .rtf, "
        "JPG, PNG, TIFF, WebP, HEIC, atau surel .eml/.msg.",
    )


def is_email_head(head: bytes) -> bool:
    """RFC 822 header fields from the first line on (after an mbox 'From ' line, if any), at
    least two of them known e-mail headers, one of them saying where the message came from."""
    lines = head.split(b"\n")
    if lines and lines[0].startswith(b"From "):
        lines = lines[1:]
    names: set[str] = set()
    complete = lines[:-1] if len(head) >= 2048 else lines  # the last line may be cut off
    for line in complete:
        line = line.rstrip(b"\r")
        if not line:
            break  # the blank line that ends the header
        if line[:1] in (b" ", b"\t"):
            if not names:
                return False
            continue  # a folded header continues
        found = _HEADER_LINE.match(line)
        if found is None:
            return False
        names.add(found.group(1).decode("ascii").lower())
    known = names & EMAIL_HEADERS
    return len(known) >= 2 and bool(known & EMAIL_ORIGIN)


def email_medium(path: Path) -> Media | None:
    """Media.EML or Media.MSG when the file is an e-mail by its content; None for anything
    else, including a file that cannot be read (its reader says why)."""
    try:
        head = _head(path)
        if is_email_head(head):
            return Media.EML
        if head.startswith(OLE_MAGIC) and _ole_media(path) is Media.MSG:
            return Media.MSG
    except (UnreadableFileError, OSError):
        return None
    return None


def document_like(path: Path) -> bool:
    """Whether the content says it is a kind of file read as a letter (PDF, Word, OpenDocument,
    RTF, an image, an e-mail) — so that when it cannot be read it is damaged or locked, not
    merely some other kind of file (a spreadsheet, a text file) an e-mail may carry."""
    head = _head(path)
    if b"%PDF-" in head[:1024] or head.startswith((*IMAGE_MAGIC, RTF_MAGIC)) or is_webp(head):
        return True
    if is_heif(head):
        return True
    if is_email_head(head):
        return True
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(path) as archive:
                names = set(archive.namelist())
                mimetype = _member_head(archive, "mimetype") if "mimetype" in names else b""
        except (zipfile.BadZipFile, OSError, ValueError, EOFError):
            return True  # a document cut short looks like a broken zip
        return "word/document.xml" in names or mimetype.strip() == ODT_MIMETYPE
    if head.startswith(OLE_MAGIC):
        try:
            with olefile.OleFileIO(str(path)) as ole:
                streams = {"/".join(e) for e in ole.listdir(streams=True, storages=False)}
        except Exception:  # olefile fails on hostile bytes with many exception types
            return True
        locked = "EncryptionInfo" in streams or "EncryptedPackage" in streams
        return locked or "WordDocument" in streams or bool(streams & MSG_STREAMS)
    return False


def is_webp(head: bytes) -> bool:
    """RIFF container whose form type is WEBP (bytes 0-3 'RIFF', 8-11 'WEBP')."""
    return head[:4] == b"RIFF" and head[8:12] == b"WEBP"


def is_heif(head: bytes) -> bool:
    """An ISO-BMFF `ftyp` box first (bytes 4-7) whose major brand (bytes 8-11) is HEIC/HEIF."""
    return head[4:8] == b"ftyp" and head[8:12] in HEIF_BRANDS


def _ole_media(path: Path) -> Media:
    """An OLE2 compound file is a Word 97–2003 document only when it has a WordDocument
    stream; an Excel or PowerPoint file, an encrypted Office file or anything else is
    refused with what it is."""
    try:
        with olefile.OleFileIO(str(path)) as ole:
            streams = {"/".join(entry) for entry in ole.listdir(streams=True, storages=False)}
            fib = _stream_head(ole, "WordDocument") if "WordDocument" in streams else None
    except Exception as exc:  # olefile fails on hostile bytes with many exception types
        raise UnreadableFileError(
            f"Berkas '{path.name}' tampak seperti dokumen Office lama (.doc/.xls/.ppt) tetapi "
            "rusak atau terpotong.",
            hint="Minta OPD mengirim ulang dokumennya, atau simpan ulang dari Word sebagai .docx "
            "atau PDF.",
        ) from exc
    if streams & MSG_STREAMS and MSG_PROPERTIES in streams:
        return Media.MSG
    if fib is not None:
        if int.from_bytes(fib[FIB_FLAGS : FIB_FLAGS + 2], "little") & F_ENCRYPTED:
            raise _locked(path)
        return Media.DOC
    if "EncryptionInfo" in streams or "EncryptedPackage" in streams:
        raise _locked(path)
    what = next((label for stream, label in OLE_OTHERS if stream in streams), None)
    if what is not None:
        raise UnreadableFileError(
            f"Berkas '{path.name}' adalah {what}, bukan surat atau formulir; berkas seperti ini "
            "tidak dibaca.",
            hint="Bila isinya surat permohonan, simpan sebagai PDF atau Word (.docx/.doc) lalu "
            "taruh lagi di inbox; lampiran lain bisa ditambahkan pada permohonannya.",
        )
    raise UnreadableFileError(
        f"Berkas '{path.name}' adalah berkas Office lama yang bukan dokumen Word (.doc).",
        hint="Buka di aplikasinya lalu simpan sebagai PDF atau .docx, kemudian taruh lagi di "
        "inbox.",
    )


def _stream_head(ole: olefile.OleFileIO, name: str) -> bytes:
    with ole.openstream(name) as stream:
        data: bytes = stream.read(32)
    return data


def _locked(path: Path) -> UnreadableFileError:
    return UnreadableFileError(
        f"Dokumen '{path.name}' dilindungi kata sandi sehingga isinya tidak bisa dibaca.",
        hint="Minta OPD mengirim dokumen tanpa kata sandi (atau sebagai PDF), lalu taruh lagi "
        "di inbox.",
    )


def _head(path: Path) -> bytes:
    with path.open("rb") as handle:
        return handle.read(2048)


def _zip_media(path: Path) -> Media:
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            mimetype = _member_head(archive, "mimetype") if "mimetype" in names else b""
            types = (
                _member_head(archive, "[Content_Types].xml")
                if "[Content_Types].xml" in names
                else b""
            )
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise UnreadableFileError(
            f"Berkas '{path.name}' tampak seperti dokumen Word tetapi rusak atau terpotong.",
            hint="Minta OPD mengirim ulang dokumennya, atau simpan ulang dari Word.",
        ) from exc
    if "word/document.xml" in names:
        return Media.DOCM if _macro_enabled(types) else Media.DOCX
    if mimetype.strip() == ODT_MIMETYPE:
        return Media.ODT
    if mimetype.startswith(ODF_MIMETYPE):
        raise UnreadableFileError(
            f"Berkas '{path.name}' adalah berkas OpenDocument yang bukan dokumen teks (.odt), "
            "misalnya lembar kerja atau presentasi; berkas seperti ini tidak dibaca.",
            hint="Bila isinya surat permohonan, simpan sebagai PDF atau .odt/.docx lalu taruh "
            "lagi di inbox.",
        )
    raise UnreadableFileError(
        f"Berkas '{path.name}' adalah arsip ZIP, bukan dokumen Word (.docx) atau OpenDocument "
        "(.odt).",
        hint="Ekstrak isinya dan taruh dokumen surat/formulirnya di inbox.",
    )


def _macro_enabled(content_types: bytes) -> bool:
    return MACRO_CONTENT_TYPE in content_types and MACRO_MARK in content_types


def _member_head(archive: zipfile.ZipFile, name: str) -> bytes:
    """The start of one small member; never more than its cap, whatever the zip declares."""
    with archive.open(name) as member:
        return member.read(MAX_CONTENT_TYPES_BYTES)


def inline_media_type(path: Path) -> str | None:
    """The media type under which a browser may show the file inline (PDF, PNG, JPEG), judged
    by its content; None for anything else, which is only ever offered as a download."""
    head = _head(path)
    return next((kind for magic, kind in INLINE_SAFE if head.startswith(magic)), None)


def is_redrawn_image(path: Path) -> bool:
    """A TIFF or BMP scan: the page shows it as a PNG drawn from its pixels."""
    return _head(path).startswith(REDRAWN)


def attachment_kind(path: Path) -> str | None:
    """'PDF', 'DOCX', 'XLSX', 'CSV', 'SQL' or 'gambar' when the file's content is one of the
    kinds an analysis needs; None otherwise (an SVG, HTML page or program is refused)."""
    head = _head(path)
    if head.startswith(b"%PDF-"):
        return "PDF"
    if head.startswith(IMAGE_MAGIC):
        return "gambar"
    if head.startswith(b"PK\x03\x04"):
        return _office_kind(path)
    suffix_kind = ATTACHMENT_TEXT_SUFFIXES.get(path.suffix.lower())
    return suffix_kind if suffix_kind and _is_plain_text(path) else None


def _office_kind(path: Path) -> str | None:
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    return next((kind for part, kind in ATTACHMENT_ZIP_PARTS.items() if part in names), None)


def _is_plain_text(path: Path) -> bool:
    """Text without NUL bytes that is not markup (a CSV or SQL file never opens with '<')."""
    with path.open("rb") as handle:
        sample = handle.read(64 * 1024)
    if b"\x00" in sample:
        return False
    return not sample.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<")
