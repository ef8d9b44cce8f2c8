"""The inbox stage: claim a file, hash it, archive the original, or fail it with a reason."""

from pipeline.inbox.archive import archive_original, sha256_of
from pipeline.inbox.claim import (
    Claim,
    claim,
    claim_copy,
    fail,
    finish,
    move_into_claim,
    plan_claim,
    stale_claims,
    sweep_dead_folders,
    worker_id,
)
from pipeline.inbox.complete import looks_complete

__all__ = [
    "Claim",
    "archive_original",
    "claim",
    "claim_copy",
    "fail",
    "finish",
    "looks_complete",
    "move_into_claim",
    "plan_claim",
    "sha256_of",
    "stale_claims",
    "sweep_dead_folders",
    "worker_id",
]
