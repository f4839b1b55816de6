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

import os

from ..errors import DefError
from ..records import Record

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator
    from typing import Any, TypeVar

    T = TypeVar("T")

__all__ = [
    "DefError",
    "Export",
    "ModuleDefinition",
    "format_def",
    "parse_def",
    "read_def",
]


class Export(Record):
    """One line of an ``EXPORTS`` section."""

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


class ModuleDefinition(Record):
    """A parsed ``.def`` file: the DLL's name and its exports.

    ``replace(**changes)`` gives a copy with some fields changed (what
    ``dataclasses.replace`` does for a data class; ``copy.replace`` on 3.13+).
    """

    library: str  # the DLL file name, e.g. ``python3.dll`` ("" if none given)
    exports: tuple[Export, ...]
    header: tuple[str, ...] = ()  # the comment lines before the first directive

    def replace(self, **changes: Any) -> ModuleDefinition:
        return self._replace(**changes)  # type: ignore[no-any-return]

    def names(self) -> list[str]:
        return [export.name for export in self.exports]

    def _cached(self, key: str, make: Callable[[ModuleDefinition], T]) -> T:
        """``make(self)``, made once per definition: what the writer reads of the exports,
        which ``implib export`` writes for many targets. Not a field (eq, hash, repr)."""
        memo = self.__dict__
        key = "_cached_" + key
        if key not in memo:
            memo[key] = make(self)
        return memo[key]  # type: ignore[no-any-return]

    def by_name(self) -> dict[str, Export]:
        return {export.name: export for export in self.exports}


#: The most exports a .def may list: a DLL exports at most 65,536 names and 65,536
#: ordinals. Past it a parse fails at once instead of filling memory.
MAX_EXPORTS = 1 << 17
#: The largest .def file read (a list of MAX_EXPORTS names with comments is a few MB).
MAX_DEF_SIZE = 64 << 20

# Token kinds of the full parser.
_EOF = "end of file"
_IDENTIFIER = "name"
_COMMA = "','"
_EQUAL = "'='"
_EQUAL_EQUAL = "'=='"
_KEYWORD = "keyword"

_KEYWORDS = frozenset(
    {
        "BASE", "CONSTANT", "DATA", "EXPORTAS", "EXPORTS", "HEAPSIZE",
        "LIBRARY", "NAME", "NONAME", "PRIVATE", "STACKSIZE", "VERSION",
    }
)  # fmt: skip
# LLVM ends a word at these only (not at a form feed or a quote).
_WORD_END = "=,;\r\n \t\v"
_SPACE = " \t\n\v\f\r"  # what LLVM skips between tokens
_NAME_TOKENS = (_IDENTIFIER, _KEYWORD)


class _Token(Record):
    kind: str
    value: str
    line: int

    def describe(self) -> str:
        if self.kind is _EOF:
            return "end of file"
        return _show(self.value)


_token = _Token


def _show(value: str) -> str:
    """A token for an error message: quoted, and cut if it is long."""
    return repr(value if len(value) <= 40 else value[:40] + "...")


# One pattern for every token, tried in order (a compiled regex beats
# walking the text a character at a time by an order of magnitude). As in
# LLVM's lexer: a quoted name runs to the next quote, across lines; a NUL
# where a token starts ends the text. Compiled on first use: the line scanner
# (parse_def) reads the bundled lists without importing re.
_TOKEN_PATTERN = r"""
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
    """


