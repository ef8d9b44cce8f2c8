"""Documents stage: rendering, escaping, strictness, linting and a real LibreOffice round trip."""

from __future__ import annotations

import copy
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import docx
import pdfplumber
import pytest
from docx.document import Document as DocumentObject
from docx.oxml.ns import qn
from docx.table import Table

from pipeline.documents import (
    QrCode,
    TemplateReport,
    check_template,
    context_keys,
    render_docx,
)
from pipeline.documents.samples import SAMPLE_CONTEXTS
from pipeline.errors import PipelineError, TemplateError

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "templates"
TEMPLATE = TEMPLATES / "lembar-disposisi-kadis.docx"
ALL_TEMPLATES = sorted(SAMPLE_CONTEXTS)
LETTERS = ("surat-selesai-integrasi.docx", "surat-penolakan.docx", "surat-kekurangan-berkas.docx")
ANALISIS = TEMPLATES / "laporan-hasil-analisis.docx"
TRICKY = "R&D <Tim> {{x}}"
JINJA_MARKERS = ("{{", "}}", "{%", "%}", "{#", "#}")

CONTEXT: dict[str, Any] = {
    "kantor": {
        "nama": "Dinas Komunikasi, Informatika, Statistik dan Persandian",
        "pemerintah": "Pemerintah Provinsi Banten",
        "alamat": "Jl. Syekh Nawawi Al-Bantani, KP3B Palima",
        "telepon": "(0254) 7770001",
        "email": "uji.kominfo@bantenprov.go.id",
        "kota": "Serang",
    },
    "kepala_dinas": {
        "nama": "Ir. Kadis Penguji, M.T.",
        "nip": "19700101 199901 1 001",
        "jabatan": "Kepala Dinas Komunikasi, Informatika, Statistik dan Persandian Provinsi Banten",
    },
    "kepala_bidang": {"nama": "Kabid Penguji, S.Kom.", "jabatan": "Kepala Bidang Uji Coba"},
    "kepala_seksi": {"nama": "Kasi Penguji, S.T.", "jabatan": "Kepala Seksi Uji Integrasi"},
    "surat": {
        "dari": "Dinas Kesehatan",
        "nomor": "440/123-Dinkes/X/2020",
        "tanggal": "5 Oktober 2020",
        "perihal": "Permohonan Integrasi Sistem Informasi",
        "sifat": "Segera",
    },
    "permohonan": {
        "nomor_agenda": "AG-2020-0042",
        "nomor_permohonan": "PRM-2020-0777",
        "diterima_tanggal": "7 Oktober 2020",
        "subdomain": "sikesehatan.bantenprov.go.id",
        "penanggung_jawab": {
            "nama": "Penanggung Jawab Uji",
            "telepon": "+6281234567890",
            "email": "pj.uji@bantenprov.go.id",
            "jabatan": "Pranata Komputer Ahli Muda",
        },
    },
    "dokumen": {
        "id": "D-2026-000123",
        "dibuat": "8 Oktober 2020",
        "qr": QrCode("https://diskominfo.bantenprov.go.id/verifikasi/uji-000123"),
    },
}


# --- helpers -----------------------------------------------------------------------------


def leaf_values(context: Any) -> Iterator[str]:
    """Every scalar in a context, also inside lists (such as a table structure)."""
    values = context.values() if isinstance(context, Mapping) else context
    for value in values:
        if isinstance(value, Mapping | list | tuple):
            yield from leaf_values(value)
        elif not isinstance(value, QrCode):  # an image, not text
            yield str(value)


def table_text(table: Table) -> Iterator[str]:
    for row in table.rows:
        for cell in row.cells:
            yield from (par.text for par in cell.paragraphs)
            for inner in cell.tables:
                yield from table_text(inner)


def document_text(document: DocumentObject) -> str:
    """Body paragraphs, tables (also nested) and every header and footer."""
    parts = [par.text for par in document.paragraphs]
    for table in document.tables:
        parts.extend(table_text(table))
    for section in document.sections:
        for part in (section.header, section.footer):
            parts.extend(par.text for par in part.paragraphs)
    return "\n".join(parts)


def docx_text(path: Path) -> str:
    return document_text(docx.Document(str(path)))


def assert_shows(value: str, text: str) -> None:
    """A value appears as given, or upper-cased where the template shouts (the kop)."""
    assert value in text or value.upper() in text, f"{value!r} not in output"


