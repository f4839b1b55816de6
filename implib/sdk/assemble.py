"""``implib sdk``: the folder a C, C++ or Cython cross build for Windows compiles against.

    DIR/include/            the release's headers + implib's Windows pyconfig.h
    DIR/libs/               the import libraries ``implib gen`` writes (same names)
    DIR/build-details.json  PEP 739, paths relative to DIR (see .builddetails)
    DIR/meson-build-details.json  the same, with meson 1.12's dynamic-stableabi
    DIR/meson-cross.ini     meson's host machine and python.build_config (see .meson)
    DIR/python.cmake        CMake's FindPython variables, for ``cmake -C`` (see .cmake)

Each file is written atomically and left alone when its bytes are there.
A second call for the same SDK finds its stamp (``DIR/.implib-sdk.json``:
what was asked, what was written and each file's size: :mod:`.stamp`) and
returns at once, without reading the header store or making libraries.
"""

from __future__ import annotations

import dataclasses
import json
import os
from pathlib import Path

from ..errors import OutputError, PythonError
from ..fileio import holds, make_folder, write_error, write_unless_same
from ..pythons import Kind, PythonBuild, parse_python
from ..targets import Target, parse_target
from .builddetails import FILENAME
from .stamp import STAMP, Stamp, read_stamp, write_stamp
from .stamp import request as stamp_request

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from ..api import GeneratedLibrary
    from .headers import HeaderSet

__all__ = ["SDK", "STAMP", "sdk"]


@dataclasses.dataclass(frozen=True)
class SDK:
    """Where each part of an SDK is."""

    root: Path
    target: Target
    build: PythonBuild
    libraries: tuple[Path, ...]  # the linked one first
    headers: str  # the headers' patch release: 3.13.18
    origin: str  # where the headers came from

    @property
    def include_dir(self) -> Path:
        return self.root / "include"

    @property
    def lib_dir(self) -> Path:
        return self.root / "libs"

    @property
    def library(self) -> Path:
        """The library a C build links (``-l`` or the path: see :attr:`link_flags`)."""
        return self.libraries[0]

    @property
    def build_details(self) -> Path:
        return self.root / FILENAME

    @property
    def meson_cross(self) -> Path:
        return self.root / "meson-cross.ini"

    @property
    def cmake_cache(self) -> Path:
        return self.root / "python.cmake"

    @property
    def link_name(self) -> str:
        return self.build.stem

    @property
    def cflags(self) -> tuple[str, ...]:
        return (f"-I{self.include_dir}",)

    @property
    def link_flags(self) -> tuple[str, ...]:
        """``-L``/``-l`` for MinGW drivers, the ``.lib`` path for MSVC linkers."""
        if self.target.flavour.mingw:
            return (f"-L{self.lib_dir}", f"-l{self.link_name}")
        return (str(self.library),)

    def as_dict(self) -> dict[str, object]:
        """A JSON-ready summary (``implib sdk --json``)."""
        return {
            "root": str(self.root),
            "target": self.target.triple,
            "python": self.build.spec,
            "headers": self.headers,
            "headers_origin": self.origin,
            "include_dir": str(self.include_dir),
            "lib_dir": str(self.lib_dir),
            "library": str(self.library),
            "libraries": [str(p) for p in self.libraries],
            "build_details": str(self.build_details),
            "meson_cross": str(self.meson_cross),
            "cmake_cache": str(self.cmake_cache),
            "cflags": list(self.cflags),
            "link_flags": list(self.link_flags),
        }


def _headers_version(build: PythonBuild) -> tuple[int, int] | None:
    """The release whose headers an SDK of ``build`` holds; None: the newest bundled."""
    if build.kind is Kind.CPYTHON:
        return build.version
    return None


def _newest_bundled() -> tuple[int, int]:
    from .headers import bundled_releases

    newest = max(bundled_releases(), key=lambda m: tuple(int(p) for p in m.split(".")))
    major, minor = newest.split(".")
    return int(major), int(minor)


