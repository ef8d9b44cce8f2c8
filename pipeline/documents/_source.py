"""Read the Jinja source out of a .docx template and find the variables it uses.

Shared by rendering (pre-flight check for missing variables) and linting. Variables are
reported as dotted paths ("surat.nomor"), found by walking `Getattr` chains in the Jinja AST,
because `jinja2.meta` only knows top-level names.
"""

from __future__ import annotations

import functools
import zipfile
from collections.abc import MutableMapping
from pathlib import Path
from typing import Any

import jinja2
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import parse_xml
from docxtpl import DocxTemplate
from jinja2 import meta, nodes

from pipeline.errors import TemplateError

COMPILED_SOURCES = 32  # XML parts of the templates kept compiled (a few per template)


class _Environment(jinja2.Environment):
    """Compiles each distinct source once: docxtpl hands every render the same XML parts of a
    template, and compiling them cost as much as the rest of a render (about 90 ms of 340)."""

    def from_string(
        self,
        source: str | nodes.Template,
        globals: MutableMapping[str, Any] | None = None,
        template_class: type[jinja2.Template] | None = None,
    ) -> jinja2.Template:
        if globals is not None or template_class is not None or not isinstance(source, str):
            return super().from_string(source, globals, template_class)
        return self._compiled(source)

    @functools.lru_cache(maxsize=COMPILED_SOURCES)  # noqa: B019 - one environment per process
    def _compiled(self, source: str) -> jinja2.Template:
        return super().from_string(source)


class _Template(DocxTemplate):  # type: ignore[misc]  # docxtpl is untyped
    """Cleans each distinct XML part once: docxtpl's patch_xml (a dozen regular expressions
    over the whole part, a pure function of it) took a quarter of every render."""

    def patch_xml(self, src_xml: str) -> str:
        return _patched(src_xml)


@functools.lru_cache(maxsize=COMPILED_SOURCES)
def _patched(src_xml: str) -> str:
    patched: str = DocxTemplate.patch_xml(None, src_xml)
    return patched


@functools.cache
def make_environment() -> jinja2.Environment:
    """The one Jinja environment used for templates: strict about missing values, escaping.
    Shared by every render in the process (jinja2 templates render thread-safely)."""
    return _Environment(undefined=jinja2.StrictUndefined, autoescape=True)


def open_template(template: Path) -> DocxTemplate:
    """Open a .docx template, translating every failure into a `TemplateError`."""
    if not template.is_file():
        raise TemplateError(
            f"Templat {template.name} tidak ditemukan di {template.parent}.",
            hint="Periksa folder templates/ atau pengaturan lokasi templat.",
        )
    if not zipfile.is_zipfile(template):
        raise TemplateError(
            f"Templat {template.name} bukan berkas Word (.docx) yang sah.",
            hint="Simpan ulang templat dari Microsoft Word dalam format .docx.",
        )
    try:
        doc = _Template(template)
        doc.init_docx()
    except Exception as exc:
        raise TemplateError(
            f"Templat {template.name} tidak dapat dibuka: {exc}.",
            hint="Simpan ulang templat dari Microsoft Word dalam format .docx.",
        ) from exc
    return doc


# Core properties docxtpl renders as templates too (see DocxTemplate.render_properties).
_RENDERED_PROPERTIES = ("author", "comments", "identifier", "language", "subject", "title")
_FOOTNOTES = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"


def jinja_source(doc: DocxTemplate) -> str:
    """The Jinja source docxtpl renders: body, headers, footers, footnotes, properties."""
    document = doc.get_docx()
    parts = [doc.patch_xml(doc.xml_to_string(document.element.body))]
    for rel in document.part.rels.values():
        if not rel.is_external and rel.reltype in (RT.HEADER, RT.FOOTER) and rel.target_part.blob:
            parts.append(doc.patch_xml(doc.xml_to_string(parse_xml(rel.target_part.blob))))
    for part in document.part.package.parts:
        if part.content_type == _FOOTNOTES:
            parts.append(doc.patch_xml(doc.xml_to_string(parse_xml(part.blob))))
    properties = document.core_properties
    parts.extend(str(getattr(properties, name) or "") for name in _RENDERED_PROPERTIES)
    return "\n".join(parts)


def parse_source(source: str, env: jinja2.Environment, template_name: str) -> nodes.Template:
    """Parse Jinja source, turning a syntax error into a `TemplateError` a clerk can act on."""
    try:
        return env.parse(source)
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(
            f"Templat {template_name} berisi tanda Jinja yang salah: {exc.message}.",
            hint="Buka templat di Word dan periksa tanda {{ ... }} dan {% ... %} di sekitarnya.",
        ) from exc


def template_variables(template: Path) -> frozenset[str]:
    """Dotted paths of every context variable the template reads."""
    doc = open_template(template)
    env = make_environment()
    return variable_paths(parse_source(jinja_source(doc), env, template.name))


def variable_paths(ast: nodes.Template) -> frozenset[str]:
    """Dotted paths ("a.b.c") of the undeclared variables read anywhere in the AST."""
    roots = meta.find_undeclared_variables(ast)
    found: set[str] = set()
    _walk(ast, roots, found)
    return frozenset(found)


def _walk(node: nodes.Node, roots: set[str], found: set[str]) -> None:
    if isinstance(node, nodes.Call) and isinstance(node.node, nodes.Getattr):
        # A method call such as `surat.perihal.upper()`: the variable is `surat.perihal`.
        children: list[nodes.Node | None] = [
            node.node.node,
            *node.args,
            *node.kwargs,
            node.dyn_args,
            node.dyn_kwargs,
        ]
        for child in children:
            if child is not None:
                _walk(child, roots, found)
        return
    path = _dotted(node)
    if path is not None:
        if path[0] in roots:
            found.add(".".join(path))
        return
    for child in node.iter_child_nodes():
        _walk(child, roots, found)


def _dotted(node: nodes.Node) -> list[str] | None:
    """`a.b["c"]` → ["a", "b", "c"]; None when the node is not such a chain."""
    if isinstance(node, nodes.Name):
        return [node.name] if node.ctx == "load" else None
    if isinstance(node, nodes.Getattr):
        base = _dotted(node.node)
        return None if base is None else [*base, node.attr]
    if (
        isinstance(node, nodes.Getitem)
        and isinstance(node.arg, nodes.Const)
        and isinstance(node.arg.value, str)
    ):
        base = _dotted(node.node)
        return None if base is None else [*base, node.arg.value]
    return None
