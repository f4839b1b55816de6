"""The Stable ABI's exported names: CPython's ``Misc/stable_abi.toml`` and a release's test of it.

The manifest lists every item of the Stable ABI with the version that
added it; its ``function`` and ``data`` items are what python3.dll exports
(``data`` ones as DATA), and python3.def takes each name's kind and date
from it (scripts/defgen/bundle.py). Items under a feature macro (``ifdef``)
are exported only if the macro is defined on Windows, which the macro's
``windows`` field says for most and :data:`WINDOWS_DEFAULTS` for the rest.

A release also ships the manifest's exported names, generated from it, as
``Lib/test/test_stable_abi_ctypes.py`` (:func:`parse_abi_test`): names
without their kind or version, but exactly those of that release, where a
copy of the manifest may be older or newer. Debian's
``libpython3.X-testsuite`` package holds it.
"""

from __future__ import annotations

import ast
import dataclasses
import hashlib
import os
import re
import sys
from collections.abc import Callable, Collection, Iterator, Mapping
from pathlib import Path
from typing import Any, Literal

from implib.errors import ImplibError

__all__ = [
    "WINDOWS_DEFAULTS",
    "AbiItem",
    "AbiTest",
    "StableAbi",
    "StableAbiError",
    "load_abi_test",
    "load_stable_abi",
    "parse_abi_test",
    "parse_stable_abi",
]

#: Decisions for the feature macros whose ``windows`` field is ``'maybe'``
#: or missing, read off the official x64 python3.dll of CPython 3.13.0.
#: Since 3.11 that DLL exports the items of USE_STACKCHECK
#: (PyOS_CheckStack) and Py_REF_DEBUG (_Py_NegativeRefcount, _Py_RefTotal)
#: as forwarders to python3X.dll, even though a release python3X.dll does
#: not define them; HAVE_FORK's items it does not export; Py_TRACE_REFS
#: guards no exported item.
WINDOWS_DEFAULTS: Mapping[str, bool] = {
    "HAVE_FORK": False,
    "Py_REF_DEBUG": True,
    "Py_TRACE_REFS": False,
    "USE_STACKCHECK": True,
}

_VERSION = re.compile(r"3\.(\d+)")


class StableAbiError(ImplibError, ValueError):
    """A manifest or a release's test file that cannot be read."""


@dataclasses.dataclass(frozen=True)
class AbiItem:
    """One exported item of the Stable ABI."""

    name: str
    kind: Literal["function", "data"]
    added: tuple[int, int]
    ifdef: str | None = None  # the feature macro it depends on
    abi_only: bool = False  # in the ABI, but not in the Limited API


@dataclasses.dataclass(frozen=True)
class StableAbi:
    """The exported part of a ``stable_abi.toml``."""

    items: tuple[AbiItem, ...]
    #: Each feature macro's ``windows`` field: True, False, or None for
    #: ``'maybe'`` and a missing field.
    windows: Mapping[str, bool | None]
    source: str = "<stable_abi.toml>"
    sha256: str = ""  # of the manifest's bytes, to name what a list was made from

    @property
    def newest(self) -> tuple[int, int]:
        """The newest ``added`` version: the CPython the manifest is from."""
        return max(item.added for item in self.items)


def _toml_loads() -> Callable[[str], dict[str, Any]]:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on Python 3.9 and 3.10 only
        try:
            import tomli as tomllib  # type: ignore[import-not-found, unused-ignore]
        except ImportError:
            raise StableAbiError(
                "reading stable_abi.toml needs tomli on Python < 3.11 (pip install tomli)"
            ) from None
    loads: Callable[[str], dict[str, Any]] = tomllib.loads
    return loads


def _version(text: object, where: str) -> tuple[int, int]:
    match = _VERSION.fullmatch(text) if isinstance(text, str) else None
    if match is None:
        raise StableAbiError(f"{where}: 'added' should be a version such as '3.9', got {text!r}")
    return (3, int(match.group(1)))


def _entries(
    document: dict[str, Any], key: str, source: str
) -> Iterator[tuple[str, dict[str, Any]]]:
    table = document.get(key, {})
    if not isinstance(table, dict):
        raise StableAbiError(f"{source}: {key!r} should be a table of [{key}.NAME] entries")
    for name, fields in table.items():
        if not isinstance(fields, dict):
            raise StableAbiError(f"{source}: {key}.{name} should be a table")
        yield name, fields


