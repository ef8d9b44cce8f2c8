"""Requested subdomains under ``bantenprov.go.id``: clean them, check them, find them in text.

A form asks for ``_____.bantenprov.go.id``; OPDs write a bare label ("simpeg"), a full host
("simpeg.bantenprov.go.id"), a URL ("https://simpeg.bantenprov.go.id/"), and text extraction
adds spaces where a line was wrapped ("tracing- satpolpp"). Names are checked by the host-name
rules of RFC 1123 and every problem is explained in Indonesian for the clerk.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["PARENT_DOMAIN", "SubdomainResult", "find_subdomains", "normalize_subdomain"]

PARENT_DOMAIN = "bantenprov.go.id"
_SUFFIX = "." + PARENT_DOMAIN
_PORTAL = "www." + PARENT_DOMAIN
_MAX_LABEL = 63
_MAX_NAME = 253

_SCHEME_RE = re.compile(r"^[a-z][a-z0-9+.\-]*://", re.IGNORECASE)
_PLACEHOLDER_RE = re.compile(r"^[\s_.…]+")
_SPACE_AT_SEPARATOR_RE = re.compile(r"\s*([.\-])\s*")
_LABEL_CHARS_RE = re.compile(r"[a-z0-9\-]+")
_ALLOWED = "gunakan huruf, angka, atau tanda hubung (-)"
_NOT_UNDER_PARENT = "harus berada di bawah bantenprov.go.id (contoh: simpeg.bantenprov.go.id)"

# A host under bantenprov.go.id in free text. A label may be broken after a hyphen by a line
# wrap ("siskeudes-\ndisketapang"). The look-behind keeps e-mail domains and the tails of
# longer names ("sim_peg") out.
_HOST_IN_TEXT_RE = re.compile(
    r"""
    (?<![\w@.\-])
    (?P<host>
        (?: [a-z0-9] (?: [a-z0-9] | -(?:[ \t]*\r?\n?[ \t]*) )* \. )+
        bantenprov\.go\.id
    )
    (?![\w\-]|\.[a-z0-9])
    """,
    re.IGNORECASE | re.VERBOSE,
)
_WHITESPACE_RE = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class SubdomainResult:
    """``value`` is the lowercase FQDN when valid, else ``None`` with ``problems`` saying why."""

    value: str | None
    problems: tuple[str, ...] = ()


def normalize_subdomain(raw: str) -> SubdomainResult:
    """Clean a requested subdomain and check it; a bare label goes under bantenprov.go.id."""
    name = _clean(raw)
    if not name:
        return SubdomainResult(None, ("Subdomain kosong: nama subdomain belum diisi.",))
    problems = _check(name)
    if problems:
        return SubdomainResult(None, problems)
    fqdn = name if name.endswith(_SUFFIX) else name + _SUFFIX
    if len(fqdn) > _MAX_NAME:
        return SubdomainResult(None, (_bad(name, f"lebih dari {_MAX_NAME} karakter"),))
    return SubdomainResult(fqdn)


def find_subdomains(text: str) -> list[str]:
    """Every ``*.bantenprov.go.id`` host named in ``text``, lowercase, in order, no repeats.

    E-mail addresses, the bare ``bantenprov.go.id`` and the portal ``www.bantenprov.go.id``
    (printed on letterheads) are not hosts asked for. A host is
    returned as written (line-wrap spaces removed); check it with ``normalize_subdomain``.
    """
    hosts: list[str] = []
    for match in _HOST_IN_TEXT_RE.finditer(text):
        if text[: match.start()].rstrip().endswith("@"):
            continue  # "budi @ dinkes.bantenprov.go.id": an e-mail address spaced by OCR
        host = _WHITESPACE_RE.sub("", match.group("host")).lower()
        if host not in hosts and host != _PORTAL:
            hosts.append(host)
    return hosts


def _clean(raw: str) -> str:
    """Strip placeholders, scheme, path, trailing dot and wrap spaces; lowercase."""
    name = _PLACEHOLDER_RE.sub("", raw.strip())
    name = _SCHEME_RE.sub("", name)
    name = name.split("/", 1)[0]
    name = _SPACE_AT_SEPARATOR_RE.sub(r"\1", name.strip())
    return name.lower().removesuffix(".")


def _check(name: str) -> tuple[str, ...]:
    if re.search(r"\s", name):
        return (_bad(name, "tidak boleh mengandung spasi; " + _ALLOWED),)
    if name == PARENT_DOMAIN:
        return (_bad(name, "nama subdomain di depan .bantenprov.go.id belum diisi"),)
    if name.endswith(_SUFFIX):
        labels = name.removesuffix(_SUFFIX).split(".")
    elif "." in name:
        return (_bad(name, _NOT_UNDER_PARENT),)
    else:
        labels = [name]
    problems: list[str] = []
    for label in labels:
        problems.extend(_bad(name, reason) for reason in _label_problems(label))
    return tuple(dict.fromkeys(problems))


def _label_problems(label: str) -> list[str]:
    """Reasons a label breaks RFC 1123, in Indonesian; empty when it is fine."""
    if not label:
        return ["ada bagian kosong (dua titik berurutan atau titik di awal)"]
    reasons: list[str] = []
    if "_" in label:
        reasons.append("garis bawah (_) tidak boleh dipakai; " + _ALLOWED)
    others = sorted({ch for ch in label if not _LABEL_CHARS_RE.fullmatch(ch) and ch != "_"})
    if others:
        shown = " ".join(others)
        reasons.append(f"karakter {shown} tidak boleh dipakai; {_ALLOWED}")
    if len(label) > _MAX_LABEL:
        reasons.append(f"bagian '{label}' lebih dari {_MAX_LABEL} karakter")
    if label.startswith("-") or label.endswith("-"):
        reasons.append("tidak boleh diawali atau diakhiri tanda hubung (-)")
    if label.isdigit():
        reasons.append("tidak boleh hanya berisi angka; tambahkan huruf")
    return reasons


def _bad(name: str, reason: str) -> str:
    return f"Subdomain '{name}' tidak sah: {reason}."
