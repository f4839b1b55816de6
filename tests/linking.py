"""Link real Windows DLLs against import libraries, and read their imports.

The probe DLL calls ``PyLong_FromLong`` and reads the data exports
``PyExc_TypeError`` and ``_Py_NoneStruct``, as an extension module does. It is
linked with lld-link (MSVC flavour, via clang) or MinGW gcc (GNU flavour),
the way PyO3's build links: ``-L DIR -l NAME`` or ``DIR/NAME.lib``.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from support import require_tool

PROBE_C = r"""
typedef struct _object PyObject;
__declspec(dllimport) PyObject *PyLong_FromLong(long value);
__declspec(dllimport) extern PyObject *PyExc_TypeError;
__declspec(dllimport) extern PyObject _Py_NoneStruct;

__declspec(dllexport) void *probe_pointers[3];

__declspec(dllexport) PyObject *probe(long value)
{
    probe_pointers[0] = PyExc_TypeError;
    probe_pointers[1] = &_Py_NoneStruct;
    probe_pointers[2] = (void *)&PyLong_FromLong;
    return PyLong_FromLong(value);
}
"""

#: What the probe must import, whatever the library.
PROBE_IMPORTS = {"PyLong_FromLong", "PyExc_TypeError", "_Py_NoneStruct"}

#: PyPy's C API exports the same names with a PyPy prefix (its headers rename them).
PYPY_PROBE_C = (
    PROBE_C.replace("PyLong_FromLong", "PyPyLong_FromLong")
    .replace("PyExc_TypeError", "PyPyExc_TypeError")
    .replace("_Py_NoneStruct", "_PyPy_NoneStruct")
)
PYPY_PROBE_IMPORTS = {"PyPyLong_FromLong", "PyPyExc_TypeError", "_PyPy_NoneStruct"}

CLANG_TRIPLES = {
    "x86_64": "x86_64-pc-windows-msvc",
    "i686": "i686-pc-windows-msvc",
    "aarch64": "aarch64-pc-windows-msvc",
}
MINGW_GCC = {"x86_64": "x86_64-w64-mingw32-gcc", "i686": "i686-w64-mingw32-gcc"}


def _run(argv: list[str], cwd: Path) -> None:
    result = subprocess.run(argv, cwd=cwd, capture_output=True, text=True)
    if result.returncode != 0:
        raise AssertionError(f"{' '.join(argv)} failed:\n{result.stdout}\n{result.stderr}")


def link_msvc(arch: str, library: Path, work: Path, source: str = PROBE_C) -> Path:
    """A DLL linked by lld-link against ``library`` (a .lib path, as MSVC builds pass it)."""
    clang = require_tool("clang")
    lld_link = require_tool("lld-link")
    work.mkdir(parents=True, exist_ok=True)
    (work / "probe.c").write_text(source)
    _run(
        [clang, f"--target={CLANG_TRIPLES[arch]}", "-O1", "-c", "probe.c", "-o", "probe.obj"], work
    )
    _run(
        [
            lld_link,
            "/dll",
            "/noentry",
            "/nodefaultlib",
            "/out:probe.dll",
            "probe.obj",
            str(library),
        ],
        work,
    )
    return work / "probe.dll"


def link_mingw(arch: str, lib_dir: Path, lib_name: str, work: Path, source: str = PROBE_C) -> Path:
    """A DLL linked by MinGW gcc with ``-L lib_dir -l lib_name``, as PyO3's build does."""
    gcc = require_tool(MINGW_GCC[arch])
    work.mkdir(parents=True, exist_ok=True)
    (work / "probe.c").write_text(source)
    _run(
        [gcc, "-O1", "-shared", "-o", "probe.dll", "probe.c", "-L", str(lib_dir), "-l", lib_name],
        work,
    )
    return work / "probe.dll"


def link_llvm_mingw(
    arch: str, lib_dir: Path, lib_name: str, work: Path, source: str = PROBE_C
) -> Path:
    """A DLL linked by clang + lld in MinGW mode (the gnullvm targets), ``-L -l``."""
    clang = require_tool("clang")
    require_tool("ld.lld")
    work.mkdir(parents=True, exist_ok=True)
    (work / "probe.c").write_text(source)
    # No C runtime here: the probe is only linked and read, never loaded.
    argv = [clang, f"--target={arch}-w64-windows-gnu", "-fuse-ld=lld", "-shared", "-nostdlib"]
    argv += ["-Wl,-e,probe", "-o", "probe.dll", "probe.c", "-L", str(lib_dir), "-l", lib_name]
    _run(argv, work)
    return work / "probe.dll"


def dll_imports(dll: Path) -> dict[str, set[str]]:
    """The DLL's import table: imported DLL name (lower case) -> names imported."""
    import pefile

    pe = pefile.PE(str(dll), fast_load=True)
    pe.parse_data_directories(directories=[pefile.DIRECTORY_ENTRY["IMAGE_DIRECTORY_ENTRY_IMPORT"]])
    table: dict[str, set[str]] = {}
    for entry in getattr(pe, "DIRECTORY_ENTRY_IMPORT", []):
        names = table.setdefault(entry.dll.decode().lower(), set())
        for imp in entry.imports:
            names.add(imp.name.decode() if imp.name else f"#{imp.ordinal}")
    pe.close()
    return table
