"""Reference data shipped with the package: the OPD master list and the 2017 host inventory.

An office may point `daftar_opd` in pipeline.toml at its own copy of the master list.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from importlib import resources
from pathlib import Path


@dataclass(frozen=True)
class Opd:
    nama: str
    singkatan: tuple[str, ...]
    subdomain: str

    @property
    def short(self) -> str:
        """The abbreviation used in folder names and lists (first one, else the name)."""
        return self.singkatan[0] if self.singkatan else self.nama


@dataclass(frozen=True)
class OpdDirectory:
    entries: tuple[Opd, ...]

    def by_name(self, nama: str) -> Opd | None:
        folded = nama.casefold()
        return next((o for o in self.entries if o.nama.casefold() == folded), None)


@dataclass(frozen=True)
class KnownHost:
    host: str
    opd: str
    keterangan: str


def load_opd_directory(path: Path | None = None) -> OpdDirectory:
    text = path.read_text(encoding="utf-8") if path else _package_text("opd-banten.csv")
    rows = csv.DictReader(io.StringIO(text))
    return OpdDirectory(entries=tuple(_opd(row) for row in rows if row.get("nama")))


def _opd(row: dict[str, str]) -> Opd:
    abbreviations = tuple(a.strip() for a in (row.get("singkatan") or "").split(";") if a.strip())
    return Opd(
        nama=row["nama"].strip(),
        singkatan=abbreviations,
        subdomain=(row.get("subdomain") or "").strip().lower(),
    )


def load_known_hosts() -> dict[str, KnownHost]:
    """The province's 2017 inventory (CC BY 3.0, bantenprov/document-management-system)."""
    rows = csv.DictReader(io.StringIO(_package_text("subdomains-bantenprov-2017.csv")))
    hosts: dict[str, KnownHost] = {}
    for row in rows:
        host = (row.get("URL") or "").strip().lower()
        if host:
            hosts[host] = KnownHost(host, row.get("OPD / Lembaga", ""), row.get("Keterangan", ""))
    return hosts


def _package_text(name: str) -> str:
    return resources.files("pipeline").joinpath("data", name).read_text(encoding="utf-8")
