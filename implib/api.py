"""Generate import libraries: the API that the CLI, the service and build backends call.

A call parses what it is given once (target, Python build, tool), then hands
one :class:`Producer` down: it knows how libraries are made for one target
(the backend, the DLL name, the cache), and makes the bytes of an export
list, from the cache when the cache holds them. :func:`generate` then writes
them into an output folder under the names the consumers' builds look for.
"""

from __future__ import annotations

import errno
import os

from .backends import select_backend
from .cache import Cache, cache_key
from .errors import ImplibError, OutputError, WriterError
from .exportlists import bundled_bytes, definition_for
from .fileio import check_file_name, sha256_hex, write_files
from .pythons import PythonBuild, parse_python
from .records import Record
from .targets import Target, parse_target

TYPE_CHECKING = False  # a cache hit imports neither typing, dataclasses nor pathlib
if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from pathlib import Path

    from .backends import Backend
    from .coff.deffile import ModuleDefinition

    StrPath = str | os.PathLike[str]

__all__ = [
    "GeneratedLibrary",
    "OutputError",
    "Planned",
    "Produced",
    "Producer",
    "cached_library",
    "generate",
    "generate_from_def",
    "plan_from_def",
    "write_planned",
]


def _paths(files: Sequence[str]) -> tuple[Path, ...]:
    from pathlib import Path

    return tuple(Path(name) for name in files)


class GeneratedLibrary(Record):
    """A library written to disk, under one or more names."""

    target: Target
    dll: str  # the DLL it imports from
    files: tuple[str, ...]  # the paths written, the main name first, then the aliases
    sha256: str
    backend: str
    build: PythonBuild | None = None  # None for a user's own .def
    #: aliases left as they were: files of these names import from another DLL
    kept_files: tuple[str, ...] = ()

    @property
    def paths(self) -> tuple[Path, ...]:
        return _paths(self.files)

    @property
    def path(self) -> Path:
        return self.paths[0]

    @property
    def kept(self) -> tuple[Path, ...]:
        return _paths(self.kept_files)

    def notes(self) -> list[str]:
        """One line per alias left alone, saying why."""
        return [
            f"{path} left as it is: it imports from another DLL than {self.dll}; "
            "write this library into a folder of its own to have that name too"
            for path in self.kept_files
        ]


class Produced(Record):
    """A library's bytes, and the cache object that holds them, if any."""

    sha256: str
    data: bytes
    cached: str | None = None


class Planned(Record):
    """A library ready to be put in place: its bytes, the names to write, the result."""

    library: GeneratedLibrary
    data: bytes
    names: tuple[str, ...]  # base names in the output folder


def write_planned(out_dir: StrPath, planned: Sequence[Planned]) -> None:
    """Put every planned library in place: all of them, or none (see fileio.write_files)."""
    write_files(out_dir, [(name, plan.data) for plan in planned for name in plan.names])


class Producer(Record):
    """How libraries are made for one target: the backend, the DLL name, the cache."""

    target: Target
    backend: Backend
    cache: Cache | None = None  # None: neither read nor filled
    dll_name: str | None = None  # import from a DLL of this name instead

    @classmethod
    def for_target(
        cls,
        target: Target,
        *,
        tool: str | None = None,
        dll_name: str | None = None,
        cache: Cache | None,
    ) -> Producer:
        """The producer the options of ``gen``, ``env`` and the API name.

        ``cache`` is said by every caller (``Cache()``, or None for
        ``--no-cache``): a producer that fills a cache nobody asked for, or
        skips one it should read, is hard to see from outside.
        """
        if dll_name is not None:  # it names the import descriptor's members, and the library
            check_file_name(dll_name, "DLL name")
        return cls(target, select_backend(target, tool), cache, dll_name)

    def from_build(self, build: PythonBuild) -> Produced:
        """The library of a bundled Python build's export list."""
        return self._produce(bundled_bytes(build), build.spec, lambda: definition_for(build))

    def from_definition(self, definition: ModuleDefinition) -> Produced:
        """The library of a user's export list (a ``.def`` file, read)."""
        from .coff.deffile import format_def

        return self._produce(format_def(definition).encode(), "def", lambda: definition)

    def _produce(
        self, source: bytes, selection: str, load: Callable[[], ModuleDefinition]
    ) -> Produced:
        """The library of the export list ``load`` gives, whose text is ``source``.

        ``source`` and ``selection`` (the build's name, or ``def``) key the
        cache, so that a hit needs neither the parser nor the writer. Only
        :meth:`from_build` and :meth:`from_definition` call it, each deriving all three
        from one argument, so that the key always names what ``load`` gives.
        """
        key = ""
        if self.cache is not None:
            key = cache_key(
                source=sha256_hex(source),
                selection=selection,
                machine=self.target.arch,
                flavour=self.target.flavour.value,
                backend=self.backend.identity(),
                dll_name=self.dll_name or "",
            )
            hit = self.cache.get(key)
            if hit is not None:
                return Produced(os.path.basename(hit[0]), hit[1], hit[0])
        definition = load()
        if self.dll_name:
            definition = definition.replace(library=self.dll_name)
        data = self.backend.write_library(definition, self.target)
        sha256 = sha256_hex(data)
        if self.cache is not None:
            meta = {"target": self.target.triple, "python": selection, "backend": self.backend.name}
            stored = self.cache.put(key, data, meta)
            if stored is not None:
                return Produced(sha256, data, stored)
        return Produced(sha256, data)

    def write(
        self,
        build: PythonBuild,
        out_dir: StrPath,
        names: Sequence[str] | None = None,
        *,
        replace: bool = False,
    ) -> GeneratedLibrary:
        """Write the library of ``build`` into ``out_dir`` (default names: the build's)."""
        planned = self.plan(build, out_dir, names, replace=replace)
        write_planned(out_dir, [planned])
        return planned.library

    def plan(
        self,
        build: PythonBuild,
        out_dir: StrPath,
        names: Sequence[str] | None = None,
        *,
        replace: bool = False,
    ) -> Planned:
        """What :meth:`write` writes, checked against the folder, nothing written yet.

        ``replace`` replaces a set an earlier run wrote for another DLL
        (see :func:`foreign_aliases`).
        """
        produced = self.from_build(build)
        dll = self.dll_name or build.dll_name
        names = [check_file_name(name) for name in names or build.lib_names(self.target.flavour)]
        kept = foreign_aliases(
            out_dir, names, dll, produced.data, own_dll=build.dll_name, replace=replace
        )
        written = tuple(name for name in names if name not in kept)
        library = GeneratedLibrary(
            self.target,
            dll,
            tuple(output_path(out_dir, name) for name in written),
            produced.sha256,
            self.backend.name,
            build,
            tuple(output_path(out_dir, name) for name in names if name in kept),
        )
        return Planned(library, produced.data, written)


