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


def looks_complete(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            head = handle.read(8)
            size = handle.seek(0, 2)
            handle.seek(max(0, size - TAIL))
            tail = handle.read()
    except OSError:
        return False
    for magic, ending in ENDINGS:
        if head.startswith(magic):
            return ending in tail
    return False
