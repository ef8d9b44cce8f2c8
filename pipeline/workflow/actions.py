"""What a request's history entry says happened: one `Action` per kind of entry.

The member names are the code's words (English). The values are the codes stored in the
register's `events.action` column and typed on the command line (`pipeline advance ID accept`);
they were written in two languages before this enum existed and stay exactly as they are, so
the history already in a register and every report reading it keep their meaning. People never
see a code: `ACTION_LABELS` holds what the history shows them, in Indonesian.
"""

from __future__ import annotations

from enum import StrEnum


class Action(StrEnum):
    # SOP steps an official takes (`pipeline advance`, the web page buttons, signing).
    ACCEPT = "accept"
    REJECT = "reject"
    DISPOSE = "dispose"
    SUBMIT_ANALYSIS = "submit-analysis"
    COMPLETE = "complete"
    # What arrives: files, e-mails, their pairing into requests.
    RECEIVED = "diterima"
    PAIRED = "dipasangkan"
    RESENT = "dikirim-ulang"
    DUPLICATE = "duplikat"
    OTHER_LETTER = "surat-lain"
    EMAIL_RECEIVED = "surel"
    ATTACHMENT_RECEIVED = "lampiran"
    SCHEMA_RECEIVED = "struktur-data"
    SIGNED_COPY_RETURNED = "dokumen-kembali"
    # The system's own step: letter, form and every field are in.
    SUBMISSION_COMPLETE = "lengkap"
    # Documents the office makes and signs.
    DOCUMENT_MADE = "dokumen"
    PDF_FAILED = "pdf-gagal"
    SIGNED = "ditandatangani"
    # A person checking the fields read from the letter.
    CORRECTED = "koreksi"
    CONFIRMED = "konfirmasi"

    @property
    def label(self) -> str:
        return ACTION_LABELS[self]


# "Diterima" is never used for the Kepala Dinas's decision: files *masuk*, requests are
# *disetujui* (approved) or *ditolak*.
ACTION_LABELS: dict[Action, str] = {
    Action.ACCEPT: "disetujui Kepala Dinas",
    Action.REJECT: "ditolak Kepala Dinas",
    Action.DISPOSE: "didisposisikan Kepala Bidang",
    Action.SUBMIT_ANALYSIS: "hasil analisis diserahkan",
    Action.COMPLETE: "integrasi selesai",
    Action.RECEIVED: "berkas masuk",
    Action.PAIRED: "berkas dipasangkan",
    Action.RESENT: "berkas dikirim ulang",
    Action.DUPLICATE: "berkas ganda",
    Action.OTHER_LETTER: "surat lain masuk (bukan permohonan)",
    Action.EMAIL_RECEIVED: "surel masuk",
    Action.ATTACHMENT_RECEIVED: "lampiran masuk",
    Action.SCHEMA_RECEIVED: "struktur data masuk",
    Action.SIGNED_COPY_RETURNED: "dokumen bertanda tangan kembali",
    Action.SUBMISSION_COMPLETE: "berkas lengkap",
    Action.DOCUMENT_MADE: "dokumen dibuat",
    Action.PDF_FAILED: "salinan PDF gagal dibuat",
    Action.SIGNED: "ditandatangani secara elektronik",
    Action.CORRECTED: "isian dikoreksi",
    Action.CONFIRMED: "isian dikonfirmasi benar",
}

# The steps an official may take by name; the others are the system's or a clerk's own.
ACTIONS: tuple[Action, ...] = (
    Action.ACCEPT,
    Action.REJECT,
    Action.DISPOSE,
    Action.SUBMIT_ANALYSIS,
    Action.COMPLETE,
)


def action_label(code: str) -> str:
    """What the history shows for a stored code; a code no release writes any more (or one
    written by hand) is shown in words rather than as a code."""
    try:
        return Action(code).label
    except ValueError:
        return code.replace("-", " ").replace("_", " ")
