"""The inbox stage: claim a file, hash it, archive the original, or fail it with a reason."""

from pipeline.inbox.archive import archive_original, sha256_of
from pipeline.inbox.claim import Claim, claim, claim_copy, fail, finish, stale_claims
from pipeline.inbox.complete import looks_complete

__all__ = [
    "Claim",
    "archive_original",
    "claim",
    "claim_copy",
    "fail",
    "finish",
    "looks_complete",
    "sha256_of",
    "stale_claims",
]
