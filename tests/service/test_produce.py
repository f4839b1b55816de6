"""service/produce.py: the libraries that serve and export share, as gen makes them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from implib.api import generate
from implib.pythons import parse_python
from implib.service.layout import build_index, index_bytes
from implib.service.produce import produce
from implib.targets import parse_target


def test_the_index_is_built_in_one_place() -> None:
    target, build = parse_target("aarch64-pc-windows-gnullvm"), parse_python("3.13")
    library = produce(target, build)
    index = build_index([library])
    assert list(index["files"]) == [
        "aarch64-pc-windows-gnullvm/3.13/python3.13.dll.a",
        "aarch64-pc-windows-gnullvm/3.13/python313.dll.a",
    ]
    assert index_bytes(index) == index_bytes(json.loads(index_bytes(index)))


def test_produce_without_a_writable_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_bytes(b"")
    monkeypatch.setenv("IMPLIB_CACHE_DIR", str(blocker / "cache"))
    library = produce(parse_target("i686-pc-windows-msvc"), parse_python("abi3"))
    reference = generate("i686-pc-windows-msvc", "abi3", tmp_path / "ref", use_cache=False)
    assert library.data == reference.path.read_bytes()
    assert library.sha256 == reference.sha256


# -- produce_all's workers: forked processes, each with a share of the builds ------------

_WORKERS = """
import json, os, sys
from implib.service import produce as P

parent, forks = os.getpid(), []
fork = os.fork
def counted():
    forks.append(1)
    return fork()
os.fork = counted
if sys.argv[1] == "fail":  # every worker dies; the parent makes their shares itself
    write = P._write_build
    def failing(*args):
        if os.getpid() != parent:
            os._exit(7)
        return write(*args)
    P._write_build = failing
targets, builds = P.all_targets(), P.all_builds()
def made(jobs):
    return [(l.target.triple, l.build.spec, l.names, l.sha256, len(l.data))
            for l in P.produce_all(targets, builds, jobs=jobs)]
alone = made(1)
assert not forks
print(json.dumps({"alone": alone, "workers": made(3), "forked": len(forks)}))
"""


@pytest.mark.parametrize("how", ["work", "fail"])
def test_workers_make_what_one_process_makes(how: str, tmp_path: Path) -> None:
    """In a fresh process (one thread: forking is allowed), with 3 workers: the same
    libraries in the same order; a worker that dies has its share made by the parent."""
    import subprocess
    import sys

    out = subprocess.run(
        [sys.executable, "-c", _WORKERS, how], capture_output=True, text=True, cwd=tmp_path
    )
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout)
    assert result["forked"] == 2  # the parent takes one share itself
    assert result["workers"] == result["alone"]


def test_no_workers_in_a_process_with_threads(monkeypatch: pytest.MonkeyPatch) -> None:
    """Forking a process with other threads can deadlock the child: one process then."""
    import os
    import threading

    from implib.service import produce as produce_module

    def no_fork() -> int:
        raise AssertionError("forked with a thread running")

    monkeypatch.setattr(os, "fork", no_fork)
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        libraries = produce_module.produce_all(
            [parse_target("win32"), parse_target("win-amd64")],
            [parse_python("abi3"), parse_python("3.12")],
            jobs=2,
        )
    finally:
        stop.set()
        thread.join()
    assert [library.build.spec for library in libraries] == ["abi3", "3.12"] * 2


def test_no_process_to_fork_means_one_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """fork failing (EAGAIN: a process limit reached) leaves the work to this process."""
    import errno
    import os

    from implib.service import produce as produce_module

    def no_more(*args: object) -> int:
        raise BlockingIOError(errno.EAGAIN, "Resource temporarily unavailable")

    monkeypatch.setattr(os, "fork", no_more)
    monkeypatch.setattr("threading.active_count", lambda: 1)
    targets = [parse_target("win32"), parse_target("win-amd64")]
    builds = [parse_python("abi3"), parse_python("3.12"), parse_python("pypy3.10")]
    libraries = produce_module.produce_all(targets, builds, jobs=3)
    alone = produce_module.produce_all(targets, builds, jobs=1)
    assert [(lib.target, lib.build, lib.data) for lib in libraries] == [
        (lib.target, lib.build, lib.data) for lib in alone
    ]
    opened = len(os.listdir("/proc/self/fd")) if os.path.isdir("/proc/self/fd") else 0
    produce_module.produce_all(targets, builds, jobs=3)
    assert opened == (len(os.listdir("/proc/self/fd")) if opened else 0)  # no file left open
