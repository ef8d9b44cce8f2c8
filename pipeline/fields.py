"""The fields of a request, declared once: every list of fields elsewhere is derived from here.

A field keeps one name everywhere (`penanggung_jawab.telepon`); the register stores it in
`column`, a person reads `label`, a spreadsheet heads it `heading`, a letter asking for it says
`missing`. Adding a field is one row in `FIELDS` plus the rule that reads it (and a register
revision for its column).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

# A value read from a document is given as sure when its chance of being right is at least this
# (pipeline.extract.confidence); below it, the value waits for a clerk ('perlu diperiksa').
SURE_CHANCE = 0.99
# Before the chance, a value carried its rule's own score, and the review line was this.
RULE_REVIEW_LINE = 0.85
# Rules whose place in the letter a clerk is told more precisely than their field's.
OUTSIDE_SENDER_RULE = "opd/kop-surat"  # the sender named as its kop prints it, off the list
ATTACHMENT_RULE = "lampiran"  # the letter number an attachment's header repeats


def chance_from_rule_score(score: float) -> float:
    """A rule's score put on the chance scale, monotone, RULE_REVIEW_LINE on SURE_CHANCE (for
    letters the model was not fitted on, and for a review line written on the old scale)."""
    score = min(max(score, 0.0), 1.0)
    if score < RULE_REVIEW_LINE:
        return score / RULE_REVIEW_LINE * SURE_CHANCE
    return SURE_CHANCE + (score - RULE_REVIEW_LINE) / (1.0 - RULE_REVIEW_LINE) * (1 - SURE_CHANCE)


PERSON = "penanggung_jawab"  # the person responsible: one nested object in the JSON contract
# What is read of every incoming letter, whatever its kind; all a letter that is no request keeps.
LETTER_HEADER = ("nomor_surat", "tanggal_surat", "opd", "perihal")


class Part(StrEnum):
    """The two parts of a submission; a field is brought by one of them or by both."""

    LETTER = "surat_permohonan"
    FORM = "formulir_pengajuan"


PART_MISSING: dict[str, str] = {
    Part.LETTER: "Surat permohonan integrasi yang ditandatangani Kepala OPD",
    Part.FORM: "Formulir Pengajuan Integrasi Sistem Informasi / Aplikasi dan Data",
}


@dataclass(frozen=True)
class Field:
    name: str  # the one name: extraction, provenance, corrections, history, missing lists
    column: str  # the register's column (`requests`)
    label: str  # Indonesian, as a clerk reads it on the page and in the history
    parts: frozenset[Part]  # which part of a submission brings it
    required: bool  # a request is incomplete without it
    missing: str  # Indonesian words for it in a list of what is missing
    heading: str | None  # the export's column heading; None: not exported
    searchable: bool  # folded into the full-text index
    hint: str = ""  # how a clerk types a correction ('HH-BB-TTTT')
    office_number: bool = False  # a number the office gives when the form has none

    @property
    def person_key(self) -> str | None:
        """'telepon' for 'penanggung_jawab.telepon'; None for a field of the request itself."""
        owner, dot, key = self.name.partition(".")
        return key if dot and owner == PERSON else None


LETTER, FORM, BOTH = (
    frozenset({Part.LETTER}),
    frozenset({Part.FORM}),
    frozenset({Part.LETTER, Part.FORM}),
)

FIELDS: tuple[Field, ...] = (
    Field(
        "nomor_surat", "nomor_surat", "Nomor surat", LETTER, True,
        "Nomor surat permohonan", "Nomor Surat", True,
    ),
    Field(
        "tanggal_surat", "tanggal_surat", "Tanggal surat", LETTER, True,
        "Tanggal surat permohonan", "Tanggal Surat", True, hint="HH-BB-TTTT",
    ),
    Field("opd", "opd", "OPD", BOTH, True, "Nama OPD pemohon", "OPD", True),
    Field(
        "perihal", "perihal", "Perihal", LETTER, True,
        "Perihal surat permohonan", "Perihal", True,
    ),
    Field(
        "subdomain", "subdomain", "Subdomain", FORM, True,
        "Nama subdomain yang diajukan (____.bantenprov.go.id)", "Subdomain", True,
    ),
    Field(
        "nomor_permohonan", "nomor_permohonan", "Nomor permohonan", FORM, False,
        "Nomor permohonan", "No. Permohonan", True, office_number=True,
    ),
    Field(
        "penanggung_jawab.nama", "pj_nama", "Penanggung jawab — nama", FORM, True,
        "Nama penanggung jawab sistem informasi", "Penanggung Jawab", True,
    ),
    Field(
        "penanggung_jawab.telepon", "pj_telepon", "Penanggung jawab — telepon", FORM, True,
        "Nomor telepon kantor / HP penanggung jawab", "Telepon", True,
    ),
    Field(
        "penanggung_jawab.email", "pj_email", "Penanggung jawab — e-mail", FORM, True,
        "Alamat email penanggung jawab", "Email", True,
    ),
    Field(
        "penanggung_jawab.jabatan", "pj_jabatan", "Penanggung jawab — jabatan", FORM, True,
        "Jabatan penanggung jawab", "Jabatan", True,
    ),
    Field(
        "penanggung_jawab.nip", "pj_nip", "Penanggung jawab — NIP", FORM, False,
        "NIP penanggung jawab", "NIP", True,
    ),
)  # fmt: skip

FIELD_BY_NAME: dict[str, Field] = {f.name: f for f in FIELDS}
# The register's own numbers lead its lists (JSON rows, export, search), as on a register page.
REGISTER_ORDER: tuple[Field, ...] = tuple(sorted(FIELDS, key=lambda f: not f.office_number))
REQUIRED: tuple[Field, ...] = tuple(f for f in FIELDS if f.required)
MISSING_WORDS: dict[str, str] = {**PART_MISSING, **{f.name: f.missing for f in FIELDS}}


def required_from(part: Part) -> tuple[str, ...]:
    """The names of the fields a letter or a form must bring."""
    return tuple(f.name for f in REQUIRED if part in f.parts)


def label_of(name: str) -> str:
    """The field's name as a person reads it ('Tanggal surat'); an unknown name as it is."""
    found = FIELD_BY_NAME.get(name)
    return found.label if found else name


def nested(value_of: Callable[[Field], Any], fields: Iterable[Field] = FIELDS) -> dict[str, Any]:
    """The JSON contract's shape: flat fields plus one nested penanggung_jawab object."""
    out: dict[str, Any] = {}
    person: dict[str, Any] = {}
    for field in fields:
        key = field.person_key
        if key:
            person[key] = value_of(field)
        else:
            out[field.name] = value_of(field)
    out[PERSON] = person
    return out


def value_in(row: Mapping[str, Any], field: Field) -> Any:
    """A field's value in a row of that shape."""
    key = field.person_key
    return row[PERSON][key] if key else row[field.name]


def missing_text(code: str) -> str:
    """What a list of missing things says for a part or a field code."""
    return MISSING_WORDS.get(code, code)


PART_NAMES: dict[str, str] = {Part.LETTER: "Surat", Part.FORM: "Formulir"}


def missing_label(code: str) -> str:
    """The same, short, for a column of a list: 'Formulir', 'Perihal'."""
    return PART_NAMES.get(code) or label_of(code)
