"""The libraries that ``implib serve`` serves and ``implib export`` writes, made once each.

Both serve the same matrix (every target x every bundled build); making it
in one pass, each export list parsed once and each distinct library written
once, is what keeps ``implib export --all`` and a server's start quick.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from ..pythons import PythonBuild
from ..targets import Target, parse_target, valid_targets
from .layout import Library

if TYPE_CHECKING:
    from ..backends import Backend
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
) -> list[Library]:
    """The library of every target x build (target by target), each distinct one made once.

    With the built-in writer, each build's list is parsed once, and targets
    whose libraries :func:`~implib.coff.writer.library_variant` says are the
    same bytes share them (each machine's flavours, for lists of plain
    undecorated names), so the matrix of 9 targets costs 3 libraries per build.
    Other tools make each library through the cache (:func:`produce`), which
    can take a while (GNU dlltool: 24 s for the whole matrix): ``made`` is
    told of each library, with the count done and the total, to say progress.
    """
    import hashlib

    from ..backends import select_backend
    from ..coff.writer import library_variant
    from ..exportlists import definition_for

    definitions: dict[PythonBuild, ModuleDefinition] = {}
    distinct: dict[tuple[PythonBuild, tuple[object, ...]], tuple[bytes, str]] = {}
    libraries: list[Library] = []
    total = len(targets) * len(builds)
    for target in targets:
        backend: Backend = select_backend(target, tool)
        for build in builds:
            if backend.name != "builtin":
                libraries.append(produce(target, build, tool=tool))
                if made is not None:
                    made(len(libraries), total, libraries[-1])
                continue
            definition = definitions.get(build)
            if definition is None:
                definition = definitions[build] = definition_for(build)
            key = (build, library_variant(definition, target.machine, mingw=target.flavour.mingw))
            found = distinct.get(key)
            if found is None:
                data = backend.write_library(definition, target)
                found = distinct[key] = (data, hashlib.sha256(data).hexdigest())
            libraries.append(
                Library(
                    target=target,
                    build=build,
                    names=tuple(build.lib_names(target.flavour)),
                    dll=build.dll_name,
                    backend=backend.name,
                    data=found[0],
                    sha256=found[1],
                )
            )
            if made is not None:
                made(len(libraries), total, libraries[-1])
    return libraries
