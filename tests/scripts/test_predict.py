"""The prediction of a python3X.dll table from its predecessor's and the headers, where the answer is known.

scripts/defgen/predict.py makes python315.def and python315t.def without a
real DLL. Here the same method predicts releases whose real tables exist:
3.13 from 3.11 (against the official 3.13.0 DLL), 3.14 and 3.14t from 3.13
and 3.13t (against the 3.14 tables). Every name it misses or adds is listed,
grouped by why, so that a change of the method or its inputs shows here.
The 3.15 prediction is checked against Debian's Linux build of 3.15.2 and
against what real cp315/cp315t wheels import (tests/exportlists/test_wheels.py).
"""

from __future__ import annotations

from implib.coff.deffile import ModuleDefinition, read_def
from implib.coff.pe import definition_from_dll

from defgen.bundle import predicted, prediction_bases, scan
from defgen.pypy import parse_nm
from defgen.tables import read_export_table
from defgen.upstream import Upstream
from support import LISTS, UPSTREAM, fetch_embedded_python

UP = Upstream(UPSTREAM)

# -- 3.13 from 3.11 ----------------------------------------------------------

#: Exported by 3.11 with no declaration in any installed header (defined with
#: their own PyAPI_FUNC/PyAPI_DATA in Python/getargs.c, Modules/_io/,
#: Objects/moduleobject.c), so their removal in 3.13 does not show.
_UNDECLARED_IN_311 = {
    "_PyArg_ParseStackAndKeywords_SizeT", "_PyArg_ParseStack_SizeT",
    "_PyArg_ParseTupleAndKeywordsFast_SizeT", "_PyArg_VaParseTupleAndKeywordsFast_SizeT",
    "_PyBytesIOBuffer_Type", "_PyWindowsConsoleIO_Type", "_PyModule_Add",
}  # fmt: skip
#: Exported by 3.11; 3.13's cpython/object.h still declares them, but 3.13
#: no longer defines them (the declarations are gone in 3.14).
_STALE_IN_313 = {"_PyTrash_begin", "_PyTrash_end"}
#: New in 3.13's internal/pycore_optimizer.h, declared unconditionally, but
#: compiled only with _Py_TIER2 (in Python/optimizer.c), which 3.13's
#: official Windows build does not define.
_TIER2_IN_313 = {
    "_PyOptimizer_NewCounter", "_PyOptimizer_NewUOpOptimizer", "_PyOptimizer_Optimize",
    "_Py_Executor_DependsOn", "_Py_GetExecutor", "_Py_GetOptimizer", "_Py_SetTier2Optimizer",
    "_Py_uop_symbols_test",
}  # fmt: skip
#: Declared by the 3.13.18 headers at hand, added after 3.13.0 in a patch
#: release: the later 3.13 table has the first six, none has the other three
#: (3.14.10 declares those too, and the 3.14 table lacks them likewise).
_PATCH_AFTER_3130 = {
    "_PyEval_NoToolsForUnwind", "_PySys_GetOptionalAttr", "_PySys_GetOptionalAttrString",
    "_PySys_GetRequiredAttr", "_PySys_GetRequiredAttrString", "_PyType_GetModuleByDef3",
}  # fmt: skip
_PATCH_AFTER_TABLES = {"_PyBuildSlice_ConsumeRefs", "_PyType_AllocNoTrack", "_Py_AtExit"}

#: No 3.13 header declares it (3.11's cpython/pythonrun.h did); 3.13's
#: Parser/myreadline.c still exports it with a PyAPI_DATA of its own.
MISSES_313 = {"_PyOS_ReadlineTState"}
EXTRAS_313 = (
    _UNDECLARED_IN_311 | _STALE_IN_313 | _TIER2_IN_313 | _PATCH_AFTER_3130 | _PATCH_AFTER_TABLES
)

# -- 3.14 from 3.13, 3.14t from 3.13t ---------------------------------------

#: Declared by 3.13's and 3.14's headers alike (no change to see), compiled
#: by 3.14's Windows build, which ships the JIT (_Py_TIER2), not by 3.13's.
MISSES_314 = {"_PyOptimizer_Optimize", "_Py_Executor_DependsOn", "_Py_GetExecutor",
              "_Py_uop_symbols_test"}  # fmt: skip
#: New in the 3.14.10 headers at hand; the 3.14 tables are of an earlier
#: 3.14 patch release.
_PATCH_AFTER_314_TABLE = {
    "_PyFloat_FromDouble_ConsumeInputs", "_Py_LoadAttr_StackRefSteal", "_Py_strerror",
}  # fmt: skip
EXTRAS_314 = _PATCH_AFTER_314_TABLE
#: New in 3.14's pycore_optimizer.h, compiled only with _Py_TIER2, which the
#: free-threaded build leaves off (no JIT).
EXTRAS_314T = _PATCH_AFTER_314_TABLE | {"_PyDumpExecutors"}


def _compare(made: ModuleDefinition, real: ModuleDefinition) -> tuple[set[str], set[str]]:
    ours, theirs = made.by_name(), real.by_name()
    kinds = [n for n in ours.keys() & theirs.keys() if ours[n].kind != theirs[n].kind]
    assert kinds == []
    return theirs.keys() - ours.keys(), ours.keys() - theirs.keys()


