"""The external tool backends give the built-in writer's result.

Every tool here is real: llvm-dlltool-19, llvm-lib-19, MinGW-w64's GNU
dlltool and zig (the pip ``ziglang`` package). The LLVM-based ones must
write the built-in writer's bytes; GNU dlltool writes another format, so a
DLL linked against its library must import what one linked against the
built-in library imports. The probe DLL imports every export of the list.
"""

from __future__ import annotations

import functools
import importlib.util
import os
import shlex
import stat
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from implib.api import generate, generate_from_def
from implib.backends import (
    Backend,
    BackendError,
    default_tool,
    get_backend,
    select_backend,
    tool_infos,
)
from implib.backends.builtin import BuiltinBackend
from implib.backends.dlltool import DlltoolBackend
from implib.backends.external import find_program
from implib.backends.lib import LibBackend
from implib.backends.llvm_dlltool import LlvmDlltoolBackend
from implib.backends.zig import ZigBackend
from implib.coff.deffile import ModuleDefinition, read_def
from implib.coff.writer import write_import_library
from implib.exportlists import definition_for
from implib.pythons import parse_python
from implib.targets import Flavour, Target, parse_target

from linking import MINGW_GCC, dll_imports, link_mingw, link_msvc
from support import DATA, ROOT, missing, require_tool

ARCHES = ("x86_64", "i686", "aarch64")
BUILDS = ("abi3", "3.12")
CORPUS = sorted((DATA / "defs").glob("*.def"))
#: The flavour each tool's libraries are compared in: lib reads names as MSVC.
FLAVOURS = {
    "llvm-dlltool": Flavour.GNU,
    "lib": Flavour.MSVC,
    "dlltool": Flavour.GNU,
    "zig": Flavour.GNU,
}
SAME_BYTES = ("llvm-dlltool", "lib", "zig")


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """The developer's own tool choices must not leak into these tests."""
    monkeypatch.delenv("ZIG_COMMAND", raising=False)
    monkeypatch.delenv("PYO3_MINGW_DLLTOOL", raising=False)


@pytest.fixture
def private_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Backends' temporary folders go here, and none may be left at the end."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    yield folder
    assert list(folder.iterdir()) == []


def _zig_available() -> None:
    if find_program("zig") is None and importlib.util.find_spec("ziglang") is None:
        missing("zig not found (pip install ziglang)")


def tool(name: str) -> Backend:
    """The backend ``name`` pinned to the tool versions the tests expect."""
    if name == "llvm-dlltool":
        return LlvmDlltoolBackend(require_tool("llvm-dlltool-19"))
    if name == "lib":
        return LibBackend(require_tool("llvm-lib-19"))
    if name == "dlltool":
        require_tool("x86_64-w64-mingw32-dlltool")
        require_tool("i686-w64-mingw32-dlltool")
        return DlltoolBackend()
    _zig_available()
    return ZigBackend()


@functools.cache
def python_definition(build: str) -> ModuleDefinition:
    return definition_for(parse_python(build))


@functools.cache
def builtin_bytes(build: str, target: Target) -> bytes:
    return BuiltinBackend().write_library(python_definition(build), target)


def cases(tools: tuple[str, ...]) -> list[Any]:
    return [
        pytest.param(name, arch, build, id=f"{name}-{arch}-{build}")
        for name in tools
        for arch in ARCHES
        for build in BUILDS
        if name != "dlltool" or arch != "aarch64"
    ]


# -- the same bytes ----------------------------------------------------------


@pytest.mark.parametrize(("name", "arch", "build"), cases(SAME_BYTES))
def test_same_bytes_as_builtin(name: str, arch: str, build: str, private_tmp: Path) -> None:
    target = Target(arch, FLAVOURS[name])
    data = tool(name).write_library(python_definition(build), target)
    assert data == builtin_bytes(build, target)


@pytest.mark.parametrize("arch", ARCHES)
def test_zig_same_bytes_on_the_corpus(arch: str) -> None:
    """zig's LLVM is newer than 19; it still writes 19's bytes for every .def here."""
    zig, target = tool("zig"), Target(arch, Flavour.GNU)
    for def_file in CORPUS:
        definition = read_def(def_file)
        if not definition.library:
            continue
        llvm_19 = write_import_library(definition, target.machine, gnu_ld=False)  # no long format
        assert zig.write_library(definition, target) == llvm_19, def_file


# -- the same imports --------------------------------------------------------


def probe_source(definition: ModuleDefinition) -> str:
    """C that takes the address of every export, so the DLL imports them all."""
    names = [export.name for export in definition.exports if not export.private]
    lines = [f"__declspec(dllimport) extern char {name};" for name in names]
    lines.append("__declspec(dllexport) void implib_probe(void **table)\n{")
    lines += [f"    table[{i}] = &{name};" for i, name in enumerate(names)]
    lines.append("}\n")
    return "\n".join(lines)


