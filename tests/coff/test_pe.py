"""Reading export tables: DLLs built here, wine's DLLs and the official CPython DLLs.

llvm-readobj lists the same tables independently (names, ordinals,
forwarders, and the sections that tell code from data). Names pefile
cannot read (long ones, with spaces, ``;``, ``=``, newlines, non-ASCII) come
from a DLL linked here by lld-link.
"""

from __future__ import annotations

import contextlib
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from implib.coff.deffile import DefError, Export, format_def, parse_def, read_def
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

from coff.importcheck import ODD_NAMES, odd_names_dll
from support import missing, require_tool

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


def _readobj_kinds(path: Path) -> dict[str, str]:
    """Each named export's kind from llvm-readobj alone: its RVA's section executes or not."""
    tool = require_tool("llvm-readobj-19")
    text = subprocess.run(
        [tool, "--sections", "--coff-exports", str(path)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    sections = [
        (int(address, 16), max(int(size, 16), int(raw)), int(flags, 16))
        for size, address, raw, flags in re.findall(
            r"VirtualSize: (0x[0-9A-F]+)\n\s*VirtualAddress: (0x[0-9A-F]+)\n\s*RawDataSize: (\d+)"
            r"\n(?:.*\n)*?\s*Characteristics \[ \((0x[0-9A-F]+)\)",
            text,
        )
    ]
    kinds = {}
    for name, rva in re.findall(r"\n  Name: (.+)\n  RVA: (0x[0-9A-F]+)\n", text):
        address = int(rva, 16)
        flags = next((f for start, size, f in sections if start <= address < start + size), 0)
        kinds[name] = "code" if flags & 0x20000020 else "data"
    return kinds


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
    # The kinds llvm-readobj's section table gives the same addresses.
    assert kinds == _readobj_kinds(embedded_python / target)

    # python3.dll's kinds come from python3X.dll, found beside it.
    abi3 = definition_from_dll(embedded_python / "python3.dll").by_name()
    assert abi3["PyExc_TypeError"].data and not abi3["PyLong_FromLong"].data
    assert {n for n, e in abi3.items() if e.data} <= {n for n, k in kinds.items() if k == "data"}


def _error(path: Path) -> str:
    with pytest.raises(DllError) as info:
        read_exports(path)
    error = info.value
    # Only an OSError (errno) is kept as the cause; format errors stand alone.
    assert error.__cause__ is None or isinstance(error.__cause__, OSError)
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


# -- names pefile could not read, wine's DLLs, huge and damaged files ---------------------


@pytest.fixture(scope="module")
def odd_dll(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return odd_names_dll(tmp_path_factory.mktemp("odd"))


def _readobj_names(path: Path) -> list[str]:
    """The export names llvm-readobj prints, a name over several lines included."""
    tool = require_tool("llvm-readobj-19")
    text = subprocess.run(
        [tool, "--coff-exports", str(path)], check=True, capture_output=True
    ).stdout.decode("utf-8")
    names = re.findall(r"\n  Name: (.*?)\n  (?:RVA|ForwardedTo): ", text, re.S)
    return [name for name in names if name]  # "": an unused ordinal


def test_every_name_exactly(odd_dll: Path) -> None:
    names = {e.name: e.kind for e in read_exports(odd_dll).exports}
    assert sorted(names) == sorted(_readobj_names(odd_dll))
    assert set(ODD_NAMES) <= set(names)
    assert names["data with space"] == "data" and names["with space"] == "code"


def test_defs_from_dll_round_trips_every_name(odd_dll: Path, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from implib.cli import main

    result = CliRunner().invoke(
        main, ["defs", "from-dll", str(odd_dll), "-o", str(tmp_path / "o.def")]
    )
    assert result.exit_code == 0, result.output
    written = read_def(tmp_path / "o.def")
    assert sorted(written.names()) == sorted(_readobj_names(odd_dll))
    assert not any(e.noname for e in written.exports)
    assert written.by_name()["data with space"].data


def test_a_name_no_def_can_hold_fails_the_command(odd_dll: Path, tmp_path: Path) -> None:
    data = bytearray(odd_dll.read_bytes())
    at = data.index(b"\0with space\0") + 1
    data[at : at + 10] = b'"ith space'  # a quote first: no .def can say it
    (tmp_path / "quote.dll").write_bytes(bytes(data))
    from click.testing import CliRunner

    from implib.cli import main

    result = CliRunner().invoke(main, ["defs", "from-dll", str(tmp_path / "quote.dll")])
    assert result.exit_code == 1
    assert result.output.strip().splitlines()[-1] == (
        f"Error: {tmp_path / 'quote.dll'}: cannot write a .def: the export name "
        "'\"ith space' holds a double quote"
    )


def test_a_name_that_is_not_utf8_is_an_error(odd_dll: Path, tmp_path: Path) -> None:
    data = bytearray(odd_dll.read_bytes())
    at = data.index(b"semi;colon\0")
    data[at] = 0xFF
    (tmp_path / "latin.dll").write_bytes(bytes(data))
    assert re.fullmatch(
        r"export name \d+ at RVA 0x[0-9a-f]+ is not UTF-8: .*", _error(tmp_path / "latin.dll")
    )


WINE = sorted(
    path
    for arch in ("x86_64-windows", "i386-windows")
    for path in Path(f"/usr/lib/x86_64-linux-gnu/wine/{arch}").glob("*.dll")
)
_EXPORT = re.compile(
    r"Export \{\n\s*Ordinal: (\d+)\n(?:\s*Name: (.*)\n)?(?:\s*ForwardedTo: .*\n)?"
    r"(?:\s*RVA: (0x[0-9A-F]+)\n)?\s*\}"
)


def _readobj_exports(paths: list[Path]) -> dict[Path, str]:
    """llvm-readobj's --coff-exports text per DLL, 50 DLLs a process; those it fails on left out."""
    tool = require_tool("llvm-readobj-19")
    texts: dict[Path, str] = {}
    pending = list(paths)
    while pending:
        chunk, pending = pending[:50], pending[50:]
        result = subprocess.run([tool, "--coff-exports", *map(str, chunk)], capture_output=True)
        stdout, stderr = result.stdout.decode("utf-8"), result.stderr.decode("utf-8")
        done = []
        for block in stdout.split("\nFile: ")[1:]:
            name, _, text = block.partition("\n")
            path = Path(name.strip())
            done.append(path)
            if f"'{path}'" not in stderr:  # msnet32.dll: LLVM cannot read it (no ordinal table)
                texts[path] = text
        if result.returncode:  # readobj stops at a DLL it cannot read: go on after it
            rest = chunk[len(done) :]
            printed = bool(done) and f"'{done[-1]}'" in stderr  # failed after its header?
            pending = (rest if printed else rest[1:]) + pending
    return texts


def _round_trip_matches_readobj(paths: list[Path]) -> tuple[int, int, list[str]]:
    """(DLLs compared, names compared, mismatches): from-dll's .def, read back, vs readobj."""
    compared = names = 0
    problems = []
    for path, text in _readobj_exports(paths).items():
        blocks = _EXPORT.findall(text)
        named = sorted(name for _, name, _ in blocks if name)
        unnamed = sorted(int(o) for o, name, rva in blocks if not name and rva != "0x0")
        try:
            definition = parse_def(format_def(definition_from_dll(path, search=[])))
        except DllError as exc:
            if blocks or not str(exc).endswith(("no export table", "the export table is empty")):
                problems.append(str(exc))
            continue
        compared += 1
        names += len(named)
        ours = sorted(e.name for e in definition.exports if not e.noname)
        if ours != named or sorted(e.ordinal for e in definition.exports if e.noname) != unnamed:
            problems.append(f"{path}: names differ")
    return compared, names, problems


def test_wine_dlls_round_trip_through_from_dll() -> None:
    if not WINE:
        missing("wine's DLLs not found (apt-get install wine64)")
    compared, names, problems = _round_trip_matches_readobj(WINE)
    assert not problems, problems[:5]
    assert compared > 400 and names > 70_000


def test_cpython_dlls_round_trip_through_from_dll(embedded_python: Path) -> None:
    compared, names, problems = _round_trip_matches_readobj(sorted(embedded_python.glob("*.dll")))
    assert not problems and compared >= 2 and names > 1500


def _limited(argv: list[str], memory: int) -> subprocess.CompletedProcess[str]:
    import resource

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))

    return subprocess.run(argv, capture_output=True, text=True, preexec_fn=limit, timeout=120)


def test_a_3_gb_dll_under_a_1_gb_memory_limit(built: Path, tmp_path: Path) -> None:
    """Only the headers and the export table are read, whatever the file's size."""
    huge = tmp_path / "demo.dll"
    huge.write_bytes((built / "demo.dll").read_bytes())
    with huge.open("r+b") as stream:
        stream.truncate(3 << 30)  # sparse: trailing data the headers do not mention
    result = _limited([sys.executable, "-m", "implib", "defs", "from-dll", str(huge)], 1 << 30)
    assert result.returncode == 0, result.stderr
    assert "counter DATA" in result.stdout


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_damaged_odd_dlls_raise_only_dll_error(
    odd_dll: Path, tmp_path: Path, data: st.DataObject
) -> None:
    """The same fuzzing on a DLL with long and odd names; no traceback, no hang."""
    original = bytearray(odd_dll.read_bytes())
    for _ in range(data.draw(st.integers(1, 20))):
        offset = data.draw(st.integers(0, len(original) - 1))
        original[offset] = data.draw(st.integers(0, 255))
    path = tmp_path / "damaged.dll"
    path.write_bytes(bytes(original))
    try:
        definition = definition_from_dll(path, search=[])
    except DllError as error:
        assert str(error).startswith(str(path)) and "\n" not in str(error)
    else:
        with contextlib.suppress(DefError):  # a name no .def holds: from-dll says so
            format_def(definition)
