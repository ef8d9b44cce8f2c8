"""Read and extract files without touching the register (`pipeline extract`, and ingest).

Legacy word-processor files (.doc, .rtf, .odt, .docm) are read through a DOCX copy that
LibreOffice makes: the readers say what a file is, this layer has pipeline.convert make the
copy, and the DOCX reader reads it (the two stages never import each other).
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import re
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline import logbook
from pipeline.convert import ConversionError, ConversionTimeout, OfficeConverter
from pipeline.errors import (
    IgnoredFileError,
    MissingDependencyError,
    PipelineError,
    UnreadableFileError,
)
from pipeline.extract import OpdMatcher, extract
from pipeline.models import (
    Cell,
    Extraction,
    FieldValue,
    Kind,
    Media,
    Page,
    ReadDocument,
    TextLine,
)
from pipeline.readers import DocxCopier, media_of, read_file
from pipeline.readers.email_message import MailMessage, read_email
from pipeline.readers.image import is_phone_photo
from pipeline.readers.limits import Deadline
from pipeline.readers.scan import OcrRunner, with_ocr_many
from pipeline.readers.sniff import document_like, email_medium, sniff
from pipeline.settings import Settings

OCR_PENDING = "Berkas hasil pindaian/foto: perlu OCR; isian diketik petugas sampai OCR tersedia."
PHOTO_MEDIUM = "photo"  # an image taken by a phone camera, its page straightened before OCR
CONVERTED_FOLDER = "converted"  # archive/converted/ab/<sha256>.docx, beside archive/ocr
FORMAT_NAMES = {
    Media.DOC: "Word 97–2003 (.doc)",
    Media.RTF: "RTF",
    Media.ODT: "OpenDocument (.odt)",
    Media.DOCM: "Word bermakro (.docm)",
}
LETTER_KINDS = (Kind.LETTER, Kind.FORM, Kind.LETTER_FORM)
MIN_LETTER_WORDS = 30  # an e-mail text this long is a message a person wrote
LETTER_MARKS = re.compile(r"\b(perihal|yth|dengan hormat|nomor\s*:|hal\s*:)", re.IGNORECASE)
OTHER_ATTACHMENT = "Lampiran ini bukan surat atau formulir; disimpan sebagai lampiran permohonan."
RESAVE_HINT = (
    "Buka berkasnya di Word atau LibreOffice; bila terbuka, simpan sebagai .docx atau PDF lalu "
    "taruh lagi di inbox, bila tidak, minta OPD mengirim ulang dokumennya."
)


class DocxCopies:
    """The DOCX copies LibreOffice makes of legacy word-processor files. With a `folder` they
    are kept there as derived files by the original's SHA-256 (a re-read or a restart converts
    nothing again); without one they live in a temporary folder until `close()`."""

    def __init__(self, converter: OfficeConverter, folder: Path | None = None) -> None:
        self.converter = converter
        self._temporary = None if folder else tempfile.TemporaryDirectory(prefix="pipeline-doc-")
        self.folder = folder or Path(self._temporary.name if self._temporary else ".")

    @classmethod
    def from_settings(cls, settings: Settings, folder: Path | None = None) -> DocxCopies:
        options = settings.konversi
        converter = OfficeConverter(options.soffice, options.python_uno, options.batas_detik)
        return cls(converter, folder)

    def path_for(self, original: Path) -> Path:
        digest = _sha256(original)
        return self.folder / digest[:2] / f"{digest}.docx"

    def __call__(self, original: Path, media: Media) -> Path:
        target = self.path_for(original)
        if target.is_file():
            return target
        what = FORMAT_NAMES.get(media, media.value)
        try:
            return self.converter.to_docx(original, target, f".{media.value}")
        except ConversionTimeout as exc:
            raise UnreadableFileError(
                f"Dokumen {what} '{original.name}' tidak selesai diubah ke .docx oleh "
                f"LibreOffice dalam {self.converter.timeout:g} detik, sehingga dihentikan; "
                "berkasnya mungkin rusak atau terlalu rumit.",
                hint=f"{RESAVE_HINT} Bila dokumennya memang besar, naikkan "
                "konversi.batas_detik di pipeline.toml.",
            ) from exc
        except ConversionError as exc:
            raise UnreadableFileError(
                f"Dokumen {what} '{original.name}' tidak bisa dibuka oleh LibreOffice; "
                "berkasnya rusak atau bukan dokumen yang sebenarnya.",
                hint=RESAVE_HINT,
            ) from exc
        except MissingDependencyError as exc:
            raise MissingDependencyError(
                f"Dokumen {what} '{original.name}' hanya bisa dibaca lewat LibreOffice, yang "
                "tidak ditemukan di komputer ini.",
                hint="Pasang LibreOffice (Debian/Ubuntu: `apt-get install "
                "libreoffice-writer-nogui`) atau atur konversi.soffice di pipeline.toml, lalu "
                "taruh berkasnya lagi di inbox.",
            ) from exc

    def close(self) -> None:
        self.converter.close()
        if self._temporary is not None:
            self._temporary.cleanup()
            self._temporary = None


def _sha256(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


@dataclass(frozen=True)
class FileResult:
    file: str
    extraction: Extraction | None
    document: ReadDocument | None = None
    error: str | None = None
    skipped: bool = False
    problems: tuple[str, ...] = field(default=())
    medium: str | None = None  # a Media value or 'photo'; None: unknown
    email: dict[str, Any] | None = None  # an e-mail's sender, subject, date, files

    @property
    def ok(self) -> bool:
        return self.extraction is not None

    def as_json(self, review_threshold: float) -> dict[str, Any]:
        if self.extraction is None:
            return {
                "file": self.file,
                "ok": False,
                "medium": self.medium,
                "kind": None,
                "fields": None,
                "missing": [],
                "problems": [],
                "error": self.error,
                **({"skipped": True} if self.skipped else {}),
            }
        ex = self.extraction
        return {
            "file": self.file,
            "ok": True,
            "medium": self.medium,
            **({"email": self.email} if self.email is not None else {}),
            "kind": ex.kind.value,
            "fields": ex.nested_values(),
            "missing": ex.missing(),
            "problems": list(self.problems),
            "error": None,
            "needs_ocr": ex.needs_ocr,
            "ocr_pages": list(self.document.ocr_pages) if self.document else [],
            "needs_review": needs_review(ex, review_threshold),
            "provenance": {k: v.provenance.as_dict() for k, v in ex.fields.items()},
        }


def needs_review(extraction: Extraction, threshold: float) -> list[str]:
    return [k for k, v in extraction.fields.items() if v.provenance.confidence < threshold]


def extract_path(
    path: Path,
    settings: Settings,
    matcher: OpdMatcher,
    ocr: OcrRunner | None = None,
    to_docx: DocxCopier | None = None,
) -> FileResult:
    return extract_paths([path], settings, matcher, ocr, to_docx)[0]


def extract_paths(
    paths: Sequence[Path],
    settings: Settings,
    matcher: OpdMatcher,
    ocr: OcrRunner | None = None,
    to_docx: DocxCopier | None = None,
) -> list[FileResult]:
    """Read every file, OCR all their scanned pages together, then extract each. Each file has
    `batas.maks_detik` from the moment its reading starts. Legacy word files are converted
    by `to_docx`; without one, a LibreOffice of this call's own converts them (started only
    when such a file comes, kept warm for the rest of the batch, its copies thrown away)."""
    if to_docx is not None:
        return _extract_paths(paths, settings, matcher, ocr, to_docx)
    copies = DocxCopies.from_settings(settings)
    try:
        return _extract_paths(paths, settings, matcher, ocr, copies)
    finally:
        copies.close()


def _extract_paths(
    paths: Sequence[Path],
    settings: Settings,
    matcher: OpdMatcher,
    ocr: OcrRunner | None,
    to_docx: DocxCopier,
) -> list[FileResult]:
    """Results in the order of `paths`; an e-mail gives one result per attachment and then
    its own, with the merged fields of the submission it makes."""
    mails = {index: email_medium(path) for index, path in enumerate(paths)}
    plain = iter(
        _extract_plain(
            [p for i, p in enumerate(paths) if mails[i] is None], settings, matcher, ocr, to_docx
        )
    )
    results: list[FileResult] = []
    for index, path in enumerate(paths):
        medium = mails[index]
        if medium is None:
            results.append(next(plain))
        else:
            results.extend(_extract_email(path, medium, settings, matcher, ocr, to_docx))
    return results


def _extract_plain(
    paths: Sequence[Path],
    settings: Settings,
    matcher: OpdMatcher,
    ocr: OcrRunner | None,
    to_docx: DocxCopier,
) -> list[FileResult]:
    started: list[Deadline] = []
    read: list[FileResult] = []
    for path in paths:  # each file's clock starts when its reading does
        started.append(Deadline.start(settings.batas.maks_detik))
        read.append(_read(path, settings, started[-1], to_docx))
    documents = [(r.document, Path(r.file)) for r in read if r.document is not None]
    deadlines = [d for r, d in zip(read, started, strict=True) if r.document is not None]
    filled, ocr_problem = _ocr(documents, _queued(documents, deadlines), settings, ocr)
    by_file = {str(path): doc for doc, path in zip(filled, (p for _, p in documents), strict=True)}
    return [_extracted(r, by_file[r.file], matcher, ocr_problem) if r.document else r for r in read]


def _queued(
    documents: list[tuple[ReadDocument, Path]], deadlines: list[Deadline]
) -> list[Deadline]:
    """Scans OCR'd together queue behind each other: the k-th scan of a batch may wait for the
    k-1 before it, so it gets their budgets too (a single file keeps its own deadline)."""
    queued, ahead = [], 0
    for (document, _), deadline in zip(documents, deadlines, strict=True):
        queued.append(Deadline(deadline.at + ahead * deadline.seconds, deadline.seconds))
        ahead += document.needs_ocr
    return queued


def _read(path: Path, settings: Settings, deadline: Deadline, to_docx: DocxCopier) -> FileResult:
    try:
        document = read_file(path, settings.batas, deadline, to_docx)
    except IgnoredFileError as exc:
        return FileResult(str(path), None, error=exc.message, skipped=True)
    except PipelineError as exc:
        return FileResult(str(path), None, error=exc.for_humans(), medium=_medium(path))
    except OSError as exc:
        error = f"Berkas tidak bisa dibaca: {exc.strerror}."
        return FileResult(str(path), None, error=error, medium=_medium(path))
    return FileResult(str(path), None, document, medium=reported_medium(document, path))


def reported_medium(document: ReadDocument, path: Path) -> str:
    """The file's medium as `extract` reports it: a phone photo is told from a scan."""
    if document.media is Media.IMAGE and is_phone_photo(path):
        return PHOTO_MEDIUM
    return document.media.value


