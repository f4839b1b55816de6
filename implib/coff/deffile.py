"""Module-definition (``.def``) files: parse and write.

The grammar is the one LLVM's ``llvm-dlltool`` and ``llvm-lib`` accept
(llvm/lib/Object/COFFModuleDefinition.cpp), itself Microsoft's
(https://learn.microsoft.com/cpp/build/reference/module-definition-dot-def-files)::

    LIBRARY name [BASE=address]      (or NAME, for an executable)
    EXPORTS
        name[=internal] [@ordinal [NONAME]] [DATA] [CONSTANT] [PRIVATE]
                        [==importname] [EXPORTAS exportname]
    ; a comment runs to the end of the line

Keywords are upper case; a name may be quoted (``"name with spaces"``).
The parser keeps each export's trailing comment, which the bundled Python
lists use to record the version an export was added in.
"""

from __future__ import annotations

import dataclasses
import enum
import os
import re
from collections.abc import Iterator
from typing import NamedTuple

from ..errors import DefError
from ..fileio import read_text

__all__ = [
    "DefError",
    "Export",
    "ModuleDefinition",
    "format_def",
    "parse_def",
    "read_def",
]


class Export(NamedTuple):
    """One line of an ``EXPORTS`` section.

    An immutable value like the data classes here, but a NamedTuple: a
    Python DLL lists some 1,500 exports, and a NamedTuple is built several
    times faster than a frozen data class.
    """

    name: str
    internal_name: str = ""  # name=internal: the DLL's own symbol
    ordinal: int = 0  # 0: none given
    noname: bool = False  # exported by ordinal only
    data: bool = False  # a variable: imported through __imp_ only
    constant: bool = False  # the obsolete CONSTANT kind
    private: bool = False  # exported, but left out of import libraries
    import_name: str = ""  # ==name: the name the DLL really exports
    export_as: str = ""  # EXPORTAS name: the name the loader looks up
    comment: str = ""  # the line's trailing ``;`` comment, stripped

    @property
    def kind(self) -> str:
        """``code``, ``data`` or ``const``: what a linker imports."""
        if self.constant:
            return "const"
        return "data" if self.data else "code"


@dataclasses.dataclass(frozen=True)
class ModuleDefinition:
    """A parsed ``.def`` file: the DLL's name and its exports."""

    library: str  # the DLL file name, e.g. "python3.dll" ("" if none given)
    exports: tuple[Export, ...]
    header: tuple[str, ...] = ()  # comment lines before the first directive

    def names(self) -> list[str]:
        return [export.name for export in self.exports]

    def by_name(self) -> dict[str, Export]:
        return {export.name: export for export in self.exports}


class _Kind(enum.Enum):
    EOF = "end of file"
    IDENTIFIER = "name"
    COMMA = "','"
    EQUAL = "'='"
    EQUAL_EQUAL = "'=='"
    KEYWORD = "keyword"


_KEYWORDS = frozenset(
    {
        "BASE", "CONSTANT", "DATA", "EXPORTAS", "EXPORTS", "HEAPSIZE",
        "LIBRARY", "NAME", "NONAME", "PRIVATE", "STACKSIZE", "VERSION",
    }
)  # fmt: skip
_WORD_END = re.compile(r"[=,;\r\n \t\v\f\0]")  # a name with one of these is quoted


class _Token(NamedTuple):
    kind: _Kind
    value: str
    line: int

    def describe(self) -> str:
        if self.kind is _Kind.EOF:
            return "end of file"
        return repr(self.value)


# One pattern for every token, tried in order (a compiled regex beats
# walking the text a character at a time by an order of magnitude).
_TOKEN = re.compile(
    r"""
    (?P<newline>\n)
    | (?P<space>[ \t\r\v\f]+)
    | ;(?P<comment>[^\n]*)
    | (?P<equal_equal>==)
    | (?P<equal>=)
    | (?P<comma>,)
    | "(?P<quoted>[^"\n]*)"
    | (?P<unterminated>")
    | (?P<nul>\0)
    | (?P<word>[^=,;\r\n \t\v\f\0]+)
    """,
    re.VERBOSE,
)