def link(library: bytes, target: Target, build: str, work: Path) -> dict[str, set[str]]:
    """The imports of a probe DLL linked against ``library`` as the target's builds do."""
    definition = python_definition(build)
    stem = definition.library.rsplit(".", 1)[0]
    lib_dir = work / "lib"
    lib_dir.mkdir(parents=True)
    source = probe_source(definition)
    if target.flavour.mingw and target.arch in MINGW_GCC:
        (lib_dir / f"{stem}.dll.a").write_bytes(library)
        dll = link_mingw(target.arch, lib_dir, stem, work / "gcc", source)
    else:
        (lib_dir / f"{stem}.lib").write_bytes(library)
        dll = link_msvc(target.arch, lib_dir / f"{stem}.lib", work / "lld", source)
    return dll_imports(dll)


@functools.cache
def builtin_imports(build: str, target: Target, work: Path) -> dict[str, set[str]]:
    return link(builtin_bytes(build, target), target, build, work)


@pytest.fixture(scope="session")
def builtin_work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("builtin-links")


@pytest.mark.parametrize(("name", "arch", "build"), cases(tuple(FLAVOURS)))
def test_links_to_the_same_imports(
    name: str, arch: str, build: str, tmp_path: Path, builtin_work: Path, pefile_module: Any
) -> None:
    target = Target(arch, FLAVOURS[name])
    data = tool(name).write_library(python_definition(build), target)
    expected = builtin_imports(build, target, builtin_work / f"{arch}-{target.flavour}-{build}")
    definition = python_definition(build)
    # MinGW's DLLs import its runtime too: the Python DLL's entry is the one to check.
    assert expected[definition.library.lower()] == set(definition.names())
    assert link(data, target, build, tmp_path) == expected


def test_gnu_dlltool_libraries_also_link_with_lld(tmp_path: Path, pefile_module: Any) -> None:
    """Long-format objects are ordinary COFF: lld-link takes them as well."""
    definition = python_definition("abi3")
    data = tool("dlltool").write_library(definition, Target("x86_64", Flavour.GNU))
    (tmp_path / "python3.lib").write_bytes(data)
    dll = link_msvc("x86_64", tmp_path / "python3.lib", tmp_path / "w", probe_source(definition))
    assert dll_imports(dll)["python3.dll"] == set(definition.names())


def test_gnu_dlltool_is_deterministic_and_any_x86_one_does_i686(private_tmp: Path) -> None:
    """-m, --32 and --deterministic-libraries make the x86_64 dlltool write i686's library."""
    tool("dlltool")
    target, definition = Target("i686", Flavour.GNU), python_definition("abi3")
    own = DlltoolBackend("i686-w64-mingw32-dlltool").write_library(definition, target)
    other = DlltoolBackend("x86_64-w64-mingw32-dlltool").write_library(definition, target)
    assert own == other == DlltoolBackend().write_library(definition, target)


def test_gnu_dlltool_has_no_aarch64() -> None:
    backend = DlltoolBackend()
    target = Target("aarch64", Flavour.GNULLVM)
    assert not backend.supports(target)
    with pytest.raises(BackendError, match="x86_64 and i686 only"):
        backend.write_library(python_definition("abi3"), target)


# -- choosing a tool through the environment ----------------------------------


