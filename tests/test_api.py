"""The API every caller goes through: outputs only ever land in the output folder.

Names come from users' ``.def`` files (``LIBRARY``), ``--dll-name`` and API
callers; whoever gives one, it must be a plain base name, and an alias must
not replace another DLL's library a previous run wrote.
"""

from __future__ import annotations

import errno
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from implib.api import generate, generate_from_def, write_outputs
from implib.cache import Cache
from implib.coff.reader import read_import_library
from implib.errors import OutputError, OutputNameError


def tree(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*")}


@pytest.mark.parametrize(
    ("library", "message"),
    [
        ("../../evil.dll", "only a plain file name"),
        ("/ABS/x.dll", "only a plain file name"),
        ('""', "'.dll' cannot name an output file: it starts with a dot"),
        # LLVM's reading: 'LIBRARY ..' names the DLL '...dll'
        ("..", "'...dll' cannot name an output file: it starts with a dot"),
        ("sub\\x.dll", "only a plain file name"),
        (".hidden.dll", "it starts with a dot"),
    ],
)
def test_a_library_name_with_a_folder_is_refused(
    tmp_path: Path, library: str, message: str
) -> None:
    work = tmp_path / "work"
    (work / "out" / "sub").mkdir(parents=True)
    library = library.replace("/ABS", str(tmp_path / "abs"))
    (work / "x.def").write_text(f"LIBRARY {library}\nEXPORTS\n  f\n")
    before = tree(tmp_path)
    with pytest.raises(OutputNameError, match=message) as caught:
        generate_from_def("win-amd64", work / "x.def", work / "out" / "sub", use_cache=False)
    assert str(caught.value).startswith(f"{work / 'x.def'}: LIBRARY ")
    assert tree(tmp_path) == before  # nothing written, anywhere


def test_dll_and_output_names_are_checked_too(tmp_path: Path) -> None:
    (tmp_path / "x.def").write_text("LIBRARY x.dll\nEXPORTS\n  f\n")
    with pytest.raises(OutputNameError, match=r"^DLL name '\.\./y\.dll'"):
        generate_from_def("win-amd64", tmp_path / "x.def", tmp_path / "out", dll_name="../y.dll")
    with pytest.raises(OutputNameError, match=r"^output name '/tmp/z\.lib'"):
        generate_from_def(
            "win-amd64", tmp_path / "x.def", tmp_path / "out", output_name="/tmp/z.lib"
        )
    with pytest.raises(OutputNameError, match=r"'\.\./python3\.lib'"):
        generate("win-amd64", "abi3", tmp_path / "out", names=["../python3.lib"])
    with pytest.raises(OutputNameError):
        write_outputs(b"data", tmp_path / "out", ["ok.lib", "../../bad.lib"])
    assert not (tmp_path / "out").exists()  # checked before anything is written
    # a plain name with dots is fine, and so is a renamed DLL's library
    lib = generate_from_def(
        "win-amd64", tmp_path / "x.def", tmp_path / "out", dll_name="lib.x-1.2.dll"
    )
    assert lib.paths == (tmp_path / "out" / "lib.x-1.2.lib",)
    assert read_import_library(lib.path).dlls == ["lib.x-1.2.dll"]


def test_the_cache_keeps_each_def_by_what_it_says(tmp_path: Path, llvm_dlltool: str) -> None:
    """A .def edited in place gets its own library, never the cached one of what it said before."""
    def_file = tmp_path / "x.def"
    for run, exports in enumerate((["f"], ["f", "g"], ["f"])):  # the third: a cache hit
        def_file.write_text("LIBRARY x.dll\nEXPORTS\n" + "".join(f"  {e}\n" for e in exports))
        lib = generate_from_def("win-amd64", def_file, tmp_path / "out")
        expected = tmp_path / f"llvm-{run}.lib"
        argv = [llvm_dlltool, "-m", "i386:x86-64", "-d", str(def_file), "-l", str(expected)]
        subprocess.run(argv, check=True)
        assert lib.path.read_bytes() == expected.read_bytes(), exports
    assert len(list(Cache().entries())) == 2


def test_an_alias_never_replaces_another_dlls_library(tmp_path: Path) -> None:
    """CPython 3.10's python310.lib survives a later run that makes PyPy 3.10 (whose alias it is)."""
    out = tmp_path / "libs"
    cpython = generate("win-amd64", "3.10", out)
    assert cpython.paths == (out / "python310.lib",)
    pypy = generate("win-amd64", "pypy3.10", out)
    assert pypy.paths == (out / "libpypy3.10-c.lib",)
    assert pypy.kept == (out / "python310.lib",)
    assert "python310.lib left as it is: it imports from another DLL" in pypy.notes()[0]
    assert read_import_library(out / "python310.lib").dlls == ["python310.dll"]
    assert read_import_library(out / "libpypy3.10-c.lib").dlls == ["libpypy3.10-c.dll"]
    # PyPy's own alias, from an earlier run, is brought up to date; junk is replaced
    alone = tmp_path / "alone"
    generate("win-amd64", "pypy3.10", alone)
    (alone / "python310.lib").write_bytes(b"not a library")
    again = generate("win-amd64", "pypy3.10", alone)
    assert again.kept == ()
    assert read_import_library(alone / "python310.lib").dlls == ["libpypy3.10-c.dll"]
    # the main name is always written: CPython takes its name back
    back = generate("win-amd64", "3.10", out)
    assert back.paths == (out / "python310.lib",)


GNU = "x86_64-pc-windows-gnu"


def _contents(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in folder.iterdir()}


@pytest.mark.parametrize(
    ("first", "second"),
    [(None, "libpython3.12.dll"), ("libpython3.12.dll", None), ("a.dll", "b.dll")],
)
def test_one_sets_files_name_one_dll(tmp_path: Path, first: str | None, second: str | None) -> None:
    """An earlier run's python312.dll.a + python3.12.dll.a for another DLL: refused, then replaced."""
    out = tmp_path / "dm"
    generate(GNU, "3.12", out, dll_name=first)
    before = _contents(out)
    with pytest.raises(OutputError) as caught:
        generate(GNU, "3.12", out, dll_name=second)
    old, new = first or "python312.dll", second or "python312.dll"
    assert str(caught.value) == (
        f"{out / 'python312.dll.a'}, {out / 'python3.12.dll.a'}: an earlier run wrote this set "
        f"for {old.lower()}, not {new}, and one set's files name one DLL: remove them, write "
        "into another folder, or replace the whole set (gen --replace)"
    )
    assert caught.value.errno == errno.EEXIST
    assert _contents(out) == before  # nothing written
    replaced = generate(GNU, "3.12", out, dll_name=second, replace=True)
    assert replaced.paths == (out / "python312.dll.a", out / "python3.12.dll.a")
    for path in replaced.paths:
        assert read_import_library(path).dlls == [new]


def test_another_builds_file_under_an_alias_is_still_left_alone(tmp_path: Path) -> None:
    """The rule for another build's file holds for GNU sets too, --dll-name or not."""
    out = tmp_path / "libs"
    generate(GNU, "3.10", out)
    cpython = (out / "python310.dll.a").read_bytes()
    pypy = generate(GNU, "pypy3.10", out, dll_name="libpypy-custom.dll")
    assert pypy.kept == (out / "python310.dll.a",)
    assert (out / "python310.dll.a").read_bytes() == cpython


def test_a_set_on_a_full_disk_is_written_whole_or_not_at_all(
    tmp_path: Path, mount_of: Callable[[int], Path]
) -> None:
    """Room for one of python312.dll.a and python3.12.dll.a: neither is written, no folder made."""
    size = generate(GNU, "3.12", tmp_path / "sizes").path.stat().st_size
    disk = mount_of(size * 3 // 2)
    (disk / "python3.12.dll.a").write_bytes(b"an earlier file")
    with pytest.raises(OutputError) as caught:
        generate(GNU, "3.12", disk)
    assert caught.value.errno == errno.ENOSPC
    assert str(caught.value).startswith(f"cannot write to {disk / 'python3'}")
    assert _contents(disk) == {"python3.12.dll.a": b"an earlier file"}  # as it was
    with pytest.raises(OutputError):
        generate(GNU, "3.12", disk / "new" / "folders")
    assert sorted(p.name for p in disk.iterdir()) == ["python3.12.dll.a"]  # none left
    assert not [p for p in disk.rglob("*") if p.name.endswith(".tmp")]


def test_write_files_says_what_is_left_when_a_rename_fails(tmp_path: Path) -> None:
    from implib.fileio import write_files

    (tmp_path / "b").mkdir()  # a folder in the way: the second rename fails
    with pytest.raises(OutputError) as caught:
        write_files(tmp_path, [("a", b"new a"), ("b", b"new b")])
    assert str(caught.value).endswith("; already replaced: a; the rest left as it was")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a", "b"]  # no temporaries
