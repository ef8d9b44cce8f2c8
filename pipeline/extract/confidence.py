"""How likely each value read is right: a logistic model over the value's evidence.

The rules that find a value give it a confidence of their own (how sure the rule is, times the
OCR's confidence in the words). That number is a score, not a probability: Tesseract says 0.5 of
a date read perfectly and 0.9 of a misread number. The model turns the evidence of a value — its
field, the rule and its zone, how many readings agreed, the rule's score, whether OCR read it or
a repair touched it, and checks of the value itself (a year in a number, a valid telephone
number, a known mail domain, known words in a subject) — into the chance that the value is right.

Its weights are data (pipeline/data/confidence-model.json), fitted by benchmarks/fit_confidence.py
with scikit-learn on the generated corpora and the tuning part of ../shared/real. They are used
only where they were fitted on enough examples: documents from a sender of the master list; and
on a text layer the model may lower a rule's judgement but never raise it (see chance_of).
A letter from any other office (another province, a ministry, a university) keeps its rules'
own score, put on the same scale (pipeline.fields.chance_from_rule_score: the old review line
0.85 becomes 0.99), because a few dozen such letters are too few to fit on: a model fitted for
them on the tuned part of ../shared/real (2026-12-03) was right on 104 of its 105 sure values
there, cross-validated by whole repository, and wrong on 9 of 23 on the held-out part.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from functools import cache
from importlib import resources

import phonenumbers

from pipeline.extract.letterhead import UNIT_WORDS
from pipeline.extract.lexicon import CONTINUES, EDGES, known_words, reads_as_words
from pipeline.extract.nomor import has_misread_roman
from pipeline.fields import OUTSIDE_SENDER_RULE, chance_from_rule_score
from pipeline.models import Extraction, FieldValue

MODEL_FILE = "confidence-model.json"
SCORE_CLIP = (0.01, 0.995)  # rule scores are clipped before their log-odds are taken

YEAR_RE = re.compile(r"(?:^|[/.\- ])(19[5-9]\d|20[0-4]\d)$")
ODD_CHAR_RE = re.compile(r"[^\w\s.,/()'\-&:+@\"]")
MAIL_SUFFIXES: tuple[str, ...] = (".go.id", ".co.id", ".ac.id", ".or.id", ".sch.id", ".web.id")
MAIL_SUFFIXES += (".my.id", ".com", ".id", ".net", ".org")

Check = Callable[[str], float]


def _tokens(value: str) -> list[str]:
    return [t for t in (t.strip(EDGES) for t in value.split()) if t]


def unknown_words(value: str) -> float:
    """Share of its lower-case words (three letters or more) that are no Indonesian word."""
    words = [t for t in _tokens(value) if t.isalpha() and len(t) >= 3 and not t.isupper()]
    if not words:
        return 0.0
    return sum(w.lower() not in known_words() for w in words) / len(words)


def all_known_words(value: str) -> float:
    """Every word is an Indonesian word (pipeline.extract.lexicon.reads_as_words)."""
    return float(reads_as_words(value))


def cut_short(value: str) -> float:
    """It stops on a word that needs another ('Sistem Informasi dan'): a wrap lost the rest."""
    tokens = _tokens(value)
    return float(bool(tokens) and tokens[-1].lower() in CONTINUES)


def odd_characters(value: str) -> float:
    return float(bool(ODD_CHAR_RE.search(value)))


def has_year(value: str) -> float:
    return float(bool(YEAR_RE.search(value)))


def valid_telephone(value: str) -> float:
    try:
        return float(phonenumbers.is_valid_number(phonenumbers.parse(value, "ID")))
    except phonenumbers.NumberParseException:
        return 0.0


def usual_mail_address(value: str) -> float:
    """One @, a local part, and a domain of real-looking labels under a usual suffix."""
    local, at, domain = value.partition("@")
    labels = domain.split(".")
    usual = all(len(label) >= 2 for label in labels) and domain.endswith(MAIL_SUFFIXES)
    return float(bool(at) and "@" not in domain and len(local) >= 2 and usual)


# Checks of the value itself, per field: a new check is a function and a row here.
CHECKS: Mapping[str, tuple[Check, ...]] = {
    "nomor_surat": (has_year, odd_characters),
    "nomor_permohonan": (has_year, odd_characters),
    "perihal": (unknown_words, all_known_words, cut_short, odd_characters),
    "opd": (unknown_words, all_known_words),
    "penanggung_jawab.nama": (odd_characters,),
    "penanggung_jawab.jabatan": (unknown_words, all_known_words, cut_short, odd_characters),
    "penanggung_jawab.telepon": (valid_telephone,),
    "penanggung_jawab.email": (usual_mail_address,),
}


def well_formed_months(value: str) -> float:
    return float(not has_misread_roman(value))


def names_the_unit(value: str) -> float:
    """More than a kind of office: 'Sekolah Tinggi' alone is a kop read short, not a sender."""
    return float(value.strip().upper() not in UNIT_WORDS)


# A value its field's validator rejects waits for a clerk, whatever else speaks for it: on every
# labelled value so far (generated, scanned and real) these rejected only wrong values.
VALIDATORS: Mapping[str, Check] = {
    "nomor_surat": well_formed_months,
    "opd": names_the_unit,
    "penanggung_jawab.telepon": valid_telephone,
    "penanggung_jawab.email": usual_mail_address,
}
REJECTED_CHANCE = 0.5  # at best even odds


def evidence(name: str, value: FieldValue) -> dict[str, float]:
    """The features the model weighs for one value, by name (absent means 0)."""
    prov = value.provenance
    base, *agreeing = prov.rule.split("+")
    ocr = float(prov.ocr)
    found = {
        f"field:{name}": 1.0,
        f"rule:{base}": 1.0,
        "agreeing": float(len(agreeing)),
        "ocr": ocr,
        "corrected": float(prov.corrected),
        f"field:{name}*ocr": ocr,
    }
    found.update(score_terms(name, ocr, _log_odds(prov.confidence)))
    found.update({f"{name}:{check.__name__}": check(value.value) for check in CHECKS.get(name, ())})
    return found


def score_terms(name: str, ocr: float, score: float) -> dict[str, float]:
    """The features that follow the rule's score (its log-odds)."""
    return {
        "score": score,
        "score*ocr": score * ocr,
        "score²": score * score,  # a score's log-odds do not weigh alike at both ends
        f"field:{name}*score": score,
        f"field:{name}*score²": score * score,
    }


