"""Reading export tables: DLLs built here with MinGW gcc, and the official CPython DLLs.

llvm-readobj lists the same tables independently (names, ordinals,
forwarders); the kinds of the CPython DLLs' exports are checked against the
reference tables, whose DATA marks came from MinGW's gendef.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from implib.coff.deffile import Export
from implib.coff.pe import (
    DllError,
    DllExport,
    DllExports,
    definition_from_dll,
    definition_from_exports,
    forward_target,
    read_exports,
    resolve_forwarders,
)

from defgen.tables import read_export_table
from support import UPSTREAM, missing, require_tool

DEMO_C = r"""
__declspec(dllexport) int counter = 3;
__declspec(dllexport) const int limit = 5;
__declspec(dllexport) const char *message = "hi";
__declspec(dllexport) int add(int a, int b) { return a + b + counter; }
int hidden(void) { return 7; }
"""
DEMO_DEF = """LIBRARY demo.dll
EXPORTS
    add
    counter DATA
    limit DATA
    message DATA
    hidden @7 NONAME
"""
DEMO = (
    Export("add"),
    Export("counter", data=True),
    Export("limit", data=True),
    Export("message", data=True),
    Export("ordinal7", ordinal=7, noname=True),
)
FORWARDS_DEF = """LIBRARY forwards.dll
EXPORTS
    fwd_add = demo.add
    fwd_counter = demo.counter
    own_function
"""
COMPILERS = ("x86_64-w64-mingw32-gcc", "i686-w64-mingw32-gcc")


def _gcc(compiler: str, folder: Path, name: str, source: str, *extra: str) -> Path:
    gcc = require_tool(compiler)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.c").write_text(source)
    output = folder / name
    subprocess.run(
        [gcc, "-O1", "-o", str(output), str(folder / f"{name}.c"), *extra],
        check=True, capture_output=True, text=True, cwd=folder,
    )  # fmt: skip
    return output


@pytest.fixture(scope="module", params=COMPILERS)
def built(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with demo.dll and forwards.dll (forwarding into demo.dll)."""
    folder = tmp_path_factory.mktemp(request.param.split("-")[0])
    (folder / "demo.def").write_text(DEMO_DEF)
    (folder / "forwards.def").write_text(FORWARDS_DEF)
    _gcc(request.param, folder, "demo.dll", DEMO_C, "-shared", "demo.def")
    _gcc(request.param, folder, "forwards.dll", "int own_function(void) { return 1; }\n",
         "-shared", "forwards.def")  # fmt: skip
    return folder


def _readobj(path: Path) -> list[tuple[int, str, str]]:
    """(ordinal, name, forwarder) per export, as llvm-readobj lists them."""
    tool = require_tool("llvm-readobj-19")
    text = subprocess.run(
        [tool, "--coff-exports", str(path)], check=True, capture_output=True, text=True
    ).stdout
    return [
        (int(block[0]), block[1].strip(), block[2] or "")
        for block in re.findall(
            r"Export \{\n\s*Ordinal: (\d+)\n\s*Name:(.*)\n(?:\s*ForwardedTo: (\S+)\n)?", text
        )
    ]


def _as_readobj(exports: DllExports) -> list[tuple[int, str, str]]:
    return sorted((e.ordinal, e.name or "", e.forwarder or "") for e in exports.exports)


def test_gcc_dll_names_kinds_and_noname(built: Path) -> None:
    definition = definition_from_dll(built / "demo.dll")
    assert definition.library == "demo.dll"
    assert definition.exports == DEMO
    assert _as_readobj(read_exports(built / "demo.dll")) == _readobj(built / "demo.dll")


def test_forwarders_take_their_targets_kind(built: Path) -> None:
    alone = read_exports(built / "forwards.dll")
    assert alone.forwarded_dlls() == {"demo.dll"}
    assert {e.name: (e.kind, e.forwarder) for e in alone.exports} == {
        "fwd_add": ("code", "demo.add"),
        "fwd_counter": ("code", "demo.counter"),  # unknown without demo.dll
        "own_function": ("code", None),
    }
    assert _as_readobj(alone) == _readobj(built / "forwards.dll")

    demo = read_exports(built / "demo.dll")
    resolved = read_exports(built / "forwards.dll", targets={"DEMO": demo})
    assert resolved.by_name()["fwd_counter"].kind == "data"
    assert resolve_forwarders(alone, {"demo.dll": demo}) == resolved

    # definition_from_dll finds demo.dll beside forwards.dll, unless told where.
    assert definition_from_dll(built / "forwards.dll").exports == (
        Export("fwd_add"), Export("fwd_counter", data=True), Export("own_function"),
    )  # fmt: skip
    elsewhere = definition_from_dll(built / "forwards.dll", search=[built / "nowhere"])
    assert not elsewhere.by_name()["fwd_counter"].data


def test_ordinal_forwarder_and_unknown_targets() -> None:
    target = DllExports("t.dll", (DllExport(None, 9, "data"), DllExport("f", 10, "code")))
    source = DllExports(
        "s.dll",
        (
            DllExport("by_ordinal", 1, "code", "t.#9"),
            DllExport("by_name", 2, "code", "T.f"),
            DllExport("missing_name", 3, "code", "t.nothing"),
            DllExport("other_dll", 4, "code", "u.f"),
        ),
    )
    targets = {"t.dll": target}
    assert forward_target(source.exports[0], targets) == target.exports[0]
    assert forward_target(source.exports[2], targets) is None
    assert forward_target(target.exports[1], targets) is None  # not a forwarder
    kinds = {e.name: e.kind for e in resolve_forwarders(source, targets).exports}
    assert kinds == {"by_ordinal": "data", "by_name": "code", "missing_name": "code",
                     "other_dll": "code"}  # fmt: skip
    assert definition_from_exports(target).exports == (
        Export("f"), Export("ordinal9", ordinal=9, noname=True, data=True),
    )  # fmt: skip