def without(context: Mapping[str, Any], dotted: str) -> dict[str, Any]:
    result = copy.deepcopy(dict(context))
    *parents, last = dotted.split(".")
    node = result
    for key in parents:
        node = node[key]
    del node[last]
    return result


def with_value(context: Mapping[str, Any], dotted: str, value: Any) -> dict[str, Any]:
    """A deep copy with one value replaced; numeric parts index lists ("a.tabel.0.nama")."""
    result = copy.deepcopy(dict(context))
    *parents, last = dotted.split(".")
    node: Any = result
    for key in parents:
        node = node[int(key)] if isinstance(node, list) else node[key]
    node[int(last) if isinstance(node, list) else last] = value
    return result


def sample(name: str) -> dict[str, Any]:
    """A private copy of a template's sample context."""
    return copy.deepcopy(dict(SAMPLE_CONTEXTS[name]))


def cell_rows(table: Table) -> list[list[str]]:
    """Each row's cell texts, a merged cell once (python-docx repeats it per grid column)."""
    return [
        ["".join(node.text or "" for node in tc.iter(qn("w:t"))) for tc in row._tr.tc_lst]
        for row in table.rows
    ]


def make_template(path: Path, body: list[str], footer: str = "") -> Path:
    """A small .docx whose paragraphs (and footer) hold the given Jinja text, one run each."""
    document = docx.Document()
    for line in body:
        document.add_paragraph().add_run(line)
    if footer:
        document.sections[0].footer.paragraphs[0].add_run(footer)
    document.save(str(path))
    return path


