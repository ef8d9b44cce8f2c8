"""The confidence model: a value's chance of being right, used where it was fitted, a rule's
judgement kept where the model knows less, and its shipped weights all meaning something."""

from __future__ import annotations

import json
from importlib import resources

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.extract import OpdMatcher, extract, read_fields
from pipeline.extract.confidence import (
    CHECKS,
    MODEL_FILE,
    calibrated,
    evidence,
    has_year,
    model,
    names_the_unit,
    usual_mail_address,
    valid_telephone,
)
from pipeline.extract.nomor import has_misread_roman
from pipeline.fields import FIELD_BY_NAME, RULE_REVIEW_LINE, SURE_CHANCE, chance_from_rule_score
from pipeline.models import Extraction, FieldValue, Kind, Provenance
from pipeline.readers import read_file
from pipeline.readers.scan import serial_runner, with_ocr
from pipeline.service.context import make_matcher
from pipeline.settings import Settings
from tests.real_split import REAL

scores = st.floats(min_value=0.0, max_value=1.0, allow_nan=False)


@pytest.fixture(scope="module")
def matcher() -> OpdMatcher:
    return make_matcher(Settings())


@given(scores, scores)
def test_a_rules_score_keeps_its_order_on_the_chance_scale(a: float, b: float):
    low, high = sorted((a, b))
    assert 0.0 <= chance_from_rule_score(low) <= chance_from_rule_score(high) <= 1.0
    # the old review line is the new one: what a rule flagged it still flags
    assert (chance_from_rule_score(low) >= SURE_CHANCE) == (low >= RULE_REVIEW_LINE)


def _value(rule: str, text: str, score: float, *, ocr: bool) -> FieldValue:
    return FieldValue(text, Provenance(rule, 1, text, score, ocr=ocr))


def _with_sender(**fields: FieldValue) -> Extraction:
    sender = _value("opd/body+letterhead", "Dinas Kesehatan", 0.95, ocr=True)
    return Extraction(Kind.LETTER, {"opd": sender, **fields})


@given(scores)
def test_the_model_never_lifts_a_text_layer_value_over_its_rules_judgement(score: float):
    """On a text layer a low score is a rule's doubt (an ambiguous column, an inferred name)."""
    found = _value("formulir/label-table", "Rina Marlina", score, ocr=False)
    chance = calibrated(_with_sender(**{"penanggung_jawab.nama": found})).fields
    assert chance["penanggung_jawab.nama"].provenance.confidence <= chance_from_rule_score(score)


MODEL_FIELDS = sorted(k[6:] for k in model().weights if k.startswith("field:") and "*" not in k)
MODEL_RULES = sorted(k[5:] for k in model().weights if k.startswith("rule:"))


@given(
    st.sampled_from(MODEL_FIELDS),
    st.sampled_from(MODEL_RULES),
    st.integers(0, 2),
    st.booleans(),
    scores,
    scores,
)
def test_a_lower_score_never_makes_a_value_surer(
    name: str, rule: str, agreeing: int, ocr: bool, a: float, b: float
):
    """The score enters the model squared per field; below the scores a field was fitted on,
    its curve may turn up again (a subdomain Tesseract gave 0.2 came out 0.9997 sure). The
    chance never falls as the score rises, for any field, rule and reader."""
    low, high = sorted((a, b))
    rule = "+".join([rule] + ["form"] * agreeing)

    def chance(score: float) -> float:
        found = _value(rule, "sikesda.bantenprov.go.id", score, ocr=ocr)
        return calibrated(_with_sender(**{name: found})).fields[name].provenance.confidence

    assert chance(low) <= chance(high) + 1e-12


def test_a_scanned_date_tesseract_doubted_is_sure_when_it_reads_as_a_date():
    """Tesseract scores a date line read perfectly at 0.5; dates read so were right 429 of 429
    times on the recorded scans, so the model gives it as sure."""
    found = _value("tanggal/tempat-tanggal", "2024-03-12", 0.5, ocr=True)
    chance = calibrated(_with_sender(tanggal_surat=found)).fields["tanggal_surat"]
    assert chance.provenance.confidence >= SURE_CHANCE


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("nomor_surat", "48/835-Dinkopukm/lil/2022"),  # a Roman month OCR spelled with l and i
        ("penanggung_jawab.telepon", "+6298225259212"),  # no Indonesian number starts 98
        ("penanggung_jawab.email", "agus.kusnadi@bantenprov.v.go.id"),
    ],
)
def test_a_value_its_validator_rejects_waits_for_a_clerk_however_clear_the_scan(
    name: str, text: str
):
    found = _value("formulir/label-table", text, 0.99, ocr=True)
    chance = calibrated(_with_sender(**{name: found})).fields[name]
    assert chance.provenance.confidence < SURE_CHANCE