def write_script(path: Path, body: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("#!/bin/sh\n" + body)
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


@pytest.fixture
def posix_scripts() -> None:
    if os.name == "nt":
        pytest.skip("the wrapper tools are shell scripts")


def test_zig_command_of_several_words(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, private_tmp: Path
) -> None:
    if importlib.util.find_spec("ziglang") is None:
        missing("the ziglang package is not installed (pip install ziglang)")
    monkeypatch.setenv("ZIG_COMMAND", f"{shlex.quote(sys.executable)} -m ziglang")
    target = parse_target("x86_64-pc-windows-gnu")
    assert select_backend(target).name == "zig"
    result = generate(target, "abi3", tmp_path / "out", use_cache=False)
    assert result.backend == "zig"
    assert result.path.read_bytes() == builtin_bytes("abi3", target)


def test_pyo3_mingw_dlltool_wrapper(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, private_tmp: Path, posix_scripts: None
) -> None:
    real = require_tool("x86_64-w64-mingw32-dlltool")
    marker = tmp_path / "marker"
    wrapper = write_script(
        tmp_path / "bin dir" / "my-dlltool",
        f'echo "$@" >> {shlex.quote(str(marker))}\nexec {shlex.quote(real)} "$@"\n',
    )
    monkeypatch.setenv("PYO3_MINGW_DLLTOOL", str(wrapper))
    target = parse_target("x86_64-pc-windows-gnu")
    assert select_backend(target).name == "dlltool"
    assert select_backend(parse_target("x86_64-pc-windows-msvc")).name == "builtin"
    out = tmp_path / "out"
    result = generate(target, "3.12", out, use_cache=False)
    assert result.backend == "dlltool"
    assert "--input-def python312.def --output-lib python312.dll.a" in marker.read_text()
    # Only the libraries: dlltool's temporary objects stayed in its own folder.
    assert sorted(p.name for p in out.iterdir()) == sorted(p.name for p in result.paths)
    assert DlltoolBackend().info().path == str(wrapper)


@pytest.mark.parametrize(
    ("variable", "value", "words"),
    [
        ("PYO3_MINGW_DLLTOOL", "/nonexistent/dlltool", ["/nonexistent/dlltool", "apt-get install"]),
        ("ZIG_COMMAND", "nonexistent-zig", ["'nonexistent-zig'", "pip install ziglang"]),
    ],
)
def test_missing_tool(
    variable: str,
    value: str,
    words: list[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    private_tmp: Path,
) -> None:
    monkeypatch.setenv(variable, value)
    out = tmp_path / "out"
    with pytest.raises(BackendError) as error:
        generate("x86_64-pc-windows-gnu", "abi3", out, use_cache=False)
    message = str(error.value)
    assert "not found" in message
    assert f"{variable}={value}" in message
    for word in words:
        assert word in message
    assert not out.exists() or list(out.iterdir()) == []


@pytest.mark.parametrize("variable", ["PYO3_MINGW_DLLTOOL", "ZIG_COMMAND"])
def test_failing_tool(
    variable: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    private_tmp: Path,
    posix_scripts: None,
) -> None:
    broken = write_script(
        tmp_path / "broken-tool",
        'for i in $(seq 1 50); do echo "noise $i" >&2; done\n'
        'echo "broken-tool: cannot read the .def: $*" >&2\nexit 3\n',
    )
    monkeypatch.setenv(variable, str(broken))
    def_file = tmp_path / "mylib.def"
    def_file.write_text("LIBRARY mylib.dll\nEXPORTS\n    my_function\n")
    out = tmp_path / "out"
    with pytest.raises(BackendError) as error:
        generate_from_def("x86_64-pc-windows-gnu", def_file, out, use_cache=False)
    message = str(error.value)
    assert "exit status 3" in message
    assert "broken-tool: cannot read the .def:" in message
    assert "mylib.def" in message
    assert "noise 40" in message and "noise 20\n" not in message  # the end of a long stderr
    assert str(private_tmp) not in message
    assert not out.exists() or list(out.iterdir()) == []


def test_tool_succeeding_without_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, private_tmp: Path, posix_scripts: None
) -> None:
    idle = write_script(tmp_path / "idle-tool", "echo 'nothing to do'\n")
    monkeypatch.setenv("PYO3_MINGW_DLLTOOL", str(idle))
    with pytest.raises(BackendError, match="wrote no library: nothing to do"):
        DlltoolBackend().write_library(python_definition("abi3"), Target("x86_64", Flavour.GNU))


def test_no_dll_name() -> None:
    backend = LlvmDlltoolBackend(require_tool("llvm-dlltool-19"))
    with pytest.raises(BackendError, match="no LIBRARY"):
        backend.write_library(ModuleDefinition("", ()), Target("x86_64", Flavour.GNU))


# -- old llvm-lib, versions, the tools list ------------------------------------


def test_old_llvm_lib_is_refused() -> None:
    old = find_program("llvm-lib-14")
    if old is None:
        pytest.skip("no llvm-lib-14 here to refuse")
    with pytest.raises(BackendError, match=r"LLVM 14\.[\d.]*\) is too old.*before LLVM 19"):
        LibBackend(old).write_library(python_definition("abi3"), Target("x86_64", Flavour.MSVC))


def test_old_llvm_lib_on_path_is_skipped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, posix_scripts: None
) -> None:
    """Debian's plain llvm-lib is LLVM 14: the search passes over it to llvm-lib-19."""
    llvm_lib_19 = require_tool("llvm-lib-19")
    bin_dir = tmp_path / "bin"
    write_script(bin_dir / "llvm-ar", "echo 'Debian LLVM version 14.0.6'\n")
    write_script(bin_dir / "llvm-lib", "exit 1\n")
    monkeypatch.setenv("PATH", os.pathsep.join([str(bin_dir), os.environ["PATH"]]))
    info = LibBackend().info()
    assert "skipped" in info.note and "LLVM 14.0.6" in info.note
    assert info.path == llvm_lib_19
    monkeypatch.setenv("PATH", str(bin_dir))
    only_old = LibBackend()
    assert not only_old.info().found
    with pytest.raises(BackendError, match="too old"):
        only_old.write_library(python_definition("abi3"), Target("x86_64", Flavour.MSVC))


