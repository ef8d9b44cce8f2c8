"""Does a file end the way a complete file of its type ends? (A truncated copy does not.)"""

from __future__ import annotations

from pathlib import Path

TAIL = 2048
ENDINGS: tuple[tuple[bytes, bytes], ...] = (
    (b"%PDF-", b"%%EOF"),
    (b"PK\x03\x04", b"PK\x05\x06"),
    (b"\xff\xd8\xff", b"\xff\xd9"),
    (b"\x89PNG", b"IEND"),
)


STRICT_ENDINGS: tuple[tuple[bytes, bytes], ...] = (
    (b"%PDF-", b"%%EOF"),
    (b"\x89PNG", b"IEND\xaeB`\x82"),
)


def looks_complete(path: Path, *, strict: bool = False) -> bool:
    """With `strict`, the file must END with its closing marker (a JPEG, whose thumbnail
    carries an end marker of its own, or a TIFF never passes)."""
    try:
        with path.open("rb") as handle:
            head = handle.read(8)
            size = handle.seek(0, 2)
            handle.seek(max(0, size - TAIL))
            tail = handle.read()
    except OSError:
        return False
    if strict:
        for magic, ending in STRICT_ENDINGS:
            if head.startswith(magic):
                return tail.rstrip().endswith(ending)
        return head.startswith(b"PK\x03\x04") and b"PK\x05\x06" in tail[-1024:]
    for magic, ending in ENDINGS:
        if head.startswith(magic):
            return ending in tail
    return False


def looks_unfinished(path: Path) -> bool:
    """Empty, or of a known type whose closing marker is missing: a copy still arriving
    (a Windows share creates the file first and fills it later) or a truncated one."""
    try:
        with path.open("rb") as handle:
            head = handle.read(8)
    except OSError:
        return False
    if not head:
        return True
    known = any(head.startswith(magic) for magic, _ in ENDINGS)
    return known and not looks_complete(path)