def test_a_letter_from_outside_the_master_list_keeps_its_rules_decisions(matcher: OpdMatcher):
    """Wonosobo's Dinas Kominfo: the model was not fitted on such letters, so each value is
    sure exactly when its rule was."""
    doc = read_file(REAL / "R003_wsb-diskominfo_permohonan-data-menara_dompdf.pdf")
    raw = read_fields(doc, matcher)
    final = extract(doc, matcher)
    assert raw.fields["opd"].provenance.rule == "opd/kop-surat"
    for name, value in raw.fields.items():
        sure = final.fields[name].provenance.confidence >= SURE_CHANCE
        assert sure == (value.provenance.confidence >= RULE_REVIEW_LINE), name


def test_a_letterhead_read_short_to_a_kind_of_office_is_not_a_sure_sender(matcher: OpdMatcher):
    """A college's two-column kop read by OCR as 'SEKOLAH TINGGI / SK MENKUMHAM ...': the
    sender 'Sekolah Tinggi' names no office and waits for a clerk."""
    path = REAL / "D022_stikes-karyahusada_permohonan.pdf"
    doc = with_ocr(read_file(path), path, serial_runner, timeout=300)
    sender = extract(doc, matcher).fields["opd"]
    assert sender.value.upper() != "SEKOLAH TINGGI" or sender.provenance.confidence < SURE_CHANCE
    assert names_the_unit("Sekolah Tinggi Ilmu Kesehatan Karya Husada") and not names_the_unit(
        "SEKOLAH TINGGI"
    )
    found = _value("opd/body+letterhead", "Sekolah Tinggi", 0.99, ocr=True)
    chance = calibrated(_with_sender(opd=found)).fields["opd"]
    assert chance.provenance.confidence < SURE_CHANCE


def test_every_shipped_weight_is_evidence_the_extractor_gives():
    """A renamed check or rule would leave its weight behind, silently unused."""
    shipped = json.loads(resources.files("pipeline").joinpath("data", MODEL_FILE).read_text())
    assert shipped["version"] >= 1 and shipped["weights"]
    possible = {"agreeing", "ocr", "corrected", "score", "score*ocr", "score²"}
    for name in FIELD_BY_NAME:
        possible |= {f"field:{name}", f"field:{name}*ocr", f"field:{name}*score"}
        possible |= {f"field:{name}*score²"}
        possible |= {f"{name}:{check.__name__}" for check in CHECKS.get(name, ())}
    unknown = {k for k in shipped["weights"] if not k.startswith("rule:") and k not in possible}
    assert not unknown
    assert model().version == shipped["version"]


def test_value_checks_tell_well_formed_values_from_misreads():
    assert has_year("440/7181/KD.D/2024") and not has_year("440/7181/KD.D")
    assert valid_telephone("+6281287654321") and not valid_telephone("+6298225259212")
    assert usual_mail_address("rina.marlina@bantenprov.go.id")
    for misread in ("nurul@&", "puspita@bpba", "x@bantenprov.go.k", "a@yahoo.o.id"):
        assert not usual_mail_address(misread), misread


def test_each_feature_has_a_field_the_register_knows():
    found = _value("subdomain/isi-surat", "sikesda.bantenprov.go.id", 0.8, ocr=True)
    features = evidence("subdomain", found)
    assert features["field:subdomain"] == 1.0 and features["rule:subdomain/isi-surat"] == 1.0
    assert set(CHECKS) <= set(FIELD_BY_NAME)


MONTHS = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")
PARTS = st.one_of(
    st.sampled_from(MONTHS),
    st.integers(1, 99999).map(str),
    st.sampled_from(["Dinkes", "BPBD", "Br.Huk", "L", "SatpolPP", "RSUD.Mlp", "B", "KL.01.04"]),
)


@given(st.lists(PARTS, min_size=1, max_size=5), st.integers(1990, 2040), st.sampled_from("/-"))
def test_a_number_of_digits_codes_and_true_months_is_never_held_for_its_month(
    parts: list[str], year: int, joint: str
):
    assert not has_misread_roman(joint.join([*parts, str(year)]))


@given(st.sampled_from([m for m in MONTHS if "I" in m]), st.sampled_from(["l", "i", "|", "1"]))
def test_a_month_with_one_stroke_misread_is_held(month: str, stroke: str):
    misread = month.replace("I", stroke, 1)
    if stroke == "1" and set(misread) <= set("1"):
        return  # '1' alone is a number, not a misread month
    assert has_misread_roman(f"482/5-Br.Huk/{misread}/2025")
