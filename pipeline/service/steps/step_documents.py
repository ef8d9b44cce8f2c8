"""Which document each SOP step makes, and the data that step adds to the template."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from num2words import num2words
from sqlmodel import Session

from pipeline.extract.dates import format_tanggal
from pipeline.register.tables import Document, Request
from pipeline.service.context import Services
from pipeline.service.paperwork.rendering import make_document
from pipeline.service.steps.outgoing import issue_outgoing
from pipeline.workflow import Action
from pipeline.workflow.deadlines import WIB

URL_RE = re.compile(r"https?://\S+")
RUPIAH_RE = re.compile(r"\bRp\.?\s*([\d.,]*\d)", re.I)


@dataclass(frozen=True)
class StepInput:
    note: str | None
    now: datetime
    tables: tuple[dict[str, Any], ...] = ()  # the database structure the OPD sent

    @property
    def tanggal(self) -> str:
        return format_tanggal(self.now.astimezone(WIB).date())


Extra = Callable[[StepInput, str | None], dict[str, Any]]


def _kabid(step: StepInput, _: str | None) -> dict[str, Any]:
    return {"disposisi": {"catatan_kadis": step.note or "-", "tanggal_kadis": step.tanggal}}


def _analysis(step: StepInput, _: str | None) -> dict[str, Any]:
    angka, terbilang = rupiah(step.note)
    return {
        "analisis": {"tabel": list(step.tables), "biaya_angka": angka, "biaya_terbilang": terbilang}
    }


def rupiah(note: str | None) -> tuple[str, str]:
    """'perkiraan biaya Rp 15.250.000' → ('15.250.000', 'lima belas juta … rupiah')."""
    found = RUPIAH_RE.search(note or "")
    if not found:
        return "-", "-"
    amount = int(re.sub(r"\D", "", found.group(1)))
    return f"{amount:,}".replace(",", "."), num2words(amount, lang="id") + " rupiah"


def _outgoing(number: str | None, step: StepInput) -> dict[str, Any]:
    return {"nomor": number or "-", "tanggal": step.tanggal, "tembusan": []}


def _rejection(step: StepInput, number: str | None) -> dict[str, Any]:
    return {"surat_keluar": _outgoing(number, step), "penolakan": {"alasan": step.note or "-"}}


def _completion(step: StepInput, number: str | None) -> dict[str, Any]:
    found = URL_RE.search(step.note or "")
    endpoint = found.group(0).rstrip(".,;)") if found else "-"
    integrasi = {"endpoint": endpoint, "catatan": step.note or "-"}
    return {"surat_keluar": _outgoing(number, step), "integrasi": integrasi}


@dataclass(frozen=True)
class StepDocument:
    kind: str
    extra: Extra
    outgoing: bool  # an outgoing letter takes the next nomor surat keluar


STEP_DOCUMENTS: dict[Action, StepDocument] = {
    Action.ACCEPT: StepDocument("lembar-disposisi-kabid", _kabid, outgoing=False),
    Action.DISPOSE: StepDocument("laporan-hasil-analisis", _analysis, outgoing=False),
    Action.REJECT: StepDocument("surat-penolakan", _rejection, outgoing=True),
    Action.COMPLETE: StepDocument("surat-selesai-integrasi", _completion, outgoing=True),
}


def document_for_step(
    services: Services, session: Session, request: Request, action: Action, step: StepInput
) -> Document | None:
    spec = STEP_DOCUMENTS.get(action)
    if spec is None:
        return None
    number = issue_outgoing(services, session, step.now) if spec.outgoing else None
    extra = spec.extra(step, number)
    return make_document(services, session, request, spec.kind, step.now, extra, number)