class _Lexer:
    def __init__(self, text: str) -> None:
        self._text = text
        self.comments: dict[int, str] = {}  # line -> comment text

    def tokens(self) -> Iterator[_Token]:
        line = 1
        keywords, identifier, keyword = _KEYWORDS, _Kind.IDENTIFIER, _Kind.KEYWORD
        for match in _TOKEN.finditer(self._text):
            group = match.lastgroup
            if group == "word":
                word = match.group()
                yield _Token(keyword if word in keywords else identifier, word, line)
            elif group == "newline":
                line += 1
            elif group == "space":
                pass
            elif group == "comment":
                self.comments[line] = match.group("comment").strip()
            elif group == "quoted":
                yield _Token(identifier, match.group("quoted"), line)
            elif group == "equal_equal":
                yield _Token(_Kind.EQUAL_EQUAL, "==", line)
            elif group == "equal":
                yield _Token(_Kind.EQUAL, "=", line)
            elif group == "comma":
                yield _Token(_Kind.COMMA, ",", line)
            elif group == "unterminated":
                raise _error(line, "unterminated quoted name")
            else:  # NUL: the end, as LLVM reads it
                break
        yield _Token(_Kind.EOF, "", line)


class _LineError(Exception):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


def _error(line: int, message: str) -> _LineError:
    return _LineError(line, message)


class _Parser:
    def __init__(self, text: str) -> None:
        self._lexer = _Lexer(text)
        self._tokens = self._lexer.tokens()
        self._pushed: list[_Token] = []
        self._token = _Token(_Kind.EOF, "", 1)
        self.library = ""
        self.exports: list[Export] = []

    def _read(self) -> _Token:
        self._token = self._pushed.pop() if self._pushed else next(self._tokens)
        return self._token

    def _unread(self) -> None:
        self._pushed.append(self._token)

    def _integer(self, what: str) -> int:
        token = self._read()
        if token.kind is not _Kind.IDENTIFIER or not token.value.isdigit():
            raise _error(token.line, f"{what} expected, got {token.describe()}")
        return int(token.value)

    def parse(self) -> None:
        while True:
            token = self._read()
            if token.kind is _Kind.EOF:
                return
            if token.value == "EXPORTS":
                while self._read().kind is _Kind.IDENTIFIER:
                    self._export()
                self._unread()
            elif token.value in ("LIBRARY", "NAME"):
                self._library(token.value)
            elif token.value in ("HEAPSIZE", "STACKSIZE"):
                self._integer(f"{token.value} size")
                if self._read().kind is _Kind.COMMA:
                    self._integer(f"{token.value} commit size")
                else:
                    self._unread()
            elif token.value == "VERSION":
                version = self._read()
                if not re.fullmatch(r"\d+(\.\d+)?", version.value):
                    raise _error(version.line, f"version expected, got {version.describe()}")
            else:
                raise _error(
                    token.line,
                    f"unknown directive {token.value!r} (expected LIBRARY, NAME, EXPORTS, "
                    "HEAPSIZE, STACKSIZE or VERSION)",
                )

    def _library(self, keyword: str) -> None:
        token = self._read()
        if token.kind is not _Kind.IDENTIFIER:
            self._unread()
            return
        self.library = token.value
        base = token.value.replace("\\", "/").rsplit("/", 1)[-1]
        if base.rfind(".") <= 0:  # as LLVM: "LIBRARY foo" names foo.dll
            self.library += ".dll" if keyword == "LIBRARY" else ".exe"
        if self._read().value == "BASE":
            if self._read().kind is not _Kind.EQUAL:
                raise _error(
                    self._token.line, f"'=' expected after BASE, got {self._token.describe()}"
                )
            self._integer("base address")
        else:
            self._unread()

    def _export(self) -> None:
        first = self._token
        fields: dict[str, object] = {"name": first.value}
        if self._read().kind is _Kind.EQUAL:
            internal = self._read()
            if internal.kind is not _Kind.IDENTIFIER:
                raise _error(
                    internal.line, f"internal name expected after '=', got {internal.describe()}"
                )
            fields["internal_name"] = internal.value
        else:
            self._unread()
        while True:
            token = self._read()
            if token.kind is _Kind.IDENTIFIER and token.value.startswith("@"):
                if token.value == "@":
                    ordinal = self._integer("ordinal")
                elif token.value[1:].isdigit():
                    ordinal = int(token.value[1:])
                else:  # "@name" on a later line: the next (fastcall) export
                    self._unread()
                    break
                if not 1 <= ordinal <= 0xFFFF:
                    raise _error(token.line, f"ordinal {ordinal} out of range 1..65535")
                fields["ordinal"] = ordinal
                if self._read().value == "NONAME":
                    fields["noname"] = True
                else:
                    self._unread()
            elif token.kind is _Kind.KEYWORD and token.value in ("DATA", "CONSTANT", "PRIVATE"):
                fields[token.value.lower()] = True
            elif token.kind is _Kind.EQUAL_EQUAL:
                fields["import_name"] = self._name_after("==")
            elif token.kind is _Kind.KEYWORD and token.value == "EXPORTAS":
                fields["export_as"] = self._name_after("EXPORTAS")
            else:
                self._unread()
                break
        # The lookahead token has been lexed, so the comments up to it are known.
        fields["comment"] = self._lexer.comments.get(first.line, "")
        export = Export(**fields)  # type: ignore[arg-type]
        if not export.name:
            raise _error(first.line, "empty export name")
        self.exports.append(export)

    def _name_after(self, what: str) -> str:
        token = self._read()
        if token.kind is not _Kind.IDENTIFIER or not token.value:
            raise _error(token.line, f"name expected after {what}, got {token.describe()}")
        return token.value


