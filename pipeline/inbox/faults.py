"""Errors that are the machine's fault, not the file's: a full or read-only disk.

A file that met one of these is not unreadable; it stays claimed (or goes back to the inbox)
and is taken again once the machine is fixed, instead of being parked in inbox/failed/.
"""

from __future__ import annotations

import errno

MACHINE_ERRNOS = frozenset({errno.ENOSPC, errno.EROFS, errno.EDQUOT})


def is_machine_fault(exc: BaseException) -> bool:
    """An OSError (or one it was raised from) saying the disk is full or read-only."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, OSError) and current.errno in MACHINE_ERRNOS:
            return True
        current = current.__cause__ or current.__context__
    return False


def machine_fault_text(exc: BaseException) -> str:
    """What a clerk reads when intake pauses for the disk."""
    found: BaseException | None = exc
    while found is not None and not isinstance(found, OSError):
        found = found.__cause__ or found.__context__
    code = found.errno if isinstance(found, OSError) else None
    # shutil.copyfile names the source first and the target (the full disk) second
    name = (found.filename2 or found.filename) if isinstance(found, OSError) else None
    where = f" ({name})" if name else ""
    if code == errno.EROFS:
        return f"Disk hanya-baca (read-only){where}"
    return f"Disk penuh{where}"
