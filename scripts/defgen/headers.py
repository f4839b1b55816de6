"""What CPython's headers declare as exported: ``PyAPI_FUNC`` and ``PyAPI_DATA``, evaluated for Windows.

Every name python3X.dll exports is declared in a header with ``PyAPI_FUNC``
(code) or ``PyAPI_DATA`` (data): on Windows those macros expand to
``__declspec(dllexport)`` while the DLL is built. The declarations sit under
preprocessor conditions (``#ifdef MS_WINDOWS``, ``#ifdef HAVE_FORK``,
``#ifdef Py_GIL_DISABLED``, ``#ifndef Py_LIMITED_API``, ...), so this module
reads the headers as the preprocessor would for an official Windows build
(:data:`WINDOWS`, the free-threaded one adding ``Py_GIL_DISABLED``):
``#if``/``#elif``/``#else`` evaluated, ``#include "..."`` followed, and
object-like ``#define``/``#undef`` applied (3.14's pythonrun.h defines
USE_STACKCHECK for WIN32; pycore_pymath.h computes _PY_SHORT_FLOAT_REPR).

It is a reader of declarations, not a C preprocessor: system headers are
not read, function-like macros are only "defined", and names are not
macro-expanded. That is enough for its one use, :mod:`.predict`: the
*change* in declarations between two releases, where what a plain reading
gets wrong cancels out. A declarator's syntax decides the kind: a function
declared with ``PyAPI_DATA`` (3.13's ``_PyLong_Frexp``) is code.
"""

from __future__ import annotations

import dataclasses
import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Literal

from implib.errors import ImplibError

__all__ = [
    "WINDOWS",
    "Declaration",
    "HeaderError",
    "HeaderScan",
    "evaluate",
    "scan_headers",
    "windows_macros",
]


class HeaderError(ImplibError, ValueError):
    """A header whose ``#if`` structure cannot be read; the message names file:line."""


#: The macros an official Windows build of CPython defines, as far as the
#: conditions around PyAPI declarations ask (PC/pyconfig.h, PCbuild's props).
#: Anything not named here is undefined, as in the C preprocessor. Decided
#: against the real DLLs by the tests (tests/scripts/test_predict.py):
#: _Py_JIT and _Py_TIER2 are on from 3.14 in the GIL build (the official
#: Windows binaries ship the experimental JIT; 3.13's and the free-threaded
#: ones do not); HAVE_FORK, Py_DEBUG, Py_REF_DEBUG, Py_STATS and
#: Py_TRACE_REFS are off (a release build). USE_STACKCHECK is the headers'.
WINDOWS: Mapping[str, int] = {
    "MS_WINDOWS": 1,
    "MS_WIN32": 1,
    "MS_WIN64": 1,
    "_WIN32": 1,
    "_WIN64": 1,
    "WIN32": 1,
    "_MSC_VER": 1940,
    "NDEBUG": 1,
    "Py_BUILD_CORE": 1,
    "Py_BUILD_CORE_BUILTIN": 1,
    "Py_ENABLE_SHARED": 1,
    "HAVE_DECLSPEC_DLL": 1,
    "WITH_PYMALLOC": 1,
    "HAVE_WCHAR_H": 1,
    "SIZEOF_VOID_P": 8,
    "SIZEOF_SIZE_T": 8,
    "SIZEOF_LONG": 4,
    "SIZEOF_INT": 4,
    "SIZEOF_WCHAR_T": 2,
    "DOUBLE_IS_LITTLE_ENDIAN_IEEE754": 1,
    "HAVE_WINDOWS_CONSOLE_IO": 1,
}

#: Macros of the GIL build only, from a release on (see :data:`WINDOWS`):
#: the JIT, which the free-threaded build leaves out.
_GIL_FROM_RELEASE: Mapping[str, tuple[int, int]] = {"_Py_JIT": (3, 14), "_Py_TIER2": (3, 14)}


