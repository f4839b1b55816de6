"""The reader of PyAPI declarations: #if evaluation, #include, #define, and the C declarators."""

from __future__ import annotations

from pathlib import Path

import pytest

from defgen.headers import (
    WINDOWS,
    Declaration,
    HeaderError,
    evaluate,
    scan_headers,
    windows_macros,
)
from support import UPSTREAM


@pytest.mark.parametrize(
    ("expression", "holds"),
    [
        ("defined(MS_WINDOWS)", True),
        ("defined MS_WINDOWS && !defined(HAVE_FORK)", True),
        ("!defined(Py_LIMITED_API) || Py_LIMITED_API+0 >= 0x030b0000", True),
        # short-circuit: the call is never evaluated
        ("!defined(Py_LIMITED_API) || Py_LIMITED_API+0 >= _Py_PACK_VERSION(3, 15)", True),
        ("_Py_PACK_VERSION(3, 15) == 0x030f0000", True),
        ("SIZEOF_VOID_P > 4 && SIZEOF_LONG == 4", True),
        ("SIZEOF_LONG >= 8", False),
        ("UNKNOWN_MACRO", False),
        ("__has_attribute(foo)", False),
        ("(1 ? 2 : 0) == 2 && (0 ? 1 : 3) == 3", True),
        ("0x10UL + 1 == 17 && (1 << 4) == 16 && -1 < 0 && ~0 == -1", True),
        ("10 / 0 == 0 && 7 % 4 == 3", True),  # no ZeroDivisionError
    ],
)
def test_expressions(expression: str, holds: bool) -> None:
    assert evaluate(expression, WINDOWS) is holds


@pytest.mark.parametrize("expression", ["1 +", "(1", "1 2", "defined(", "@"])
def test_bad_expressions_name_the_place(expression: str) -> None:
    with pytest.raises(HeaderError, match=r"^x\.h:3: "):
        evaluate(expression, WINDOWS, "x.h:3")


