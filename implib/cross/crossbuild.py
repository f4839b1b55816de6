"""Write the libraries of a cross build, and say how the build links them.

C builds want ``-L DIR -l NAME`` (MinGW gcc, clang) or the library's path
(lld-link, link.exe, and zig cc, whose ``-l`` never looks for
``NAME.dll.a``); PyO3 builds want the variables of :mod:`.pyo3`.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
from pathlib import Path

from ..errors import TargetError
from ..pythons import Kind, PythonBuild, parse_python
from ..sdk.builddetails import write_build_details
from ..targets import Target, windows_target
from .pyo3 import pyo3_variables

__all__ = ["CrossBuild", "default_lib_dir", "link_flags", "prepare"]


@dataclasses.dataclass(frozen=True)
class CrossBuild:
    """What a build for one Windows target and Python build needs."""

    target: Target
    build: PythonBuild
    lib_dir: Path  # absolute: builds run their steps in other folders
    lib_names: tuple[str, ...]  # the files written to lib_dir, the linked one first
    link_name: str  # what -l names, and the .lib's stem: python3, python312, ...
    dll: str  # the DLL the libraries import from
    env: dict[str, str]  # PYO3_CROSS_* and IMPLIB_* variables
    link_flags: tuple[str, ...]  # -L/-l for MinGW drivers, the .lib path for MSVC linkers
    origin: str = "generated"  # or the summary of a fetch from an implib server
    build_details: Path | None = None  # PEP 739 build-details.json, for maturin (CPython 3.X)
    sdk: Path | None = None  # the implib sdk folder (prepare(sdk=True)): headers, libs, details

    @property
    def library(self) -> Path:
        """The library a C build links (the ``.lib`` or ``.dll.a`` file; zig cc wants this)."""
        names = self.lib_names or self.build.lib_names(self.target.flavour)  # none written
        return self.lib_dir / names[0]

    def as_dict(self) -> dict[str, object]:
        """A JSON-ready summary (``implib env --format json``)."""
        return {
            "windows": True,
            "target": self.target.triple,
            "python": self.build.spec,
            "dll": self.dll,
            "lib_dir": str(self.lib_dir),
            "lib_names": list(self.lib_names),
            "library": str(self.library) if self.lib_names else None,
            "link_name": self.link_name,
            "link_flags": list(self.link_flags),
            "env": dict(self.env),
            "build_details": str(self.build_details) if self.build_details else None,
            "sdk": str(self.sdk) if self.sdk else None,
        }


def link_flags(target: Target, lib_dir: Path, link_name: str) -> tuple[str, ...]:
    """The linker arguments a C build adds, in the form its driver takes."""
    if target.flavour.mingw:
        return (f"-L{lib_dir}", f"-l{link_name}")
    return (str(lib_dir / f"{link_name}.lib"),)


def default_lib_dir(
    target: Target, build: PythonBuild, *, dll_name: str | None = None, tool: str | None = None
) -> Path:
    """A folder of its own under implib's cache folder, stable across runs.

    Stable, so that the printed variables stay valid after ``implib env``
    exits, and so that cargo's rebuild checks see the same path every time.
    """
    from ..cache import default_cache_dir

    name = build.spec
    if dll_name or tool:
        digest = hashlib.sha256(f"{dll_name or ''}\0{tool or ''}".encode()).hexdigest()
        name += "-" + digest[:10]
    return default_cache_dir() / "lib-dirs" / target.triple / name


def _wants_abi3_too(build: PythonBuild, dll_name: str | None) -> bool:
    """Whether to write python3's library next to a version-specific one.

    PyO3 links ``python3`` whenever the crate enables its abi3 feature,
    whatever the version says; a CPython 3.X folder that has both serves
    either crate. Free-threaded builds and renamed DLLs have no python3.dll.
    """
    return build.kind is Kind.CPYTHON and not build.freethreaded and not dll_name


def prepare(
    target: str | Target,
    python: str | PythonBuild = "abi3",
    out_dir: str | os.PathLike[str] | None = None,
    *,
    dll_name: str | None = None,
    tool: str | None = None,
    use_cache: bool = True,
    server: str | None = None,
    libraries: bool = True,
    sdk: bool = False,
) -> CrossBuild:
    """Write the import libraries for a cross build; return where and how to link.

    The one call for build backends and hooks (setuptools-rust,
    scikit-build-core, a ``build.py``)::

        build = prepare("x86_64-pc-windows-msvc", "3.12")
        os.environ.update(build.env)          # PyO3 cross builds
        linker_args += build.link_flags       # C builds

    ``out_dir`` defaults to a folder of its own in implib's cache folder.
    ``dll_name`` imports from a DLL of another name (MSYS2's
    ``libpython3.12.dll``). For CPython 3.X the folder also gets a PEP 739
    ``build-details.json``, which maturin reads for a version-specific
    build. ``server`` fetches the libraries from an implib server or export
    (sha256-checked, generated locally when it cannot be reached); libraries
    for a renamed DLL are always generated here. ``libraries=False`` writes
    no library (a PyO3 0.29 build that links Python through raw-dylib, see
    :mod:`.rawdylib`), the variables and build-details.json still.

    ``sdk=True`` writes an ``implib sdk`` folder instead (``out_dir``, else
    one beside the default library folder): the headers with a Windows
    ``pyconfig.h``, the libraries in its ``libs/`` and its
    ``build-details.json``, named by ``IMPLIB_SDK``, ``IMPLIB_INCLUDE``,
    ``IMPLIB_CFLAGS``, ``IMPLIB_BUILD_DETAILS`` and ``IMPLIB_MESON_CROSS``
    (C builds always get the libraries: ``libraries`` is for PyO3's).
    """
    parsed = _windows(target)
    build = python if isinstance(python, PythonBuild) else parse_python(python)
    if sdk:
        return _with_sdk(parsed, build, out_dir, dll_name=dll_name, tool=tool,
                         use_cache=use_cache, server=server)  # fmt: skip
    if out_dir is None:
        out_dir = default_lib_dir(parsed, build, dll_name=dll_name, tool=tool)
    lib_dir = Path(os.path.abspath(out_dir))
    builds = [build] + ([parse_python("abi3")] if _wants_abi3_too(build, dll_name) else [])
    if not libraries:
        from ..fileio import make_folder

        make_folder(lib_dir)  # for build-details.json, and PYO3_CROSS_LIB_DIR to exist
        paths: list[Path] = []
        origin = "generated"
    elif server and not dll_name:
        from ..service.client import fetch

        report = fetch(server, parsed, builds, lib_dir, tool=tool)
        paths = [path for result in report.results for path in result.paths]
        origin = report.summary()
    else:
        from ..api import Producer, write_planned
        from ..cache import Cache

        producer = Producer.for_target(
            parsed, tool=tool, dll_name=dll_name, cache=Cache() if use_cache else None
        )
        planned = [producer.plan(b, lib_dir) for b in builds]
        write_planned(lib_dir, planned)  # all of them, or none
        paths = [path for plan in planned for path in plan.library.paths]
        origin = "generated"
    details = None if dll_name else write_build_details(lib_dir, parsed, build)
    cross = _cross_build(parsed, build, lib_dir, paths, dll_name or build.dll_name, origin)
    return dataclasses.replace(cross, build_details=details)


def _with_sdk(
    target: Target,
    build: PythonBuild,
    out_dir: str | os.PathLike[str] | None,
    *,
    dll_name: str | None,
    tool: str | None,
    use_cache: bool,
    server: str | None,
) -> CrossBuild:
    """:func:`prepare` for C builds: an SDK folder, and the variables naming its parts."""
    from ..sdk import sdk

    if dll_name or server:
        raise TargetError(
            "an SDK holds libraries implib makes for CPython's own DLLs: "
            "give --sdk without --dll-name and --server"
        )
    if out_dir is None:
        out_dir = str(default_lib_dir(target, build, tool=tool)) + "-sdk"
    made = sdk(target, build, out_dir, tool=tool, use_cache=use_cache)
    cross = _cross_build(target, build, made.lib_dir, list(made.libraries), build.dll_name,
                         "generated")  # fmt: skip
    cross.env.update(
        {
            "IMPLIB_SDK": str(made.root),
            "IMPLIB_INCLUDE": str(made.include_dir),
            "IMPLIB_CFLAGS": " ".join(made.cflags),
            "IMPLIB_BUILD_DETAILS": str(made.build_details),
            "IMPLIB_MESON_CROSS": str(made.meson_cross),
        }
    )
    for_maturin = made.lib_dir / "build-details.json"  # CPython 3.X only, as prepare()'s
    details = for_maturin if for_maturin.is_file() else None
    return dataclasses.replace(cross, build_details=details, sdk=made.root)


def _windows(target: str | Target) -> Target:
    if isinstance(target, Target):
        return target
    parsed = windows_target(target)
    if parsed is None:
        raise TargetError(f"{target!r} is not a Windows target: it links no import library")
    return parsed


def _cross_build(
    target: Target, build: PythonBuild, lib_dir: Path, paths: list[Path], dll: str, origin: str
) -> CrossBuild:
    """What the written ``paths`` mean to a build: PyO3's variables and the C link flags."""
    names = tuple(dict.fromkeys(path.name for path in paths))
    link_name = build.stem
    flags = link_flags(target, lib_dir, link_name)
    env = pyo3_variables(build, lib_dir)
    env.update({"IMPLIB_TARGET": target.triple, "IMPLIB_LIB_DIR": str(lib_dir)})
    if names:  # no library written: nothing for a C build to link
        env.update(
            {
                "IMPLIB_LIB_NAME": link_name,
                "IMPLIB_LIBRARY": str(lib_dir / names[0]),
                "IMPLIB_LDFLAGS": " ".join(flags),
            }
        )
    return CrossBuild(target, build, lib_dir, names, link_name, dll, env, flags, origin)