def windows_macros(version: tuple[int, int], *, freethreaded: bool = False) -> dict[str, int]:
    """The macros of the official Windows build of CPython ``version`` (``t``: free-threaded)."""
    macros = dict(WINDOWS)
    if freethreaded:
        macros["Py_GIL_DISABLED"] = 1
    else:
        macros.update({name: 1 for name, since in _GIL_FROM_RELEASE.items() if version >= since})
    return macros


@dataclasses.dataclass(frozen=True)
class Declaration:
    """One ``PyAPI_FUNC``/``PyAPI_DATA`` declaration that holds on Windows."""

    name: str
    kind: Literal["code", "data"]
    path: str  # relative to the include folder, with /
    line: int

    @property
    def where(self) -> str:
        return f"{self.path}:{self.line}"


# -- #if expressions ---------------------------------------------------------

_TOKEN = re.compile(
    r"\s*(?:(?P<number>0[xX][0-9a-fA-F]+|\d+)[uUlL]*|(?P<name>[A-Za-z_]\w*)"
    r"|(?P<op>&&|\|\||==|!=|<=|>=|<<|>>|[-+*/%<>!()~,?:&|^]))"
)


def _tokens(text: str, where: str) -> list[str]:
    tokens, position = [], 0
    text = text.rstrip()
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None:
            raise HeaderError(f"{where}: cannot read #if expression {text!r}")
        token = match.group("number") or match.group("name") or match.group("op")
        if match.group("number"):
            token = str(int(token, 0))
        tokens.append(token)
        position = match.end()
    return tokens


class _Expression:
    """A recursive-descent evaluator of one ``#if`` expression (C precedence).

    Identifiers are the configuration's values or 0; an unknown
    function-like macro, e.g. ``_Py_PACK_VERSION(3, 15)``, is 0 too unless
    it is known below. ``&&``, ``||`` and ``?:`` short-circuit, as in C.
    """

    _BINARY = (
        ("||",),
        ("&&",),
        ("|",),
        ("^",),
        ("&",),
        ("==", "!="),
        ("<", ">", "<=", ">="),
        ("<<", ">>"),
        ("+", "-"),
        ("*", "/", "%"),
    )

    def __init__(self, tokens: list[str], reader: _Reader, where: str, depth: int = 0) -> None:
        self.tokens, self.reader, self.where, self.depth = tokens, reader, where, depth
        self.index = 0

    def _peek(self) -> str:
        return self.tokens[self.index] if self.index < len(self.tokens) else ""

    def _take(self, expected: str | None = None) -> str:
        token = self._peek()
        if not token or (expected is not None and token != expected):
            wanted = f"{expected!r}" if expected else "more"
            raise HeaderError(f"{self.where}: expected {wanted} in #if {' '.join(self.tokens)}")
        self.index += 1
        return token

    def value(self) -> int:
        result = self._conditional()
        if self._peek():
            raise HeaderError(f"{self.where}: unexpected {self._peek()!r} in #if")
        return result

    def _conditional(self) -> int:
        test = self._binary(0)
        if self._peek() != "?":
            return test
        self._take("?")
        then = self._conditional()
        self._take(":")
        otherwise = self._conditional()
        return then if test else otherwise

    def _binary(self, level: int) -> int:
        if level == len(self._BINARY):
            return self._unary()
        left = self._binary(level + 1)
        while self._peek() in self._BINARY[level]:
            op = self._take()
            right = self._binary(level + 1)
            left = _apply(op, left, right)
        return left

    def _unary(self) -> int:
        token = self._take()
        if token == "!":
            return int(not self._unary())
        if token == "-":
            return -self._unary()
        if token == "+":
            return self._unary()
        if token == "~":
            return ~self._unary()
        if token == "(":
            result = self._conditional()
            self._take(")")
            return result
        if token == "defined":
            parenthesised = self._peek() == "("
            if parenthesised:
                self._take("(")
            name = self._take()
            if parenthesised:
                self._take(")")
            return int(name in self.reader.macros)
        if token.lstrip("-").isdigit():
            return int(token)
        if re.fullmatch(r"[A-Za-z_]\w*", token):
            if self._peek() == "(":
                return self._call(token)
            value = self.reader.value(token, self.depth)
            return 0 if value is None else value
        raise HeaderError(f"{self.where}: unexpected {token!r} in #if")

    def _call(self, name: str) -> int:
        self._take("(")
        arguments = [self._conditional()]
        while self._peek() == ",":
            self._take(",")
            arguments.append(self._conditional())
        self._take(")")
        if name == "_Py_PACK_VERSION" and len(arguments) == 2:  # pymacro.h, 3.14+
            return (arguments[0] << 24) | (arguments[1] << 16)
        return 0  # __has_attribute(...), __GNUC_PREREQ(...): not MSVC's