def test_old_llvm_dlltool_on_path_comes_after_llvm_19(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, posix_scripts: None
) -> None:
    """Debian's plain llvm-dlltool is LLVM 14: LLVM 19 is taken first, as lib does."""
    llvm_dlltool_19 = require_tool("llvm-dlltool-19")
    bin_dir = tmp_path / "bin"
    write_script(bin_dir / "llvm-ar", "echo 'Debian LLVM version 14.0.6'\n")
    old = write_script(bin_dir / "llvm-dlltool", "exit 1\n")
    monkeypatch.setenv("PATH", os.pathsep.join([str(bin_dir), os.environ["PATH"]]))
    info = LlvmDlltoolBackend().info()
    assert info.path == llvm_dlltool_19 and (info.version or "").startswith("19.")
    monkeypatch.setenv("PATH", str(bin_dir))  # only the old one: still used
    assert LlvmDlltoolBackend().info().path == str(old)


def test_the_default_tool_follows_pyo3s_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    msvc, gnu = parse_target("x86_64-pc-windows-msvc"), parse_target("i686-pc-windows-gnu")
    assert default_tool(msvc)[0] == default_tool(gnu)[0] == "builtin"
    monkeypatch.setenv("PYO3_MINGW_DLLTOOL", "x86_64-w64-mingw32-dlltool")
    assert (default_tool(msvc)[0], default_tool(gnu)[0]) == ("builtin", "dlltool")
    monkeypatch.setenv("ZIG_COMMAND", "zig")  # every target, MSVC too, as python3-dll-a
    assert (default_tool(msvc)[0], default_tool(gnu)[0]) == ("zig", "zig")
    assert select_backend(msvc).name == "zig" and select_backend(msvc, "lib").name == "lib"


def test_tools_and_help_say_which_tool_a_command_uses(monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from implib.cli import main

    monkeypatch.setenv("PYO3_MINGW_DLLTOOL", "x86_64-w64-mingw32-dlltool")
    result = CliRunner().invoke(main, ["tools", "-t", "x86_64-pc-windows-gnu", "-t", "win32"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[-2].split()[:2] == ["x86_64-pc-windows-gnu", "dlltool"]
    assert lines[-1].split()[:2] == ["i686-pc-windows-msvc", "builtin"]
    help_text = " ".join(CliRunner().invoke(main, ["gen", "--help"]).output.split())
    assert "ZIG_COMMAND" in help_text and "PYO3_MINGW_DLLTOOL" in help_text
    assert "builtin (default)" not in help_text


def test_an_unknown_tool_is_bad_input(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown tool 'nonesuch'; choose one of: builtin"):
        get_backend("nonesuch")
    with pytest.raises(ValueError):
        generate("win-amd64", "abi3", tmp_path / "out", tool="nonesuch")
    assert not (tmp_path / "out").exists()


def test_versions() -> None:
    assert (tool("llvm-dlltool").info().version or "").startswith("19.")
    assert (tool("lib").info().version or "").startswith("19.")
    gnu = tool("dlltool").info()
    gnu_line = subprocess.run([str(gnu.path), "--version"], capture_output=True, text=True).stdout
    assert gnu.version and gnu.version in gnu_line.splitlines()[0]
    zig = tool("zig")
    command = shlex.split(zig.info().path or "")
    zig_version = subprocess.run([*command, "version"], capture_output=True, text=True).stdout
    assert zig.info().version == zig_version.strip()
    assert "LLVM " in zig.info().note
    assert zig.identity() == f"zig/{zig_version.strip()}"


def test_tool_infos_lists_every_backend() -> None:
    from implib.backends import BACKENDS

    infos = tool_infos()
    assert [info.name for info in infos] == list(BACKENDS)
    # every backend module in implib/backends/ is registered (a file and a line, CONTRIBUTING)
    modules = {path.stem for path in (ROOT / "implib" / "backends").glob("*.py")}
    assert {entry.split(":")[0] for entry in BACKENDS.values()} == modules - {
        "__init__",
        "base",
        "external",
    }
    for info in infos:
        assert info.found == (info.path is not None), info
        assert info.found or "install" in info.note, info


def test_missing_tool_info_says_how_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "")
    monkeypatch.setenv("ZIG_COMMAND", "nonexistent-zig")
    for name in ("llvm-dlltool", "lib", "dlltool", "zig"):
        info = get_backend(name).info()
        assert not info.found
        assert "install" in info.note
    assert "ZIG_COMMAND=nonexistent-zig" in get_backend("zig").info().note
    with pytest.raises(BackendError, match=r"llvm-dlltool not found.*apt-get install llvm"):
        get_backend("llvm-dlltool").write_library(
            python_definition("abi3"), Target("x86_64", Flavour.GNU)
        )