class _Lexer:
    def __init__(self, text: str, first_line: int = 1) -> None:
        self._text = text
        self._first_line = first_line
        self.comments: dict[int, str] = {}  # line -> comment text

    def tokens(self) -> Iterator[_Token]:
        import re

        line = self._first_line
        token_line = 0  # where the last token started: only its line's comment is looked up
        keywords, identifier, keyword = _KEYWORDS, _IDENTIFIER, _KEYWORD
        for match in re.finditer(_TOKEN_PATTERN, self._text, re.VERBOSE):
            group = match.lastgroup
            if group == "word":
                word = match.group()
                if "\0" in word:
                    raise _error(line, f"NUL character in {_show(word)}")
                token_line = line
                yield _token(keyword if word in keywords else identifier, word, line)
            elif group == "newline":
                line += 1
            elif group == "space":
                pass
            elif group == "comment":
                # A comment line of its own belongs to no export: not kept (a .def
                # of millions of comment lines costs no memory for them).
                if token_line == line:
                    self.comments[line] = match.group("comment").strip()
            elif group == "quoted":
                quoted = match.group("quoted")
                if "\0" in quoted:
                    raise _error(line, f"NUL character in {_show(quoted)}")
                token_line = line
                yield _token(identifier, quoted, line)  # never a keyword
                line += quoted.count("\n")
            elif group == "equal_equal":
                token_line = line
                yield _token(_EQUAL_EQUAL, "==", line)
            elif group == "equal":
                token_line = line
                yield _token(_EQUAL, "=", line)
            elif group == "comma":
                token_line = line
                yield _token(_COMMA, ",", line)
            elif group == "unterminated":
                raise _error(line, "unterminated quoted name")
            else:  # NUL: the end, as LLVM reads it
                break
        yield _token(_EOF, "", line)


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
    """The whole grammar, token by token, from ``first_line`` on (the scanner read the rest)."""

    def __init__(
        self, text: str, first_line: int, library: str | None, exports: list[Export]
    ) -> None:
        self._lexer = _Lexer(text, first_line)
        self._tokens = self._lexer.tokens()
        self._pushed: list[_Token] = []
        self._token = _token(_EOF, "", first_line)
        self.library = library
        self.exports = exports
        self._exportas_line = 0  # the line of the last export EXPORTAS ended

    def _read(self) -> _Token:
        self._token = self._pushed.pop() if self._pushed else next(self._tokens)
        return self._token

    def _unread(self) -> None:
        self._pushed.append(self._token)

    def _integer(self, what: str, bits: int = 64) -> int:
        token = self._read()
        value = _unsigned(token.value, bits) if token.kind is _IDENTIFIER else None
        if value is None:
            raise _error(token.line, f"{what} expected, got {token.describe()}")
        return value

    def parse(self, in_exports: bool) -> None:
        """Read to the end; ``in_exports``: the text starts inside an EXPORTS section."""
        if in_exports:
            self._exports()
        while True:
            token = self._read()
            if token.kind is _EOF:
                return
            if token.kind is not _KEYWORD:
                pass  # an unknown directive, below
            elif token.value == "EXPORTS":
                self._exports()
                continue
            elif token.value in ("LIBRARY", "NAME"):
                self._library(token.value)
                continue
            elif token.value in ("HEAPSIZE", "STACKSIZE"):
                self._integer(f"{token.value} size")
                if self._read().kind is _COMMA:
                    self._integer(f"{token.value} commit size")
                else:
                    self._unread()
                continue
            elif token.value == "VERSION":
                self._version()
                continue
            if token.line == self._exportas_line and token.kind is _KEYWORD:
                raise _error(token.line, f"{token.value} after EXPORTAS: EXPORTAS must come last")
            raise _error(
                token.line,
                f"unknown directive {token.describe()} (expected LIBRARY, NAME, EXPORTS, "
                "HEAPSIZE, STACKSIZE or VERSION)",
            )

    def _exports(self) -> None:
        while self._read().kind is _IDENTIFIER:
            self._export()
        self._unread()

    def _version(self) -> None:
        token = self._read()
        major, _, minor = token.value.partition(".")
        if (
            token.kind is not _IDENTIFIER
            or _unsigned(major, 32) is None
            or (minor and _unsigned(minor, 32) is None)
        ):
            raise _error(token.line, f"version expected, got {token.describe()}")

    def _library(self, keyword: str) -> None:
        token = self._read()
        if token.kind is _IDENTIFIER:
            name = token.value
        else:  # "LIBRARY" alone: LLVM names the DLL ".dll"
            self._unread()
            name = ""
        if self._read().value == "BASE" and self._token.kind is _KEYWORD:
            if self._read().kind is not _EQUAL:
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
        if self._read().kind is _EQUAL:
            internal = self._read()
            if internal.kind is not _IDENTIFIER or not internal.value:
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
            if token.kind is _IDENTIFIER and value.startswith("@"):
                if value == "@":  # "@ 5"
                    after = self._read()
                    number = _unsigned(after.value, 16)
                    if after.kind is not _IDENTIFIER or number is None:
                        if after.kind is _IDENTIFIER and after.value.isdigit():
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
                if self._read().value == "NONAME" and self._token.kind is _KEYWORD:
                    fields["noname"] = True
                else:
                    self._unread()
            elif token.kind is _KEYWORD and value in ("DATA", "CONSTANT", "PRIVATE"):
                fields[value.lower()] = True
            elif token.kind is _EQUAL_EQUAL:
                fields["import_name"] = self._name_after("==")
            elif token.kind is _KEYWORD and value == "EXPORTAS":
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


