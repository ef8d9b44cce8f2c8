"""SQL tokens: a tokenizer for MySQL, PostgreSQL and SQL Server scripts, and token helpers."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import NamedTuple

# --- SQL: tokens -----------------------------------------------------------------------------


class _Token(NamedTuple):
    kind: str  # word, number, ident (quoted name), string, symbol, end
    text: str  # as written
    value: str  # unquoted: the name of an ident, the content of a string


_END = _Token("end", "", "")
_SQL_HINT = re.compile(r"\bcreate\s+(?:\w+\s+){0,3}table\b", re.IGNORECASE)
_MYSQL_HINT = re.compile(  # MySQL strings take backslash escapes; standard SQL's do not
    r"\bTABLE\s+(?:IF\s+(?:NOT\s+)?EXISTS\s+)?`|\)\s*ENGINE\s*=", re.IGNORECASE
)
_COPY_DATA = re.compile(  # pg_dump's data blocks are not SQL
    r"^COPY\b[^;]*?\bFROM\s+stdin;[^\n]*\n.*?^\\\.[ \t\r]*$", re.MULTILINE | re.DOTALL
)
_ROUTINES = re.compile(  # MySQL procedures and triggers, written between DELIMITER lines
    r"^[ \t]*DELIMITER[ \t]+(?!;[ \t\r]*$)\S+[^\n]*\n.*?^[ \t]*DELIMITER[ \t]+;[ \t\r]*$",
    re.MULTILINE | re.DOTALL | re.IGNORECASE,
)
_MYSQL_STRING = r"[NnBbXx]?'(?:[^'\\]|\\.|'')*(?:'|\Z)"
_STANDARD_STRING = r"[Ee]'(?:[^'\\]|\\.|'')*(?:'|\Z)|[NnBbXx]?'(?:[^']|'')*(?:'|\Z)"
_DOLLAR_STRING = r"\$(?P<tag>(?:[^\W\d]\w*)?)\$.*?(?:\$(?P=tag)\$|\Z)"  # PostgreSQL
_NEVER = r"(?!)"
_TOKEN_PARTS = (
    r"(?P<go>\n[ \t]*(?i:go)(?:[ \t]+\d+)?[ \t\r]*(?=\n|\Z))",  # SQL Server batch separator
    r"(?P<space>[ \t\r\f\v]+|\n)",
    r"(?P<comment>--[^\n]*|/\*.*?(?:\*/|\Z))",
    r"(?P<string>{string})",
    r"(?P<dollar>{dollar})",
    r"(?P<ident>`(?:[^`]|``)*(?:`|\Z)|\"(?:[^\"]|\"\")*(?:\"|\Z)"
    r"|(?<![\w\])])\[(?!\s*\](?!\]))(?:[^\]]|\]\])*(?:\]|\Z))",  # not PostgreSQL's text[]
    r"(?P<word>[^\W\d][\w$]*|@+\w+|\#{1,2}\w+)",
    r"(?P<number>\d[\w.]*)",
    r"(?P<symbol>::|.)",
)


def _token_pattern(string: str, dollar: str) -> re.Pattern[str]:
    parts = [p.replace("{string}", string).replace("{dollar}", dollar) for p in _TOKEN_PARTS]
    return re.compile("|".join(parts), re.DOTALL)


_MYSQL_TOKEN = _token_pattern(_MYSQL_STRING, _NEVER)
_STANDARD_TOKEN = _token_pattern(_STANDARD_STRING, _DOLLAR_STRING)
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "0": "", "b": "", "Z": ""}


def _tokens(text: str) -> Iterator[_Token]:
    """SQL tokens without whitespace and comments; ``GO`` lines become ``;``."""
    mysql = _MYSQL_HINT.search(text) is not None
    pattern = _MYSQL_TOKEN if mysql else _STANDARD_TOKEN
    text = "\n" + _ROUTINES.sub("", _COPY_DATA.sub("", text))
    position = 0
    while (match := pattern.match(text, position)) is not None and match.end() > position:
        position = match.end()
        kind = match.lastgroup or "symbol"
        if kind not in ("space", "comment"):
            yield _make_token(kind, match.group(), mysql)


def _make_token(kind: str, text: str, mysql: bool) -> _Token:
    if kind == "go":
        return _Token("symbol", ";", ";")
    if kind == "string":
        return _Token("string", text, _unquote_string(text, mysql))
    if kind == "dollar":
        tag = text[: text.index("$", 1) + 1]
        body = text[len(tag) :]
        return _Token("string", text, body.removesuffix(tag) if len(body) >= len(tag) else body)
    if kind == "ident":
        return _Token("ident", text, _unquote_ident(text))
    return _Token(kind, text, text)


def _unquote_string(text: str, mysql: bool) -> str:
    body = text[text.index("'") + 1 :]
    body = body[:-1] if body.endswith("'") else body
    if mysql or text[0] in "Ee":
        return re.sub(r"''|\\(.)", _unescape, body, flags=re.DOTALL)
    return body.replace("''", "'")


def _unescape(match: re.Match[str]) -> str:
    char = match.group(1)
    return "'" if char is None else _ESCAPES.get(char, char)


def _unquote_ident(text: str) -> str:
    close = {"`": "`", '"': '"', "[": "]"}[text[0]]
    body = text[1:-1] if len(text) > 1 and text.endswith(close) else text[1:]
    return body.replace(close * 2, close)


# --- SQL: token helpers ----------------------------------------------------------------------


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


def _at(tokens: Sequence[_Token], index: int) -> _Token:
    return tokens[index] if 0 <= index < len(tokens) else _END


def _kw(token: _Token) -> str:
    return token.text.upper() if token.kind == "word" else ""


def _is(token: _Token, symbol: str) -> bool:
    return token.kind == "symbol" and token.text == symbol


def _nesting(token: _Token) -> int:
    if token.kind != "symbol":
        return 0
    return {"(": 1, ")": -1}.get(token.text, 0)


def _skip(tokens: Sequence[_Token], index: int, words: frozenset[str]) -> int:
    while _kw(_at(tokens, index)) in words:
        index += 1
    return index


def _name(tokens: Sequence[_Token], index: int) -> tuple[tuple[str, ...], int]:
    """A possibly qualified name (``public.users``, ``[dbo].[users]``) and the index after it."""
    parts: list[str] = []
    while _at(tokens, index).kind in ("word", "ident"):
        parts.append(tokens[index].value)
        index += 1
        if not _is(_at(tokens, index), "."):
            break
        index += 1
    return tuple(parts), index


def _close(tokens: Sequence[_Token], index: int) -> int:
    """Index of the ``)`` matching the ``(`` at ``index`` (or the end)."""
    depth = 0
    for position in range(index, len(tokens)):
        depth += _nesting(tokens[position])
        if depth == 0:
            return position
    return len(tokens)


def _inside(tokens: Sequence[_Token], index: int) -> Sequence[_Token]:
    return tokens[index + 1 : _close(tokens, index)]


def _split_commas(tokens: Sequence[_Token]) -> list[Sequence[_Token]]:
    parts: list[Sequence[_Token]] = []
    depth, start = 0, 0
    for position, token in enumerate(tokens):
        depth += _nesting(token)
        if depth == 0 and _is(token, ","):
            parts.append(tokens[start:position])
            start = position + 1
    parts.append(tokens[start:])
    return [p for p in parts if p]


def _render(tokens: Sequence[_Token]) -> str:
    """Tokens back to text, tight around brackets: ``DECIMAL (10, 2)`` → ``DECIMAL(10,2)``."""
    out: list[str] = []
    previous = "("
    for token in tokens:
        tight = token.kind == "symbol" and token.text in "(),.[]"
        if out and not tight and previous not in ("(", ",", ".", "["):
            out.append(" ")
        out.append(token.value if token.kind == "ident" else token.text)
        previous = token.text if token.kind == "symbol" else ""
    return "".join(out)