def _medium(path: Path) -> str | None:
    """What a file that could not be read is, when its content says so."""
    try:
        return media_of(path).value
    except (PipelineError, OSError):
        return None


def _ocr(
    documents: list[tuple[ReadDocument, Path]],
    deadlines: list[Deadline],
    settings: Settings,
    ocr: OcrRunner | None,
) -> tuple[list[ReadDocument], str | None]:
    """OCR the pages without a text layer; without Tesseract the files wait for a clerk."""
    plain = [doc for doc, _ in documents]
    if ocr is None or not any(doc.needs_ocr for doc in plain):
        return plain, None
    try:
        filled = with_ocr_many(
            documents,
            ocr,
            settings.ocr.batas_detik_halaman,
            deadlines=deadlines,
            max_pixels=settings.batas.maks_piksel,
        )
    except MissingDependencyError as exc:
        return plain, exc.for_humans()
    return filled, None


def _extracted(
    read: FileResult, document: ReadDocument, matcher: OpdMatcher, ocr_problem: str | None
) -> FileResult:
    """The file's fields; a fault nobody expected while reading them (a bug on one layout) is
    that file's error, logged with its traceback: the batch's other files keep their results
    (one IndexError used to lose a whole `pipeline extract` run)."""
    try:
        extraction = extract(document, matcher)
    except Exception as exc:  # one file's fault must not take the batch down
        name = Path(read.file).name
        error = logbook.unexpected("intake", "Isian tidak bisa dibaca", exc, file=name)
        return FileResult(read.file, None, error=error, medium=read.medium)
    pending = (ocr_problem or OCR_PENDING,) if extraction.needs_ocr else ()
    problems = extraction.problems + document.notes + pending
    return FileResult(read.file, extraction, document, problems=problems, medium=read.medium)


