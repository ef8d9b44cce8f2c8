"""What the shells show, in one place: the time now and in WIB; statuses, steps, kinds of file
and where a value was read, in words; the transition table the web page's buttons follow; and
a register version's name. The shells (`pipeline.cli`, `pipeline.web`) import these from here,
never from the stages, so the command line and the web page say the same things."""

from __future__ import annotations

import math
import re
from datetime import datetime
from typing import Any

from pipeline.fields import ATTACHMENT_RULE, FIELD_BY_NAME, OUTSIDE_SENDER_RULE, label_of
from pipeline.register.liveness import WatcherState, stale_after, watcher_state
from pipeline.register.migrations import title as version_title
from pipeline.register.tables import now_utc
from pipeline.service.context import Services
from pipeline.workflow import Action
from pipeline.workflow.actions import action_label
from pipeline.workflow.deadlines import wib_text
from pipeline.workflow.states import STATUS_LABELS, TRANSITIONS, Status

__all__ = [
    "FILE_KINDS",
    "STATUS_LABELS",
    "TRANSITIONS",
    "Action",
    "Status",
    "WatcherState",
    "action_label",
    "file_kind",
    "intake_state",
    "note_text",
    "now_utc",
    "percent_down",
    "source_text",
    "status_text",
    "version_title",
    "when",
    "wib_text",
]


def intake_state(services: Services, now: datetime | None = None) -> WatcherState:
    """Which watchers renewed their heartbeat recently, and when the last one was alive."""
    stale = stale_after(services.settings.pemantau.masa_klaim_detik)
    return watcher_state(services.engine, stale, now)


STATUS_TEXT = {s.value: label for s, label in STATUS_LABELS.items()}
# What a received file is, in words (the register keeps the reader's codes).
FILE_KINDS = {
    "letter": "surat",
    "form": "formulir",
    "letter+form": "surat dan formulir",
    "other": "berkas lain",
    "returned": "dokumen bertanda tangan",
    "lampiran": "lampiran",
    "struktur-data": "struktur data",
}
_KIND_IN_NOTE = re.compile(r"\((" + "|".join(re.escape(k) for k in FILE_KINDS) + r")\)")
# Where a value was read, by the family of its provenance rule (the part before the slash:
# "formulir/label-table", "nomor/label-colon", "opd/kop-surat", "koreksi", …).
SOURCE_WORDS = {
    "formulir": "dari formulir",
    "isian-pdf": "dari isian formulir PDF",
    "nomor": "dari baris nomor surat",
    "tanggal": "dari tanggal surat",
    "perihal": "dari baris perihal surat",
    "opd": "dari kop dan isi surat",
    "penanggung-jawab": "dari isi surat",
    "subdomain": "dari isi surat",
    "koreksi": "diisi petugas",
}
SOURCE_FALLBACK = "dari surat"
NO_OTHER_LETTERS = "Belum ada surat lain."
NO_OTHER_TO_CHECK = "Tidak ada surat lain yang perlu diperiksa."
NO_OTHER_FOUND = "Tidak ada surat lain yang cocok dengan pencarian."
REVIEW_MARK = "⚠ perlu diperiksa"  # beside a value read less surely than the review line
# Rules whose place in the letter is worth saying more precisely than their family's.
SOURCE_WORDS_BY_RULE = {
    f"nomor/{ATTACHMENT_RULE}": "dari kepala lampiran surat",
    f"nomor/tertulis-{ATTACHMENT_RULE}": "dari kepala lampiran surat",
    OUTSIDE_SENDER_RULE: "dari kop surat",
}


def when(value: datetime | str | None) -> str:
    """A moment of the register (a datetime or its ISO text) as clerks read it: dd-mm-yyyy
    HH:MM in WIB, or '-'."""
    if value is None or value == "":
        return "-"
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return wib_text(moment)


def status_text(value: str) -> str:
    return STATUS_TEXT.get(value, value)


def file_kind(kind: str) -> str:
    return FILE_KINDS.get(kind, kind.replace("-", " ").replace("_", " "))


def note_text(note: str | None) -> str:
    """A history note with the reader's file codes ('(letter+form)') and, in corrections
    recorded before they were written in words, field codes put in words."""
    text = _KIND_IN_NOTE.sub(lambda m: f"({FILE_KINDS[m.group(1)]})", note or "")
    field, sep, rest = text.partition(": ")
    return f"{label_of(field)}{sep}{rest}" if sep and field in FIELD_BY_NAME else text


def percent_down(chance: float) -> str:
    """0.9947 → '99,4': one decimal, rounded down (99,96 % is not shown as a sure 100 %)."""
    return f"{math.floor(chance * 1000) / 10:.1f}".replace(".", ",")


def source_text(source: dict[str, Any] | None) -> str:
    """'dari formulir, hlm. 2, yakin 99,4 %' — where and how surely a value was read."""
    if not source:
        return "-"
    rule = str(source.get("rule", "")).split("+", 1)[0]
    family = rule.split("/", 1)[0]
    parts = [SOURCE_WORDS_BY_RULE.get(rule) or SOURCE_WORDS.get(family, SOURCE_FALLBACK)]
    if family == "koreksi":
        parts[0] += f" {source['by']}" if source.get("by") else ""
    else:
        if source.get("page"):
            parts.append(f"hlm. {source['page']}")
        parts.append(f"yakin {percent_down(float(source.get('confidence', 0)))}\u00a0%")
        if source.get("ocr"):
            parts.append("dibaca dari pindaian")
    text = ", ".join(parts)
    if source.get("confirmed_by"):
        text += f"; dikonfirmasi benar oleh {source['confirmed_by']}"
    return text
