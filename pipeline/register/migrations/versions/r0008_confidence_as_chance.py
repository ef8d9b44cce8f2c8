"""Each value's stored confidence becomes the chance that it is right.

Until this release a value's confidence was its rule's score, and the review line was 0.85; now
it is a calibrated chance and the line is 0.99 (pipeline.extract.confidence). A register keeps
the confidence of every value it holds in `requests.provenance`; left as they were, values a
clerk saw as sure yesterday would all wait for review today. This revision puts each stored
score on the new scale with the same monotone map the extractor uses for letters it has no
model for (0.85 goes to 0.99), so what was sure stays sure and what was flagged stays flagged.

A register made before registers carried versions is recognised past this revision (nothing
in its tables tells an old score from a chance); such registers predate the release of 27
November 2026 and hold no scores a clerk relies on.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | Sequence[str] | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TITLE = "3 Desember 2026: keyakinan isian menjadi peluang benar"

# The scales as they were on the day of this revision (a revision does not follow later code).
OLD_LINE = 0.85
NEW_LINE = 0.99

requests = sa.Table(
    "requests",
    sa.MetaData(),
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("provenance", sa.JSON, nullable=False),
)


def present(inspector: sa.Inspector) -> bool:
    return True  # a change of data, not of tables: see the module's note


def to_chance(score: float) -> float:
    if score < OLD_LINE:
        return score / OLD_LINE * NEW_LINE
    return NEW_LINE + (score - OLD_LINE) / (1.0 - OLD_LINE) * (1.0 - NEW_LINE)


def to_score(chance: float) -> float:
    if chance < NEW_LINE:
        return chance / NEW_LINE * OLD_LINE
    return OLD_LINE + (chance - NEW_LINE) / (1.0 - NEW_LINE) * (1.0 - OLD_LINE)


def rescaled(provenance: dict[str, Any], scale: Callable[[float], float]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, source in provenance.items():
        if isinstance(source, dict) and isinstance(source.get("confidence"), int | float):
            value = min(1.0, max(0.0, float(source["confidence"])))
            source = {**source, "confidence": round(scale(value), 4)}
        out[name] = source
    return out


def _rescale_all(scale: Callable[[float], float]) -> None:
    connection = op.get_bind()
    rows = connection.execute(sa.select(requests.c.id, requests.c.provenance)).all()
    for row_id, provenance in rows:
        if not isinstance(provenance, dict) or not provenance:
            continue
        new = rescaled(provenance, scale)
        if new != provenance:
            connection.execute(
                requests.update().where(requests.c.id == row_id).values(provenance=new)
            )


def upgrade() -> None:
    _rescale_all(to_chance)


def downgrade() -> None:
    _rescale_all(to_score)