def test_313_from_311_against_the_official_dll() -> None:
    prediction = predicted(UP, (3, 13), False, (3, 11))
    assert prediction is not None
    real = definition_from_dll(fetch_embedded_python("3.13.0") / "python313.dll")
    misses, extras = _compare(prediction.definition, real)
    assert (misses, extras) == (MISSES_313, EXTRAS_313)
    assert (len(real.exports), len(misses), len(extras)) == (1648, 1, 26)


def test_314_from_313_against_the_314_table() -> None:
    prediction = predicted(UP, (3, 14), False, (3, 13))
    assert prediction is not None
    real = read_export_table(UPSTREAM / "exports" / "python314.txt")
    assert _compare(prediction.definition, real) == (MISSES_314, EXTRAS_314)
    # 3.13 -> 3.14 added 203 names and removed 49: 199 + 3 extras, and all 49.
    base = read_export_table(UPSTREAM / "exports" / "python313.txt").by_name()
    assert (len(real.by_name().keys() - base.keys()), len(base.keys() - real.by_name().keys())) == (
        203, 49,
    )  # fmt: skip
    assert (len(prediction.added), len(prediction.removed)) == (202, 49)


def test_314t_from_313t_against_the_314t_table() -> None:
    prediction = predicted(UP, (3, 14), True, (3, 13))
    assert prediction is not None
    real = read_export_table(UPSTREAM / "exports" / "python314t.txt")
    assert _compare(prediction.definition, real) == (set(), EXTRAS_314T)


def test_the_bundled_315_lists_are_the_prediction() -> None:
    assert prediction_bases(UP) == [((3, 15), False, (3, 14)), ((3, 15), True, (3, 14))]
    for freethreaded, stem in ((False, "python315"), (True, "python315t")):
        prediction = predicted(UP, (3, 15), freethreaded, (3, 14))
        assert prediction is not None
        assert read_def(LISTS / f"{stem}.def").exports == prediction.definition.exports


#: In python315.def, not exported by Debian's Linux libpython3.15.so (3.15.2):
_WINDOWS_ONLY = {
    # MS_WINDOWS, or Windows code (PC/, the console, os.get_osfhandle).
    "PyErr_SetExcFromWindowsErr", "PyErr_SetExcFromWindowsErrWithFilename",
    "PyErr_SetExcFromWindowsErrWithFilenameObject",
    "PyErr_SetExcFromWindowsErrWithFilenameObjects", "PyErr_SetFromWindowsErr",
    "PyErr_SetFromWindowsErrWithFilename", "PyExc_WindowsError", "PyUnicode_AsMBCSString",
    "PyUnicode_DecodeCodePageStateful", "PyUnicode_DecodeMBCS", "PyUnicode_DecodeMBCSStateful",
    "PyUnicode_EncodeCodePage", "Py_LegacyWindowsFSEncodingFlag", "Py_LegacyWindowsStdioFlag",
    "_PyOS_SigintEvent", "_Py_get_osfhandle",
    "PyOS_CheckStack",  # USE_STACKCHECK: defined for WIN32 only (pythonrun.h)
}  # fmt: skip
#: Kept from python314.dll (3.14 and 3.15 declare them alike), yet not in the
#: Linux 3.15.2 build: perhaps no longer defined in 3.15 (extras, if so).
_NOT_IN_LINUX_315 = {"_PyGen_yf", "_PyType_GetBaseByToken_Borrow"}
#: New declarations of 3.15.2 whose definitions the Linux release build does
#: not compile (Py_STATS, debug-only): likely extras.
_NOT_COMPILED_IN_RELEASE = {"_Py_GatherStats_GetIter", "_Py_assert_within_stack_bounds"}
#: Declared by 3.14.10 and 3.15.2 alike and exported by the Linux build, but
#: not by the older 3.14 table the prediction starts from: left out, as the
#: method leaves out every name the base table lacks. Py_FrozenMain is never
#: in python3X.dll (Python/frozenmain.c is not part of it); the four others
#: came in 3.14 patch releases after that table, and are likely misses.
_DECLARED_NOT_IN_BASE = {
    "Py_FrozenMain", "_PyBuildSlice_ConsumeRefs", "_PyType_AllocNoTrack",
    "_Py_LoadAttr_StackRefSteal", "_Py_strerror",
}  # fmt: skip


def test_the_315_prediction_against_the_linux_build() -> None:
    """Every name python315.def has, Linux 3.15.2 exports, but for Windows code and six more."""
    linux = parse_nm((UPSTREAM / "checks" / "libpython3.15.so.nm").read_text())
    bundled = read_def(LISTS / "python315.def").by_name()
    assert bundled.keys() - linux.keys() == (
        _WINDOWS_ONLY | _NOT_IN_LINUX_315 | _NOT_COMPILED_IN_RELEASE
    )
    assert [n for n in bundled.keys() & linux.keys() if bundled[n].kind != linux[n]] == []
    declared = scan(UP, (3, 15), False).declarations
    left_out = {n for n in declared if n in linux and n not in bundled}
    assert left_out == _DECLARED_NOT_IN_BASE
