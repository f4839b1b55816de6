"""Module-definition (``.def``) files: parse and write.

The grammar is the one LLVM's ``llvm-dlltool`` and ``llvm-lib`` accept
(llvm/lib/Object/COFFModuleDefinition.cpp), itself Microsoft's
(https://learn.microsoft.com/cpp/build/reference/module-definition-dot-def-files)::

    LIBRARY name [BASE=address]      (or NAME, for an executable)
    EXPORTS
        name[=internal] [@ordinal [NONAME]] [DATA] [CONSTANT] [PRIVATE]
                        [==importname] [EXPORTAS exportname]
    ; a comment runs to the end of the line

Keywords are upper case; a name may be quoted (``"name with spaces"``,
across lines too); lines do not matter. Every text LLVM 19 reads is read the
same way (the first LIBRARY wins, ``LIBRARY`` alone names ``.dll``, ``@0`` is
no ordinal, EXPORTAS ends an export, ``==`` takes any name), except where
LLVM silently loses what the text says; those are refused with file:line:

* ``@`` followed by digits that are no ordinal 0..65535 (``@70000``, ``@²``:
  LLVM makes them a next export's name), or ``@`` then a non-number (ignored);
* an unterminated quote (LLVM reads to the end of the file), an empty name,
  a NUL inside a name, ``==``/``EXPORTAS`` followed by ``=``, ``,`` or nothing;
* NONAME without an ordinal (an import of ordinal 0), more than MAX_EXPORTS.

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


#: The most exports a .def may list: a DLL exports at most 65,536 names and 65,536
#: ordinals. Past it a parse fails at once instead of filling memory.
MAX_EXPORTS = 1 << 17
#: The largest .def file read (a list of MAX_EXPORTS names with comments is a few MB).
MAX_DEF_SIZE = 64 << 20


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
# LLVM ends a word at these only (not at a form feed or a quote).
_WORD_END = re.compile(r"[=,;\r\n \t\v]")
_SPACE = " \t\n\v\f\r"  # what LLVM skips between tokens
_NAME_TOKENS = (_Kind.IDENTIFIER, _Kind.KEYWORD)


class _Token(NamedTuple):
    kind: _Kind
    value: str
    line: int

    def describe(self) -> str:
        if self.kind is _Kind.EOF:
            return "end of file"
        return _show(self.value)


def _show(value: str) -> str:
    """A token for an error message: quoted, and cut if it is long."""
    return repr(value if len(value) <= 40 else value[:40] + "...")


# One pattern for every token, tried in order (a compiled regex beats
# walking the text a character at a time by an order of magnitude). As in
# LLVM's lexer: a quoted name runs to the next quote, across lines; a NUL
# where a token starts ends the text.
_TOKEN = re.compile(
    r"""
    (?P<newline>\n)
    | (?P<space>[ \t\r\v\f]+)
    | ;(?P<comment>[^\n]*)
    | (?P<equal_equal>==)
    | (?P<equal>=)
    | (?P<comma>,)
    | "(?P<quoted>[^"]*)"
    | (?P<unterminated>")
    | (?P<nul>\0)
    | (?P<word>[^=,;\r\n \t\v]+)
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
                if "\0" in word:
                    raise _error(line, f"NUL character in {_show(word)}")
                yield _Token(keyword if word in keywords else identifier, word, line)
            elif group == "newline":
                line += 1
            elif group == "space":
                pass
            elif group == "comment":
                self.comments[line] = match.group("comment").strip()
            elif group == "quoted":
                quoted = match.group("quoted")
                if "\0" in quoted:
                    raise _error(line, f"NUL character in {_show(quoted)}")
                yield _Token(identifier, quoted, line)  # never a keyword
                line += quoted.count("\n")
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


def _unsigned(text: str, bits: int) -> int | None:
    """``text`` as LLVM's ``getAsInteger(10)`` reads it: ASCII decimal that fits, or None."""
    if not text.isascii() or not text.isdigit():
        return None
    digits = text.lstrip("0")
    if len(digits) > 20:  # never int() on thousands of digits
        return None
    value = int(digits or "0")
    return value if value < 1 << bits else None


def _has_extension(path: str) -> bool:
    """LLVM's ``sys::path::has_extension`` on a POSIX host (``\\`` is no separator)."""
    base = path.rsplit("/", 1)[-1]
    return "." in base and base not in (".", "..")


class _Parser:
    def __init__(self, text: str) -> None:
        self._lexer = _Lexer(text)
        self._tokens = self._lexer.tokens()
        self._pushed: list[_Token] = []
        self._token = _Token(_Kind.EOF, "", 1)
        self.library: str | None = None
        self.exports: list[Export] = []
        self._exportas_line = 0  # the line of the last export EXPORTAS ended

    def _read(self) -> _Token:
        self._token = self._pushed.pop() if self._pushed else next(self._tokens)
        return self._token

    def _unread(self) -> None:
        self._pushed.append(self._token)

    def _integer(self, what: str, bits: int = 64) -> int:
        token = self._read()
        value = _unsigned(token.value, bits) if token.kind is _Kind.IDENTIFIER else None
        if value is None:
            raise _error(token.line, f"{what} expected, got {token.describe()}")
        return value

    def parse(self) -> None:
        while True:
            token = self._read()
            if token.kind is _Kind.EOF:
                return
            if token.kind is not _Kind.KEYWORD:
                pass  # an unknown directive, below
            elif token.value == "EXPORTS":
                while self._read().kind is _Kind.IDENTIFIER:
                    self._export()
                self._unread()
                continue
            elif token.value in ("LIBRARY", "NAME"):
                self._library(token.value)
                continue
            elif token.value in ("HEAPSIZE", "STACKSIZE"):
                self._integer(f"{token.value} size")
                if self._read().kind is _Kind.COMMA:
                    self._integer(f"{token.value} commit size")
                else:
                    self._unread()
                continue
            elif token.value == "VERSION":
                self._version()
                continue
            if token.line == self._exportas_line and token.kind is _Kind.KEYWORD:
                raise _error(token.line, f"{token.value} after EXPORTAS: EXPORTAS must come last")
            raise _error(
                token.line,
                f"unknown directive {token.describe()} (expected LIBRARY, NAME, EXPORTS, "
                "HEAPSIZE, STACKSIZE or VERSION)",
            )

    def _version(self) -> None:
        token = self._read()
        major, _, minor = token.value.partition(".")
        if (
            token.kind is not _Kind.IDENTIFIER
            or _unsigned(major, 32) is None
            or (minor and _unsigned(minor, 32) is None)
        ):
            raise _error(token.line, f"version expected, got {token.describe()}")

    def _library(self, keyword: str) -> None:
        token = self._read()
        if token.kind is _Kind.IDENTIFIER:
            name = token.value
        else:  # "LIBRARY" alone: LLVM names the DLL ".dll"
            self._unread()
            name = ""
        if self._read().value == "BASE" and self._token.kind is _Kind.KEYWORD:
            if self._read().kind is not _Kind.EQUAL:
                raise _error(
                    self._token.line, f"'=' expected after BASE, got {self._token.describe()}"
                )
            self._integer("base address")
        else:
            self._unread()
        if self.library is None:  # the first LIBRARY or NAME wins, as in LLVM
            if not _has_extension(name):
                name += ".dll" if keyword == "LIBRARY" else ".exe"
            self.library = name

    def _export(self) -> None:
        first = self._token
        if len(self.exports) >= MAX_EXPORTS:
            raise _error(first.line, f"more than {MAX_EXPORTS} exports")
        if not first.value:
            raise _error(first.line, "empty export name")
        fields: dict[str, object] = {"name": first.value}
        if self._read().kind is _Kind.EQUAL:
            internal = self._read()
            if internal.kind is not _Kind.IDENTIFIER or not internal.value:
                raise _error(
                    internal.line, f"internal name expected after '=', got {internal.describe()}"
                )
            fields["internal_name"] = internal.value
        else:
            self._unread()
        ordinal = 0
        while True:
            token = self._read()
            value = token.value
            if token.kind is _Kind.IDENTIFIER and value.startswith("@"):
                if value == "@":  # "@ 5"
                    after = self._read()
                    number = _unsigned(after.value, 16)
                    if after.kind is not _Kind.IDENTIFIER or number is None:
                        if after.kind is _Kind.IDENTIFIER and after.value.isdigit():
                            raise _error(
                                after.line, f"ordinal {after.describe()} is not a number 0..65535"
                            )
                        raise _error(after.line, f"ordinal expected, got {after.describe()}")
                    ordinal = number
                else:
                    number = _unsigned(value[1:], 16)
                    if number is None:
                        if value[1:].isdigit():  # LLVM: silently the name of a next export
                            raise _error(
                                token.line, f"ordinal {_show(value)} is not a number 0..65535"
                            )
                        self._unread()  # "@name@8" after an export: the next (fastcall) one
                        break
                    ordinal = number
                fields["ordinal"] = ordinal
                if self._read().value == "NONAME" and self._token.kind is _Kind.KEYWORD:
                    fields["noname"] = True
                else:
                    self._unread()
            elif token.kind is _Kind.KEYWORD and value in ("DATA", "CONSTANT", "PRIVATE"):
                fields[value.lower()] = True
            elif token.kind is _Kind.EQUAL_EQUAL:
                fields["import_name"] = self._name_after("==")
            elif token.kind is _Kind.KEYWORD and value == "EXPORTAS":
                fields["export_as"] = self._name_after("EXPORTAS")
                self._exportas_line = self._token.line
                break  # EXPORTAS ends an export, as in LLVM
            else:
                self._unread()
                break
        if fields.get("noname") and not ordinal:
            raise _error(first.line, f"{_show(first.value)}: NONAME needs an ordinal 1..65535")
        # The lookahead token has been lexed, so the comments up to it are known.
        fields["comment"] = self._lexer.comments.get(first.line, "")
        self.exports.append(Export(**fields))  # type: ignore[arg-type]

    def _name_after(self, what: str) -> str:
        token = self._read()
        if token.kind not in _NAME_TOKENS or not token.value:  # a keyword is a name here
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
        library=parser.library or "",
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
    try:
        size = os.stat(path).st_size
    except OSError:
        size = 0  # read_text names the problem
    if size > MAX_DEF_SIZE:
        raise DefError(
            f"{os.fspath(path)}: {size} bytes is larger than any .def implib reads "
            f"({MAX_DEF_SIZE >> 20} MiB)"
        )
    return parse_def(read_text(path, DefError), os.fspath(path))


def _quote(name: str, what: str = "name") -> str:
    """``name`` as one token: quoted when LLVM's lexer would split or skip any of it.

    A quote cannot be quoted, but a word may hold one after its first character.
    """
    plain = not (_WORD_END.search(name) or name in _KEYWORDS or name[:1] in _SPACE)
    if name and "\0" not in name and '"' not in name:
        return name if plain else f'"{name}"'
    if name and "\0" not in name and plain and name[0] != '"':
        return name
    problem = "is empty" if not name else "holds NUL" if "\0" in name else "holds a double quote"
    raise DefError(f"cannot write a .def: the {what} {_show(name)} {problem}")


def _read_as_ordinal(name: str) -> bool:
    """Whether a name after another export would be read as its ordinal."""
    return name[:1] == "@" and (name == "@" or name[1:].isdigit())


def _one_line(text: str) -> str:
    return text.replace("\r", " ").replace("\n", " ")


def format_def(definition: ModuleDefinition) -> str:
    """Write ``definition`` as ``.def`` text that :func:`parse_def` reads back exactly.

    Names are quoted where LLVM's lexer would split them; a name like ``@1``,
    which after another export reads as that export's ordinal, starts a new
    ``EXPORTS`` section. Names no ``.def`` can hold (empty, with a double
    quote or a NUL) raise :class:`DefError`.
    """
    lines = [f"; {_one_line(line)}".rstrip() for line in definition.header]
    if definition.library:
        lines.append(f"LIBRARY {_quote(definition.library, 'library name')}")
    lines.append("EXPORTS")
    first = True
    for export in definition.exports:
        name = export.name
        if _read_as_ordinal(name) and not first:
            lines.append("EXPORTS")
        first = False
        text = _quote(name, "export name")
        if export.internal_name:
            text += "=" + _quote(export.internal_name, "internal name")
        parts = [text]
        if export.ordinal:
            if not 0 < export.ordinal <= 0xFFFF:
                raise DefError(f"cannot write a .def: {_show(name)} has ordinal {export.ordinal}")
            parts.append(f"@{export.ordinal}")
            if export.noname:
                parts.append("NONAME")
        elif export.noname:
            raise DefError(f"cannot write a .def: {_show(name)} is NONAME without an ordinal")
        if export.data:
            parts.append("DATA")
        if export.constant:
            parts.append("CONSTANT")
        if export.private:
            parts.append("PRIVATE")
        if export.import_name:
            parts.append("==" + _quote(export.import_name, "import name"))
        if export.export_as:
            parts.append("EXPORTAS " + _quote(export.export_as, "EXPORTAS name"))
        if export.comment:
            parts.append("; " + _one_line(export.comment))
        lines.append("    " + " ".join(parts))
    return "\n".join(lines) + "\n"
