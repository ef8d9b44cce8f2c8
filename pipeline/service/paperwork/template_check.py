"""Lint every template against the context the service gives it."""

from __future__ import annotations

from datetime import UTC, datetime

from pipeline.documents import TemplateReport, check_template, context_keys
from pipeline.register.tables import Request
from pipeline.service.context import PACKAGED_TEMPLATES
from pipeline.service.paperwork.rendering import DISPOSISI_KADIS, disposisi_context
from pipeline.service.steps.step_documents import STEP_DOCUMENTS, StepInput
from pipeline.settings import Settings


def check_all(settings: Settings) -> list[TemplateReport]:
    own = settings.workspace / "templates"
    folder = own if own.is_dir() else PACKAGED_TEMPLATES
    now = datetime.now(UTC)
    sample = Request(
        tahun_agenda=now.year,
        nomor_agenda="0001",
        status="awaiting_kadis",
        received_at=now,
        updated_at=now,
    )
    base = disposisi_context(settings, sample, "D-0000-000000", now)
    step = StepInput("Catatan contoh https://api.example.go.id/v1", now)
    contexts = {DISPOSISI_KADIS: base}
    for spec in STEP_DOCUMENTS.values():
        contexts[spec.kind] = {**base, **spec.extra(step, "555/1-Diskominfo SP/I/2026")}
    outgoing = {"nomor": "555/1-Diskominfo SP/I/2026", "tanggal": step.tanggal, "tembusan": []}
    contexts["surat-kekurangan-berkas"] = {
        **base,
        "surat_keluar": outgoing,
        "kekurangan": ["Formulir pengajuan"],
    }
    reports = []
    for name, context in contexts.items():
        reports.append(check_template(folder / f"{name}.docx", context_keys(context)))
    return reports