def _stable_build(build: PythonBuild, version: tuple[int, int]) -> PythonBuild | None:
    """The Stable ABI build written next to a version-specific one, if that release has one."""
    from ..pythons import ABI3T_FIRST

    if build.kind is not Kind.CPYTHON:
        return None
    if build.freethreaded:
        return parse_python("abi3t") if version >= ABI3T_FIRST else None
    return parse_python("abi3")


def _check_build(build: PythonBuild) -> None:
    if build.kind is Kind.PYPY:
        raise PythonError(
            f"{build.spec}: implib sdk is for CPython; PyPy's headers are not CPython's "
            "(take them from a PyPy for Windows, and link with implib gen --python "
            f"{build.spec})"
        )


def _out_dir(out_dir: str | os.PathLike[str]) -> Path:
    root = Path(os.path.abspath(out_dir))
    if root.exists() and not root.is_dir():
        raise OutputError(f"{out_dir}: is a file, not a folder (-o names the SDK's folder)")
    return root


def _from_stamp(
    root: Path, target: Target, build: PythonBuild, asked: tuple[str, ...]
) -> SDK | None:
    """The SDK already in ``root`` for the same request, files all there, or None."""
    stamp = read_stamp(str(root), asked)
    if stamp is None:
        return None
    libraries = tuple(root / name for name in stamp.libraries)
    return SDK(root, target, build, libraries, stamp.headers, stamp.origin)


def _write_tree(folder: Path, files: dict[str, bytes]) -> None:
    """Write ``files`` (relative path -> bytes) under ``folder``: all of them, or none.

    As :func:`implib.fileio.write_files`, but for a tree of a few hundred
    headers: each new file goes to a temporary beside it, then all are
    renamed into place; files already holding their bytes are left alone.
    No fsync per header (300 of them cost more than the rest of a cold
    call): the stamp, written last with fsync, records each file's size,
    and a file a crash left short fails that check, so the next call
    writes the SDK again.
    """
    import contextlib

    staged: list[tuple[str, str]] = []
    made: set[str] = set()
    try:
        for name, data in files.items():
            target = os.path.join(folder, name)
            if holds(target, data):
                continue
            parent = os.path.dirname(target)
            if parent not in made:
                make_folder(parent)
                made.add(parent)
            tmp = f"{target}.{os.getpid()}.tmp"
            with open(tmp, "wb") as stream:
                staged.append((tmp, target))
                stream.write(data)
        for tmp, target in staged:
            os.replace(tmp, target)
    except OSError as exc:
        for tmp, _ in staged:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        raise write_error(exc, exc.filename or folder) from exc


def sdk(
    target: str | Target,
    build: str | PythonBuild,
    out_dir: str | os.PathLike[str],
    *,
    include: str | os.PathLike[str] | None = None,
    tool: str | None = None,
    use_cache: bool = True,
) -> SDK:
    """Write the SDK of ``build`` (``3.13``, ``3.13t``, ``abi3-3.9``, ``abi3t``) for ``target``.

    ``include`` is the include folder of a CPython release that implib does
    not bundle (else an installed CPython's is looked for: see
    :mod:`.headers`). ``tool`` and ``use_cache`` are ``implib gen``'s.
    """
    parsed = target if isinstance(target, Target) else parse_target(target)
    chosen = build if isinstance(build, PythonBuild) else parse_python(build)
    _check_build(chosen)
    root = _out_dir(out_dir)
    include_path = Path(os.path.abspath(include)) if include is not None else None
    request = stamp_request(parsed.triple, chosen.spec, str(include_path) if include_path else None)
    if use_cache and tool is None:
        found = _from_stamp(root, parsed, chosen, request)
        if found is not None:
            return found
    return _write(parsed, chosen, root, include_path, request, tool=tool, use_cache=use_cache)


