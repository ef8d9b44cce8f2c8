"""E-mail files: a saved message (.eml, RFC 822) or an Outlook message (.msg) as one value.

What a secretariat needs of an e-mail: who sent it, its subject, its date, its text, and the
files attached to it. A forwarded message (message/rfc822, or an Outlook item attached to an
Outlook item) is opened and its files taken; the members of a .zip attachment are taken too,
within the same unpacked-size limit as a Word file (`batas.maks_byte_terbuka`). Names
are decoded (RFC 2047/2231) and reduced to a plain file name: a name can never point outside
the folder its file is written to. Nothing here writes a file or knows of the register.
"""

from __future__ import annotations

import email
import email.header
import email.utils
import re
import unicodedata
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from email.message import EmailMessage, Message
from email.policy import default as default_policy
from html.parser import HTMLParser
from io import BytesIO
from pathlib import Path
from typing import Any

from pipeline.errors import UnreadableFileError
from pipeline.models import Media
from pipeline.readers.limits import MB, check_size
from pipeline.settings import Batas

MAX_DEPTH = 5  # forwards inside forwards, zips inside zips
MAX_PARTS_DEPTH = 50  # multiparts inside multiparts
MAX_NAME_BYTES = 180
BODY_CHARS = 100_000
# Parts of a zip that make it an office document (read as such), not an archive of files.
DOCUMENT_ZIP_MARKS = ("[Content_Types].xml", "mimetype", "word/document.xml")
ZIP_MAGIC = b"PK\x03\x04"
HIDDEN_PREFIXES = (".", "~$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_SPACES = re.compile(r"[ \t]+")
_BLANK_RUNS = re.compile(r"\n{3,}")
BLOCK_TAGS = frozenset(
    {"p", "div", "br", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6", "table", "blockquote"}
)


@dataclass(frozen=True)
class Attachment:
    """One file the e-mail carries: its plain name, its bytes, and where it was found."""

    name: str
    data: bytes
    via: str = ""  # "" for the e-mail itself, else "pesan terusan '…'" / "arsip 'x.zip'"


@dataclass(frozen=True)
class Refused:
    """An attachment that is not taken, with the reason for the clerk (it is kept as is)."""

    name: str
    data: bytes
    reason: str


@dataclass(frozen=True)
class MailMessage:
    medium: Media  # Media.EML or Media.MSG
    sender: str  # the address
    sender_name: str
    subject: str
    date: datetime | None
    body: str
    attachments: tuple[Attachment, ...] = ()
    refused: tuple[Refused, ...] = ()
    forwarded: tuple[str, ...] = field(default=())  # "Nama <alamat>: subjek" of each forward

    def summary(self) -> dict[str, Any]:
        """What the register records of the e-mail itself."""
        return {
            "pengirim": self.sender,
            "nama_pengirim": self.sender_name,
            "subjek": self.subject,
            "tanggal": self.date.isoformat() if self.date else None,
            "isi": self.body,
            "lampiran": [a.name for a in self.attachments],
            "ditolak": [r.name for r in self.refused],
            "terusan": list(self.forwarded),
        }


def read_email(path: Path, medium: Media, limits: Batas | None = None) -> MailMessage:
    """The e-mail in `path` (its medium already sniffed as EML or MSG)."""
    limits = limits or Batas()
    check_size(path, limits)
    collector = _Collector(path.name, limits)
    try:
        if medium is Media.MSG:
            message = _read_msg(path, collector)
        else:
            message = _read_eml(path.read_bytes(), collector)
    except UnreadableFileError:
        raise
    except Exception as exc:  # a hostile message must fail with a reason, never crash ingest
        raise UnreadableFileError(
            f"Surel '{path.name}' tidak bisa dibaca: isinya rusak atau tidak wajar "
            f"({type(exc).__name__}).",
            hint="Simpan ulang surelnya dari aplikasi surel (Thunderbird: Simpan Sebagai .eml; "
            "Outlook: Simpan Sebagai .msg), atau simpan lampirannya langsung ke inbox.",
        ) from exc
    return message


class _Collector:
    """Attachments and refusals of one e-mail, with its limits shared by every level."""

    def __init__(self, mail_name: str, limits: Batas) -> None:
        self.mail_name = mail_name
        self.limits = limits
        self.attachments: list[Attachment] = []
        self.refused: list[Refused] = []
        self.forwarded: list[str] = []
        self.unpacked = 0

    def add(self, raw_name: str | None, data: bytes, via: str, depth: int) -> None:
        name = safe_name(raw_name, len(self.attachments) + len(self.refused) + 1, data)
        self._count()
        if len(data) > self.limits.maks_byte:
            reason = (
                f"Lampiran '{name}' berukuran {len(data) / MB:.1f} MB, melebihi batas "
                f"{self.limits.maks_byte / MB:.1f} MB per berkas (batas.maks_byte)."
            )
            self.refused.append(Refused(name, b"", reason))
            return
        if data.startswith(ZIP_MAGIC) and not _is_document_zip(data):
            self._unzip(name, data, via, depth)
            return
        self.attachments.append(Attachment(name, data, via))

    def _count(self) -> None:
        limit = self.limits.maks_lampiran
        if len(self.attachments) + len(self.refused) + 1 > limit:
            raise UnreadableFileError(
                f"Surel '{self.mail_name}' membawa lebih dari {limit} lampiran (termasuk isi "
                "arsip .zip dan pesan terusan), melebihi batas batas.maks_lampiran; surel "
                "ditolak demi keamanan.",
                hint="Minta pengirim mengirim surat dan formulirnya saja; bila surel ini memang "
                "wajar, naikkan batas.maks_lampiran di pipeline.toml.",
            )

    def _unzip(self, name: str, data: bytes, via: str, depth: int) -> None:
        if depth >= MAX_DEPTH:
            self._refuse(name, data, "arsip bertingkat terlalu dalam")
            return
        try:
            with zipfile.ZipFile(BytesIO(data)) as archive:
                members = [i for i in archive.infolist() if not i.is_dir()]
                declared = sum(i.file_size for i in members)
                budget = self.limits.maks_byte_terbuka - self.unpacked
                if declared > budget:
                    self._refuse_bomb(name, data, declared)
                    return
                if any(i.flag_bits & 0x1 for i in members):
                    self._refuse(name, data, "arsipnya dilindungi kata sandi")
                    return
                unpacked = [(i, _read_member(archive, i)) for i in members]
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError) as exc:
            self._refuse(name, data, f"arsipnya rusak atau terpotong ({type(exc).__name__})")
            return
        except _LyingSize:
            self._refuse_bomb(name, data, None)
            return
        self.unpacked += sum(len(content) for _, content in unpacked)
        for info, content in unpacked:
            self.add(info.filename, content, f"arsip '{name}'", depth + 1)

    def _refuse(self, name: str, data: bytes, why: str) -> None:
        self.refused.append(
            Refused(name, data, f"Lampiran arsip '{name}' tidak bisa dibuka: {why}.")
        )

    def _refuse_bomb(self, name: str, data: bytes, declared: int | None) -> None:
        size = f"{declared // MB} MB" if declared is not None else "jauh lebih besar"
        limit = self.limits.maks_byte_terbuka // MB
        reason = (
            f"Lampiran arsip '{name}' mengembang menjadi {size} saat dibuka, melebihi batas "
            f"{limit} MB (batas.maks_byte_terbuka; kemungkinan 'zip bomb'); arsip "
            "ditolak demi keamanan."
        )
        self.refused.append(Refused(name, data, reason))


class _LyingSize(Exception):
    """A zip member that unpacks to more than its directory entry declares."""


def _read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    with archive.open(info) as member:
        content = member.read(info.file_size + 1)
    if len(content) > info.file_size:
        raise _LyingSize(info.filename)
    return content


def _is_document_zip(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return True  # a damaged zip is left to the reader, which says what is wrong
    return any(mark in names for mark in DOCUMENT_ZIP_MARKS)


# ------------------------------------------------------------------------------ .eml


def _read_eml(raw: bytes, collector: _Collector) -> MailMessage:
    message = email.message_from_bytes(raw, policy=default_policy)
    assert isinstance(message, EmailMessage)
    sender_name, sender = _address(message)
    body = _eml_parts(message, collector, depth=0)
    return MailMessage(
        medium=Media.EML,
        sender=sender,
        sender_name=sender_name,
        subject=_header(message, "Subject"),
        date=_date(message),
        body=_tidy(body)[:BODY_CHARS],
        attachments=tuple(collector.attachments),
        refused=tuple(collector.refused),
        forwarded=tuple(collector.forwarded),
    )


def _eml_parts(message: EmailMessage, collector: _Collector, depth: int) -> str:
    """Collect the message's files; return its text (with the text of its forwards)."""
    if depth > MAX_DEPTH:
        return ""
    body_part = message.get_body(preferencelist=("plain", "html"))
    texts = [_part_text(body_part) if body_part is not None else ""]
    for part in _leaves(message, 0):
        if part is body_part:
            continue
        if _is_forward(part):
            texts.append(_forward(part, collector, depth))
        elif _is_attachment(part):
            data = part.get_payload(decode=True)
            if isinstance(data, bytes):
                collector.add(_filename(part), data, "", depth)
    return "\n\n".join(t for t in texts if t.strip())


def _leaves(part: Message, level: int) -> Iterator[Message]:
    """The single parts of a message and its forwarded messages, not what lies inside them."""
    if level > MAX_PARTS_DEPTH:
        return
    if _is_forward(part) and level > 0:
        yield part
    elif part.is_multipart():
        for sub in part.get_payload():
            if isinstance(sub, Message):
                yield from _leaves(sub, level + 1)
    else:
        yield part


def _forward(part: Message, collector: _Collector, depth: int) -> str:
    inner = _forwarded_message(part)
    if inner is None:
        return ""
    sender_name, sender = _address(inner)
    subject = _header(inner, "Subject")
    who = f"{sender_name} <{sender}>" if sender_name else sender
    collector.forwarded.append(f"{who}: {subject}")
    before = len(collector.attachments) + len(collector.refused)
    text = _eml_parts(inner, collector, depth + 1)
    via = f"pesan terusan '{subject or who}'"
    for index in range(before, len(collector.attachments)):
        found = collector.attachments[index]
        if not found.via:
            collector.attachments[index] = Attachment(found.name, found.data, via)
    return f"--- Pesan terusan dari {who}, subjek: {subject} ---\n{text}"


def _forwarded_message(part: Message) -> EmailMessage | None:
    payload = part.get_payload()
    if isinstance(payload, list) and payload and isinstance(payload[0], EmailMessage):
        return payload[0]
    raw = part.get_payload(decode=True)
    if isinstance(raw, bytes) and raw:
        inner = email.message_from_bytes(raw, policy=default_policy)
        return inner if isinstance(inner, EmailMessage) else None
    return None


def _is_forward(part: Message) -> bool:
    return part.get_content_type() == "message/rfc822"


def _is_attachment(part: Message) -> bool:
    """A file: marked as an attachment, or named, or of a non-text type. An image shown inside
    the HTML text (a Content-ID, not marked as an attachment: a logo in the signature, even
    when named like Outlook's image001.png) is part of the text, not a file."""
    disposition = (part.get_content_disposition() or "").lower()
    if disposition == "attachment":
        return True
    if part.get("Content-ID") and part.get_content_maintype() == "image":
        return False
    if _filename(part):
        return True
    return part.get_content_maintype() not in ("text", "multipart", "message")


def _filename(part: Message) -> str | None:
    try:
        name = part.get_filename() or part.get_param("name", header="content-type")
    except (ValueError, LookupError, TypeError):
        return None
    if isinstance(name, tuple):  # an RFC 2231 triple left undecoded by a lenient parser
        name = email.utils.collapse_rfc2231_value(name)
    if not isinstance(name, str) or not name.strip():
        return None
    return _decode_words(name)


def _decode_words(text: str) -> str:
    """Names some mailers still write as RFC 2047 words inside a quoted parameter."""
    if "=?" not in text:
        return text
    try:
        return str(email.header.make_header(email.header.decode_header(text)))
    except (ValueError, LookupError, UnicodeDecodeError):
        return text


def _part_text(part: Message) -> str:
    try:
        content = part.get_content()  # type: ignore[attr-defined]
    except (LookupError, ValueError, AssertionError, KeyError):
        raw = part.get_payload(decode=True)
        content = raw.decode("utf-8", errors="replace") if isinstance(raw, bytes) else ""
    if not isinstance(content, str):
        return ""
    return html_text(content) if part.get_content_subtype() == "html" else content


def _address(message: Message) -> tuple[str, str]:
    try:
        header = message.get("From")
        addresses = getattr(header, "addresses", None)
        if addresses:
            return str(addresses[0].display_name or ""), str(addresses[0].addr_spec or "")
        name, address = email.utils.parseaddr(str(header or ""))
    except (ValueError, IndexError, TypeError, AttributeError):
        return "", ""
    return name, address


def _header(message: Message, name: str) -> str:
    try:
        value = message.get(name)
    except (ValueError, IndexError, TypeError, AttributeError):
        return ""
    return _SPACES.sub(" ", _CONTROL.sub(" ", _decode_words(str(value or "")))).strip()


def _date(message: Message) -> datetime | None:
    try:
        header = message.get("Date")
        found = getattr(header, "datetime", None)
        if found is None and header:
            found = email.utils.parsedate_to_datetime(str(header))
    except (ValueError, IndexError, TypeError, AttributeError):
        return None
    return found if isinstance(found, datetime) else None


# ------------------------------------------------------------------------------ .msg


def _read_msg(path: Path, collector: _Collector) -> MailMessage:
    import extract_msg  # heavy, and only an Outlook file needs it

    opened = extract_msg.openMsg(str(path), delayAttachments=False)
    try:
        subject = _clean(getattr(opened, "subject", "") or "")
        sender_name, sender = email.utils.parseaddr(str(getattr(opened, "sender", "") or ""))
        date = _msg_date(opened)
        body = _msg_parts(opened, collector, depth=0)
    finally:
        opened.close()
    return MailMessage(
        medium=Media.MSG,
        sender=sender,
        sender_name=sender_name,
        subject=subject,
        date=date,
        body=_tidy(body)[:BODY_CHARS],
        attachments=tuple(collector.attachments),
        refused=tuple(collector.refused),
        forwarded=tuple(collector.forwarded),
    )


def _msg_parts(message: Any, collector: _Collector, depth: int) -> str:
    texts = [_msg_body(message)]
    for attachment in getattr(message, "attachments", None) or ():
        data = attachment.data
        if hasattr(data, "attachments"):  # an Outlook item attached: a forward
            if depth >= MAX_DEPTH:
                continue
            sender_name, sender = email.utils.parseaddr(str(getattr(data, "sender", "") or ""))
            subject = _clean(getattr(data, "subject", "") or "")
            who = f"{sender_name} <{sender}>" if sender_name else sender
            collector.forwarded.append(f"{who}: {subject}")
            before = len(collector.attachments)
            inner = _msg_parts(data, collector, depth + 1)
            for index in range(before, len(collector.attachments)):
                found = collector.attachments[index]
                if not found.via:
                    collector.attachments[index] = Attachment(
                        found.name, found.data, f"pesan terusan '{subject or who}'"
                    )
            texts.append(f"--- Pesan terusan dari {who}, subjek: {subject} ---\n{inner}")
        elif isinstance(data, bytes):
            name = attachment.longFilename or attachment.shortFilename or attachment.displayName
            collector.add(name, data, "", depth)
    return "\n\n".join(t for t in texts if t.strip())


def _msg_body(message: Any) -> str:
    body = getattr(message, "body", None)
    if isinstance(body, str) and body.strip():
        return body
    html = getattr(message, "htmlBody", None)
    if isinstance(html, bytes):
        return html_text(html.decode("utf-8", errors="replace"))
    return ""


def _msg_date(message: Any) -> datetime | None:
    try:
        found = message.date
    except Exception:  # extract-msg parses the header lazily and may fail on a bad one
        return None
    return found if isinstance(found, datetime) else None


# ------------------------------------------------------------------------------ names, text


def safe_name(raw: str | None, index: int, data: bytes = b"") -> str:
    """A plain file name: no folders (`../`, `C:\\`), no control characters, no leading dot
    (hidden files are never taken), at most MAX_NAME_BYTES; `lampiran-N` when empty."""
    text = unicodedata.normalize("NFC", _decode_words(raw or ""))
    text = _CONTROL.sub("", text).replace("\\", "/").split("/")[-1].strip()
    while text.startswith(HIDDEN_PREFIXES):
        text = text[1:] if text.startswith(".") else text[2:]
    if text in ("", ".", ".."):
        text = f"lampiran-{index}{_guessed_suffix(data)}"
    encoded = text.encode()
    if len(encoded) > MAX_NAME_BYTES:
        stem, dot, suffix = text.rpartition(".")
        suffix = f".{suffix[:10]}" if dot and stem else ""
        room = MAX_NAME_BYTES - len(suffix.encode()) - 1
        text = text.encode()[:room].decode(errors="ignore") + "~" + suffix
    return text


def _guessed_suffix(data: bytes) -> str:
    if data.startswith(b"%PDF-"):
        return ".pdf"
    if data.startswith(ZIP_MAGIC):
        return ".zip"
    return ""


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style", "head", "title"):
            self.skip += 1
        elif tag in BLOCK_TAGS:
            self.parts.append("\n")
        elif tag in ("td", "th"):
            self.parts.append("\t")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "head", "title"):
            self.skip = max(0, self.skip - 1)
        elif tag in BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.parts.append(data)


def html_text(html: str) -> str:
    """The visible text of an HTML body, one line per paragraph, cells split by tabs."""
    parser = _Text()
    parser.feed(html)
    parser.close()
    return "".join(parser.parts)


def _clean(text: str) -> str:
    return _SPACES.sub(" ", _CONTROL.sub(" ", text)).strip()


def _tidy(text: str) -> str:
    text = text.replace("\x00", "")
    lines = [_SPACES.sub(" ", line.replace("\xa0", " ")).strip() for line in text.splitlines()]
    return _BLANK_RUNS.sub("\n\n", "\n".join(lines)).strip()