def _apply(op: str, left: int, right: int) -> int:
    if op == "||":
        return int(bool(left) or bool(right))
    if op == "&&":
        return int(bool(left) and bool(right))
    if op in ("/", "%") and right == 0:
        return 0
    operations = {
        "|": lambda: left | right, "^": lambda: left ^ right, "&": lambda: left & right,
        "==": lambda: int(left == right), "!=": lambda: int(left != right),
        "<": lambda: int(left < right), ">": lambda: int(left > right),
        "<=": lambda: int(left <= right), ">=": lambda: int(left >= right),
        "<<": lambda: left << right, ">>": lambda: left >> right,
        "+": lambda: left + right, "-": lambda: left - right, "*": lambda: left * right,
        "/": lambda: int(left / right), "%": lambda: left % right,
    }  # fmt: skip
    return operations[op]()


def evaluate(expression: str, macros: Mapping[str, int], where: str = "<#if>") -> bool:
    """Whether a ``#if`` expression holds with ``macros`` defined (all else undefined)."""
    return _Reader(Path(), macros).holds(expression, where)


# -- headers -----------------------------------------------------------------

_COMMENT = re.compile(r"/\*.*?\*/|//[^\n]*", re.S)
_DIRECTIVE = re.compile(r"\s*#\s*(\w*)\s*(.*)")
_API = re.compile(r"\bPyAPI_(?:FUNC|DATA)\s*\(")
_DEFINE = re.compile(r"([A-Za-z_]\w*)(\()?\s*(.*)")
_INCLUDE = re.compile(r'"([^"]+)"')
#: Words a declarator can hold before the declared name.
_NOT_NAMES = {"const", "volatile", "restrict", "_Py_NO_RETURN", "Py_ALWAYS_INLINE"}
#: Attribute macros, with their parenthesised arguments.
_ATTRIBUTES = {"Py_GCC_ATTRIBUTE", "__attribute__", "__declspec", "_Py_NO_SANITIZE_THREAD"}
#: Headers not read: Debian's pyconfig.h only includes the Linux one (the
#: configuration is :data:`WINDOWS` instead); mimalloc declares no PyAPI.
_SKIPPED = ("pyconfig.h", "internal/mimalloc/")
_MAX_DEPTH = 64


def _logical_lines(text: str) -> list[tuple[int, str]]:
    """(first line number, text) of each line, continuations joined, comments blanked."""

    def blank(match: re.Match[str]) -> str:  # keep the newlines, for line numbers
        return re.sub(r"[^\n\x00]", " ", match.group(0))

    lines = _COMMENT.sub(blank, text.replace("\\\n", "\x00")).split("\n")
    result, number = [], 1
    for line in lines:
        joined = line.split("\x00")
        result.append((number, " ".join(joined)))
        number += len(joined)
    return result


def _split_top(text: str, separators: str) -> list[str]:
    """``text`` split at ``separators`` outside parentheses and brackets."""
    parts: list[str] = []
    current: list[str] = []
    depth = 0
    for char in text:
        if char in "([":
            depth += 1
        elif char in ")]":
            depth -= 1
        if depth == 0 and char in separators:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return parts