#: The largest text the line scanner reads (MAX_EXPORTS lines of 64 characters): a larger
#: one is not split into millions of lines; the grammar stops it at MAX_EXPORTS.
_MAX_SCAN_SIZE = MAX_EXPORTS * 64
#: What makes a line's code (before ``;``) one the scanner leaves to the grammar: where
#: str.split() and LLVM's lexer part words differently (form feed, information
#: separators, non-ASCII spaces), quotes, NUL, ``=`` and ``,``.
_UNSCANNED = ("\f", "\x1c", "\x1d", "\x1e", "\x1f", '"', "\0", "=", ",")


def parse_def(text: str, source: str = "<def>") -> ModuleDefinition:
    """Parse the text of a ``.def`` file; ``source`` names it in errors.

    One pass over the lines reads the common shape at C speed: comments,
    ``LIBRARY name``, ``EXPORTS``, ``name`` and ``name DATA``, one to a line
    (where splitting a line at whitespace gives LLVM's tokens). At the first
    line of any other shape, the grammar (_Parser) reads on from the line
    before it (which that line may continue, e.g. with ``@1``) to the end.
    """
    library: str | None = None
    exports: list[Export] = []
    in_exports = False
    # Where the grammar reads on from: the offset, number and state before the last
    # line the scanner read directives or an export from.
    resume: tuple[int, str | None, int, bool] = (1, None, 0, False)
    lines = text.split("\n") if len(text) <= _MAX_SCAN_SIZE else []
    if lines:
        parts = [line.partition(";") for line in lines]  # (code, ";", comment)
        code = "\n".join([part[0] for part in parts])
        # The characters to look for in each line's code: those the text's code holds.
        unscanned = tuple(char for char in _UNSCANNED if char in code)
        careful = bool(unscanned) or not code.isascii()
        append, keywords = exports.append, _KEYWORDS
        before = resume
        for number, (code, _, comment) in enumerate(parts, 1):
            if careful and (not code.isascii() or [char for char in unscanned if char in code]):
                before = resume
                break
            words = code.split()
            if not words:
                continue
            before, resume = resume, (number, library, len(exports), in_exports)
            first = words[0]
            if first in keywords or first[0] == "@":
                if words == ["EXPORTS"]:
                    in_exports = True
                elif first == "LIBRARY" and len(words) == 2 and words[1] not in keywords:
                    if library is None:  # the first wins, as in LLVM
                        name = words[1]
                        library = name if _has_extension(name) else name + ".dll"
                else:
                    break
            elif not in_exports or len(exports) >= MAX_EXPORTS:
                break
            elif len(words) == 1:
                append(Export(first, "", 0, False, False, False, False, "", "", comment.strip()))
            elif len(words) == 2 and words[1] == "DATA":
                append(Export(first, "", 0, False, True, False, False, "", "", comment.strip()))
            else:
                break
        else:
            return _definition(text, library, exports)
        resume = before  # the line that stopped the scan may continue the one before it
    number, library, count, in_exports = resume
    del exports[count:]
    start = sum([len(line) + 1 for line in lines[: number - 1]])
    parser = _Parser(text[start:], number, library, exports)
    try:
        parser.parse(in_exports)
    except _LineError as exc:
        raise DefError(f"{source}:{exc.line}: {exc.message}") from None
    return _definition(text, parser.library, exports)


