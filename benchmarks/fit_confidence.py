"""Fit the confidence model (pipeline/data/confidence-model.json) with scikit-learn.

Examples: every value the rules give on the generated digital corpus, the recorded OCR of the
generated scans and the tuning part of ../shared/real (benchmarks.confidence_data), each with
its evidence (pipeline.extract.confidence.evidence) and whether it was right. Only documents
whose sender is on the master list are fitted on: the model is used only there.

Before writing, a grouped cross-validation (no document in both halves) reports, per source, how
many values would be given as sure (chance ≥ SURE_CHANCE, decided as at run time: the model,
its ceiling on text layers and the validators) and how many of those were wrong.

    .venv/bin/python -m benchmarks.fit_confidence [--dry-run]
"""

from __future__ import annotations

import datetime
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.feature_extraction import DictVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold

from benchmarks.confidence_data import Example, examples
from pipeline.extract.confidence import MODEL_FILE, Model, chance_of, evidence
from pipeline.fields import SURE_CHANCE

TARGET = Path(__file__).resolve().parent.parent / "pipeline" / "data" / MODEL_FILE
REGULARISATION_C = 100.0
REAL_WEIGHT = 3.0  # a real letter counts for three generated ones
FOLDS = 5


def _design(rows: Sequence[Example]) -> tuple[list[dict[str, float]], Any, Any, list[str]]:
    features = [evidence(r.field, r.raw) for r in rows]
    right = np.array([r.right for r in rows])
    weight = np.array([REAL_WEIGHT if r.source == "real" else 1.0 for r in rows])
    groups = [f"{r.source}/{r.document}" for r in rows]
    return features, right, weight, groups


def _fitted(features: list[dict[str, float]], right: Any, weight: Any) -> Model:
    vectors = DictVectorizer(sparse=False)
    matrix = vectors.fit_transform(features)
    regression = LogisticRegression(C=REGULARISATION_C, max_iter=10000)
    regression.fit(matrix, right, sample_weight=weight)
    weights = dict(zip(vectors.get_feature_names_out(), regression.coef_[0], strict=True))
    return Model(0, float(regression.intercept_[0]), {k: float(v) for k, v in weights.items()})


def cross_validated(rows: Sequence[Example]) -> list[str]:
    features, right, weight, groups = _design(rows)
    chance = np.zeros(len(rows))
    for train, test in GroupKFold(FOLDS).split(features, right, groups):
        fold = _fitted([features[i] for i in train], right[train], weight[train])
        for i in test:  # as pipeline.extract.confidence decides at run time
            chance[i] = chance_of(fold, rows[i].field, rows[i].raw)
    out = []
    for source in sorted({r.source for r in rows}):
        mine = [i for i, r in enumerate(rows) if r.source == source]
        sure = [i for i in mine if chance[i] >= SURE_CHANCE]
        wrong = sum(not rows[i].right for i in sure)
        out.append(
            f"  {source}: sure {len(sure)} of {len(mine)} ({len(sure) / len(mine):.0%}), "
            f"{wrong} wrong ({wrong / max(1, len(sure)):.2%})"
        )
    return out


def model_data(rows: Sequence[Example], version: int) -> dict[str, Any]:
    features, right, weight, _ = _design(rows)
    fitted = _fitted(features, right, weight)
    return {
        "version": version,
        "fitted": datetime.date.today().isoformat(),
        "examples": {s: sum(r.source == s for r in rows) for s in sorted({r.source for r in rows})},
        "regularisation_c": REGULARISATION_C,
        "real_weight": REAL_WEIGHT,
        "intercept": round(fitted.intercept, 6),
        "weights": {k: round(v, 6) for k, v in sorted(fitted.weights.items()) if abs(v) > 1e-9},
    }


def main(argv: list[str]) -> int:
    rows = [r for r in examples() if r.known_sender]
    print(f"{len(rows)} values from documents of senders on the master list")
    print(f"cross-validated ({FOLDS} folds by document), sure at chance ≥ {SURE_CHANCE}:")
    print("\n".join(cross_validated(rows)))
    if "--dry-run" in argv:
        return 0
    before = json.loads(TARGET.read_text(encoding="utf-8")) if TARGET.exists() else {}
    version = int(before.get("version", 0)) + 1
    TARGET.write_text(json.dumps(model_data(rows, version), indent=1) + "\n", encoding="utf-8")
    print(f"written {TARGET.relative_to(Path.cwd())} (version {version})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