# ------------------------------------------------------------------------------ e-mail


def _extract_email(
    path: Path,
    medium: Media,
    settings: Settings,
    matcher: OpdMatcher,
    ocr: OcrRunner | None,
    to_docx: DocxCopier,
) -> list[FileResult]:
    try:
        message = read_email(path, medium, settings.batas)
    except PipelineError as exc:
        return [FileResult(str(path), None, error=exc.for_humans(), medium=medium.value)]
    with tempfile.TemporaryDirectory(prefix="pipeline-surel-") as folder:
        written = [(a.name, _write_free(Path(folder), a.name, a.data)) for a in message.attachments]
        readable = [(name, file) for name, file in written if _letter_like(file)]
        read = iter(_extract_plain([f for _, f in readable], settings, matcher, ocr, to_docx))
        parts: list[FileResult] = []
        for name, file in written:
            shown = f"{path}/{name}"
            if (name, file) in readable:
                found = next(read)
                parts.append(dataclasses.replace(found, file=shown))
            else:
                other = Extraction(Kind.OTHER, {})
                parts.append(FileResult(shown, other, problems=(OTHER_ATTACHMENT,), medium=None))
    parts += [FileResult(f"{path}/{r.name}", None, error=r.reason) for r in message.refused]
    return [*parts, _email_result(path, message, parts, matcher)]