def _definition(text: str, library: str | None, exports: list[Export]) -> ModuleDefinition:
    return ModuleDefinition(library or "", tuple(exports), _header_comments(_lines(text)) or ())


def _lines(text: str) -> Iterator[str]:
    """``text.splitlines()``, one line at a time: no list of millions of lines."""
    start, end = 0, len(text)
    while start < end:
        stop = text.find("\n", start)
        if stop < 0:
            stop = end
        yield from text[start:stop].splitlines() or [""]
        start = stop + 1


def _header_comments(lines: Iterable[str]) -> tuple[str, ...] | None:
    """The leading comment lines; None if one of ``lines`` holds another line break."""
    header = []
    for line in lines:
        stripped = line.strip()
        if not stripped.startswith(";"):
            break
        if len(line.splitlines()) > 1:
            return None
        header.append(stripped[1:].strip())
    return tuple(header)


def read_def(path: str | os.PathLike[str]) -> ModuleDefinition:
    """Read and parse a ``.def`` file; errors name the path and line.

    A pipe or a device (``/dev/stdin``, ``<(cmd)``) is read up to MAX_DEF_SIZE
    and refused past it, while it is read.
    """
    from ..fileio import read_text, too_large

    try:
        size = os.stat(path).st_size
    except OSError:
        size = 0  # read_text names the problem
    if size > MAX_DEF_SIZE:  # a regular file says its size: no need to read it
        raise DefError(too_large(path, MAX_DEF_SIZE, ".def", size))
    return parse_def(read_text(path, DefError, MAX_DEF_SIZE, ".def"), os.fspath(path))


def _plain(name: str) -> bool:
    """Whether LLVM's lexer reads ``name`` unquoted as one word (no keyword)."""
    if name.isidentifier():  # the common case, at C speed
        return name not in _KEYWORDS
    if not name or name[0] in _SPACE or name in _KEYWORDS:
        return False
    return not any(char in name for char in _WORD_END)


def _quote(name: str, what: str = "name") -> str:
    """``name`` as one token: quoted when LLVM's lexer would split or skip any of it.

    A quote cannot be quoted, but a word may hold one after its first character.
    """
    plain = _plain(name)
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
    keywords = _KEYWORDS
    for export in definition.exports:
        name = export.name
        if _read_as_ordinal(name) and not first:
            lines.append("EXPORTS")
        first = False
        # A line grows by concatenation: this runs for every export of every cache key.
        if name.isidentifier() and name not in keywords:
            line = "    " + name
        else:
            line = "    " + _quote(name, "export name")
        if export.internal_name:
            line += "=" + _quote(export.internal_name, "internal name")
        if export.ordinal:
            if not 0 < export.ordinal <= 0xFFFF:
                raise DefError(f"cannot write a .def: {_show(name)} has ordinal {export.ordinal}")
            line += f" @{export.ordinal}" + (" NONAME" if export.noname else "")
        elif export.noname:
            raise DefError(f"cannot write a .def: {_show(name)} is NONAME without an ordinal")
        if export.data:
            line += " DATA"
        if export.constant:
            line += " CONSTANT"
        if export.private:
            line += " PRIVATE"
        if export.import_name:
            line += " ==" + _quote(export.import_name, "import name")
        if export.export_as:
            line += " EXPORTAS " + _quote(export.export_as, "EXPORTAS name")
        if export.comment:
            line += " ; " + _one_line(export.comment)
        lines.append(line)
    return "\n".join(lines) + "\n"