def _skip_group(text: str, start: int) -> int:
    """The index after the parenthesised group opening at ``text[start]``."""
    depth = 0
    for index in range(start, len(text)):
        if text[index] == "(":
            depth += 1
        elif text[index] == ")":
            depth -= 1
            if depth == 0:
                return index + 1
    return len(text)


def _declarator(text: str) -> tuple[str, Literal["code", "data"]] | None:
    """The name one declarator declares, and whether it is a function (code) or data.

    The kind follows the C syntax, not the macro: ``PyAPI_DATA(double)
    _PyLong_Frexp(...)`` (3.13's pycore_long.h) declares a function, and
    ``PyAPI_DATA(int) (*PyOS_InputHook)(void)`` a pointer variable.
    """
    pointer = re.match(r"[\s*]*\(\s*\*+\s*(?:const\s+)?([A-Za-z_]\w*)\s*\)", text)
    if pointer:
        return pointer.group(1), "data"
    position = 0
    while True:
        match = re.compile(r"[A-Za-z_]\w*").search(text, position)
        if match is None:
            return None
        word, position = match.group(0), match.end()
        after = text[position:].lstrip()
        if word in _ATTRIBUTES and after.startswith("("):
            position = _skip_group(text, text.index("(", position))
            continue
        if word in _NOT_NAMES:
            continue
        return word, "code" if after.startswith("(") else "data"


def _declared(code: str) -> list[tuple[str, Literal["code", "data"]]]:
    """What ``PyAPI_X(type) declarators;`` declares; ``code`` starts at the macro."""
    rest = code[_skip_group(code, code.index("(")) :]
    body = _split_top(rest, ";{")[0]
    found = []
    for part in _split_top(body.split("=")[0], ","):
        declared = _declarator(part)
        if declared is not None:
            found.append(declared)
    return found


def _complete(code: str) -> bool:
    """Whether a declaration's text so far reaches its ``;`` or ``{`` (at depth 0)."""
    rest = code[_skip_group(code, code.index("(")) :]
    return len(_split_top(rest, ";{")) > 1


@dataclasses.dataclass
class _Group:
    active: bool  # this branch's lines count
    taken: bool  # some branch of the group was active
    outer: bool  # the enclosing group's lines count