def _tree(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return root


PYTHON_H = """\
#include "pyconfig.h"
#include <stdio.h>
#include "object.h"
#ifdef Py_STATS
#  include "cpython/stats.h"
#endif
"""
OBJECT_H = """\
#ifndef Py_OBJECT_H
#define Py_OBJECT_H
/* PyAPI_FUNC(int) InAComment(void); */
#define PyAPI_FUNC(RTYPE) RTYPE  // a definition, not a declaration
PyAPI_FUNC(PyObject *) PyObject_Repr(PyObject *);
PyAPI_FUNC(int)
PyObject_Split(PyObject *a,
               PyObject *b);
PyAPI_DATA(PyTypeObject) PyType_Type;
PyAPI_DATA(const char *) _Py_Names[];
PyAPI_DATA(int) (*PyOS_InputHook)(void);
PyAPI_DATA(double) _PyLong_Frexp(PyLongObject *a, int64_t *e);
PyAPI_FUNC(void) _Py_NO_RETURN Py_Exit(int) Py_GCC_ATTRIBUTE((noreturn));
Py_DEPRECATED(3.12) PyAPI_DATA(int) Py_DebugFlag;
#if defined(WIN32)
#  define USE_STACKCHECK
#endif
#ifdef USE_STACKCHECK
PyAPI_FUNC(int) PyOS_CheckStack(void);
#endif
#ifdef HAVE_FORK
PyAPI_FUNC(void) PyOS_AfterFork(void);
#elif defined(Py_GIL_DISABLED)
PyAPI_FUNC(void) _Py_DecRefShared(PyObject *);
#else
PyAPI_FUNC(void) Py_GilOnly(void);
#endif
#define LOCAL 5
#undef LOCAL
#if LOCAL == 5
PyAPI_FUNC(void) Undefined_Again(void);
#endif
#endif
"""


def test_a_tree_is_read_as_the_core_build_reads_it(tmp_path: Path) -> None:
    root = _tree(tmp_path, {
        "Python.h": PYTHON_H,
        "object.h": OBJECT_H,
        "pyconfig.h": "PyAPI_FUNC(int) FromDebiansWrapper(void);\n",  # never read
        "cpython/stats.h": "PyAPI_FUNC(void) _Py_PrintStats(void);\n",  # only with Py_STATS
        "datetime.h": "PyAPI_DATA(void *) PyDateTimeAPI_Root;\n",  # a top-level root
        "internal/pycore_x.h": "#ifndef Py_BUILD_CORE\n#  error core only\n#endif\n"
        "PyAPI_FUNC(int) _PyX_Internal(void);\n",
        "internal/mimalloc/mimalloc.h": "PyAPI_FUNC(int) mi_never(void);\n",
    })  # fmt: skip
    gil = scan_headers(root, windows_macros((3, 14)))
    kinds = {name: d.kind for name, d in gil.declarations.items()}
    assert kinds == {
        "PyObject_Repr": "code", "PyObject_Split": "code", "PyType_Type": "data",
        "_Py_Names": "data", "PyOS_InputHook": "data", "_PyLong_Frexp": "code",
        "Py_Exit": "code", "Py_DebugFlag": "data", "PyOS_CheckStack": "code",
        "Py_GilOnly": "code", "PyDateTimeAPI_Root": "data", "_PyX_Internal": "code",
    }  # fmt: skip
    assert gil.declarations["PyObject_Split"] == Declaration(
        "PyObject_Split", "code", "object.h", 6
    )
    assert gil.declarations["_PyX_Internal"].where == "internal/pycore_x.h:4"
    assert "USE_STACKCHECK" in gil.macros and "LOCAL" not in gil.macros

    ft = scan_headers(root, windows_macros((3, 14), freethreaded=True))
    assert ft.declarations.keys() - gil.declarations.keys() == {"_Py_DecRefShared"}
    assert gil.declarations.keys() - ft.declarations.keys() == {"Py_GilOnly"}
    stats = scan_headers(root, {**WINDOWS, "Py_STATS": 1})
    assert "_Py_PrintStats" in stats.declarations


def test_windows_macros() -> None:
    assert "_Py_TIER2" not in windows_macros((3, 13))
    assert windows_macros((3, 14))["_Py_TIER2"] == 1  # the JIT ships from 3.14
    assert "_Py_TIER2" not in windows_macros((3, 14), freethreaded=True)
    assert windows_macros((3, 15), freethreaded=True)["Py_GIL_DISABLED"] == 1
    assert "HAVE_FORK" not in WINDOWS and "Py_DEBUG" not in WINDOWS


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ({"Python.h": "#endif\n"}, r"^Python\.h:1: #endif without #if$"),
        ({"Python.h": "\n#else\n"}, r"^Python\.h:2: #else without #if$"),
        ({"Python.h": "#if 1\n"}, r"^Python\.h: #if without #endif at the end of the file$"),
        ({"Python.h": "#ifdef\n#endif\n"}, r"^Python\.h:1: #ifdef without a macro$"),
        ({"Python.h": '#include "a.h"\n', "a.h": "\n\n#if 1 +\n#endif\n"},
         r"^a\.h:3: expected more in #if"),
        ({"Python.h": '#include "Python.h"\n'}, r"#include nested more than 64 deep$"),
    ],
)  # fmt: skip
def test_bad_headers_name_file_and_line(
    tmp_path: Path, files: dict[str, str], message: str
) -> None:
    with pytest.raises(HeaderError, match=message):
        scan_headers(_tree(tmp_path, files), WINDOWS)


def test_not_an_include_folder(tmp_path: Path) -> None:
    with pytest.raises(HeaderError, match=r"no Python\.h \(expected an include folder"):
        scan_headers(tmp_path, WINDOWS)


def test_the_real_headers_declare_what_the_real_tables_export() -> None:
    """3.14's headers, read for Windows, against the 3.14 table (a later patch, so a few more)."""
    from defgen.tables import read_export_table

    declared = scan_headers(UPSTREAM / "cpython/3.14/include", windows_macros((3, 14)))
    table = read_export_table(UPSTREAM / "exports/python314.txt").by_name()
    names = declared.declarations
    assert [n for n in names.keys() & table.keys() if names[n].kind != table[n].kind] == []
    # Declared, not exported: Py_FrozenMain (not in python3X.dll) and six newer than the table.
    assert names.keys() - table.keys() == {
        "Py_FrozenMain", "_PyBuildSlice_ConsumeRefs", "_PyFloat_FromDouble_ConsumeInputs",
        "_PyType_AllocNoTrack", "_Py_AtExit", "_Py_LoadAttr_StackRefSteal", "_Py_strerror",
    }  # fmt: skip
    # Exported, not declared: the C API removed from the headers but kept in the ABI
    # (PyEval_CallFunction, the _SizeT functions), defined with a PyAPI_FUNC of their own.
    assert len(table.keys() - names.keys()) == 31