def _log_odds(score: float) -> float:
    low, high = SCORE_CLIP
    clipped = min(max(score, low), high)
    return math.log(clipped / (1.0 - clipped))


@dataclass(frozen=True)
class Model:
    version: int
    intercept: float
    weights: Mapping[str, float]

    def probability(self, features: Mapping[str, float]) -> float:
        return _logistic(self.log_odds(features))

    def log_odds(self, features: Mapping[str, float]) -> float:
        return self.intercept + sum(self.weights.get(k, 0.0) * v for k, v in features.items())


def _logistic(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z))


def monotone_chance(fitted: Model, name: str, value: FieldValue) -> float:
    """The model's chance for `value`, never above its chance for the same value scored
    higher. The score enters the model squared, per field, and the fitted curve turns up again
    below a field's usual scores: the generated scans print hosts so clearly that Tesseract's
    0.2 on one was always right, so a phone photo's subdomain Tesseract gave 0.22 ('sikesdla'
    for sikesda) came out 0.9997 sure. A lower score never makes a value surer: the chance is
    the lowest the model gives at this score or any higher one (the log-odds are a parabola in
    the score: its ends and, when it opens upwards, its lowest point). Measured: 92 right values
    of the recorded generated scans (54 of them subdomains) and one real telephone number now
    wait for a clerk (sure share 75.5 → 73.4 % there); the few sure wrong values there stay."""
    fixed = evidence(name, value)
    ocr = fixed["ocr"]

    def log_odds(score: float) -> float:
        return fitted.log_odds({**fixed, **score_terms(name, ocr, score)})

    own, top = _log_odds(value.provenance.confidence), _log_odds(SCORE_CLIP[1])
    curve = (log_odds(1.0) + log_odds(-1.0)) / 2 - log_odds(0.0)
    slope = (log_odds(1.0) - log_odds(-1.0)) / 2
    scores = [own, top]
    if curve > 0 and own < -slope / (2 * curve) < top:
        scores.append(-slope / (2 * curve))
    return _logistic(min(log_odds(score) for score in scores))


@cache
def model() -> Model:
    raw = resources.files("pipeline").joinpath("data", MODEL_FILE).read_text(encoding="utf-8")
    data = json.loads(raw)
    return Model(int(data["version"]), float(data["intercept"]), dict(data["weights"]))


def known_sender(fields: Mapping[str, FieldValue]) -> bool:
    """The sender was matched to the master list of OPDs (the documents the model knows)."""
    opd = fields.get("opd")
    return opd is not None and bool(opd.value) and opd.provenance.rule != OUTSIDE_SENDER_RULE


def calibrated(extraction: Extraction) -> Extraction:
    """The extraction with each value's confidence the chance that it is right."""
    fitted = model() if known_sender(extraction.fields) else None
    fields = {
        name: replace(value, provenance=replace(value.provenance, confidence=chance))
        for name, value in extraction.fields.items()
        for chance in (chance_of(fitted, name, value),)
    }
    return replace(extraction, fields=fields)


def chance_of(fitted: Model | None, name: str, value: FieldValue) -> float:
    """The chance that `value` is right: the model's (None: the rule's own score rescaled).
    The model's chance; for a value read from a text layer, never above its rule's own
    judgement (there the score is all judgement: an ambiguous column, an inferred name), while
    on a scan the score is mostly Tesseract's noisy word confidence, which the model reweighs."""
    by_rule = chance_from_rule_score(value.provenance.confidence)
    chance = by_rule if fitted is None else monotone_chance(fitted, name, value)
    if fitted is not None and not value.provenance.ocr:
        chance = min(chance, by_rule)
    validator = VALIDATORS.get(name)
    rejected = validator is not None and not validator(value.value)
    return min(chance, REJECTED_CHANCE) if rejected else chance