def parse_stable_abi(data: str | bytes, source: str = "<stable_abi.toml>") -> StableAbi:
    """Parse the text of a ``stable_abi.toml``; ``source`` names it in errors."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    loads = _toml_loads()
    try:
        document = loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise StableAbiError(f"{source}: not UTF-8 text") from None
    except ValueError as exc:  # tomllib.TOMLDecodeError
        raise StableAbiError(f"{source}: not valid TOML: {exc}") from None

    windows: dict[str, bool | None] = {}
    for name, fields in _entries(document, "feature_macro", source):
        value = fields.get("windows")
        if value not in (True, False, "maybe", None):
            raise StableAbiError(
                f"{source}: feature_macro.{name}: unknown 'windows' value {value!r}"
            )
        windows[name] = value if isinstance(value, bool) else None

    items = []
    for kind in ("function", "data"):
        for name, fields in _entries(document, kind, source):
            where = f"{source}: {kind}.{name}"
            ifdef = fields.get("ifdef")
            if ifdef is not None and ifdef not in windows:
                raise StableAbiError(f"{where}: unknown feature macro {ifdef!r}")
            items.append(
                AbiItem(
                    name=name,
                    kind=kind,
                    added=_version(fields.get("added"), where),
                    ifdef=ifdef,
                    abi_only=bool(fields.get("abi_only", False)),
                )
            )
    if not items:
        raise StableAbiError(f"{source}: no [function.*] or [data.*] items")
    return StableAbi(tuple(items), windows, source, hashlib.sha256(raw).hexdigest())


def load_stable_abi(source: str | os.PathLike[str], *, timeout: float = 60.0) -> StableAbi:
    """Read a ``stable_abi.toml`` from a file or an http(s) URL."""
    text = os.fspath(source)
    if text.startswith(("http://", "https://")):
        from .distributions import DistributionError, download

        try:
            data = download(text, timeout=timeout)
        except DistributionError as exc:
            raise StableAbiError(str(exc)) from None
    else:
        try:
            data = Path(text).read_bytes()
        except OSError as exc:
            raise StableAbiError(f"{text}: cannot read: {exc.strerror}") from None
    return parse_stable_abi(data, text)


@dataclasses.dataclass(frozen=True)
class AbiTest:
    """The exported names of one release's Stable ABI, from its ``test_stable_abi_ctypes.py``."""

    names: frozenset[str]  # under no feature macro
    guarded: Mapping[str, frozenset[str]]  # feature macro -> the names it guards
    #: WINDOWS_FEATURE_MACROS: True, False, or None for 'maybe'.
    windows: Mapping[str, bool | None]
    source: str = "<test_stable_abi_ctypes.py>"
    sha256: str = ""

    def exported(self, defined: Collection[str]) -> frozenset[str]:
        """The names exported with the feature macros in ``defined``."""
        found = set(self.names)
        for macro, names in self.guarded.items():
            if macro in defined:
                found |= names
        return frozenset(found)

    def python3_names(self) -> frozenset[str]:
        """What python3.dll of this release exports: every macro but those off on Windows.

        python3.dll is made from the manifest with every feature macro whose
        ``windows`` is true or 'maybe' (Tools/build/stable_abi.py,
        ``gen_python3dll``); :data:`WINDOWS_DEFAULTS` says the same of the
        'maybe' ones, read off the real python3.dll of 3.11 to 3.13.
        """
        defined = [
            macro
            for macro, windows in self.windows.items()
            if windows or (windows is None and WINDOWS_DEFAULTS.get(macro, True))
        ]
        return self.exported(defined)


def _literal(node: ast.AST, where: str) -> Any:
    try:
        return ast.literal_eval(node)
    except ValueError:
        raise StableAbiError(f"{where}: expected a literal") from None


def _strings(value: object, where: str) -> frozenset[str]:
    if not isinstance(value, tuple) or not all(isinstance(item, str) for item in value):
        raise StableAbiError(f"{where}: expected a tuple of names")
    return frozenset(value)


def parse_abi_test(data: str | bytes, source: str = "<test_stable_abi_ctypes.py>") -> AbiTest:
    """Read the names out of a ``test_stable_abi_ctypes.py`` (parsed, never run).

    The file is generated: ``SYMBOL_NAMES = (...)``, then for each feature
    macro ``if feature_macros['X']: SYMBOL_NAMES += (...)``, and a
    ``WINDOWS_FEATURE_MACROS`` dict.
    """
    raw = data.encode("utf-8") if isinstance(data, str) else data
    try:
        tree = ast.parse(raw.decode("utf-8"), source)
    except (UnicodeDecodeError, SyntaxError) as exc:
        raise StableAbiError(f"{source}: not a Python file: {exc}") from None
    names: frozenset[str] | None = None
    guarded: dict[str, frozenset[str]] = {}
    windows: dict[str, bool | None] = {}
    for statement in tree.body:
        where = f"{source}:{statement.lineno}"
        if isinstance(statement, ast.Assign) and len(statement.targets) == 1:
            target = getattr(statement.targets[0], "id", None)
            if target == "SYMBOL_NAMES":
                names = _strings(_literal(statement.value, where), where)
            elif target == "WINDOWS_FEATURE_MACROS":
                table = _literal(statement.value, where)
                if not isinstance(table, dict):
                    raise StableAbiError(f"{where}: WINDOWS_FEATURE_MACROS is not a dict")
                for macro, value in table.items():
                    if value not in (True, False, "maybe"):
                        raise StableAbiError(f"{where}: {macro}: unknown value {value!r}")
                    windows[str(macro)] = value if isinstance(value, bool) else None
        elif isinstance(statement, ast.If) and isinstance(statement.test, ast.Subscript):
            macro = _literal(statement.test.slice, where)
            added: frozenset[str] = frozenset()
            for inner in statement.body:
                if isinstance(inner, ast.AugAssign):
                    added |= _strings(_literal(inner.value, where), where)
            if isinstance(macro, str) and (added or macro not in guarded):
                guarded[macro] = guarded.get(macro, frozenset()) | added
    if names is None:
        raise StableAbiError(f"{source}: no SYMBOL_NAMES = (...)")
    unknown = sorted(set(guarded) - set(windows))
    if unknown:
        raise StableAbiError(f"{source}: WINDOWS_FEATURE_MACROS lacks {', '.join(unknown)}")
    return AbiTest(names, guarded, windows, source, hashlib.sha256(raw).hexdigest())


def load_abi_test(path: str | os.PathLike[str]) -> AbiTest:
    """Read a release's ``test_stable_abi_ctypes.py``."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise StableAbiError(f"{os.fspath(path)}: cannot read: {exc.strerror}") from None
    return parse_abi_test(data, os.fspath(path))
