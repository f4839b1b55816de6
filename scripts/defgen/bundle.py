"""Every bundled export list, made from one upstream folder (:mod:`.upstream`).

* a DLL with a real export table (``exports/python313.txt``): that table;
  PyPy's refreshed from a newer ``.so`` where ``pypy/`` has one (:mod:`.pypy`);
* a CPython release with headers but no real table (3.15, 3.15t): predicted
  from the newest older release that has both (:mod:`.predict`);
* python3.dll and, from 3.15, python3t.dll: the newest release's Stable ABI,
  dated per name (:mod:`.python3dll`).

Each list's header says what it was made from, with sha256 digests.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
from pathlib import Path

from implib.coff.deffile import ModuleDefinition

from .headers import HeaderScan, scan_headers, windows_macros
from .predict import Prediction, predict_exports
from .pypy import parse_nm, refresh
from .python3dll import ABI3T_FIRST, Release, python3_definition_for
from .stable_abi import AbiTest, load_abi_test, load_stable_abi
from .tables import read_export_table
from .upstream import Upstream

__all__ = [
    "all_definitions",
    "describe",
    "predicted",
    "python3_definition",
    "python3t_definition",
    "scan",
    "table_definition",
    "tree_sha256",
]

Version = tuple[int, int]


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:16]


def tree_sha256(folder: Path) -> str:
    """One digest of a folder's files (their paths and bytes), to name an include tree."""
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()[:16]


def describe(library: str) -> str:
    """The Python a DLL belongs to, from its name."""
    stem = library.lower().removesuffix(".dll")
    if stem == "python3":
        return "the CPython Stable ABI (abi3)"
    if stem == "python3t":
        return "the CPython Stable ABI for free-threaded builds (abi3t)"
    cpython = re.fullmatch(r"python3(\d+)(t?)", stem)
    if cpython:
        return f"CPython 3.{cpython[1]}" + (" free-threaded" if cpython[2] else "")
    if stem == "libpypy3-c":
        return "PyPy 3.7 and 3.8"
    pypy = re.fullmatch(r"libpypy3\.(\d+)-c", stem)
    return f"PyPy 3.{pypy[1]}" if pypy else "not a Python DLL known by name"


def _with_header(definition: ModuleDefinition, lines: list[str]) -> ModuleDefinition:
    head = f"{definition.library}: {describe(definition.library)}"
    return definition.replace(header=(head, *lines))


def table_definition(up: Upstream, path: Path) -> ModuleDefinition:
    """A real table's list (PyPy's refreshed if ``pypy/`` has its ``.so``)."""
    table = read_export_table(path)
    lines = [
        f"Made from {up.relative(path)} (sha256 {sha256(path.read_bytes())}), whose header reads:"
    ]
    lines += [f"  {line}" for line in table.header]
    symbols = up.pypy_symbols().get(path.stem)
    if symbols is None:
        return _with_header(table, lines)
    nm = symbols.read_text(encoding="utf-8")
    newer = f"{up.relative(symbols)}"
    refreshed = refresh(table, parse_nm(nm, str(symbols)), table_name=path.name, newer=symbols.name)
    added = len(refreshed.exports) - len(table.exports)
    lines += [
        f"Plus the {added} C API names (Py*, _Py*) the newer PyPy's libpypy3.X-c.so exports",
        f"  and the table lacks: {newer} (sha256 {sha256(nm.encode())}; see scripts/defgen/pypy.py).",
        "Each export's comment names its source.",
    ]
    return _with_header(refreshed, lines)


def scan(up: Upstream, version: Version, freethreaded: bool) -> HeaderScan:
    """A release's headers, evaluated for its Windows build."""
    return scan_headers(up.include(version), windows_macros(version, freethreaded=freethreaded))


def _abi_test(up: Upstream, version: Version) -> AbiTest | None:
    path = up.abi_test(version)
    return load_abi_test(path) if path.is_file() else None


def predicted(
    up: Upstream, version: Version, freethreaded: bool, base: Version
) -> Prediction | None:
    """``python3X(t).dll`` of ``version`` predicted from ``base``'s real table and headers."""
    suffix = "t" if freethreaded else ""
    stem, base_stem = f"python3{version[1]}{suffix}", f"python3{base[1]}{suffix}"
    table_path = up.tables().get(base_stem)
    if table_path is None:
        return None
    new = scan(up, version, freethreaded)
    test = _abi_test(up, version)
    abi = test.exported(new.macros) if test is not None else frozenset()
    new_release = up.patch_release(version)
    prediction = predict_exports(
        read_export_table(table_path),
        scan(up, base, freethreaded),
        new,
        abi,
        library=stem + ".dll",
        base_name=base_stem + ".dll",
        new_release=new_release,
    )
    old_include, new_include = up.include(base), up.include(version)
    build = "free-threaded (Py_GIL_DISABLED)" if freethreaded else "GIL"
    lines = [
        "Predicted without a real DLL (scripts/defgen/predict.py): the real table",
        f"  {up.relative(table_path)} (sha256 {sha256(table_path.read_bytes())}),",
        f"  less what {up.patch_release(base)}'s headers declare and {new_release}'s do not,",
        f"  plus what {new_release}'s headers newly declare, evaluated for the Windows {build} build",
        "  (scripts/defgen/headers.py: PyAPI_FUNC/PyAPI_DATA under MS_WINDOWS, no HAVE_FORK),",
        f"  plus {new_release}'s Stable ABI. Headers: {up.relative(old_include)} (tree sha256",
        f"  {tree_sha256(old_include)}) and {up.relative(new_include)} ({tree_sha256(new_include)}),",
        f"  from {up.source_line(version).split(',')[0]}.",
    ]
    if test is not None:
        lines.append(
            f"  Stable ABI: {up.relative(up.abi_test(version))} (sha256 {test.sha256[:16]})."
        )
    lines += [
        f"{len(prediction.added)} names added and {len(prediction.removed)} removed against "
        f"{base_stem}.dll; each export's comment says why it is here.",
        "The method's misses and extras on 3.13 and 3.14: tests/scripts/test_predict.py.",
    ]
    return dataclasses.replace(prediction, definition=_with_header(prediction.definition, lines))


