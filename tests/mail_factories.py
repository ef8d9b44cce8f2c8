"""Make real e-mails for tests: .eml with the standard library, .msg as Outlook writes it.

An Outlook .msg is an OLE2 compound file (MS-CFB) of MAPI properties (MS-OXMSG): small ones in
a `__properties_version1.0` stream, strings and binaries in `__substg1.0_<id><type>` streams,
each attachment and recipient in a storage of its own, an attached Outlook item (a forward)
as a nested message storage. extract-msg's OleWriter writes the compound file.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

from extract_msg import OleWriter

PT_LONG, PT_TIME, PT_UNICODE, PT_BINARY, PT_OBJECT = 0x0003, 0x0040, 0x001F, 0x0102, 0x000D
PROPS = "__properties_version1.0"
FILETIME_EPOCH = datetime(1601, 1, 1, tzinfo=UTC)


def eml_message(
    sender: str,
    subject: str,
    body: str,
    attachments: list[tuple[str, bytes]] = (),  # type: ignore[assignment]
    *,
    date: datetime | None = None,
    html: str | None = None,
) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = "Diskominfo SP <diskominfo@bantenprov.go.id>"
    message["Subject"] = subject
    message["Date"] = format_datetime(date or datetime(2026, 10, 6, 9, 30, tzinfo=UTC))
    message["Message-ID"] = f"<{abs(hash((sender, subject)))}@mail.bantenprov.go.id>"
    if html is not None:
        message.set_content(body)
        message.add_alternative(html, subtype="html")
    else:
        message.set_content(body)
    for name, data in attachments:
        maintype, subtype = _types(data)
        message.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    return message


def _types(data: bytes) -> tuple[str, str]:
    if data.startswith(b"%PDF-"):
        return "application", "pdf"
    if data.startswith(b"PK\x03\x04"):
        return "application", "zip"
    return "application", "octet-stream"


# ------------------------------------------------------------------------------ .msg


@dataclass
class MsgItem:
    """One Outlook item: the message, or a message attached to it (a forward)."""

    sender_name: str
    sender: str
    subject: str
    body: str
    date: datetime
    files: list[tuple[str, bytes]] = field(default_factory=list)
    forwards: list[MsgItem] = field(default_factory=list)


def _tag(prop_id: int, prop_type: int) -> str:
    return f"__substg1.0_{prop_id:04X}{prop_type:04X}"


def _entry(prop_id: int, prop_type: int, value: bytes) -> bytes:
    return struct.pack("<IIQ", (prop_id << 16) | prop_type, 6, 0)[:8] + value.ljust(8, b"\0")


def _fixed(prop_id: int, prop_type: int, number: int) -> bytes:
    return _entry(prop_id, prop_type, struct.pack("<Q", number))


def _sized(prop_id: int, prop_type: int, size: int) -> bytes:
    return _entry(prop_id, prop_type, struct.pack("<II", size, 0))


def _text(value: str) -> bytes:
    return value.encode("utf-16-le")


def _filetime(when: datetime) -> int:
    return int((when - FILETIME_EPOCH).total_seconds() * 10_000_000)


class _Streams:
    def __init__(self, writer: OleWriter, prefix: list[str]) -> None:
        self.writer, self.prefix, self.props = writer, prefix, b""

    def string(self, prop_id: int, value: str) -> None:
        data = _text(value)
        self.writer.addEntry([*self.prefix, _tag(prop_id, PT_UNICODE)], data)
        self.props += _sized(prop_id, PT_UNICODE, len(data) + 2)  # with its terminator

    def binary(self, prop_id: int, value: bytes) -> None:
        self.writer.addEntry([*self.prefix, _tag(prop_id, PT_BINARY)], value)
        self.props += _sized(prop_id, PT_BINARY, len(value))


def _write_item(writer: OleWriter, prefix: list[str], item: MsgItem, top: bool) -> None:
    streams = _Streams(writer, prefix)
    streams.string(0x001A, "IPM.Note")
    streams.string(0x0037, item.subject)
    streams.string(0x1000, item.body)
    streams.string(0x0C1A, item.sender_name)
    streams.string(0x0C1F, item.sender)
    streams.string(0x0C1E, "SMTP")
    streams.string(0x5D01, item.sender)
    streams.string(0x0042, item.sender_name)
    streams.string(0x0065, item.sender)
    headers = (
        f"From: {item.sender_name} <{item.sender}>\r\nSubject: {item.subject}\r\n"
        f"Date: {format_datetime(item.date)}\r\nMIME-Version: 1.0\r\n\r\n"
    )
    streams.string(0x007D, headers)
    streams.props += _fixed(0x0039, PT_TIME, _filetime(item.date))
    streams.props += _fixed(0x0E06, PT_TIME, _filetime(item.date))
    recipient = [*prefix, "__recip_version1.0_#00000000"]
    writer.addEntry(recipient, storage=True)
    recip = _Streams(writer, recipient)
    recip.string(0x3001, "Diskominfo SP")
    recip.string(0x39FE, "diskominfo@bantenprov.go.id")
    recip.props += _fixed(0x0C15, PT_LONG, 1)
    writer.addEntry([*recipient, PROPS], bytes(8) + recip.props)
    count = 0
    for name, data in item.files:
        storage = [*prefix, f"__attach_version1.0_#{count:08X}"]
        writer.addEntry(storage, storage=True)
        attach = _Streams(writer, storage)
        attach.binary(0x3701, data)
        attach.string(0x3707, name)
        attach.string(0x3001, name)
        attach.string(0x3703, Path(name).suffix)
        attach.props += _fixed(0x3705, PT_LONG, 1) + _fixed(0x0E21, PT_LONG, count)
        writer.addEntry([*storage, PROPS], bytes(8) + attach.props)
        count += 1
    for forward in item.forwards:
        storage = [*prefix, f"__attach_version1.0_#{count:08X}"]
        writer.addEntry(storage, storage=True)
        attach = _Streams(writer, storage)
        attach.string(0x3001, forward.subject)
        inner = [*storage, _tag(0x3701, PT_OBJECT)]
        writer.addEntry(inner, storage=True)
        _write_item(writer, inner, forward, top=False)
        attach.props += _fixed(0x3705, PT_LONG, 5) + _fixed(0x0E21, PT_LONG, count)
        attach.props += _sized(0x3701, PT_OBJECT, 0xFFFFFFFF)
        writer.addEntry([*storage, PROPS], bytes(8) + attach.props)
        count += 1
    counts = struct.pack("<IIII", 1, count, 1, count)
    header = bytes(8) + counts + (bytes(8) if top else b"")
    writer.addEntry([*prefix, PROPS], header + streams.props)


def msg_bytes(item: MsgItem, path: Path) -> Path:
    """Write `item` as an Outlook .msg file."""
    writer = OleWriter()
    names = ["__nameid_version1.0"]
    writer.addEntry(names, storage=True)
    for stream in ("__substg1.0_00020102", "__substg1.0_00030102", "__substg1.0_00040102"):
        writer.addEntry([*names, stream], b"")
    _write_item(writer, [], item, top=True)
    writer.write(str(path))
    return path
