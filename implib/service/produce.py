"""The libraries that ``implib serve`` serves and ``implib export`` writes, made once each.

Both serve the same matrix (every target x every bundled build); making it
in one pass, each export list parsed once and each distinct library written
once, is what keeps ``implib export --all`` and a server's start quick.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import IO, TYPE_CHECKING

from ..pythons import PythonBuild
from ..targets import Target, parse_target, valid_targets
from .layout import Library

if TYPE_CHECKING:
    from ..coff.deffile import ModuleDefinition

__all__ = ["all_builds", "all_targets", "produce", "produce_all"]


def all_targets() -> list[Target]:
    return [parse_target(name) for name in valid_targets()]


def all_builds() -> list[PythonBuild]:
    from ..exportlists import available_builds

    return available_builds()


def produce(target: Target, build: PythonBuild, *, tool: str | None = None) -> Library:
    """A library's bytes, from the cache (filled if needed).

    A cache that cannot be written must not stop a server or an export: the
    bytes are made in memory then, and the digest is always that of the
    bytes returned.
    """
    from ..api import Producer
    from ..cache import Cache

    producer = Producer.for_target(target, tool=tool, cache=Cache())
    produced = producer.from_build(build)
    return Library(
        target=target,
        build=build,
        names=tuple(build.lib_names(target.flavour)),
        dll=build.dll_name,
        backend=producer.backend.name,
        data=produced.data,
        sha256=produced.sha256,
    )


def produce_all(
    targets: Sequence[Target],
    builds: Sequence[PythonBuild],
    *,
    tool: str | None = None,
    made: Callable[[int, int, Library], None] | None = None,
    jobs: int | None = None,
) -> list[Library]:
    """The library of every target x build (target by target), each distinct one made once.

    With the built-in writer, each build's list is parsed once, and targets
    whose libraries :func:`~implib.coff.writer.library_variant` says are the
    same bytes share them (each machine's flavours, for lists of plain
    undecorated names), so the matrix of 9 targets costs 3 libraries per build;
    the builds are shared out among ``jobs`` processes (default: one per CPU
    this process may use; see :func:`_write_in_workers`).
    Other tools make each library through the cache (:func:`produce`), which
    can take a while (GNU dlltool: 24 s for the whole matrix): ``made`` is
    told of each library, with the count done and the total, to say progress.
    """
    from ..backends import select_backend

    backends = [select_backend(target, tool) for target in targets]
    builtin = [target for target, backend in zip(targets, backends) if backend.name == "builtin"]
    written = _write_in_workers(builds, builtin, jobs) if builtin else {}
    libraries: list[Library] = []
    total = len(targets) * len(builds)
    for target, backend in zip(targets, backends):
        for build in builds:
            if backend.name != "builtin":
                library = produce(target, build, tool=tool)
            else:
                numbers, distinct = written[build]
                data, sha256 = distinct[numbers[builtin.index(target)]]
                library = Library(
                    target=target,
                    build=build,
                    names=tuple(build.lib_names(target.flavour)),
                    dll=build.dll_name,
                    backend=backend.name,
                    data=data,
                    sha256=sha256,
                )
            libraries.append(library)
            if made is not None:
                made(len(libraries), total, library)
    return libraries


#: A build's libraries for some targets: for each target the number of its library
#: among the distinct ones, and those (bytes, sha256).
_Written = tuple[list[int], list[tuple[bytes, str]]]


#: The libraries a process made, by definition (kept alive here, so that its id is not
#: reused) and variant: builds of one list (PyPy 3.7 and 3.8) share them.
_Made = dict[int, tuple["ModuleDefinition", dict[tuple[object, ...], tuple[bytes, str]]]]


def _write_build(build: PythonBuild, targets: Sequence[Target], made: _Made) -> _Written:
    """``build``'s library for each of ``targets`` (built-in writer), each distinct one once."""
    import hashlib

    from ..backends.builtin import BuiltinBackend
    from ..coff.writer import library_variant
    from ..exportlists import definition_for

    definition = definition_for(build)
    backend = BuiltinBackend()
    by_variant = made.setdefault(id(definition), (definition, {}))[1]
    numbers: list[int] = []
    distinct: list[tuple[bytes, str]] = []
    seen: dict[tuple[object, ...], int] = {}
    for target in targets:
        variant = library_variant(definition, target.machine, mingw=target.flavour.mingw)
        number = seen.get(variant)
        if number is None:
            library = by_variant.get(variant)
            if library is None:
                data = backend.write_library(definition, target)
                library = by_variant[variant] = (data, hashlib.sha256(data).hexdigest())
            number = seen[variant] = len(distinct)
            distinct.append(library)
        numbers.append(number)
    return numbers, distinct


