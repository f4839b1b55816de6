"""The cache: shared by parallel builds, never hands out a bad file."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from implib.api import cached_library, generate
from implib.cache import Cache
from implib.cli import main
from implib.coff.reader import read_import_library
from implib.coff.writer import write_import_library


def _reference(target: str = "x86_64-pc-windows-msvc", python: str = "abi3") -> bytes:
    """The library made without the cache, to compare cached bytes with."""
    from implib.exportlists import definition_for
    from implib.pythons import parse_python
    from implib.targets import parse_target

    parsed = parse_target(target)
    return write_import_library(
        definition_for(parse_python(python)), parsed.machine, mingw=parsed.flavour.mingw
    )


def _files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file())


def test_second_request_comes_from_the_cache(cache_dir: Path, tmp_path: Path) -> None:
    first = generate("x86_64-pc-windows-msvc", "abi3", tmp_path / "a")
    objects = _files(cache_dir / "v1" / "objects")
    assert [p.name for p in objects] == [first.sha256]
    mtime = objects[0].stat().st_mtime_ns
    second = generate("x86_64-pc-windows-msvc", "abi3", tmp_path / "b")
    assert second.sha256 == first.sha256
    assert objects[0].stat().st_mtime_ns == mtime  # not written again
    assert (tmp_path / "b" / "python3.lib").read_bytes() == _reference()


def test_keys_that_make_the_same_bytes_share_storage(cache_dir: Path, tmp_path: Path) -> None:
    # GNU and gnullvm flavours of the same list and machine write the same bytes.
    generate("x86_64-pc-windows-gnu", "abi3", tmp_path / "a")
    generate("x86_64-pc-windows-gnullvm", "abi3", tmp_path / "b")
    assert len(_files(cache_dir / "v1" / "keys")) == 2
    assert len(_files(cache_dir / "v1" / "objects")) == 1


def test_no_cache_bypasses_it(cache_dir: Path, tmp_path: Path) -> None:
    generate("x86_64-pc-windows-msvc", "abi3", tmp_path, use_cache=False)
    assert not cache_dir.exists()


def test_output_is_an_ordinary_file(cache_dir: Path, tmp_path: Path) -> None:
    lib = generate("x86_64-pc-windows-msvc", "abi3", tmp_path / "out")
    lib.path.unlink()
    again = generate("x86_64-pc-windows-msvc", "abi3", tmp_path / "out")
    assert again.path.is_file() and not again.path.is_symlink()
    assert again.path.read_bytes() == _reference()


def test_api_returns_a_valid_cached_path(cache_dir: Path) -> None:
    path = cached_library("i686-pc-windows-msvc", "3.12")
    assert str(path).startswith(str(cache_dir))
    assert path.read_bytes() == _reference("i686-pc-windows-msvc", "3.12")
    assert cached_library("i686-pc-windows-msvc", "3.12") == path


_WORKER = """
import sys
from implib.api import generate
lib = generate("x86_64-pc-windows-msvc", "abi3", sys.argv[1])
print(lib.sha256)
"""


@pytest.mark.slow
def test_sixteen_processes_at_once(cache_dir: Path, tmp_path: Path) -> None:
    env = {**os.environ, "IMPLIB_CACHE_DIR": str(cache_dir)}
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", _WORKER, str(tmp_path / f"out{i}")],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for i in range(16)
    ]
    results = [(p.communicate(timeout=120), p.returncode) for p in processes]
    assert all(code == 0 for _, code in results), results
    reference = _reference()
    expected = hashlib.sha256(reference).hexdigest()
    assert {out.strip() for (out, _), _ in results} == {expected}
    for i in range(16):
        assert (tmp_path / f"out{i}" / "python3.lib").read_bytes() == reference
    assert [p.name for p in _files(cache_dir / "v1" / "objects")] == [expected]
    assert len(_files(cache_dir / "v1" / "keys")) == 1
    assert not [p for p in cache_dir.rglob("*") if p.name.endswith(".tmp")]


_KILLED_WRITER = """
import os, sys, time
import implib.fileio

