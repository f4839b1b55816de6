"""python3.dll's export list from stable_abi.toml, checked against the real python3.dll.

The comparison with the official python3.dll of CPython 3.8-3.13 is exact
for 3.11-3.13. For 3.8-3.10 the differences are upstream facts, spelled out
in KNOWN_DIFFERENCES with their causes, so that any other difference fails.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from implib.coff.deffile import Export, read_def
from implib.coff.pe import forward_target, read_exports
from implib.exportlists.abi3 import abi3_for_version

from defgen.stable_abi import (
    WINDOWS_DEFAULTS,
    StableAbiError,
    decide_macros,
    load_stable_abi,
    parse_stable_abi,
    python3_definition,
)
from support import LISTS, SHARED, missing

MANIFEST = SHARED / "upstream" / "cpython" / "stable_abi.toml"

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
    if not MANIFEST.exists():
        missing(f"{MANIFEST} not found (CPython's Misc/stable_abi.toml)")
    return load_stable_abi(MANIFEST)


def test_items_kinds_and_comments() -> None:
    abi = parse_stable_abi(SMALL, "small.toml")
    definition = python3_definition(abi)
    assert definition.library == "python3.dll"
    assert definition.exports == (
        Export("PyErr_SetFromWindowsErr", comment="added 3.7"),
        Export("PyExc_TypeError", data=True, comment="added 3.2"),
        Export("PyType_GetName", comment="added 3.11"),
        Export("Py_Initialize", comment="added 3.2"),
        Export("_Py_NegativeRefcount", comment="added 3.10"),
        Export("_Py_RefTotal", data=True, comment="added 3.10"),
    )
    assert abi.newest == (3, 11)
    assert {item.name for item in abi.items if item.abi_only} == {"_Py_NegativeRefcount"}


def test_macros_from_the_windows_field_the_defaults_or_a_real_dll() -> None:
    abi = parse_stable_abi(SMALL)
    assert abi.windows == {"MS_WINDOWS": True, "HAVE_FORK": None, "Py_REF_DEBUG": None}
    assert decide_macros(abi) == {
        "MS_WINDOWS": True,
        "HAVE_FORK": WINDOWS_DEFAULTS["HAVE_FORK"],
        "Py_REF_DEBUG": WINDOWS_DEFAULTS["Py_REF_DEBUG"],
    }
    # From a DLL: a macro is defined if the DLL exports every item it guards.
    exported = {"Py_Initialize", "PyOS_AfterFork", "_Py_NegativeRefcount"}
    assert decide_macros(abi, exported) == {
        "MS_WINDOWS": True,
        "HAVE_FORK": True,
        "Py_REF_DEBUG": False,
    }
    names = python3_definition(abi, decide_macros(abi, exported)).names()
    assert "PyOS_AfterFork" in names
    assert "_Py_NegativeRefcount" not in names


def test_a_new_undecided_macro_is_an_error() -> None:
    text = SMALL + "[feature_macro.Py_NEW]\n    windows = 'maybe'\n"
    with pytest.raises(StableAbiError, match=r"new\.toml: feature macro Py_NEW does not say"):
        decide_macros(parse_stable_abi(text, "new.toml"))
    with pytest.raises(StableAbiError, match="no decision for feature macros HAVE_FORK"):
        python3_definition(parse_stable_abi(SMALL), {"MS_WINDOWS": True, "Py_REF_DEBUG": True})


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
    definition = python3_definition(manifest)
    by_name = definition.by_name()
    assert len(definition.exports) > 900
    assert definition.names() == sorted(definition.names())
    assert all(re.fullmatch(r"added 3\.\d+", e.comment) for e in definition.exports)
    assert by_name["PyExc_WindowsError"].data  # data under MS_WINDOWS (windows = true)
    assert by_name["PyLong_FromLong"].comment == "added 3.2"
    assert by_name["Py_Version"].data and by_name["Py_Version"].comment == "added 3.11"
    assert "PyOS_AfterFork" not in by_name  # HAVE_FORK: not on Windows
    assert {"PyOS_CheckStack", "_Py_NegativeRefcount", "_Py_RefTotal"} <= by_name.keys()
    assert "_Py_BuildValue_SizeT" in by_name  # abi_only items are exported too


def test_bundled_python3_def_is_the_manifest(manifest) -> None:  # type: ignore[no-untyped-def]
    bundled = read_def(LISTS / "python3.def")
    assert bundled.exports == python3_definition(manifest).exports


# What the manifest and the official python3.dll of 3.X disagree on, and why.
# The manifest (Misc/stable_abi.toml) was written for 3.10 (PEP 652), and
# python3.dll has been generated from it since; its 'added' versions date
# the Limited API declarations, not the exports of the older hand-kept
# PC/python3.def that made python3.dll up to 3.9.
_DECLARED_NOT_EXPORTED_38 = {
    # Declared in the Limited API by 3.8, first exported by 3.10's python3.dll.
    "PyDictRevIterItem_Type", "PyDictRevIterKey_Type", "PyDictRevIterValue_Type",
    "PyInterpreterState_GetDict", "PyMarshal_ReadObjectFromString",
    "PyMarshal_WriteObjectToString", "PyMember_GetOne", "PyMember_SetOne",
    "PyThread_GetInfo", "PyThread_ReInitTLS", "PyThread_acquire_lock",
    "PyThread_acquire_lock_timed", "PyThread_allocate_lock", "PyThread_create_key",
    "PyThread_delete_key", "PyThread_delete_key_value", "PyThread_exit_thread",
    "PyThread_free_lock", "PyThread_get_key_value", "PyThread_get_stacksize",
    "PyThread_get_thread_ident", "PyThread_get_thread_native_id", "PyThread_init_thread",
    "PyThread_release_lock", "PyThread_set_key_value", "PyThread_set_stacksize",
    "PyThread_start_new_thread", "Py_BytesMain",
}  # fmt: skip
_DROPPED_FOR_310 = {
    # Exported by python3.dll up to 3.9, left out of the manifest (and of
    # 3.10's python3.dll); PyOS_AfterFork stays, under HAVE_FORK (not Windows).
    "PyEval_GetCallStats", "PyEval_ReInitThreads", "PyImport_Cleanup", "PyNullImporter_Type",
    "PyODictItems_Type", "PyODictIter_Type", "PyODictKeys_Type", "PyODictValues_Type",
    "PyODict_DelItem", "PyODict_New", "PyODict_SetItem", "PyODict_Type", "PyOS_AfterFork",
    "PyOS_InitInterrupts", "PyOS_ReadlineFunctionPointer", "PyParser_SimpleParseFileFlags",
    "PyParser_SimpleParseStringFlags", "PyParser_SimpleParseStringFlagsFilename",
    "PySortWrapper_Type", "Py_SymtableString", "_PyTrash_delete_later",
    "_PyTrash_delete_nesting", "_Py_CheckRecursionLimit",
}  # fmt: skip
_DROPPED_FOR_311 = {
    # In 3.10's manifest and python3.dll, gone from both since 3.11.
    "_PyObject_GC_Malloc", "_PyTrash_deposit_object", "_PyTrash_destroy_chain",
    "_PyTrash_thread_deposit_object", "_PyTrash_thread_destroy_chain",
}  # fmt: skip
#: Undecided feature macros (USE_STACKCHECK, Py_REF_DEBUG): 3.10's python3.dll
#: leaves their items out, 3.11's and later export them (as forwarders that a
#: release python3X.dll does not resolve).
_MAYBE_ITEMS = {"PyOS_CheckStack", "_Py_NegativeRefcount", "_Py_RefTotal"}

#: (3, X): (in the real python3.dll only, in the manifest's list only)
KNOWN_DIFFERENCES: dict[tuple[int, int], tuple[set[str], set[str]]] = {
    (3, 8): (
        _DROPPED_FOR_310 | _DROPPED_FOR_311 | {
            "PyCFunction_ClearFreeList", "PyTuple_ClearFreeList", "PyUnicode_ClearFreeList",
            # Exported by 3.8, dated 3.10 by the manifest.
            "Py_FileSystemDefaultEncodeErrors",
        },
        _DECLARED_NOT_EXPORTED_38,
    ),
    (3, 9): (
        _DROPPED_FOR_310 | _DROPPED_FOR_311 | {
            # Exported by 3.9, dated 3.10 by the manifest.
            "PyFrame_GetCode", "PyFrame_GetLineNumber", "PyObject_CallNoArgs",
            "PyThreadState_GetFrame", "PyThreadState_GetID", "PyThreadState_GetInterpreter",
            "Py_GetArgcArgv", "Py_FileSystemDefaultEncodeErrors",
        },
        _DECLARED_NOT_EXPORTED_38 | {
            # Declared by 3.9, first exported by 3.10's python3.dll.
            "PyInterpreterState_Get", "PyObject_GC_IsFinalized", "PyObject_GC_IsTracked",
        },
    ),
    (3, 10): (_DROPPED_FOR_311, _MAYBE_ITEMS),
}  # fmt: skip


def test_abi3_for_version_is_that_versions_python3_dll(embedded_python: Path) -> None:
    python3 = read_exports(embedded_python / "python3.dll")
    (target,) = python3.forwarded_dlls()
    python3x = read_exports(embedded_python / target)
    real = read_exports(embedded_python / "python3.dll", targets={target: python3x}).by_name()
    version = (3, int(target[len("python3") : -len(".dll")]))

    ours = abi3_for_version(read_def(LISTS / "python3.def"), version).by_name()
    only_real, only_ours = real.keys() - ours.keys(), ours.keys() - real.keys()
    print(f"3.{version[1]}: only in python3.dll {sorted(only_real)}; only ours {sorted(only_ours)}")
    assert (only_real, only_ours) == KNOWN_DIFFERENCES.get(version, (set(), set()))

    # Kinds, through python3X.dll; a forwarder it does not resolve says nothing.
    for name in ours.keys() & real.keys():
        if forward_target(real[name], {target: python3x}) is not None:
            assert ours[name].kind == real[name].kind, name
        else:
            assert name in _MAYBE_ITEMS | {"PyCFunction_New"}, name
