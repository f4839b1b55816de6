"""PyPy's lists refreshed from a newer PyPy's libpypy3.X-c.so (Debian's pypy3 8.0.1)."""

from __future__ import annotations

import pytest

from implib.coff.deffile import Export, ModuleDefinition, read_def

from defgen.pypy import SymbolError, parse_nm, refresh
from support import LISTS, UPSTREAM

NM = """\
0000000002365d20 T PyPyLong_FromLong
0000000003a1c2e0 B _PyPy_FileSystemDefaultEncoding
00000000039f3020 D PyPyExc_TypeError
0000000000123000 R _PyPy_SwappedOp
                 W PyPyWeak
0000000000124000 T vmprof_enter_signal
0000000000125000 i PyPy_Ifunc@@VERS_1
"""


def test_nm_output_is_read() -> None:
    assert parse_nm(NM, "x.nm") == {
        "PyPyLong_FromLong": "code", "_PyPy_FileSystemDefaultEncoding": "data",
        "PyPyExc_TypeError": "data", "_PyPy_SwappedOp": "data", "PyPyWeak": "code",
        "vmprof_enter_signal": "code", "PyPy_Ifunc": "code",
    }  # fmt: skip


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("0000 U undefined_one\n", r"^x\.nm:1: symbol type 'U' is not a defined one$"),
        ("0000 T\nA B C D\n", r"^x\.nm:1: expected '\[ADDRESS\] TYPE NAME'"),
        ("\n\n", r"^x\.nm: no symbols$"),
    ],
)
def test_bad_listings(text: str, message: str) -> None:
    with pytest.raises(SymbolError, match=message):
        parse_nm(text, "x.nm")


def test_refresh_adds_the_newer_c_api_only() -> None:
    table = ModuleDefinition(
        "libpypy3.11-c.dll",
        (Export("PyPyLong_FromLong"), Export("Py_FileSystemDefaultEncoding", data=True)),
    )
    made = refresh(table, parse_nm(NM), table_name="t.txt", newer="x.so.nm")
    assert made.exports == (
        Export("PyPyExc_TypeError", data=True, comment="x.so.nm"),
        Export("PyPyLong_FromLong", comment="t.txt"),
        Export("PyPyWeak", comment="x.so.nm"),
        Export("PyPy_Ifunc", comment="x.so.nm"),
        Export("Py_FileSystemDefaultEncoding", data=True, comment="t.txt"),  # PyPy 7.3's name
        Export("_PyPy_FileSystemDefaultEncoding", data=True, comment="x.so.nm"),  # 8.0's
        Export("_PyPy_SwappedOp", data=True, comment="x.so.nm"),
    )  # vmprof_enter_signal: not C API


def test_the_bundled_pypy311_list() -> None:
    """PyPy 8.0.1 adds two names; pillow 12's _imagingft imports the first."""
    bundled = read_def(LISTS / "libpypy3.11-c.def").by_name()
    table = {line.split()[0] for line in (UPSTREAM / "exports/libpypy3.11-c.txt").open()
             if line.strip() and not line.startswith("#")}  # fmt: skip
    assert bundled.keys() - table == {"_PyPy_FileSystemDefaultEncoding", "_PyTime_FromTimeval"}
    assert bundled["_PyPy_FileSystemDefaultEncoding"].data
    assert bundled["_PyPy_FileSystemDefaultEncoding"].comment == "libpypy3.11-c.so.nm"
    assert bundled["Py_FileSystemDefaultEncoding"].comment == "libpypy3.11-c.txt"
    # The older PyPy series have no newer release (PyPy 8 is for Python 3.11 only).
    assert not any(e.comment for e in read_def(LISTS / "libpypy3.10-c.def").exports)