def _releases(up: Upstream, stem: str, floor: Version | None = None) -> list[Release]:
    """Each release's python3(t).dll names: real tables first, else the release's test."""
    releases: dict[Version, Release] = {}
    for version, path in up.python3_tables(stem).items():
        table = read_export_table(path)
        patch = re.search(rf"\b3\.{version[1]}\.\d+\b", " ".join(table.header))
        label = f"{stem}.dll {patch.group(0) if patch else f'{version[0]}.{version[1]}'}"
        releases[version] = Release(version, frozenset(table.names()), label)
    for version in up.releases():
        test = _abi_test(up, version)
        if test is None or version in releases or (floor is not None and version < floor):
            continue
        label = f"test_stable_abi_ctypes.py {up.patch_release(version)}"
        releases[version] = Release(version, test.python3_names(), label)
    return [releases[v] for v in sorted(releases)]


def _newest_test(up: Upstream) -> tuple[Version, AbiTest] | None:
    tests = [(v, _abi_test(up, v)) for v in up.releases()]
    found = [(v, t) for v, t in tests if t is not None]
    return found[-1] if found else None


def _kinds(up: Upstream) -> dict[str, str]:
    """Each Stable ABI name's kind: the manifest's, else the newest headers'."""
    kinds: dict[str, str] = {}
    newest = _newest_test(up)
    if newest is not None:
        for name, declaration in scan(up, newest[0], False).declarations.items():
            kinds[name] = declaration.kind
    if up.manifest.is_file():
        for item in load_stable_abi(up.manifest).items:
            kinds[item.name] = "data" if item.kind == "data" else "code"
    return kinds


def _abi_lines(up: Upstream, releases: list[Release], library: str) -> list[str]:
    newest = releases[-1]
    lines = [
        f"The Stable ABI as {newest.source} lists it, with the feature macros {library} is built with",
        "  (windows = true or 'maybe'; not HAVE_FORK): scripts/defgen/python3dll.py.",
    ]
    if up.manifest.is_file():
        manifest = up.manifest.read_bytes()
        lines.append(
            f"Kinds from {up.relative(up.manifest)} (sha256 {sha256(manifest)}), else the headers."
        )
    lines.append("'since 3.X': the oldest release from which on each release's list has the name:")
    for release in releases:
        what = (
            up.relative(up.abi_test(release.version))
            if release.source.startswith("test_")
            else up.relative(up.python3_tables(library[:-4])[release.version])
        )
        lines.append(f"  {release.source}: {what}")
    return lines


def python3_definition(up: Upstream) -> ModuleDefinition | None:
    """python3.def: the newest Stable ABI, each name dated by the releases' python3.dll."""
    releases = _releases(up, "python3")
    if not releases:
        return None
    added = {}
    if up.manifest.is_file():
        added = {item.name: item.added for item in load_stable_abi(up.manifest).items}
    oldest = releases[0].version
    before = up.tables().get(f"python3{oldest[1] - 1}")
    oldest_main = set(read_export_table(before).names()) if before is not None else None
    definition = python3_definition_for(releases, _kinds(up), added=added, oldest_main=oldest_main)
    lines = _abi_lines(up, releases, "python3.dll")
    if before is not None:
        lines.append(
            f"  before {oldest[0]}.{oldest[1]}: the manifest's 'added', if {before.stem}.dll "
            f"({up.relative(before)}) exports the name."
        )
    return _with_header(definition, lines)


def python3t_definition(up: Upstream) -> ModuleDefinition | None:
    """python3t.def (3.15 on): python3.dll's names, which python3t.dll exports too."""
    releases = _releases(up, "python3t", ABI3T_FIRST)
    if not releases or releases[-1].version < ABI3T_FIRST:
        return None
    definition = python3_definition_for(
        releases, _kinds(up), library="python3t.dll", floor=ABI3T_FIRST
    )
    lines = _abi_lines(up, releases, "python3t.dll")
    lines.insert(
        0,
        "python3t.dll is built from python3.dll's source (PC/python3dll.c) and exports its names"
        " (see scripts/defgen/python3dll.py).",
    )
    return _with_header(definition, lines)


def prediction_bases(up: Upstream) -> list[tuple[Version, bool, Version]]:
    """(release, free-threaded, base) for each build with headers but no real table."""
    tables = up.tables()
    with_headers = [v for v in up.releases() if up.include(v).is_dir()]
    found = []
    for version in with_headers:
        for freethreaded in (False, True):
            suffix = "t" if freethreaded else ""
            if f"python3{version[1]}{suffix}" in tables or (freethreaded and version < (3, 13)):
                continue
            bases = [b for b in with_headers if b < version and f"python3{b[1]}{suffix}" in tables]
            if bases:
                found.append((version, freethreaded, bases[-1]))
    return found


def all_definitions(up: Upstream) -> list[ModuleDefinition]:
    """Every bundled list, python3's first."""
    definitions = []
    for made in (python3_definition(up), python3t_definition(up)):
        if made is not None:
            definitions.append(made)
    for path in up.tables().values():
        definitions.append(table_definition(up, path))
    for version, freethreaded, base in prediction_bases(up):
        prediction = predicted(up, version, freethreaded, base)
        if prediction is not None:
            definitions.append(prediction.definition)
    return definitions
