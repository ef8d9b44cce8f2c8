"""Render a .docx template with docxtpl: strict variables, escaped values, atomic output."""

from __future__ import annotations

import contextlib
import io
import os
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
import segno
from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage

from pipeline.documents._source import (
    jinja_source,
    make_environment,
    open_template,
    parse_source,
    variable_paths,
)
from pipeline.errors import PipelineError, TemplateError

# Characters XML 1.0 forbids (docx would not open) plus \a and \f, which docxtpl would turn
# into a new paragraph or a page break. Text extracted from PDFs often carries them.
_FORBIDDEN_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_MISSING = object()
# Variables per template version (path, mtime, size): parsing the Jinja source costs as much
# as rendering, and a batch renders the same template many times.
_PATHS: dict[tuple[str, int, int], frozenset[str]] = {}


def _cached_paths(path: str, mtime_ns: int, size: int) -> frozenset[str] | None:
    return _PATHS.get((path, mtime_ns, size))


def render_docx(template: Path, context: Mapping[str, Any], out: Path) -> Path:
    """Render `template` with `context` into `out` (written atomically) and return `out`.

    Raises `TemplateError` when the template cannot be read or rendered, or uses a variable
    the context lacks; `PipelineError` when the output cannot be written.
    """
    doc = open_template(template)
    env = make_environment()
    _require_variables(template, doc, env, context)
    data = _render_bytes(doc, env, template.name, _with_images(doc, _clean(context)))
    _write_atomically(data, out)
    return out


def _require_variables(
    template: Path, doc: DocxTemplate, env: jinja2.Environment, context: Mapping[str, Any]
) -> None:
    """Fail before rendering, naming every variable the template needs and the context lacks."""
    name = template.name
    stat = template.stat()
    paths = _cached_paths(str(template), stat.st_mtime_ns, stat.st_size)
    if paths is None:
        paths = variable_paths(parse_source(jinja_source(doc), env, name))
        _PATHS[(str(template), stat.st_mtime_ns, stat.st_size)] = paths
    missing = sorted(path for path in paths if _lookup(context, path) is _MISSING)
    if missing:
        raise TemplateError(
            f"Templat {name} memakai variabel yang tidak ada dalam data: {', '.join(missing)}.",
            hint="Lengkapi data tersebut, atau perbaiki templatnya lalu jalankan "
            "`pipeline templates check`.",
        )


def _lookup(context: Mapping[str, Any], path: str) -> Any:
    """Follow a dotted path the way Jinja does (key, then attribute); `_MISSING` if absent."""
    value: Any = context
    for part in path.split("."):
        if isinstance(value, Mapping) and part in value:
            value = value[part]
        elif not isinstance(value, Mapping) and hasattr(value, part):
            value = getattr(value, part)
        else:
            return _MISSING
    return value


@dataclass(frozen=True)
class QrCode:
    """A QR code to place in a document (the template writes `{{ dokumen.qr }}`)."""

    payload: str
    width_mm: float = 16.0

    def png(self) -> bytes:
        buffer = io.BytesIO()
        segno.make(self.payload, error="m").save(buffer, kind="png", scale=8, border=2)
        return buffer.getvalue()


def _with_images(doc: DocxTemplate, value: Any) -> Any:
    """QR codes become docxtpl images bound to this document."""
    if isinstance(value, QrCode):
        return InlineImage(doc, io.BytesIO(value.png()), width=Mm(value.width_mm))
    if isinstance(value, Mapping):
        return {key: _with_images(doc, item) for key, item in value.items()}
    if isinstance(value, list):
        return [_with_images(doc, item) for item in value]
    return value


def _clean(value: Any) -> Any:
    """Copy of the context with characters a .docx cannot hold removed from every string."""
    if isinstance(value, str):
        return _FORBIDDEN_CHARS.sub("", value)
    if isinstance(value, Mapping):
        return {key: _clean(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(item) for item in value]
    return value


def _render_bytes(
    doc: DocxTemplate, env: jinja2.Environment, name: str, context: Mapping[str, Any]
) -> bytes:
    buffer = io.BytesIO()
    try:
        doc.render(dict(context), jinja_env=env, autoescape=True)
        doc.save(buffer)
    except jinja2.UndefinedError as exc:
        raise TemplateError(
            f"Templat {name} memakai variabel yang tidak ada dalam data ({exc.message}).",
            hint="Lengkapi data tersebut, atau perbaiki templatnya lalu jalankan "
            "`pipeline templates check`.",
        ) from exc
    except jinja2.TemplateError as exc:
        raise TemplateError(
            f"Templat {name} gagal diisi: {exc.message}.",
            hint="Buka templat di Word dan periksa tanda {{ ... }} dan {% ... %}.",
        ) from exc
    except Exception as exc:
        raise TemplateError(
            f"Templat {name} gagal diisi: {type(exc).__name__}: {exc}.",
            hint="Periksa templat di Word; bila masalah berlanjut, laporkan ke pengelola sistem.",
        ) from exc
    return buffer.getvalue()


def _write_atomically(data: bytes, out: Path) -> None:
    """Write to `<name>.tmp-<random>` beside `out`, fsync, then rename into place.

    On any failure the temporary file is removed and an existing `out` is left untouched.
    """
    tmp = out.with_name(f"{out.name}.tmp-{secrets.token_hex(4)}")
    created = False
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        with tmp.open("xb") as handle:
            created = True
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, out)
    except BaseException as exc:
        if created:
            with contextlib.suppress(OSError):
                tmp.unlink()
        if isinstance(exc, OSError):
            raise PipelineError(
                f"Dokumen {out.name} tidak dapat disimpan di {out.parent}: {exc.strerror or exc}.",
                hint="Periksa bahwa folder tersebut dapat ditulisi dan berkasnya tidak sedang "
                "dibuka di Word.",
            ) from exc
        raise
    _fsync_directory(out.parent)


def _fsync_directory(folder: Path) -> None:
    """Make the rename durable where the platform allows it (not on Windows or some shares)."""
    if os.name != "posix":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        with contextlib.suppress(OSError):
            os.fsync(fd)
    finally:
        os.close(fd)
