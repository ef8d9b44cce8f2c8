"""Electronic signatures on PDFs: PAdES signing (pyHanko) and checking."""

from pipeline.signing.check import SignatureFacts, check_signatures, load_roots
from pipeline.signing.identity import Official, load_signer, official_of
from pipeline.signing.pades import Stamp, sign_pdf

__all__ = [
    "Official",
    "SignatureFacts",
    "Stamp",
    "check_signatures",
    "load_roots",
    "load_signer",
    "official_of",
    "sign_pdf",
]