def _write_in_workers(
    builds: Sequence[PythonBuild], targets: Sequence[Target], jobs: int | None
) -> dict[PythonBuild, _Written]:
    """:func:`_write_build` of every build, the builds shared out among ``jobs`` processes.

    Parsing and writing are pure Python, one core each: ``export --all`` on
    two cores takes about two thirds of the time (scripts/bench_speed.py).
    Workers are forked (no start-up, no imports), only from a process with one
    thread and where forking is safe (not macOS), and send their libraries
    back pickled in a file in memory. A worker that fails in any way has its share
    made again here, so that its error is raised as it would be in one process.
    """
    import os
    import sys
    import threading

    from ..backends import builtin  # noqa: F401  (imported once, before the workers fork)
    from ..coff import deffile, writer  # noqa: F401

    if jobs is None:
        jobs = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    forkable = hasattr(os, "fork") and sys.platform != "darwin" and threading.active_count() == 1
    mine, *others = _shares(builds, (jobs or 1) if forkable else 1)
    workers: list[tuple[int, IO[bytes], list[PythonBuild]]] = []
    try:
        for share in others:
            try:
                workers.append((*_fork(share, targets), share))
            except OSError:  # no more processes or pipes: the share is made here
                mine += share
        made: _Made = {}
        written = {build: _write_build(build, targets, made) for build in mine}
        while workers:
            pid, stream, share = workers[0]
            result = _collect(pid, stream)
            del workers[0]
            written.update(zip(share, result or [_write_build(b, targets, made) for b in share]))
    finally:
        for pid, stream, _ in workers:  # an error or an interrupt here: stop the rest
            _stop(pid, stream)
    return written


def _shares(builds: Sequence[PythonBuild], jobs: int) -> list[list[PythonBuild]]:
    """``builds`` in ``jobs`` shares of about equal work (list sizes), those of one list
    together (it is parsed once a process)."""
    from ..exportlists import bundled_bytes

    by_list: dict[str, list[PythonBuild]] = {}
    for build in builds:
        by_list.setdefault(build.def_name, []).append(build)
    weighed = [(len(bundled_bytes(group[0])) * len(group), group) for group in by_list.values()]
    weighed.sort(key=lambda pair: -pair[0])
    shares: list[list[PythonBuild]] = [[] for _ in range(max(1, min(jobs, len(weighed))))]
    loads = [0] * len(shares)
    for weight, group in weighed:
        lightest = loads.index(min(loads))
        shares[lightest] += group
        loads[lightest] += weight
    return shares


def _fork(share: list[PythonBuild], targets: Sequence[Target]) -> tuple[int, IO[bytes]]:
    """A worker that writes ``share`` and pickles the result into a file in memory (a pipe
    would hold the worker until this process reads): its pid, and the file."""
    import os
    import pickle

    if hasattr(os, "memfd_create"):
        stream = open(os.memfd_create("implib-worker"), "w+b")  # noqa: SIM115
    else:
        import tempfile

        stream = tempfile.TemporaryFile()  # noqa: SIM115
    try:
        pid = os.fork()
    except OSError:
        stream.close()
        raise
    if pid == 0:  # the worker: never returns (no atexit handlers, no buffers of the parent)
        code = 1
        try:
            made: _Made = {}
            result = [_write_build(build, targets, made) for build in share]
            pickle.dump(result, stream, protocol=5)
            stream.flush()
            code = 0
        finally:
            os._exit(code)
    return pid, stream


def _collect(pid: int, stream: IO[bytes]) -> list[_Written] | None:
    """A worker's result, or None if it failed (an error, a signal: its share is made again)."""
    import os
    import pickle

    with stream:
        _, status = os.waitpid(pid, 0)
        if status != 0:
            return None
        stream.seek(0)
        result: list[_Written] = pickle.load(stream)
    return result


def _stop(pid: int, stream: IO[bytes]) -> None:
    import contextlib
    import os
    import signal

    stream.close()
    with contextlib.suppress(OSError):
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