def _table(name: str) -> dict[str, str]:
    path = UPSTREAM / "exports" / f"{name}.txt"
    if not path.exists():
        missing(f"{path} not found")
    return {e.name: e.kind for e in read_export_table(path).exports}


_DANGLING_38 = {
    "PyCFunction_New", "PyEval_GetCallStats", "PyEval_ReInitThreads", "PyNullImporter_Type",
    "PyOS_CheckStack", "PySortWrapper_Type", "_PyTrash_delete_later", "_PyTrash_delete_nesting",
}  # fmt: skip
_DANGLING_311 = {"PyOS_CheckStack", "_Py_NegativeRefcount", "_Py_RefTotal"}
DANGLING = {
    "python38.dll": _DANGLING_38,
    "python39.dll": _DANGLING_38 | {"PyImport_Cleanup"},
    "python310.dll": set(),
    "python311.dll": _DANGLING_311,
    "python312.dll": _DANGLING_311,
    "python313.dll": _DANGLING_311,
}


def test_official_cpython_dlls(embedded_python: Path) -> None:
    python3 = read_exports(embedded_python / "python3.dll")
    assert python3.dll_name == "python3.dll"
    assert all(e.forwarder for e in python3.exports)
    (target,) = python3.forwarded_dlls()
    assert re.fullmatch(r"python3\d+\.dll", target)
    assert _as_readobj(python3) == _readobj(embedded_python / "python3.dll")

    # Forwarders into nothing: names python3X.dll dropped (3.8, 3.9), and
    # since 3.11 the items of two undecided feature macros.
    python3x = read_exports(embedded_python / target)
    dangling = {e.name for e in python3.exports if forward_target(e, {target: python3x}) is None}
    assert dangling == DANGLING[target]

    main = definition_from_dll(embedded_python / target)
    assert main.library == target
    assert _as_readobj(python3x) == _readobj(embedded_python / target)
    kinds = {e.name: e.kind for e in main.exports}
    assert kinds["PyLong_FromLong"] == "code"
    assert kinds["PyExc_TypeError"] == kinds["_Py_NoneStruct"] == kinds["PyType_Type"] == "data"
    # gendef's DATA marks, in the reference table made from a release of the same series.
    reference = _table(target[:-4])
    assert {name: reference.get(name) for name in kinds} == kinds

    # python3.dll's kinds come from python3X.dll, found beside it.
    abi3 = definition_from_dll(embedded_python / "python3.dll").by_name()
    assert abi3["PyExc_TypeError"].data and not abi3["PyLong_FromLong"].data
    assert {n for n, e in abi3.items() if e.data} <= {n for n, k in kinds.items() if k == "data"}


def _error(path: Path) -> str:
    with pytest.raises(DllError) as info:
        read_exports(path)
    error = info.value
    assert error.__cause__ is None and (error.__context__ is None or error.__suppress_context__)
    message = str(error)
    assert "\n" not in message and message.startswith(str(path) + ": ")
    return message[len(str(path)) + 2 :]


def test_errors_name_the_file(tmp_path: Path, built: Path) -> None:
    data = (built / "demo.dll").read_bytes()
    (tmp_path / "text.dll").write_text("hello, not a DLL\n")
    (tmp_path / "empty.dll").write_bytes(b"")
    (tmp_path / "dos.dll").write_bytes(b"MZ" + b"\0" * 30)
    (tmp_path / "head.dll").write_bytes(data[:300])
    (tmp_path / "half.dll").write_bytes(data[: len(data) // 2])
    (tmp_path / "badpe.dll").write_bytes(data[:0x3C] + b"\x40\0\0\0" + b"\0" * 0x400)
    assert _error(tmp_path / "text.dll") == "not a PE file (no MZ signature)"
    assert _error(tmp_path / "empty.dll") == "not a PE file (no MZ signature)"
    assert _error(tmp_path / "dos.dll").startswith("truncated: ")
    assert _error(tmp_path / "head.dll").startswith("truncated: ")
    assert re.fullmatch(
        r"truncated: its sections need \d+ bytes, the file has \d+", _error(tmp_path / "half.dll")
    )
    assert _error(tmp_path / "badpe.dll").startswith("not a valid PE file (")
    assert _error(tmp_path / "absent.dll") == "cannot read: No such file or directory"


@pytest.mark.parametrize("compiler", COMPILERS)
def test_pe_files_without_exports(tmp_path: Path, compiler: str) -> None:
    # ld gives every DLL an export directory, here an empty one.
    nothing = _gcc(compiler, tmp_path, "nothing.dll", "static int f(void) { return 1; }\n",
                   "-shared", "-Wl,--exclude-all-symbols")  # fmt: skip
    assert _error(nothing) == "the export table is empty"
    # An executable has no export directory at all.
    program = _gcc(compiler, tmp_path, "program.exe", "int main(void) { return 0; }\n")
    assert _error(program) == "no export table"


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_damaged_dlls_raise_only_dll_error(
    built: Path, tmp_path: Path, data: st.DataObject
) -> None:
    original = bytearray((built / "demo.dll").read_bytes())
    for _ in range(data.draw(st.integers(1, 20))):
        # Damage the headers and the export table most: that is where parsing goes wrong.
        end = data.draw(st.sampled_from([0x400, len(original)]))
        offset = data.draw(st.integers(0, end - 1))
        original[offset] = data.draw(st.integers(0, 255))
    path = tmp_path / "damaged.dll"
    path.write_bytes(bytes(original[: data.draw(st.integers(0, len(original)))]))
    try:
        read_exports(path)
    except DllError as error:
        assert str(error).startswith(str(path))