@pytest.fixture(scope="module")
def built_twice(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Two runs of the build script as the office runs it (`python scripts/build_templates.py
    --out DIR`): the templates it makes, twice."""
    folders = tmp_path_factory.mktemp("dibangun-1"), tmp_path_factory.mktemp("dibangun-2")
    for folder in folders:
        script = str(ROOT / "scripts" / "build_templates.py")
        done = subprocess.run(
            [sys.executable, script, "--out", str(folder)],
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert done.returncode == 0, done.stderr
    return folders


@pytest.fixture()
def rendered(tmp_path: Path) -> Path:
    return render_docx(TEMPLATE, CONTEXT, tmp_path / "out" / "disposisi.docx")


# --- rendering ---------------------------------------------------------------------------


def test_test_context_has_the_shape_of_the_sample_context() -> None:
    sample = SAMPLE_CONTEXTS[TEMPLATE.name]
    assert context_keys(CONTEXT) == context_keys(sample)


def test_render_shows_every_value_and_no_template_syntax(rendered: Path) -> None:
    text = docx_text(rendered)
    for value in leaf_values(CONTEXT):
        assert_shows(value, text)
    for marker in JINJA_MARKERS:
        assert marker not in text


def test_render_creates_parent_folders_and_leaves_no_temp_files(rendered: Path) -> None:
    assert rendered.is_file()
    assert [path.name for path in rendered.parent.iterdir()] == [rendered.name]


def test_render_replaces_an_existing_output(tmp_path: Path) -> None:
    out = tmp_path / "disposisi.docx"
    out.write_bytes(b"old")
    render_docx(TEMPLATE, CONTEXT, out)
    assert "Dinas Kesehatan" in docx_text(out)
    assert sorted(path.name for path in tmp_path.iterdir()) == ["disposisi.docx"]


def test_markup_in_values_is_shown_literally(tmp_path: Path) -> None:
    tricky = "R&D <Tim> {{x}}"
    context = with_value(CONTEXT, "surat.perihal", tricky)
    context = with_value(context, "surat.dari", 'PT "A" & B\'s <Ltd>')
    out = render_docx(TEMPLATE, context, tmp_path / "escaped.docx")
    text = docx_text(out)  # the document opens
    assert tricky in text
    assert 'PT "A" & B\'s <Ltd>' in text


def test_characters_a_docx_cannot_hold_are_dropped(tmp_path: Path) -> None:
    context = with_value(CONTEXT, "surat.perihal", "Integrasi\x0c Data\x00 \x07Kesehatan")
    out = render_docx(TEMPLATE, context, tmp_path / "clean.docx")
    assert "Integrasi Data Kesehatan" in docx_text(out)


def test_empty_values_render_without_template_syntax(tmp_path: Path) -> None:
    empty = copy.deepcopy(CONTEXT)
    for key in context_keys(CONTEXT):
        empty = with_value(empty, key, "")
    text = docx_text(render_docx(TEMPLATE, empty, tmp_path / "empty.docx"))
    assert "LEMBAR DISPOSISI" in text
    assert "☒" not in text
    for marker in JINJA_MARKERS:
        assert marker not in text


@pytest.mark.parametrize(
    ("sifat", "checked"),
    [("Sangat Segera", "Sangat Segera"), ("segera", "Segera"), (" RAHASIA ", "Rahasia")],
)
def test_the_letters_sifat_is_the_one_ticked(tmp_path: Path, sifat: str, checked: str) -> None:
    context = with_value(CONTEXT, "surat.sifat", sifat)
    text = docx_text(render_docx(TEMPLATE, context, tmp_path / "sifat.docx"))
    assert text.count("☒") == 1
    assert re.search(rf"☒ {checked}\b", text)


def test_an_unlisted_sifat_is_still_shown(tmp_path: Path) -> None:
    context = with_value(CONTEXT, "surat.sifat", "Penting")
    text = docx_text(render_docx(TEMPLATE, context, tmp_path / "sifat.docx"))
    assert "☒" not in text
    assert "Lainnya: Penting" in text


def test_a_missing_variable_is_named(tmp_path: Path) -> None:
    out = tmp_path / "missing.docx"
    with pytest.raises(TemplateError) as caught:
        render_docx(TEMPLATE, without(CONTEXT, "surat.nomor"), out)
    assert "surat.nomor" in caught.value.message
    assert TEMPLATE.name in caught.value.message
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []


def test_a_missing_group_names_each_of_its_variables(tmp_path: Path) -> None:
    with pytest.raises(TemplateError) as caught:
        render_docx(TEMPLATE, without(CONTEXT, "kepala_seksi"), tmp_path / "x.docx")
    assert "kepala_seksi.jabatan" in caught.value.message
    assert "kepala_seksi.nama" in caught.value.message


def test_a_failed_render_keeps_the_previous_output(tmp_path: Path) -> None:
    out = tmp_path / "disposisi.docx"
    render_docx(TEMPLATE, CONTEXT, out)
    before = out.read_bytes()
    with pytest.raises(TemplateError):
        render_docx(TEMPLATE, without(CONTEXT, "dokumen.id"), out)
    assert out.read_bytes() == before
    assert [path.name for path in tmp_path.iterdir()] == ["disposisi.docx"]


def test_broken_jinja_is_a_template_error(tmp_path: Path) -> None:
    broken = make_template(tmp_path / "broken.docx", ["{{ surat.nomor }", "{% if x %}"])
    with pytest.raises(TemplateError) as caught:
        render_docx(broken, CONTEXT, tmp_path / "out.docx")
    assert "broken.docx" in caught.value.message
    report = check_template(broken, {"surat.nomor"})  # the check reports it, never crashes
    assert report.broken and "broken.docx" in report.errors[0]


def test_a_file_that_is_not_a_docx_is_a_template_error(tmp_path: Path) -> None:
    fake = tmp_path / "fake.docx"
    fake.write_bytes(b"not a zip")
    with pytest.raises(TemplateError, match=r"fake\.docx"):
        render_docx(fake, CONTEXT, tmp_path / "out.docx")
    with pytest.raises(TemplateError, match="tidak ditemukan"):
        render_docx(tmp_path / "absent.docx", CONTEXT, tmp_path / "out.docx")


def test_an_unwritable_output_is_a_pipeline_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(PipelineError, match="tidak dapat disimpan"):
        render_docx(TEMPLATE, CONTEXT, blocker / "out.docx")


# --- linting -----------------------------------------------------------------------------


def test_the_template_matches_the_full_context() -> None:
    report = check_template(TEMPLATE, context_keys(CONTEXT))
    assert report == TemplateReport(template=TEMPLATE.name, unknown=(), unused=())
    assert report.ok


def test_a_key_the_context_lacks_is_unknown() -> None:
    keys = context_keys(CONTEXT) - {"permohonan.penanggung_jawab.email"}
    report = check_template(TEMPLATE, keys)
    assert report.unknown == ("permohonan.penanggung_jawab.email",)
    assert report.unused == ()
    assert not report.ok


def test_a_key_the_template_ignores_is_unused() -> None:
    report = check_template(TEMPLATE, context_keys(CONTEXT) | {"surat.lampiran"})
    assert report.unknown == ()
    assert report.unused == ("surat.lampiran",)


def test_context_keys_flattens_to_dotted_leaves() -> None:
    nested = {"a": {"b": {"c": 1}, "d": ""}, "e": [1, 2], "f": {}}
    assert context_keys(nested) == {"a.b.c", "a.d", "e", "f"}


def test_lint_reads_dotted_paths_from_every_construct(tmp_path: Path) -> None:
    template = make_template(
        tmp_path / "constructs.docx",
        [
            "{{ a.b.c }}",
            "{% if x.y|lower == 'z' %}ya{% endif %}",
            "{{ m.n.upper() }}",
            "{% for item in rows %}{{ item.name }}{{ loop.index }}{% endfor %}",
            "{{ d['k'] }}",
            "{% set local = 1 %}{{ local }}",
        ],
        footer="{{ f.g }}",
    )
    keys = {"a.b.c", "x.y", "m.n", "rows", "d.k", "f.g", "spare"}
    report = check_template(template, keys)
    assert report.unknown == ()
    assert report.unused == ("spare",)
    report = check_template(template, {"a.b.other"})
    assert report.unknown == ("a.b.c", "d.k", "f.g", "m.n", "rows", "x.y")


# --- every template with its sample context ----------------------------------------------

# Per template, values the tests replace: one the template prints inside a loop where it has one.
TRICKY_KEYS = {
    "lembar-disposisi-kadis.docx": "surat.perihal",
    "lembar-disposisi-kabid.docx": "disposisi.catatan_kadis",
    "laporan-hasil-analisis.docx": "analisis.tabel.0.kolom.1.keterangan",
    "surat-selesai-integrasi.docx": "integrasi.catatan",
    "surat-penolakan.docx": "penolakan.alasan",
    "surat-kekurangan-berkas.docx": "kekurangan.0",
}


@pytest.mark.parametrize("name", ALL_TEMPLATES)
def test_a_sample_renders_every_value_and_no_template_syntax(tmp_path: Path, name: str) -> None:
    context = SAMPLE_CONTEXTS[name]
    text = docx_text(render_docx(TEMPLATES / name, context, tmp_path / name))
    for value in leaf_values(context):
        assert_shows(value, text)
    for marker in JINJA_MARKERS:
        assert marker not in text


@pytest.mark.parametrize("name", ALL_TEMPLATES)
def test_a_template_reads_exactly_its_sample_context(name: str) -> None:
    report = check_template(TEMPLATES / name, context_keys(SAMPLE_CONTEXTS[name]))
    assert report == TemplateReport(template=name, unknown=(), unused=())


@pytest.mark.parametrize("name", ALL_TEMPLATES)
def test_markup_in_a_sample_value_is_shown_literally(tmp_path: Path, name: str) -> None:
    context = with_value(SAMPLE_CONTEXTS[name], TRICKY_KEYS[name], TRICKY)
    context = with_value(context, "surat.dari", 'PT "A" & B\'s <Ltd>')
    text = docx_text(render_docx(TEMPLATES / name, context, tmp_path / name))
    assert TRICKY in text
    assert 'PT "A" & B\'s <Ltd>' in text


@pytest.mark.parametrize("name", ALL_TEMPLATES)
def test_a_sample_missing_a_key_is_refused(tmp_path: Path, name: str) -> None:
    with pytest.raises(TemplateError, match=r"dokumen\.id"):
        render_docx(TEMPLATES / name, without(SAMPLE_CONTEXTS[name], "dokumen.id"), tmp_path / name)


def test_the_kabid_sheet_carries_the_kadis_note_and_ticks_the_sifat(tmp_path: Path) -> None:
    name = "lembar-disposisi-kabid.docx"
    context = with_value(sample(name), "surat.sifat", "Segera")
    text = docx_text(render_docx(TEMPLATES / name, context, tmp_path / name))
    assert text.count("☒") == 1
    assert "☒ Segera" in text
    assert "Catatan Kepala Dinas:" in text
    assert f"Tanggal: {context['disposisi']['tanggal_kadis']}" in text
    assert context["disposisi"]["catatan_kadis"] in text


def structure_table(document: DocumentObject) -> Table | None:
    found = [table for table in document.tables if "Nama Kolom" in cell_rows(table)[0]]
    assert len(found) <= 1
    return found[0] if found else None


def test_the_analysis_lists_every_column_of_every_submitted_table(tmp_path: Path) -> None:
    tabel = [
        {
            "nama": "pasien",
            "kolom": [
                {"nama": "nik", "tipe": "CHAR(16)", "keterangan": "Nomor Induk Kependudukan"},
                {"nama": "nama_pasien", "tipe": "VARCHAR(100)", "keterangan": "Nama lengkap"},
            ],
        },
        {
            "nama": "kunjungan",
            "kolom": [
                {"nama": "id_kunjungan", "tipe": "BIGINT", "keterangan": "Kunci utama"},
                {"nama": "nik", "tipe": "CHAR(16)", "keterangan": "Ke tabel pasien"},
                {"nama": "tanggal", "tipe": "DATE", "keterangan": "Tanggal berobat"},
            ],
        },
    ]
    context = with_value(sample(ANALISIS.name), "analisis.tabel", tabel)
    out = render_docx(ANALISIS, context, tmp_path / "analisis.docx")
    document = docx.Document(str(out))
    table = structure_table(document)
    assert table is not None
    assert cell_rows(table) == [
        ["No", "Nama Kolom", "Tipe Data", "Keterangan"],
        ["Tabel 1: pasien"],
        ["1", "nik", "CHAR(16)", "Nomor Induk Kependudukan"],
        ["2", "nama_pasien", "VARCHAR(100)", "Nama lengkap"],
        ["Tabel 2: kunjungan"],
        ["1", "id_kunjungan", "BIGINT", "Kunci utama"],
        ["2", "nik", "CHAR(16)", "Ke tabel pasien"],
        ["3", "tanggal", "DATE", "Tanggal berobat"],
    ]
    text = document_text(document)
    assert "belum dilampirkan" not in text
    for marker in JINJA_MARKERS:
        assert marker not in text


def test_the_analysis_says_when_no_structure_was_sent(tmp_path: Path) -> None:
    context = with_value(sample(ANALISIS.name), "analisis.tabel", [])
    out = render_docx(ANALISIS, context, tmp_path / "analisis.docx")
    document = docx.Document(str(out))
    assert structure_table(document) is None
    text = document_text(document)
    assert "Struktur basis data belum dilampirkan." in text
    assert "B.\tStruktur basis data (spek teknis) yang dikirim" in text
    assert "C.\tRekomendasi" in text
    for marker in JINJA_MARKERS:
        assert marker not in text


def test_the_analysis_states_the_estimated_cost(tmp_path: Path) -> None:
    out = render_docx(ANALISIS, sample(ANALISIS.name), tmp_path / "analisis.docx")
    assert "D.\tPerkiraan biaya: Rp 45.000.000 (empat puluh lima juta rupiah)" in docx_text(out)


@pytest.mark.parametrize(
    ("name", "hal"),
    [
        ("surat-selesai-integrasi.docx", "Pemberitahuan Selesai Integrasi Sistem Informasi"),
        ("surat-penolakan.docx", "Jawaban atas Permohonan Integrasi Sistem Informasi"),
        ("surat-kekurangan-berkas.docx", "Kelengkapan Berkas Permohonan Integrasi"),
    ],
)
def test_a_letter_has_the_parts_of_a_government_letter(tmp_path: Path, name: str, hal: str) -> None:
    context = sample(name)
    text = docx_text(render_docx(TEMPLATES / name, context, tmp_path / name))
    surat_keluar, surat = context["surat_keluar"], context["surat"]
    lines = [
        f"Nomor\t:\t{surat_keluar['nomor']}",
        "Sifat\t:\tBiasa",
        "Lampiran\t:\t-",
        f"Hal\t:\t{hal}",
        f"{context['kantor']['kota']}, {surat_keluar['tanggal']}",
        f"Yth.\tKepala {surat['dari']}",
        "di\nTempat",
        f"Nomor {surat['nomor']} tanggal {surat['tanggal']} perihal {surat['perihal']}",
        f"NIP. {context['kepala_dinas']['nip']}",
        "Tembusan:",
    ]
    for line in lines:
        assert line in text
    for index, penerima in enumerate(surat_keluar["tembusan"], start=1):
        assert f"{index}.\t{penerima}" in text


def test_the_missing_documents_are_one_bullet_each_and_the_sop_rule_is_cited(
    tmp_path: Path,
) -> None:
    name = "surat-kekurangan-berkas.docx"
    context = sample(name)
    document = docx.Document(str(render_docx(TEMPLATES / name, context, tmp_path / name)))
    bullets = [par.text for par in document.paragraphs if par.text.startswith("•")]
    assert bullets == [f"•\t{item}" for item in context["kekurangan"]]
    assert "Apabila laporan tidak lengkap, maka tidak bisa ditindaklanjuti" in document_text(
        document
    )


def test_a_letter_without_copies_or_missing_items_leaves_no_trace(tmp_path: Path) -> None:
    name = "surat-kekurangan-berkas.docx"
    context = with_value(sample(name), "kekurangan", [])
    context = with_value(context, "surat_keluar.tembusan", [])
    text = docx_text(render_docx(TEMPLATES / name, context, tmp_path / name))
    assert "•" not in text
    assert "Tembusan" not in text
    for marker in JINJA_MARKERS:
        assert marker not in text


# --- the committed template --------------------------------------------------------------


def test_the_builder_makes_exactly_the_templates_that_have_samples(
    built_twice: tuple[Path, Path],
) -> None:
    assert sorted(p.name for p in built_twice[0].iterdir()) == ALL_TEMPLATES


@pytest.mark.parametrize("name", ALL_TEMPLATES)
def test_the_committed_template_is_what_the_build_script_makes(
    built_twice: tuple[Path, Path], name: str
) -> None:
    fresh, again = (folder / name for folder in built_twice)
    assert fresh.read_bytes() == (TEMPLATES / name).read_bytes(), (
        "templates/ is out of date: run scripts/build_templates.py"
    )
    assert again.read_bytes() == fresh.read_bytes()


@pytest.mark.parametrize("name", ALL_TEMPLATES)
def test_every_jinja_tag_sits_in_one_run(name: str) -> None:
    """Word splits runs on editing; the shipped template must start with whole tags."""
    document = docx.Document(str(TEMPLATES / name))
    runs = [run.text for par in document.paragraphs for run in par.runs]
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                runs.extend(run.text for par in cell.paragraphs for run in par.runs)
    runs.extend(run.text for par in document.sections[0].footer.paragraphs for run in par.runs)
    for run in runs:
        assert run.count("{{") == run.count("}}"), run
        assert run.count("{%") == run.count("%}"), run


# --- LibreOffice round trip --------------------------------------------------------------


def pdf_text(pdf: Path) -> str:
    """Whole-page text plus each half-page column, whitespace collapsed, so wrapped values in
    side-by-side table cells still read as one string."""
    chunks: list[str] = []
    with pdfplumber.open(pdf) as document:
        for page in document.pages:
            middle = page.width / 2
            for area in (page, page.crop((0, 0, middle, page.height))):
                chunks.append(area.extract_text() or "")
            chunks.append(page.crop((middle, 0, page.width, page.height)).extract_text() or "")
    return "\n".join(" ".join(chunk.split()) for chunk in chunks)


def convert_to_pdf(rendered: Path, tmp_path: Path) -> Path:
    """The document as LibreOffice prints it (skips the test where LibreOffice is missing)."""
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) tidak ada di PATH")
    outdir = tmp_path / "pdf"
    profile = tmp_path / "lo-profile"
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(outdir),
            str(rendered),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    pdf = outdir / f"{rendered.stem}.pdf"
    assert pdf.is_file()
    return pdf


def page_count(pdf: Path) -> int:
    with pdfplumber.open(pdf) as document:
        return len(document.pages)


def test_libreoffice_renders_the_values(rendered: Path, tmp_path: Path) -> None:
    pdf = convert_to_pdf(rendered, tmp_path)
    assert page_count(pdf) == 1
    text = pdf_text(pdf)
    for value in leaf_values(CONTEXT):
        assert_shows(value, text)
    for marker in JINJA_MARKERS:
        assert marker not in text


def test_libreoffice_prints_a_letter_on_one_page(tmp_path: Path) -> None:
    name = "surat-selesai-integrasi.docx"
    context = SAMPLE_CONTEXTS[name]
    pdf = convert_to_pdf(render_docx(TEMPLATES / name, context, tmp_path / name), tmp_path)
    assert page_count(pdf) == 1
    text = pdf_text(pdf)
    for value in leaf_values(context):
        assert_shows(value, text)
    for fixed in ("Sifat : Biasa", "Lampiran : -", "Tembusan:", "di Tempat"):
        assert fixed in text
    assert "Hal : Pemberitahuan Selesai Integrasi" in text  # wraps beside the addressee
    for marker in JINJA_MARKERS:
        assert marker not in text