def _dlls_of(path: str, data: bytes | None) -> set[str] | None:
    """The DLLs (lower case) the import library at ``path`` names; None: nobody's file."""
    try:
        if not os.path.isfile(path):
            return None
        with open(path, "rb") as stream:
            existing = stream.read()
    except OSError:
        return None  # unreadable: writing it fails, and says why
    if data is not None and existing == data:
        return None  # already what is written: no other DLL's (read no further)
    from .coff.reader import parse_import_library

    try:
        return {d.lower() for d in parse_import_library(existing).dlls} or None
    except ImplibError:
        return None  # not an import library: nobody's to keep


def foreign_aliases(
    out_dir: StrPath,
    names: Sequence[str],
    dll: str,
    data: bytes | None = None,
    *,
    own_dll: str | None = None,
    replace: bool = False,
) -> set[str]:
    """The aliases (``names[1:]``) whose file in ``out_dir`` is another build's: left alone.

    PyPy 3.10's ``python310.lib`` alias must not replace CPython 3.10's
    library of that name, written by an earlier run: the main name is always
    written, an alias only over nothing, over a file that is no import
    library, or over one of the same DLL. A file that already holds ``data``
    is no other DLL's (and is read no further).

    But the files of one set must name one DLL: an alias that names the
    build's own DLL (``own_dll``), or the DLL the set's main file names, is
    this set's, written by an earlier run for another DLL (``--dll-name``).
    Leaving it would mix two DLLs under one set's names, so OutputError
    (EEXIST) names the set's files, before anything is written; with
    ``replace`` the whole set is written.
    """
    paths = [os.path.join(out_dir, check_file_name(name)) for name in names]
    found = {name: _dlls_of(path, data) for name, path in zip(names, paths)}
    new = {dll.lower()}
    main = found[names[0]] if names else None
    earlier = {own_dll.lower()} if own_dll else set()
    if main is not None and len(main) == 1:
        earlier |= main
    kept, ours = set(), []
    for name in names[1:]:
        dlls = found[name]
        if dlls is None or dlls == new:
            continue
        if len(dlls) == 1 and dlls <= earlier:
            ours.append(name)
        else:
            kept.add(name)
    if ours and not replace:
        mixed = ([names[0]] if main is not None and main != new else []) + ours
        shown = ", ".join(output_path(out_dir, name) for name in mixed)
        old = ", ".join(sorted({d for name in mixed for d in found[name] or ()}))
        raise OutputError(
            f"{shown}: an earlier run wrote this set for {old}, not {dll}, and one set's "
            "files name one DLL: remove them, write into another folder, or replace "
            "the whole set (gen --replace)",
            errno=errno.EEXIST,
            strerror="written for another DLL",
            filename=output_path(out_dir, ours[0]),
        )
    return kept


def output_path(out_dir: StrPath, name: str) -> str:
    """``name`` in ``out_dir``, as pathlib would print it (no ``./`` for the current folder)."""
    folder = os.fspath(out_dir)
    return name if folder in ("", os.curdir) else os.path.join(folder, name)


