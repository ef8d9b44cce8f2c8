"""Typer's own words on the command line — help headings, the usage line, type labels and
parse errors — in Bahasa Indonesia.

Typer writes its help pages and its errors in English, with Python's type names (`<int>`,
`<list[Path]>`), and offers no translation hook (0.29 vendors Click without gettext). A clerk
or an official reads those pages, so every piece of that chrome is replaced here, once, before
the command line is parsed: the texts are module constants of `typer.rich_utils`, a usage
prefix, the help option of each command, the type label of each parameter and the message
of each parse error. This is the one module that reaches into Typer's internals;
tests/test_cli_indonesian.py renders each kind of page and fails on any English left.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator
from typing import Any

import typer
from typer import core as typer_core
from typer import rich_utils
from typer._click import exceptions as click_errors  # Typer vendors Click
from typer._click import formatting

HEADINGS: dict[str, str] = {
    "ARGUMENTS_PANEL_TITLE": "Argumen",
    "OPTIONS_PANEL_TITLE": "Opsi",
    "COMMANDS_PANEL_TITLE": "Perintah",
    "ERRORS_PANEL_TITLE": "Galat",
    "REQUIRED_LONG_STRING": "[wajib]",
    "DEFAULT_STRING": "[bawaan: {}]",
    "ENVVAR_STRING": "[variabel lingkungan: {}]",
    "DEPRECATED_STRING": "(usang) ",
    "ABORTED_TEXT": "Dibatalkan.",
}
USAGE_PREFIX = "Cara pakai: "
OPTIONS_METAVAR = "[OPSI]"
SUBCOMMAND_METAVAR = "PERINTAH [ARGUMEN]..."
HELP_OPTION_TEXT = "Tampilkan bantuan ini lalu keluar."
HELP_HINT = "Bantuan: {command} --help"

# Python's type names as a clerk reads them; a flag (bool) shows none.
TYPE_LABELS: dict[str, str | None] = {
    "int": "angka",
    "float": "angka",
    "str": "teks",
    "path": "lokasi",
    "Path": "lokasi",
    "file": "berkas",
    "directory": "folder",
    "datetime": "tanggal",
    "date": "tanggal",
    "bool": None,
}
TYPE_LABEL_RE = re.compile(r"^<(?:list\[)?(\w+)(?: range)?\]?>$")
DATE_FORMATS = {"%Y-%m-%d": "TTTT-BB-HH", "%Y-%m": "TTTT-BB"}

# Parse errors: Typer's and Pydantic's English, first match wins; unknown text stays as is.
PARAMETER_KINDS = {"argument": "Argumen", "option": "Opsi", "parameter": "Parameter"}
MESSAGES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), text)
    for pattern, text in (
        (r"^Input should be a valid integer.*$", "harus berupa bilangan bulat"),
        (r"^Input should be a valid number.*$", "harus berupa angka"),
        (r"^Input should be a valid boolean.*$", "harus ya atau tidak"),
        (r"^Input should be a valid date.*$", "harus berupa tanggal (TTTT-BB-HH)"),
        (r"^Input should be (.+)$", r"harus salah satu dari \1"),
        (r"^Value (.+) is not a valid (\w+)\.?$", r"nilai \1 tidak sah"),
        (r"^No such command '(.+)'\.$", r"Perintah '\1' tidak dikenal."),
        (r"^Missing command\.$", "Perintahnya belum disebut."),
        (r"^Got unexpected extra argument(?:s|\(s\))? \((.+)\)$", r"Argumen berlebih: \1."),
        (r"^Option '(.+)' requires .*$", r"Opsi \1 perlu diberi nilai."),
        (r"^Option '(.+)' does not take a value\.$", r"Opsi \1 tidak menerima nilai."),
        (r"^Argument '(.+)' takes (\d+) values\.$", r"Argumen \1 perlu \2 nilai."),
        (r"^Choose from:\s*(.+)$", r"Pilih salah satu: \1"),
    )
)


def install(command: Any) -> None:
    """Put the Indonesian words in place for `command` (Typer's Click group) and below it."""
    _install_texts()
    for each in _commands(command):
        each.options_metavar = OPTIONS_METAVAR
        if hasattr(each, "subcommand_metavar"):
            each.subcommand_metavar = SUBCOMMAND_METAVAR
        help_option = each.get_help_option(typer.Context(each))
        if help_option is not None:
            help_option.help = HELP_OPTION_TEXT


@functools.cache
def _install_texts() -> None:
    """Typer's module-wide texts, replaced once per process."""
    for name, text in HEADINGS.items():
        setattr(rich_utils, name, text)
    rich_utils.OptionHighlighter.highlights = [
        rf"(?P<usage>{USAGE_PREFIX})" if "?P<usage>" in rule else rule
        for rule in rich_utils.OptionHighlighter.highlights
    ]
    setattr(rich_utils, "rich_format_error", print_error)  # noqa: B010 - a module's function
    formatter = formatting.HelpFormatter
    setattr(formatter, "write_usage", _with_prefix(formatter.write_usage))  # noqa: B010
    parameter = typer_core._TyperParameter
    setattr(parameter, "display_type", _labelled(parameter.display_type))  # noqa: B010


def _commands(command: Any) -> Iterator[Any]:
    yield command
    for child in getattr(command, "commands", {}).values():
        yield from _commands(child)


def _with_prefix(write_usage: Callable[..., None]) -> Callable[..., None]:
    def write(self: Any, prog: str, args: str = "", prefix: str | None = None) -> None:
        write_usage(self, prog, args, USAGE_PREFIX if prefix is None else prefix)

    return write


def _labelled(display_type: Callable[..., str]) -> Callable[..., str | None]:
    def label(self: Any, ctx: Any) -> str | None:
        shown = display_type(self, ctx)
        for code, written in DATE_FORMATS.items():
            shown = shown.replace(code, written)
        match = TYPE_LABEL_RE.match(shown)
        if match is None or match.group(1) not in TYPE_LABELS:
            return shown  # a choice of values: shown as the values to type
        word = TYPE_LABELS[match.group(1)]
        return f"<{word}>" if word else None

    return label


def message_of(error: click_errors.ClickException) -> str:
    """The error in Indonesian, naming the parameter as the help page does."""
    if isinstance(error, click_errors.MissingParameter):
        return _missing(error)
    if isinstance(error, click_errors.NoSuchOption):
        text = f"Opsi {error.option_name} tidak dikenal."
        if error.possibilities:
            text += f" Mungkin maksudnya: {', '.join(sorted(error.possibilities))}."
        return text
    if isinstance(error, click_errors.BadParameter) and _hint(error):
        return f"Nilai {_hint(error)} tidak sah: {translated(error.message)}."
    return translated(error.message)


def _missing(error: click_errors.MissingParameter) -> str:
    kind = error.param_type or (error.param.param_type_name if error.param else "parameter")
    text = " ".join(filter(None, (PARAMETER_KINDS.get(kind, "Parameter"), _hint(error))))
    text += " wajib diisi."
    if error.param is not None:
        extra = error.param.get_missing_message(ctx=error.ctx)
        if extra:
            text += " " + translated(extra)
    return text


def _hint(error: click_errors.BadParameter) -> str:
    if error.param_hint is not None:
        hints = [error.param_hint] if isinstance(error.param_hint, str) else error.param_hint
        return " / ".join(f"'{h}'" for h in hints)
    return error.param.get_error_hint() if error.param is not None else ""


def translated(text: str) -> str:
    for pattern, replacement in MESSAGES:
        if pattern.match(text):
            return pattern.sub(replacement, text).replace("' or '", "' atau '")
    return text


def print_error(error: click_errors.ClickException) -> None:
    """Usage line, the error and where help is, on stderr (Typer's `rich_format_error`)."""
    if isinstance(error, click_errors.NoArgsIsHelpError):
        return  # the help page was shown instead
    ctx = getattr(error, "ctx", None)
    lines = [ctx.get_usage()] if ctx is not None else []
    lines.append(f"Galat: {message_of(error)}")
    if ctx is not None and ctx.command.get_help_option(ctx) is not None:
        lines.append(HELP_HINT.format(command=ctx.command_path))
    typer.echo("\n".join(lines), err=True)
