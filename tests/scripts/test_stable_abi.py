"""The Stable ABI's names: the manifest (stable_abi.toml) and a release's test_stable_abi_ctypes.py.

The release's test is what python3.def's names come from; it is checked
against the real python3.dll of 3.13 here, and the dating of each name
against the real python3.dll of 3.8-3.13 in tests/exportlists/test_abi3.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from implib.coff.deffile import read_def
from implib.coff.pe import read_exports

from defgen.stable_abi import (
    StableAbiError,
    load_abi_test,
    load_stable_abi,
    parse_abi_test,
    parse_stable_abi,
)
from support import LISTS, UPSTREAM, fetch_embedded_python

MANIFEST = UPSTREAM / "cpython" / "stable_abi.toml"

SMALL = """
[feature_macro.MS_WINDOWS]
    windows = true
[feature_macro.HAVE_FORK]
    doc = 'no windows field'
[feature_macro.Py_REF_DEBUG]
    windows = 'maybe'
[struct.PyObject]
    added = '3.2'
[function.Py_Initialize]
    added = '3.2'
[function.PyErr_SetFromWindowsErr]
    added = '3.7'
    ifdef = 'MS_WINDOWS'
[function.PyOS_AfterFork]
    added = '3.2'
    ifdef = 'HAVE_FORK'
[function._Py_NegativeRefcount]
    added = '3.10'
    ifdef = 'Py_REF_DEBUG'
    abi_only = true
[data._Py_RefTotal]
    added = '3.10'
    ifdef = 'Py_REF_DEBUG'
[data.PyExc_TypeError]
    added = '3.2'
[function.PyType_GetName]
    added = '3.11'
"""


@pytest.fixture(scope="module")
def manifest():  # type: ignore[no-untyped-def]
    return load_stable_abi(MANIFEST)


def test_items_kinds_and_versions() -> None:
    abi = parse_stable_abi(SMALL, "small.toml")
    assert {item.name: (item.kind, item.added, item.ifdef) for item in abi.items} == {
        "Py_Initialize": ("function", (3, 2), None),
        "PyErr_SetFromWindowsErr": ("function", (3, 7), "MS_WINDOWS"),
        "PyOS_AfterFork": ("function", (3, 2), "HAVE_FORK"),
        "_Py_NegativeRefcount": ("function", (3, 10), "Py_REF_DEBUG"),
        "PyType_GetName": ("function", (3, 11), None),
        "_Py_RefTotal": ("data", (3, 10), "Py_REF_DEBUG"),
        "PyExc_TypeError": ("data", (3, 2), None),
    }  # structs are not exported
    assert abi.newest == (3, 11)
    assert {item.name for item in abi.items if item.abi_only} == {"_Py_NegativeRefcount"}
    assert abi.windows == {"MS_WINDOWS": True, "HAVE_FORK": None, "Py_REF_DEBUG": None}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[function.f\n", r"^bad\.toml: not valid TOML: "),
        ("[function.f]\nadded = 'three'\n", r"^bad\.toml: function\.f: 'added' should be"),
        ("[function.f]\n", r"^bad\.toml: function\.f: 'added' should be .* got None"),
        ("[data.d]\nadded = '3.2'\nifdef = 'NOPE'\n", "data.d: unknown feature macro 'NOPE'"),
        (
            "[feature_macro.M]\nwindows = 'often'\n[function.f]\nadded = '3.2'\n",
            "unknown 'windows'",
        ),
        ("[struct.S]\nadded = '3.2'\n", r"^bad\.toml: no \[function\.\*\] or \[data\.\*\] items"),
        ("function = 3\n", r"^bad\.toml: 'function' should be a table of \[function\.NAME\]"),
        ("[data]\nx = 1\n", r"^bad\.toml: data\.x should be a table$"),
    ],
)
def test_bad_manifests(text: str, message: str) -> None:
    with pytest.raises(StableAbiError, match=message):
        parse_stable_abi(text, "bad.toml")


def test_unreadable_file(tmp_path: Path) -> None:
    with pytest.raises(StableAbiError, match=r"nothing\.toml: cannot read"):
        load_stable_abi(tmp_path / "nothing.toml")
    (tmp_path / "latin1.toml").write_bytes(b"# caf\xe9\n")
    with pytest.raises(StableAbiError, match=r"latin1\.toml: not UTF-8 text"):
        load_stable_abi(tmp_path / "latin1.toml")


def test_the_real_manifest(manifest) -> None:  # type: ignore[no-untyped-def]
    by_name = {item.name: item for item in manifest.items}
    assert len(by_name) == len(manifest.items) > 900
    assert by_name["PyExc_WindowsError"].kind == "data"
    assert by_name["PyExc_WindowsError"].ifdef == "MS_WINDOWS"
    assert manifest.windows["MS_WINDOWS"] is True
    assert by_name["PyLong_FromLong"].added == (3, 2)
    assert (by_name["Py_Version"].kind, by_name["Py_Version"].added) == ("data", (3, 11))
    assert by_name["PyOS_AfterFork"].ifdef == "HAVE_FORK"
    assert by_name["_Py_BuildValue_SizeT"].abi_only


def test_the_manifest_and_the_bundled_kinds_agree(manifest) -> None:  # type: ignore[no-untyped-def]
    """python3.def takes each name's kind from the manifest where it has the name."""
    bundled = read_def(LISTS / "python3.def").by_name()
    kinds = {item.name: "data" if item.kind == "data" else "code" for item in manifest.items}
    assert {n: e.kind for n, e in bundled.items() if n in kinds} == {
        n: kinds[n] for n in bundled if n in kinds
    }
    # The manifest is an early 3.15 copy: these 28 functions came to 3.15's Stable ABI after it.
    assert sorted(bundled.keys() - kinds.keys()) == [
        "PyCriticalSection2_Begin", "PyCriticalSection2_End", "PyCriticalSection_Begin",
        "PyCriticalSection_End", "PyInterpreterGuard_Close", "PyInterpreterGuard_FromCurrent",
        "PyInterpreterGuard_FromView", "PyInterpreterView_Close", "PyInterpreterView_FromCurrent",
        "PyInterpreterView_FromMain", "PyLongWriter_Create", "PyLongWriter_Discard",
        "PyLongWriter_Finish", "PyLong_Export", "PyLong_FreeExport", "PyLong_GetNativeLayout",
        "PyModule_GetState_DuringGC", "PyModule_GetToken_DuringGC",
        "PyObject_CallFinalizerFromDealloc", "PyObject_GetTypeData_DuringGC",
        "PyThreadState_Ensure", "PyThreadState_EnsureFromView", "PyThreadState_Release",
        "PyType_FromSlots", "PyType_GetBaseByToken_DuringGC", "PyType_GetModuleByToken_DuringGC",
        "PyType_GetModuleState_DuringGC", "PyType_GetModule_DuringGC",
    ]  # fmt: skip
    assert {bundled[n].kind for n in bundled.keys() - kinds.keys()} == {"code"}


