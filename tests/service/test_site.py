"""implib export (service/site.py): the static layout a stock web server serves, and its index."""

from __future__ import annotations

import errno
import hashlib
import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from implib.api import generate
from implib.backends import get_backend
from implib.backends.builtin import BuiltinBackend
from implib.cli import main
from implib.errors import OutputError
from implib.exportlists import available_builds, definition_for
from implib.pythons import parse_python
from implib.service.layout import index_bytes
from implib.service.site import write_site
from implib.targets import parse_target, valid_targets


def files_under(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def test_layout_index_and_bytes_equal_gen(tmp_path: Path) -> None:
    targets = ["-t", "x86_64-pc-windows-gnu", "-t", "win-amd64"]
    builds = ["--abi3", "-p", "3.12,pypy3.10"]
    result = CliRunner().invoke(main, ["export", str(tmp_path / "site"), *targets, *builds])
    assert result.exit_code == 0, result.output
    assert "6 libraries (9 files" in result.output
    v1 = tmp_path / "site" / "v1"
    assert files_under(v1) == [
        "index.json",
        "x86_64-pc-windows-gnu/3.12/python3.12.dll.a",
        "x86_64-pc-windows-gnu/3.12/python312.dll.a",
        "x86_64-pc-windows-gnu/abi3/python3.dll.a",
        "x86_64-pc-windows-gnu/pypy3.10/libpypy3.10-c.dll.a",
        "x86_64-pc-windows-gnu/pypy3.10/python310.dll.a",
        "x86_64-pc-windows-msvc/3.12/python312.lib",
        "x86_64-pc-windows-msvc/abi3/python3.lib",
        "x86_64-pc-windows-msvc/pypy3.10/libpypy3.10-c.lib",
        "x86_64-pc-windows-msvc/pypy3.10/python310.lib",
    ]
    index = json.loads((v1 / "index.json").read_bytes())
    assert index["format"] == 1
    assert sorted(index["files"]) == [p for p in files_under(v1) if p != "index.json"]
    for path, entry in index["files"].items():
        data = (v1 / path).read_bytes()
        assert entry["sha256"] == hashlib.sha256(data).hexdigest()
        assert entry["size"] == len(data)
        target, python, name = path.split("/")
        assert (entry["target"], entry["python"]) == (target, python)
        # the very bytes implib gen writes (made without the cache the export filled)
        gen_dir = tmp_path / "gen" / target / python
        generate(target, python, gen_dir, use_cache=False)
        assert (gen_dir / name).read_bytes() == data
    assert index["files"]["x86_64-pc-windows-gnu/3.12/python3.12.dll.a"]["dll"] == "python312.dll"


def test_export_all_is_every_target_and_build_and_is_reproducible(tmp_path: Path) -> None:
    first = write_site(tmp_path / "a")
    second = write_site(tmp_path / "b")
    assert len(first.libraries) == len(valid_targets()) * len(available_builds())
    assert first.file_count == len(first.index["files"]) == len(files_under(tmp_path / "a")) - 1
    assert {lib.target.triple for lib in first.libraries} == set(valid_targets())
    # no dates, sorted: the same selection gives the same index, byte for byte
    a, b = (tmp_path / x / "v1" / "index.json" for x in "ab")
    assert a.read_bytes() == b.read_bytes() == index_bytes(second.index)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "say what to export"),
        (["-p", "2.7"], "unknown Python build"),
        (["-p", "abi3-3.9"], "no bundled export list for 'abi3-3.9'"),
        (["--abi3", "-t", "x86_64-linux-gnu"], "unknown target"),
        (["--abi3", "-j", "0"], "0 is not in the range x>=1"),
    ],
)
def test_bad_selections(tmp_path: Path, args: list[str], message: str) -> None:
    result = CliRunner().invoke(main, ["export", str(tmp_path / "site"), *args])
    assert result.exit_code != 0
    assert message in result.output
    assert not (tmp_path / "site").exists()