class _Reader:
    """Reads headers as the preprocessor would, following ``#include "..."``.

    Object-like ``#define``/``#undef`` lines change the macros the
    conditions see; function-like ones only make the name defined.
    """

    def __init__(self, folder: Path, macros: Mapping[str, int]) -> None:
        self.folder = folder
        self.macros: dict[str, str] = {name: str(value) for name, value in macros.items()}
        self.read: set[str] = set()
        self.declarations: list[Declaration] = []

    def value(self, name: str, depth: int = 0) -> int | None:
        text = self.macros.get(name)
        if text is None:
            return None
        if depth > _MAX_DEPTH:
            raise HeaderError(f"macro {name} expands forever")
        try:
            return int(_Expression(_tokens(text, name), self, name, depth + 1).value())
        except HeaderError:
            return 0  # a macro that is no number (a type, a keyword): 0, as cpp would

    def holds(self, expression: str, where: str) -> bool:
        return bool(_Expression(_tokens(expression, where), self, where).value())

    def resolve(self, name: str, including: str) -> str | None:
        for base in (str(Path(including).parent), "", "internal", "cpython"):
            candidate = (Path(base) / name).as_posix() if base not in ("", ".") else name
            if (self.folder / candidate).is_file():
                return candidate
        return None

    def include(self, path: str, depth: int = 0) -> None:
        if depth > _MAX_DEPTH:
            raise HeaderError(f"{path}: #include nested more than {_MAX_DEPTH} deep")
        if path.startswith(_SKIPPED[1]) or path == _SKIPPED[0]:
            return
        self.read.add(path)
        text = (self.folder / path).read_text(encoding="utf-8", errors="replace")
        stack: list[_Group] = []
        active = True
        pending, pending_line = "", 0
        for number, line in _logical_lines(text):
            where = f"{path}:{number}"
            directive = _DIRECTIVE.match(line)
            if directive:
                active = self._directive(directive.group(1), directive.group(2), stack, active,
                                         path, where, depth)  # fmt: skip
                continue
            if not active:
                continue
            if not pending:
                match = _API.search(line)
                if match is None:
                    continue
                pending, pending_line = line[match.start() :], number
            else:
                pending += " " + line
            if _complete(pending):
                for name, kind in _declared(pending):
                    self.declarations.append(Declaration(name, kind, path, pending_line))
                pending = ""
        if stack:
            raise HeaderError(f"{path}: #if without #endif at the end of the file")

    def _directive(
        self, name: str, rest: str, stack: list[_Group], active: bool, path: str, where: str,
        depth: int,
    ) -> bool:  # fmt: skip
        """Apply one directive; whether the lines after it count."""
        if name in ("if", "ifdef", "ifndef"):
            if name == "if":
                holds = active and self.holds(rest, where)
            else:
                words = rest.split()
                if not words:
                    raise HeaderError(f"{where}: #{name} without a macro")
                holds = active and ((words[0] in self.macros) == (name == "ifdef"))
            stack.append(_Group(holds, holds, active))
        elif name in ("elif", "else"):
            if not stack:
                raise HeaderError(f"{where}: #{name} without #if")
            group = stack[-1]
            holds = group.outer and not group.taken
            if holds and name == "elif":
                holds = self.holds(rest, where)
            group.active, group.taken = holds, group.taken or holds
        elif name == "endif":
            if not stack:
                raise HeaderError(f"{where}: #endif without #if")
            stack.pop()
        elif not active:
            pass
        elif name == "define":
            match = _DEFINE.match(rest)
            if match:
                self.macros[match.group(1)] = "" if match.group(2) else match.group(3).strip()
        elif name == "undef":
            self.macros.pop(rest.strip(), None)
        elif name == "include":
            quoted = _INCLUDE.match(rest)
            target = self.resolve(quoted.group(1), path) if quoted else None
            if target is not None:
                self.include(target, depth + 1)
        return stack[-1].active if stack else True


@dataclasses.dataclass(frozen=True)
class HeaderScan:
    """What an include folder declares for one build, and the macros it ends with."""

    declarations: Mapping[str, Declaration]  # by name, the first declaration of each
    macros: frozenset[str]  # defined after reading every header (USE_STACKCHECK, ...)


def scan_headers(root: str | os.PathLike[str], macros: Mapping[str, int]) -> HeaderScan:
    """Every declaration under an include folder that holds with ``macros``.

    Read as a build of the core reads them: ``Python.h`` first, then every
    other top-level header and every ``internal/`` header that no header
    read so far included, in name order, one macro state throughout.
    Headers only included under a condition that does not hold (such as
    ``cpython/pystats.h`` without ``Py_STATS``) are not read. A name
    declared twice keeps its first declaration.
    """
    folder = Path(root)
    if not (folder / "Python.h").is_file():
        raise HeaderError(f"{folder}: no Python.h (expected an include folder of CPython)")
    reader = _Reader(folder, macros)
    others = sorted(
        path.relative_to(folder).as_posix()
        for pattern in ("*.h", "internal/*.h")
        for path in folder.glob(pattern)
    )
    roots = ["Python.h", *others]
    for path in roots:
        if path not in reader.read:
            reader.include(path)
    found: dict[str, Declaration] = {}
    for declaration in reader.declarations:
        found.setdefault(declaration.name, declaration)
    return HeaderScan(found, frozenset(reader.macros))