ABI_TEST = """
SYMBOL_NAMES = (
    "PyLong_FromLong",
    "PyExc_TypeError",
)
if feature_macros['HAVE_FORK']:
    SYMBOL_NAMES += (
        'PyOS_AfterFork',
    )
if feature_macros['MS_WINDOWS']:
    SYMBOL_NAMES += (
        'PyErr_SetFromWindowsErr',
    )
if feature_macros['Py_REF_DEBUG']:
    SYMBOL_NAMES += (
        '_Py_RefTotal',
    )
if feature_macros['Py_TRACE_REFS']:
    SYMBOL_NAMES += (
    )
WINDOWS_FEATURE_MACROS = {'HAVE_FORK': False, 'MS_WINDOWS': True, 'Py_REF_DEBUG': 'maybe',
                          'Py_TRACE_REFS': 'maybe'}
"""


def test_a_release_test_file_is_read_not_run() -> None:
    test = parse_abi_test(ABI_TEST + "raise SystemExit('never run')\n", "t.py")
    assert test.names == {"PyLong_FromLong", "PyExc_TypeError"}
    assert test.guarded == {
        "HAVE_FORK": {"PyOS_AfterFork"}, "MS_WINDOWS": {"PyErr_SetFromWindowsErr"},
        "Py_REF_DEBUG": {"_Py_RefTotal"}, "Py_TRACE_REFS": frozenset(),
    }  # fmt: skip
    assert test.windows == {
        "HAVE_FORK": False,
        "MS_WINDOWS": True,
        "Py_REF_DEBUG": None,
        "Py_TRACE_REFS": None,
    }
    # python3.dll: true and 'maybe' macros (WINDOWS_DEFAULTS), never HAVE_FORK.
    assert test.python3_names() == {
        "PyLong_FromLong", "PyExc_TypeError", "PyErr_SetFromWindowsErr", "_Py_RefTotal",
    }  # fmt: skip
    # python3X.dll: the macros its build defines.
    assert test.exported({"MS_WINDOWS"}) == {
        "PyLong_FromLong", "PyExc_TypeError", "PyErr_SetFromWindowsErr",
    }  # fmt: skip


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("SYMBOL_NAMES = (\n", r"^t\.py: not a Python file: "),
        ("X = 1\n", r"^t\.py: no SYMBOL_NAMES = \(\.\.\.\)$"),
        ("SYMBOL_NAMES = (f(),)\n", r"^t\.py:1: expected a literal$"),
        ("SYMBOL_NAMES = ('a', 2)\n", r"^t\.py:1: expected a tuple of names$"),
        ("SYMBOL_NAMES = ()\nif feature_macros['X']:\n    SYMBOL_NAMES += ('a',)\n",
         r"^t\.py: WINDOWS_FEATURE_MACROS lacks X$"),
        ("SYMBOL_NAMES = ()\nWINDOWS_FEATURE_MACROS = {'X': 2}\n", r"^t\.py:2: X: unknown value 2$"),
    ],
)  # fmt: skip
def test_bad_release_test_files(text: str, message: str) -> None:
    with pytest.raises(StableAbiError, match=message):
        parse_abi_test(text, "t.py")


def test_the_release_tests_against_the_real_python3_dll() -> None:
    """3.13's test lists what the official 3.13.0 python3.dll exports, exactly."""
    dll = set(read_exports(fetch_embedded_python("3.13.0") / "python3.dll").by_name())
    test = load_abi_test(UPSTREAM / "cpython" / "3.13" / "test_stable_abi_ctypes.py")
    assert test.python3_names() == dll
    counts = {
        minor: len(load_abi_test(UPSTREAM / f"cpython/{minor}/test_stable_abi_ctypes.py")
                   .python3_names())
        for minor in ("3.13", "3.14", "3.15")
    }  # fmt: skip
    assert counts == {"3.13": 902, "3.14": 921, "3.15": 963}
    with pytest.raises(StableAbiError, match=r"absent\.py: cannot read"):
        load_abi_test(UPSTREAM / "absent.py")