def parse_def(text: str, source: str = "<def>") -> ModuleDefinition:
    """Parse the text of a ``.def`` file; ``source`` names it in errors."""
    parser = _Parser(text)
    try:
        parser.parse()
    except _LineError as exc:
        raise DefError(f"{source}:{exc.line}: {exc.message}") from None
    return ModuleDefinition(
        library=parser.library,
        exports=tuple(parser.exports),
        header=tuple(_header_comments(text)),
    )


def _header_comments(text: str) -> Iterator[str]:
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped.startswith(";"):
            return
        yield stripped[1:].strip()


def read_def(path: str | os.PathLike[str]) -> ModuleDefinition:
    """Read and parse a ``.def`` file; errors name the path and line."""
    return parse_def(read_text(path, DefError), os.fspath(path))


def _quote(name: str) -> str:
    if not name or _WORD_END.search(name) or name in _KEYWORDS or '"' in name:
        if '"' in name:
            raise ValueError(f"a .def name cannot hold a double quote: {name!r}")
        return f'"{name}"'
    return name


def format_def(definition: ModuleDefinition) -> str:
    """Write ``definition`` as ``.def`` text that :func:`parse_def` reads back."""
    lines = [f"; {line}".rstrip() for line in definition.header]
    if definition.library:
        lines.append(f"LIBRARY {_quote(definition.library)}")
    lines.append("EXPORTS")
    for export in definition.exports:
        parts = [_quote(export.name)]
        if export.internal_name:
            parts[0] += "=" + _quote(export.internal_name)
        if export.ordinal:
            parts.append(f"@{export.ordinal}")
            if export.noname:
                parts.append("NONAME")
        for flag in ("data", "constant", "private"):
            if getattr(export, flag):
                parts.append(flag.upper())
        if export.import_name:
            parts.append("==" + _quote(export.import_name))
        if export.export_as:
            parts.append("EXPORTAS " + _quote(export.export_as))
        if export.comment:
            parts.append("; " + export.comment)
        lines.append("    " + " ".join(parts))
    return "\n".join(lines) + "\n"