def _write(
    target: Target,
    build: PythonBuild,
    root: Path,
    include: Path | None,
    request: tuple[str, ...],
    *,
    tool: str | None,
    use_cache: bool,
) -> SDK:
    """Write every part of the SDK, then its stamp (which lists each file and its size)."""
    from ..exportlists import bundled_bytes
    from .cmake import write_cmake_cache
    from .headers import find_headers
    from .meson import write_meson_cross

    version = _headers_version(build) or _newest_bundled()
    bundled_bytes(build)  # an unknown build fails before anything is written
    headers = find_headers(version, include)
    written: dict[str, int] = {}
    _write_include(root, target, build, version, headers, written)
    main, stable = _write_libs(root, target, build, version, tool, use_cache, written)
    libraries = list(main.paths)
    if stable is not None:
        libraries += [p for p in stable.paths if p not in libraries]
    details = _write_build_details(root, target, build, headers.version, main, stable, written)
    made = SDK(root, target, build, tuple(libraries), headers.version, headers.origin)
    for path in (write_meson_cross(made), write_cmake_cache(made, details)):
        written[path.relative_to(root).as_posix()] = path.stat().st_size
    libs = [p.relative_to(root).as_posix() for p in libraries]
    write_stamp(str(root), request, Stamp(headers.version, headers.origin, libs, written))
    return made


def _write_include(
    root: Path,
    target: Target,
    build: PythonBuild,
    version: tuple[int, int],
    headers: HeaderSet,
    written: dict[str, int],
) -> None:
    """include/: the release's headers, then implib's pyconfig.h."""
    from .pyconfig import pyconfig_h

    tree = {header.as_posix(): headers.read(header) for header in headers.files()}
    origin = "" if headers.origin.startswith("bundled") else f", from {headers.origin}"
    config = pyconfig_h(target, build, version, origin=f" ({headers.version}{origin})").encode()
    tree["pyconfig.h"] = config
    _write_tree(root / "include", tree)
    written.update({f"include/{name}": len(data) for name, data in tree.items()})


def _write_libs(
    root: Path,
    target: Target,
    build: PythonBuild,
    version: tuple[int, int],
    tool: str | None,
    use_cache: bool,
    written: dict[str, int],
) -> tuple[GeneratedLibrary, GeneratedLibrary | None]:
    """libs/: what implib gen writes, and the Stable ABI's library beside a version's
    (all of them or none); and maturin's build-details.json (PYO3_CROSS_LIB_DIR)."""
    from ..api import Producer, write_planned
    from ..cache import Cache
    from .builddetails import write_build_details

    lib_dir = root / "libs"
    producer = Producer.for_target(target, tool=tool, cache=Cache() if use_cache else None)
    stable_build = _stable_build(build, version)
    planned = [producer.plan(b, lib_dir) for b in (build, stable_build) if b is not None]
    write_planned(lib_dir, planned)
    main = planned[0].library
    stable = planned[1].library if len(planned) > 1 else None
    for library in (main, stable):
        for path in library.paths if library is not None else ():
            written[path.relative_to(root).as_posix()] = path.stat().st_size
    lib_details = write_build_details(lib_dir, target, build)
    if lib_details is not None:
        written[lib_details.relative_to(root).as_posix()] = lib_details.stat().st_size
    return main, stable


def _write_build_details(
    root: Path,
    target: Target,
    build: PythonBuild,
    headers_release: str,
    main: GeneratedLibrary,
    stable: GeneratedLibrary | None,
    written: dict[str, int],
) -> dict[str, Any]:
    """build-details.json (PEP 739), and meson's copy of it; the first's content."""
    from .builddetails import MESON_FILENAME, meson_build_details, sdk_build_details

    def relative(path: Path) -> str:
        return path.relative_to(root).as_posix()

    stable_path = main.path if build.kind is Kind.ABI3 else stable.path if stable else None
    details = sdk_build_details(
        target,
        build,
        headers_release=headers_release,
        include="include",
        library=relative(main.path),
        stable_library=relative(stable_path) if stable_path is not None else None,
        dll=main.dll,
    )
    meson_details = meson_build_details(details, str(stable_path) if stable_path else None)
    for name, content in ((FILENAME, details), (MESON_FILENAME, meson_details)):
        data = (json.dumps(content, indent=2) + "\n").encode()
        write_unless_same(root / name, data)
        written[name] = len(data)
    return details