def write_outputs(data: bytes, out_dir: StrPath, names: Sequence[str]) -> tuple[str, ...]:
    """Write ``data`` under each of ``names`` in ``out_dir``; the paths.

    Every name must be a plain base name (OutputNameError otherwise, before
    anything is written): no output lands outside ``out_dir``. A file that
    already holds ``data`` is left alone (no write, its modification time
    kept). OutputError names the file that could not be written.
    """
    for name in names:
        check_file_name(name)
    # ordinary files, copied: editing one never touches the cache
    write_files(out_dir, [(name, data) for name in names])
    return tuple(output_path(out_dir, name) for name in names)


def _as_target(target: str | Target) -> Target:
    return target if isinstance(target, Target) else parse_target(target)


def _as_build(python: str | PythonBuild) -> PythonBuild:
    return python if isinstance(python, PythonBuild) else parse_python(python)


def generate(
    target: str | Target,
    python: str | PythonBuild = "abi3",
    out_dir: str | os.PathLike[str] = ".",
    *,
    tool: str | None = None,
    dll_name: str | None = None,
    use_cache: bool = True,
    names: Sequence[str] | None = None,
    replace: bool = False,
) -> GeneratedLibrary:
    """Write the import library of a Python build's DLL for ``target``.

    ``python`` is ``abi3`` (python3.dll), ``abi3-3.9`` (what 3.9's python3.dll
    exports), ``3.12``, ``3.13t`` or ``pypy3.10``. ``dll_name`` imports from a
    DLL of another name (MSYS2's ``libpython3.12.dll``, say). Libraries come
    from the cache when it holds them (``use_cache=False`` bypasses it).
    ``names`` replaces the file names (default: ``build.lib_names()``). The
    files are written all or none; a set an earlier run wrote there for
    another DLL is refused (OutputError) unless ``replace``.
    """
    build = _as_build(python)
    cache = Cache() if use_cache else None
    producer = Producer.for_target(_as_target(target), tool=tool, dll_name=dll_name, cache=cache)
    return producer.write(build, out_dir, names, replace=replace)


def generate_from_def(
    target: str | Target,
    def_path: str | os.PathLike[str],
    out_dir: str | os.PathLike[str] = ".",
    *,
    tool: str | None = None,
    dll_name: str | None = None,
    output_name: str | None = None,
    use_cache: bool = True,
) -> GeneratedLibrary:
    """Write the import library of any DLL from its ``.def`` file.

    The library imports from the ``.def``'s ``LIBRARY`` (or ``dll_name``) and
    is named after it (``output_name`` replaces the name). Whatever gives the
    name, it must be a plain base name: ``LIBRARY ../../x.dll``,
    ``LIBRARY /abs/x.dll`` or ``LIBRARY ""`` raise OutputNameError, and
    nothing is written.
    """
    planned = plan_from_def(
        target,
        def_path,
        out_dir,
        tool=tool,
        dll_name=dll_name,
        output_name=output_name,
        cache=Cache() if use_cache else None,
    )
    write_planned(out_dir, [planned])
    return planned.library


def plan_from_def(
    target: str | Target,
    def_path: str | os.PathLike[str],
    out_dir: str | os.PathLike[str] = ".",
    *,
    tool: str | None = None,
    dll_name: str | None = None,
    output_name: str | None = None,
    cache: Cache | None,
) -> Planned:
    """What :func:`generate_from_def` writes, nothing written yet."""
    from .coff.deffile import read_def

    parsed_target = _as_target(target)
    definition = read_def(def_path)
    if dll_name:
        dll, source = dll_name, "DLL name"
    elif definition.library:
        dll, source = definition.library, f"{os.fspath(def_path)}: LIBRARY"
    else:
        stem = os.path.splitext(os.path.basename(def_path))[0]
        dll, source = stem + ".dll", f"{os.fspath(def_path)}: file name"
    if output_name:
        name = check_file_name(output_name, "output name")
    else:
        stem = check_file_name(dll, source).rsplit(".", 1)[0]
        name = stem + (".dll.a" if parsed_target.flavour.mingw else ".lib")
    producer = Producer.for_target(parsed_target, tool=tool, dll_name=dll, cache=cache)
    try:
        produced = producer.from_definition(definition)
    except WriterError as exc:  # what in the .def cannot be written: name the file
        raise WriterError(f"{os.fspath(def_path)}: {exc}") from None
    path = output_path(out_dir, name)
    library = GeneratedLibrary(parsed_target, dll, (path,), produced.sha256, producer.backend.name)
    return Planned(library, produced.data, (name,))


def cached_library(
    target: str | Target, python: str | PythonBuild = "abi3", *, tool: str | None = None
) -> Path:
    """The path of a valid library in the cache for (target, build, backend), made if needed.

    The file is the cache's own (read-only, named by its digest): copy or link it.
    """
    producer = Producer.for_target(_as_target(target), tool=tool, cache=Cache())
    produced = producer.from_build(_as_build(python))
    if produced.cached is None:
        assert producer.cache is not None
        root = producer.cache.root
        raise OutputError(f"the cache in {root} cannot be written", filename=str(root))
    from pathlib import Path

    return Path(produced.cached)