def _write_free(folder: Path, name: str, data: bytes) -> Path:
    target, counter = folder / name, 1
    while target.exists():
        stem, suffix = os.path.splitext(name)
        target = folder / f"{stem} ({counter}){suffix}"
        counter += 1
    target.write_bytes(data)
    return target


def _letter_like(path: Path) -> bool:
    try:
        sniff(path)
    except UnreadableFileError:
        return document_like(path)
    return True


def _email_result(
    path: Path, message: MailMessage, parts: list[FileResult], matcher: OpdMatcher
) -> FileResult:
    """The submission the e-mail makes: its attachments' fields merged as the register merges
    them (the first value of a field is kept, a different one later is a problem), or, when
    no attachment is a letter or form, what its text says."""
    letters = [r for r in parts if r.extraction is not None and r.extraction.kind in LETTER_KINDS]
    summary = message.summary()
    if letters:
        merged, problems = merge_extractions(letters)
        document = None
    else:
        merged = body_extraction(message, matcher) or Extraction(Kind.OTHER, {})
        problems = merged.problems
        document = body_document(message.body, message.medium)
    failed = [r for r in parts if not r.ok]
    problems += tuple(f"Lampiran '{Path(r.file).name}' gagal dibaca." for r in failed)
    return FileResult(
        str(path), merged, document, problems=problems, medium=message.medium.value, email=summary
    )


def merge_extractions(results: Sequence[FileResult]) -> tuple[Extraction, tuple[str, ...]]:
    fields: dict[str, FieldValue] = {}
    problems: list[str] = []
    letter = form = False
    for result in results:
        assert result.extraction is not None
        extraction, name = result.extraction, Path(result.file).name
        letter = letter or extraction.kind in (Kind.LETTER, Kind.LETTER_FORM)
        form = form or extraction.kind in (Kind.FORM, Kind.LETTER_FORM)
        problems += result.problems
        for field_name, found in extraction.fields.items():
            current = fields.get(field_name)
            if current is None:
                fields[field_name] = found
            elif current.value != found.value:
                problems.append(
                    f"{field_name}: '{found.value}' di {name} berbeda dengan '{current.value}'; "
                    "mohon diperiksa petugas."
                )
    kind = Kind.LETTER_FORM if letter and form else (Kind.LETTER if letter else Kind.FORM)
    needs_ocr = any(r.extraction is not None and r.extraction.needs_ocr for r in results)
    merged = Extraction(kind, fields, tuple(dict.fromkeys(problems)), needs_ocr)
    return merged, tuple(dict.fromkeys(problems))


def body_document(text: str, medium: Media = Media.EML) -> ReadDocument:
    """An e-mail's text as a flowing document (one line per line, like Word paragraphs)."""
    lines = tuple(
        TextLine(1, (Cell(0.0, line.strip()),)) for line in text.splitlines() if line.strip()
    )
    return ReadDocument(media=medium, pages=(Page(1, lines, True),) if lines else ())


def body_extraction(message: MailMessage, matcher: OpdMatcher) -> Extraction | None:
    """The e-mail's text read as a letter: a request letter's fields, or an *other* letter
    when it is a real message; None when there is no letter in it (empty, a one-liner)."""
    subject = f"Perihal : {message.subject}\n" if message.subject else ""
    document = body_document(subject + message.body, message.medium)
    if not document.pages:
        return None
    extraction = extract(document, matcher)
    if extraction.kind in LETTER_KINDS:
        return extraction
    words = len(message.body.split())
    if words >= MIN_LETTER_WORDS or (words >= 8 and LETTER_MARKS.search(message.body)):
        return Extraction(Kind.OTHER, {}, extraction.problems)
    return None