def test_unwritable_folder_is_one_clear_line(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_bytes(b"")
    result = CliRunner().invoke(main, ["export", str(blocker / "site"), "--abi3", "-t", "win32"])
    assert result.exit_code == 1
    assert result.output.startswith("Error: cannot write to ")
    assert "Traceback" not in result.output


def test_files_are_world_readable_for_a_web_server(tmp_path: Path) -> None:
    write_site(tmp_path, [parse_target("win32")], [parse_python("abi3")])
    for path in (tmp_path / "v1").rglob("*"):
        if path.is_file():
            assert os.stat(path).st_mode & 0o444 == 0o444


@pytest.mark.parametrize("jobs", [1, 2])
def test_every_file_of_export_all_is_what_its_target_alone_gets(jobs: int, tmp_path: Path) -> None:
    """Libraries shared between targets are the bytes each target gets made on its own,
    in one process or shared out among workers."""
    result = write_site(tmp_path, jobs=jobs)
    builtin = BuiltinBackend()
    v1 = tmp_path / "v1"
    for library in result.libraries:
        alone = builtin.write_library(definition_for(library.build), library.target)  # no sharing
        assert library.data == alone, (library.target, library.build)
        for path in library.file_paths():
            assert (v1 / path).read_bytes() == alone
            assert result.index["files"][path]["sha256"] == hashlib.sha256(alone).hexdigest()
    shared = {id(library.data) for library in result.libraries}
    # x64, arm64, i686 (every flavour) of each list (PyPy 3.7 and 3.8 share theirs)
    assert len(shared) == 3 * len({build.def_name for build in available_builds()})
    # Files of equal bytes are one file on disk (hard links): a quarter of the bytes.
    inodes = {(v1 / path).stat().st_ino for path in result.index["files"]}
    assert len(inodes) == len({entry["sha256"] for entry in result.index["files"].values()})
    assert not list(v1.rglob(".*"))  # no temporary file left
    assert not list(Path(os.environ["IMPLIB_CACHE_DIR"]).rglob("*"))  # the cache is not filled


def test_export_again_leaves_the_same_bytes_alone(tmp_path: Path) -> None:
    targets, builds = [parse_target("win-amd64")], [parse_python("abi3"), parse_python("3.12")]
    write_site(tmp_path, targets, builds)
    v1 = tmp_path / "v1"
    kept = v1 / "x86_64-pc-windows-msvc" / "abi3" / "python3.lib"
    spoiled = v1 / "x86_64-pc-windows-msvc" / "3.12" / "python312.lib"
    good = spoiled.read_bytes()
    spoiled.write_bytes(good[:-1] + b"x")  # same size, other bytes
    os.utime(kept, (1_000_000_000, 1_000_000_000))
    os.utime(spoiled, (1_000_000_000, 1_000_000_000))
    write_site(tmp_path, targets, builds)
    assert kept.stat().st_mtime == 1_000_000_000  # not rewritten
    assert spoiled.read_bytes() == good and spoiled.stat().st_mtime != 1_000_000_000


def test_export_with_another_tool_goes_through_the_cache(llvm_dlltool: str, tmp_path: Path) -> None:
    targets, builds = [parse_target("x86_64-pc-windows-gnu")], [parse_python("3.12")]
    result = write_site(tmp_path / "site", targets, builds, tool="llvm-dlltool")
    (library,) = result.libraries
    assert library.backend == "llvm-dlltool"
    reference = get_backend("llvm-dlltool").write_library(
        definition_for(library.build), library.target
    )
    assert library.data == reference
    assert (tmp_path / "site" / "v1" / library.file_paths()[0]).read_bytes() == reference
    assert list(Path(os.environ["IMPLIB_CACHE_DIR"]).rglob("*.json"))  # a key of the cache


def test_a_file_that_cannot_be_replaced_is_named_and_nothing_is_left(tmp_path: Path) -> None:
    blocked = tmp_path / "v1" / "i686-pc-windows-msvc" / "abi3" / "python3.lib"
    blocked.mkdir(parents=True)  # a folder where the library goes
    with pytest.raises(OutputError) as info:
        write_site(tmp_path, [parse_target("win32")], [parse_python("abi3")])
    assert str(info.value).startswith(f"cannot write to {blocked}: ")
    assert info.value.filename == str(blocked)
    assert [p.name for p in blocked.parent.iterdir()] == ["python3.lib"]  # no temporary file
    assert not (tmp_path / "v1" / "index.json").exists()


def test_export_tells_of_each_library_made(llvm_dlltool: str, tmp_path: Path) -> None:
    """What `implib export` says progress with, for a tool that takes a while."""
    told: list[tuple[int, int, str]] = []
    target = parse_target("x86_64-pc-windows-gnu")
    builds = [parse_python("abi3"), parse_python("3.12")]
    result = write_site(
        tmp_path / "site",
        [target],
        builds,
        tool="llvm-dlltool",
        made=lambda done, total, library: told.append((done, total, library.build.spec)),
    )
    assert told == [(1, 2, "abi3"), (2, 2, "3.12")]
    assert [library.build.spec for library in result.libraries] == ["abi3", "3.12"]
    told.clear()
    write_site(tmp_path / "again", [target], builds, made=lambda *args: told.append(args[:2]))
    assert told == [(1, 2), (2, 2)]  # the built-in writer's way too


def test_without_hard_links_every_file_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file system without hard links (FAT, some network mounts; none here: os.link is
    made to fail as theirs does) gets each file written whole."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(os, "link", refuse)
    targets = [parse_target("win-amd64"), parse_target("x86_64-pc-windows-gnu")]
    result = write_site(tmp_path, targets, [parse_python("3.12")])
    v1 = tmp_path / "v1"
    paths = list(result.index["files"])
    assert len(paths) == 3
    assert len({(v1 / path).stat().st_ino for path in paths}) == 3
    assert len({(v1 / path).read_bytes() for path in paths}) == 1
    assert not list(v1.rglob(".*"))


def test_export_again_replaces_one_link_and_not_the_others(tmp_path: Path) -> None:
    """A path given new bytes gets a new file; the paths it shared bytes with keep theirs."""
    targets = [parse_target("win-amd64"), parse_target("x86_64-pc-windows-gnu")]
    write_site(tmp_path, targets, [parse_python("3.12")])
    v1 = tmp_path / "v1"
    msvc, gnu = v1 / "x86_64-pc-windows-msvc" / "3.12", v1 / "x86_64-pc-windows-gnu" / "3.12"
    library = (msvc / "python312.lib").read_bytes()
    assert (msvc / "python312.lib").stat().st_ino == (gnu / "python3.12.dll.a").stat().st_ino
    write_site(tmp_path, [parse_target("x86_64-pc-windows-gnu")], [parse_python("abi3")])
    write_site(tmp_path, targets, [parse_python("3.12")])  # the same again: nothing changes
    (gnu / "python3.12.dll.a").unlink()
    os.link(tmp_path / "v1" / "x86_64-pc-windows-gnu" / "abi3" / "python3.dll.a",
            gnu / "python3.12.dll.a")  # fmt: skip
    write_site(tmp_path, targets, [parse_python("3.12")])
    assert (gnu / "python3.12.dll.a").read_bytes() == library
    assert (msvc / "python312.lib").read_bytes() == library
    assert (
        tmp_path / "v1" / "x86_64-pc-windows-gnu" / "abi3" / "python3.dll.a"
    ).read_bytes() != library
