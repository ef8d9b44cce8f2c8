"""The English setting names of earlier releases, and their Indonesian names now.

pipeline.toml is read and edited by the office's admin, so every name in it is Bahasa
Indonesia. A workspace written by an earlier release keeps working: its old names (in the file
or as `PIPELINE_<SECTION>__<KEY>` environment variables) are read as the new ones, and each one
used gives a note (shown by `pipeline doctor` and at the start of `pipeline watch`) saying what
to rename. Where a file holds both names, the new one wins.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

ENV_PREFIX = "pipeline_"
ENV_DELIMITER = "__"

# Old section name -> new section name.
RENAMED_SECTIONS: dict[str, str] = {
    "watcher": "pemantau",
    "extraction": "pembacaan",
    "limits": "batas",
}

# New section name -> {old key: new key}; "" is the file's top level.
RENAMED_KEYS: dict[str, dict[str, str]] = {
    "": {"opd_csv": "daftar_opd"},
    "pemantau": {
        "stable_seconds": "stabil_detik",
        "poll_seconds": "jeda_detik",
        "rescan_seconds": "pindai_ulang_detik",
        "folder_quiet_seconds": "folder_tenang_detik",
        "unfinished_seconds": "belum_lengkap_detik",
        "lease_seconds": "masa_klaim_detik",
    },
    "pembacaan": {"review_threshold": "ambang_yakin", "pairing_days": "rentang_pasangan_hari"},
    "batas": {
        "max_bytes": "maks_byte",
        "max_pages": "maks_halaman",
        "max_pixels": "maks_piksel",
        "max_seconds": "maks_detik",
        "max_docx_unpacked_bytes": "maks_byte_terbuka",
        "max_attachments": "maks_lampiran",
    },
    "ocr": {"enabled": "aktif", "workers": "proses", "page_seconds": "batas_detik_halaman"},
    "smtp": {"sender": "pengirim", "username": "pengguna", "password": "kata_sandi"},
    "web": {"max_failed_logins": "maks_gagal_masuk", "lockout_minutes": "lama_kunci_menit"},
    "surel": {
        "username": "pengguna",
        "password": "kata_sandi",
        "password_file": "berkas_kata_sandi",
        "ca_file": "berkas_ca",
        "poll_seconds": "jeda_detik",
        "folder_done": "folder_tercatat",
        "folder_failed": "folder_gagal",
        "timeout_seconds": "batas_detik",
    },
}


def modernised(data: Mapping[str, Any], where: str) -> tuple[dict[str, Any], list[str]]:
    """`data` (a parsed pipeline.toml) with every old name replaced by its new one, and a note
    per old name found."""
    notes: list[str] = []
    result = _renamed_keys(data, "", where, notes)
    old_sections = [key for key in result if key in RENAMED_SECTIONS]
    for key, value in list(result.items()):
        if key not in RENAMED_SECTIONS and isinstance(value, dict):
            result[key] = _renamed_keys(value, key, where, notes)
    for key in old_sections:  # after the new sections, whose own keys win
        section = RENAMED_SECTIONS[key]
        notes.append(_note(where, f"[{key}]", f"[{section}]"))
        value = result.pop(key)
        current = result.get(section)
        shadowed = set(current) if isinstance(current, dict) else set()
        if isinstance(value, dict):
            value = _renamed_keys(value, section, where, notes, written_as=key, shadowed=shadowed)
            for twice in sorted(set(value) & shadowed):  # written under its new name there too
                notes.append(_ignored(where, f"[{key}] {twice}", f"[{section}] {twice}"))
                del value[twice]
        result[section] = (
            merged(value, current)
            if isinstance(value, dict) and isinstance(current, dict)
            else value
            if current is None
            else current
        )
    return result, notes


def modernised_environment(environ: Mapping[str, str]) -> tuple[dict[str, Any], list[str]]:
    """The values of environment variables that use an old name, as a nested dict under the new
    names (the new names are read by the settings object itself), and a note per variable."""
    values: dict[str, Any] = {}
    notes: list[str] = []
    for name, value in environ.items():
        path = _old_env_path(name)
        if path is None:
            continue
        new_name = (ENV_PREFIX + ENV_DELIMITER.join(path)).upper()
        notes.append(_note("lingkungan", name, new_name))
        if len(path) == 1:
            values[path[0]] = value
        else:
            values.setdefault(path[0], {})[path[1]] = value
    return values, notes


def _old_env_path(name: str) -> tuple[str, ...] | None:
    """The new (section, key) path of an environment variable that uses an old name."""
    lowered = name.lower()
    if not lowered.startswith(ENV_PREFIX):
        return None
    parts = lowered[len(ENV_PREFIX) :].split(ENV_DELIMITER)
    if len(parts) == 1:
        new_key = RENAMED_KEYS[""].get(parts[0])
        return None if new_key is None else (new_key,)
    if len(parts) != 2:
        return None
    section = RENAMED_SECTIONS.get(parts[0], parts[0])
    key = RENAMED_KEYS.get(section, {}).get(parts[1], parts[1])
    if (section, key) == (parts[0], parts[1]):
        return None
    return (section, key)


def _renamed_keys(
    table: Mapping[str, Any],
    section: str,
    where: str,
    notes: list[str],
    written_as: str | None = None,
    shadowed: Collection[str] = (),
) -> dict[str, Any]:
    """`table` with its old keys renamed; an old key whose new name is also written (in this
    table, or in `shadowed`: the new section an old section is merged under) is dropped."""
    renames = RENAMED_KEYS.get(section, {})
    old_label = f"[{written_as or section}] " if section else ""
    result = {key: value for key, value in table.items() if key not in renames}
    for old, value in table.items():
        new = renames.get(old)
        if new is None:
            continue
        label = f"[{section}] " if section else ""
        if new in table or new in shadowed:
            notes.append(_ignored(where, f"{old_label}{old}", f"{label}{new}"))
        else:
            notes.append(_note(where, f"{old_label}{old}", f"{label}{new}"))
            result[new] = value
    return result


def merged(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    """`over` laid on `base`, section by section (the environment over the file; a new
    section over the old one merged under it)."""
    result = dict(base)
    for key, value in over.items():
        below = result.get(key)
        if isinstance(value, dict) and isinstance(below, dict):
            result[key] = merged(below, value)
        else:
            result[key] = value
    return result


def _note(where: str, old: str, new: str) -> str:
    return f"{where}: nama lama {old} masih dibaca; ganti dengan {new}"


def _ignored(where: str, old: str, new: str) -> str:
    return f"{where}: nama lama {old} diabaikan karena {new} juga ditulis; hapus yang lama"
