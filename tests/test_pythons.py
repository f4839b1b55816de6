"""Python builds: the names users type, the files they get, and the names each consumer links.

Each new build's libraries are linked the way their consumers link them
(lld-link with the ``.lib`` path; MinGW gcc and clang+lld with ``-L DIR -l
NAME``, NAME as PyO3 0.28/0.29 and MSYS2 pass it), and the probe DLL's
import table is read back.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from implib.api import generate
from implib.cli import main
from implib.pythons import Kind, PythonBuild, PythonError, parse_python
from implib.targets import Flavour

from linking import PROBE_C, PROBE_IMPORTS, dll_imports, link_llvm_mingw, link_mingw, link_msvc
from support import static_site


@pytest.mark.parametrize(
    ("spec", "canonical", "stem", "msvc", "gnu"),
    [
        ("abi3", "abi3", "python3", ["python3.lib"], ["python3.dll.a"]),
        ("abi3-3.9", "abi3-3.9", "python3", ["python3.lib"], ["python3.dll.a"]),
        ("abi3t", "abi3t", "python3t", ["python3t.lib"], ["python3t.dll.a", "libpython3t.dll.a"]),
        ("ABI3T-3.15", "abi3t-3.15", "python3t", ["python3t.lib"],
         ["python3t.dll.a", "libpython3t.dll.a"]),
        ("3.12", "3.12", "python312", ["python312.lib"], ["python312.dll.a", "python3.12.dll.a"]),
        ("cp38", "3.8", "python38", ["python38.lib"], ["python38.dll.a", "python3.8.dll.a"]),
        ("3.13t", "3.13t", "python313t", ["python313t.lib"], ["python313t.dll.a"]),
        ("3.15", "3.15", "python315", ["python315.lib"],
         ["python315.dll.a", "python3.15.dll.a", "libpython3.15.dll.a"]),
        ("cp315t", "3.15t", "python315t", ["python315t.lib"],
         ["python315t.dll.a", "libpython3.15t.dll.a"]),
        ("pypy3.10", "pypy3.10", "libpypy3.10-c", ["libpypy3.10-c.lib", "python310.lib"],
         ["libpypy3.10-c.dll.a", "python310.dll.a"]),
        ("pypy3.8", "pypy3.8", "libpypy3-c", ["libpypy3-c.lib", "python38.lib"],
         ["libpypy3-c.dll.a", "python38.dll.a"]),
    ],
)  # fmt: skip
def test_python_builds(
    spec: str, canonical: str, stem: str, msvc: list[str], gnu: list[str]
) -> None:
    build = parse_python(spec)
    assert build.spec == canonical
    assert build.dll_name == stem + ".dll"
    assert build.lib_names(Flavour.MSVC) == msvc
    assert build.lib_names(Flavour.GNU) == gnu
    assert build.lib_names(Flavour.GNULLVM) == gnu
    assert parse_python(build.spec) == build


def test_abi3_minimum_and_abi3t() -> None:
    assert parse_python("abi3-3.9") == PythonBuild(Kind.ABI3, (3, 9))
    assert parse_python("abi3t") == PythonBuild(Kind.ABI3, None, freethreaded=True)
    assert parse_python("abi3-3.2").version == (3, 2)


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("2.7", "unknown Python build '2.7'"),
        ("python", "unknown Python build 'python'"),
        ("pypy3.10t", "unknown Python build 'pypy3.10t'"),
        ("4.0", "unknown Python build '4.0'"),
        ("abi3-3.x", "bad abi3 minimum Python version '3.x'"),
        ("abi3-3.13t", "bad abi3 minimum Python version '3.13t'"),
        ("abi3-3.1", "abi3-3.1: python3.dll, the Stable ABI, begins with CPython 3.2; 3.1 has none"),
        ("abi3t-3.14", "abi3t-3.14: python3t.dll, the Stable ABI of free-threaded builds, "
                       "begins with CPython 3.15; 3.14 has none"),
        ("abi3tx", "unknown Python build 'abi3tx'"),
    ],
)  # fmt: skip
def test_bad_python(spec: str, message: str) -> None:
    with pytest.raises(PythonError) as info:
        parse_python(spec)
    assert str(info.value).startswith(message)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        # Issue 12: these used to write python30.lib, python35.lib, python36.lib
        # (PyPy 3.7's list under another name) and exit 0.
        (["-p", "pypy3.0"], "Error: no export list for Python pypy3.0; known builds: abi3, abi3t,"),
        (["-p", "pypy3.5"], "Error: no export list for Python pypy3.5; known builds: abi3, abi3t,"),
        (["-p", "pypy3.6"], "Error: no export list for Python pypy3.6; known builds: abi3, abi3t,"),
        # ... and these wrote python3.lib for a python3.dll that never existed.
        (["--abi3", "--min-python", "3.1"],
         "Error: abi3-3.1: python3.dll, the Stable ABI, begins with CPython 3.2; 3.1 has none"),
        (["--abi3", "--min-python", "3.99"],
         "Error: no export list for Python abi3-3.99: 3.99 is newer than every CPython implib "
         "knows (newest 3.15)"),
        (["--abi3t", "--min-python", "3.16"],
         "Error: no export list for Python abi3t-3.16: 3.16 is newer than every CPython implib "
         "knows (newest 3.15)"),
        (["--abi3t", "--min-python", "3.13"], "Error: abi3t-3.13: python3t.dll, the Stable ABI"),
    ],
)  # fmt: skip
def test_builds_that_do_not_exist_are_refused(
    tmp_path: Path, options: list[str], message: str
) -> None:
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["gen", "-t", "win-amd64", *options, "-o", str(out)])
    assert result.exit_code == 1
    assert result.output.startswith(message)
    assert result.output.count("\n") == 1
    assert not out.exists() or os.listdir(out) == []


def test_abi3_and_abi3t_flags_select_both(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["gen", "-t", "x86_64-pc-windows-gnu", "--abi3", "--abi3t", "-o", str(tmp_path)]
    )
    assert result.exit_code == 0, result.output
    assert sorted(os.listdir(tmp_path)) == ["libpython3t.dll.a", "python3.dll.a", "python3t.dll.a"]


# -- linking -----------------------------------------------------------------

#: Besides the probe's PyLong_FromLong, PyExc_TypeError and _Py_NoneStruct,
#: a name only the new builds export: a 3.15 function (PyABIInfo_Check, in
#: python3t.dll too) and, in the free-threaded one, _Py_DecRefShared, which
#: cp315t wheels import and a GIL build does not export.
EXTRA = {
    "python315.dll": {"PyABIInfo_Check"},
    "python315t.dll": {"PyABIInfo_Check", "_Py_DecRefShared"},
    "python3t.dll": {"PyABIInfo_Check"},
}


def _source(dll: str) -> str:
    source = PROBE_C
    for name in sorted(EXTRA[dll]):
        source += (
            f"__declspec(dllimport) int {name}(void *);\n"
            f"__declspec(dllexport) int probe_{name}(void *p) {{ return {name}(p); }}\n"
        )
    return source


def _check(dll: Path, expected_dll: str) -> None:
    imports = dll_imports(dll)
    assert [d for d in imports if d.startswith(("python", "lib"))] == [
        expected_dll
    ]  # one Python DLL
    assert imports[expected_dll] == PROBE_IMPORTS | EXTRA[expected_dll]  # data ones included


NEW = [("3.15", "python315.dll"), ("3.15t", "python315t.dll"), ("abi3t", "python3t.dll")]


@pytest.mark.parametrize("arch", ["x86_64", "i686", "aarch64"])
@pytest.mark.parametrize(("python", "dll"), NEW)
def test_lld_link(pefile_module: object, tmp_path: Path, arch: str, python: str, dll: str) -> None:
    lib = generate(f"{arch}-pc-windows-msvc", python, tmp_path / "libs")
    assert lib.path.name == dll.replace(".dll", ".lib")
    _check(link_msvc(arch, lib.path, tmp_path / "work", _source(dll)), dll)


#: (build, what -l gets, the DLL): every GNU name of the new builds.
GNU_NAMES = [
    ("3.15", "python315", "python315.dll"),  # PyO3 cross builds (mingw=false)
    ("3.15", "python3.15", "python315.dll"),  # MSYS2, PyO3 0.28 mingw
    ("3.15", "libpython3.15", "python315.dll"),  # PyO3 0.29 mingw
    ("3.15t", "python315t", "python315t.dll"),
    ("3.15t", "python3.15t", "python315t.dll"),  # finds libpython3.15t.dll.a
    ("3.15t", "libpython3.15t", "python315t.dll"),
    ("abi3t", "python3t", "python3t.dll"),
    ("abi3t", "libpython3t", "python3t.dll"),
]


@pytest.mark.parametrize(("python", "name", "dll"), GNU_NAMES)
def test_mingw_gcc_every_name(
    pefile_module: object, tmp_path: Path, python: str, name: str, dll: str
) -> None:
    generate("x86_64-pc-windows-gnu", python, tmp_path / "libs")
    _check(link_mingw("x86_64", tmp_path / "libs", name, tmp_path / "work", _source(dll)), dll)


@pytest.mark.slow
@pytest.mark.parametrize(("python", "name", "dll"), GNU_NAMES)
def test_mingw_gcc_i686(
    pefile_module: object, tmp_path: Path, python: str, name: str, dll: str
) -> None:
    generate("i686-pc-windows-gnu", python, tmp_path / "libs")
    _check(link_mingw("i686", tmp_path / "libs", name, tmp_path / "work", _source(dll)), dll)


#: Every name on aarch64; on x86 (where gcc links every name) the lib-prefixed ones.
CLANG_CASES = [
    (arch, *case)
    for arch in ("x86_64", "i686", "aarch64")
    for case in GNU_NAMES
    if arch == "aarch64" or case[1].startswith("lib")
]


@pytest.mark.parametrize(("arch", "python", "name", "dll"), CLANG_CASES)
def test_clang_lld_mingw(
    pefile_module: object, tmp_path: Path, arch: str, python: str, name: str, dll: str
) -> None:
    generate(f"{arch}-pc-windows-gnullvm", python, tmp_path / "libs")
    probe = link_llvm_mingw(arch, tmp_path / "libs", name, tmp_path / "work", _source(dll))
    _check(probe, dll)


# -- everywhere a build is chosen --------------------------------------------


def test_the_new_builds_in_defs_list_and_diff() -> None:
    listed = CliRunner().invoke(main, ["defs", "list"])
    assert listed.exit_code == 0, listed.output
    lines = {line.split()[0]: line.split()[1] for line in listed.output.splitlines()}
    assert {k: lines[k] for k in ("abi3t", "3.15", "3.15t")} == {
        "abi3t": "python3t.dll", "3.15": "python315.dll", "3.15t": "python315t.dll",
    }  # fmt: skip
    diff = CliRunner().invoke(main, ["defs", "diff", "abi3", "abi3t"])
    assert diff.exit_code == 0, diff.output
    assert diff.output == "0 added, 0 removed, 0 changed kind (python3.dll -> python3t.dll)\n"
    diff = CliRunner().invoke(main, ["defs", "diff", "3.15", "3.15t"])
    assert "+ _Py_DecRefShared (code)" in diff.output  # the free-threaded build's own


def test_env_sets_what_pyo3_reads(tmp_path: Path) -> None:
    for options, version, name in (
        (["--abi3t"], "3.15t", "python3t"),  # PyO3 0.29 + abi3t-py315: python3t
        (["-p", "3.15t"], "3.15t", "python315t"),
        (["-p", "3.15"], "3.15", "python315"),
    ):
        result = CliRunner().invoke(
            main, ["env", "-t", "x86_64-pc-windows-gnu", *options, "--format", "json",
                   "-o", str(tmp_path / name)],
        )  # fmt: skip
        assert result.exit_code == 0, result.output
        variables = json.loads(result.output)["env"]
        assert variables["PYO3_CROSS_PYTHON_VERSION"] == version
        assert variables["IMPLIB_LIB_NAME"] == name
        assert (tmp_path / name / f"{name}.dll.a").is_file()
    both = CliRunner().invoke(main, ["env", "-t", "win-amd64", "--abi3", "--abi3t"])
    assert both.exit_code == 2 and "give --abi3 or --abi3t, not both" in both.output


def test_the_python_api(tmp_path: Path) -> None:
    import implib

    lib = implib.generate("aarch64-pc-windows-msvc", "abi3t", tmp_path)
    assert (lib.path.name, lib.dll) == ("python3t.lib", "python3t.dll")
    build = implib.prepare("x86_64-pc-windows-gnu", "3.15t", tmp_path / "ft")
    assert build.lib_names == ("python315t.dll.a", "libpython3.15t.dll.a")
    assert build.env["PYO3_CROSS_PYTHON_VERSION"] == "3.15t"


def test_export_serve_and_fetch_have_an_abi3t_entry(tmp_path: Path) -> None:
    """`implib export` writes v1/<target>/abi3t/, a stock web server serves it, fetch gets it."""
    site = tmp_path / "site"
    made = CliRunner().invoke(
        main, ["export", str(site), "-t", "x86_64-pc-windows-gnu", "--abi3t", "-p", "3.15t"]
    )
    assert made.exit_code == 0, made.output
    index = json.loads((site / "v1/index.json").read_text())
    assert sorted(index["files"]) == [
        "x86_64-pc-windows-gnu/3.15t/libpython3.15t.dll.a",
        "x86_64-pc-windows-gnu/3.15t/python315t.dll.a",
        "x86_64-pc-windows-gnu/abi3t/libpython3t.dll.a",
        "x86_64-pc-windows-gnu/abi3t/python3t.dll.a",
    ]

    with static_site(site) as base:
        out = tmp_path / "libs"
        result = CliRunner().invoke(
            main, ["fetch", "--server", base, "-t", "x86_64-pc-windows-gnu", "--abi3t",
                   "--no-fallback", "-q", "-o", str(out)],
        )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.stdout.endswith(f": 1 from {base} (sha256 checked)\n")
    served = site / "v1/x86_64-pc-windows-gnu/abi3t"
    assert {p.name: p.read_bytes() for p in out.iterdir()} == {
        p.name: p.read_bytes() for p in served.iterdir()
    }


def test_serve_routes_abi3t() -> None:
    import asyncio

    import httpx

    from implib.service.server import ImplibApp

    async def get() -> httpx.Response:
        transport = httpx.ASGITransport(app=ImplibApp())
        async with httpx.AsyncClient(transport=transport, base_url="http://implib.test") as client:
            return await client.get("/v1/x86_64-pc-windows-msvc/abi3t/python3t.lib")

    response = asyncio.run(get())
    assert response.status_code == 200
    expected = generate("x86_64-pc-windows-msvc", "abi3t", Path(os.environ["IMPLIB_CACHE_DIR"]))
    assert response.content == expected.path.read_bytes()