def stall(source, target):
    open(sys.argv[2], "w").close()  # tell the test we are mid-write
    time.sleep(60)

implib.fileio.os.replace = stall  # the temporary file written, not yet renamed
from implib.api import generate
generate("x86_64-pc-windows-msvc", "abi3", sys.argv[1])
"""


def test_writer_killed_mid_entry(cache_dir: Path, tmp_path: Path) -> None:
    marker = tmp_path / "mid-write"
    env = {**os.environ, "IMPLIB_CACHE_DIR": str(cache_dir)}
    process = subprocess.Popen(
        [sys.executable, "-c", _KILLED_WRITER, str(tmp_path / "dead"), str(marker)], env=env
    )
    deadline = time.monotonic() + 60
    while not marker.exists():
        assert process.poll() is None and time.monotonic() < deadline
        time.sleep(0.02)
    process.send_signal(signal.SIGKILL)
    process.wait()
    leftovers = [p for p in _files(cache_dir) if p.name.endswith(".tmp")]
    assert leftovers  # it really died mid-write
    assert not _files(cache_dir / "v1" / "keys")
    lib = generate("x86_64-pc-windows-msvc", "abi3", tmp_path / "alive")
    assert lib.path.read_bytes() == _reference()
    assert not (tmp_path / "dead").exists() or not list((tmp_path / "dead").iterdir())


@pytest.mark.parametrize("damage", ["flip", "truncate", "remove"])
def test_damaged_entry_is_rebuilt(cache_dir: Path, tmp_path: Path, damage: str) -> None:
    first = generate("x86_64-pc-windows-msvc", "abi3", tmp_path / "a")
    (stored,) = _files(cache_dir / "v1" / "objects")
    stored.chmod(0o644)
    data = bytearray(stored.read_bytes())
    if damage == "flip":
        data[len(data) // 2] ^= 0xFF
        stored.write_bytes(bytes(data))
    elif damage == "truncate":
        stored.write_bytes(bytes(data[:1000]))
    else:
        stored.unlink()
    second = generate("x86_64-pc-windows-msvc", "abi3", tmp_path / "b")
    assert second.sha256 == first.sha256
    assert (tmp_path / "b" / "python3.lib").read_bytes() == _reference()
    assert stored.read_bytes() == _reference()


def test_full_cache_warns_once_and_generates(small_mount: Path, tmp_path: Path) -> None:
    env = {**os.environ, "IMPLIB_CACHE_DIR": str(small_mount / "cache")}
    result = subprocess.run(
        [sys.executable, "-m", "implib", "gen", "-t", "win-amd64", "--abi3", "-p", "3.12",
         "-o", str(tmp_path / "out")],
        capture_output=True, text=True, env=env,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() if "warning" in line]
    assert len(warnings) == 1 and "No space left on device" in warnings[0]
    assert (tmp_path / "out" / "python3.lib").read_bytes() == _reference("win-amd64")
    assert not [p for p in (small_mount / "cache").rglob("*") if p.name.endswith(".tmp")]


def test_read_only_cache_warns_once_and_generates(small_mount: Path, tmp_path: Path) -> None:
    subprocess.run(["mount", "-o", "remount,ro", str(small_mount)], check=True)
    env = {**os.environ, "IMPLIB_CACHE_DIR": str(small_mount / "cache")}
    result = subprocess.run(
        [sys.executable, "-m", "implib", "gen", "-t", "win-amd64", "--abi3", "-p", "3.12",
         "-o", str(tmp_path / "out")],
        capture_output=True, text=True, env=env,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stderr.count("warning") == 1
    assert "Read-only file system" in result.stderr
    assert (tmp_path / "out" / "python312.lib").read_bytes() == _reference("win-amd64", "3.12")


def test_cache_commands(cache_dir: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    generate("x86_64-pc-windows-msvc", "abi3", tmp_path)
    generate("i686-pc-windows-gnu", "3.12", tmp_path)
    assert runner.invoke(main, ["cache", "path"]).output.strip() == str(cache_dir)
    listing = runner.invoke(main, ["cache", "list"]).output
    assert "x86_64-pc-windows-msvc" in listing and "i686-pc-windows-gnu" in listing
    assert "2 entries" in listing
    (obj,) = [p for p in _files(cache_dir / "v1" / "objects") if p.stat().st_size > 200_000][
        :1
    ] or [_files(cache_dir / "v1" / "objects")[0]]
    obj.chmod(0o644)
    obj.write_bytes(b"garbage")
    assert (
        runner.invoke(main, ["cache", "verify"]).output.strip()
        == "2 entries checked, 1 bad removed"
    )
    assert (
        runner.invoke(main, ["cache", "prune", "--max-size", "1K"]).output.strip()
        == "1 entry removed"
    )
    assert runner.invoke(main, ["cache", "prune", "--max-size", "lots"]).exit_code == 2
    generate("x86_64-pc-windows-msvc", "abi3", tmp_path)
    assert runner.invoke(main, ["cache", "clear"]).output.strip() == "1 entry removed"
    assert not _files(cache_dir)


def test_prune_keeps_the_most_recently_used(cache_dir: Path, tmp_path: Path) -> None:
    store = Cache(cache_dir)
    old = generate("x86_64-pc-windows-msvc", "3.11", tmp_path)
    new = generate("x86_64-pc-windows-msvc", "3.12", tmp_path)
    keys = {entry.sha256: entry.key for entry in store.entries()}
    past = time.time() - 3600
    os.utime(
        cache_dir / "v1" / "keys" / keys[old.sha256][:2] / f"{keys[old.sha256]}.json", (past, past)
    )
    store.prune(max_size=store.size() - 1)
    assert [entry.sha256 for entry in store.entries()] == [new.sha256]
    assert read_import_library(new.path).dlls == ["python312.dll"]


@pytest.mark.parametrize("size", ["-5M", "inf", "nan", "-0", "1e400", "5Q", ""])
def test_prune_refuses_sizes_that_are_not_sizes(cache_dir: Path, tmp_path: Path, size: str) -> None:
    generate("x86_64-pc-windows-msvc", "abi3", tmp_path)
    before = _files(cache_dir)
    result = CliRunner().invoke(main, ["cache", "prune", "--max-size", size])
    assert result.exit_code == 2
    assert f"{size!r} is not a size such as" in result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert _files(cache_dir) == before  # -5M used to empty the cache
    with pytest.raises(ValueError, match="a whole number of bytes >= 0"):
        Cache(cache_dir).prune(-5)


@pytest.mark.parametrize("size", ["0", "1.5K", "2m", "1GiB", "10 MB", ".5G"])
def test_prune_sizes(cache_dir: Path, size: str) -> None:
    result = CliRunner().invoke(main, ["cache", "prune", "--max-size", size])
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(
    "record",
    [
        "[]",
        "null",
        "42",
        '"text"',
        "{}",
        '{"sha256": [], "size": 1}',
        '{"sha256": "' + "a" * 64 + '", "size": true}',
        '{"sha256": "' + "a" * 64 + '", "size": 1, "target": [1], "python": {}}',
        "[" * 100_000,
        "\xff\xfe",
    ],
)
def test_damaged_key_files_are_listed_verified_and_cleared(
    cache_dir: Path, tmp_path: Path, record: str
) -> None:
    generate("x86_64-pc-windows-msvc", "abi3", tmp_path)
    bad = cache_dir / "v1" / "keys" / "ab" / ("ab" + "0" * 62 + ".json")
    bad.parent.mkdir(parents=True, exist_ok=True)
    bad.write_bytes(record.encode("latin-1"))
    runner = CliRunner()
    listing = runner.invoke(main, ["cache", "list"])
    assert listing.exit_code == 0, listing.stderr
    assert "2 entries" in listing.output
    assert runner.invoke(main, ["cache", "verify"]).output == "2 entries checked, 1 bad removed\n"
    assert not bad.exists()
    bad.write_bytes(record.encode("latin-1"))
    assert runner.invoke(main, ["cache", "clear"]).output == "2 entries removed\n"
    assert not _files(cache_dir)


def test_a_key_file_cannot_reach_outside_the_cache(cache_dir: Path, tmp_path: Path) -> None:
    """A key names its object by digest; a hostile 'digest' must not be read, or removed."""
    generate("x86_64-pc-windows-msvc", "abi3", tmp_path / "out")  # a cache in use: objects/ exists
    victim = tmp_path / "precious.txt"
    victim.write_text("keep me")
    key = "cd" + "1" * 62
    path = cache_dir / "v1" / "keys" / "cd" / f"{key}.json"
    path.parent.mkdir(parents=True)
    escape = os.path.relpath(victim, cache_dir / "v1" / "objects" / "..")
    path.write_text(json.dumps({"sha256": escape, "size": 7}))
    store = Cache(cache_dir)
    assert store.get(key) is None
    store.verify()
    store.clear()
    assert victim.read_text() == "keep me"


@pytest.mark.parametrize("command", [["list"], ["verify"], ["clear"], ["prune", "--max-size", "0"]])
def test_a_cache_dir_that_is_a_file_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: list[str]
) -> None:
    file = tmp_path / "a-file"
    file.write_bytes(b"not a folder")
    monkeypatch.setenv("IMPLIB_CACHE_DIR", str(file))
    result = CliRunner().invoke(main, ["cache", *command])
    assert result.exit_code == 1, result.output
    assert result.stdout == ""
    assert result.stderr == (
        f"Error: cannot use the cache folder {file}: it is a file, not a folder"
        " (IMPLIB_CACHE_DIR names the cache folder)\n"
    )
    assert file.read_bytes() == b"not a folder"


def test_env_folders_are_listed_pruned_and_cleared(cache_dir: Path, tmp_path: Path) -> None:
    from implib.cross.crossbuild import default_lib_dir, prepare
    from implib.pythons import parse_python
    from implib.targets import parse_target

    runner = CliRunner()
    target = parse_target("x86_64-pc-windows-gnu")
    prepared = prepare(target, "3.12")  # into its default folder in the cache
    folder = default_lib_dir(target, parse_python("3.12"))
    assert folder.parent.parent == cache_dir / "lib-dirs"  # where Cache looks for them
    on_disk = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())
    assert on_disk > 0 and prepared
    listing = runner.invoke(main, ["cache", "list"]).output.splitlines()
    assert [line.split()[:3] for line in listing if "(env folder)" in line] == [
        ["x86_64-pc-windows-gnu", "3.12", "(env"]
    ]
    objects = sum(p.stat().st_size for p in _files(cache_dir / "v1" / "objects"))
    assert listing[-1] == (
        f"{len(listing) - 1} entries (1 env folder), {objects + on_disk:,} bytes in {cache_dir}"
    )
    # the folder was used longest ago: pruned first
    past = time.time() - 3600
    for path in [folder, *folder.rglob("*")]:
        os.utime(path, (past, past), follow_symlinks=False)
    assert Cache(cache_dir).prune(Cache(cache_dir).size() - 1) == [
        "lib-dirs/x86_64-pc-windows-gnu/3.12"
    ]
    assert not folder.exists()
    prepare(target, "3.12")
    assert folder.is_dir()
    result = runner.invoke(main, ["cache", "clear"])
    assert result.output == f"{len(listing) - 1} entries removed\n"
    assert not folder.exists() and not _files(cache_dir)
