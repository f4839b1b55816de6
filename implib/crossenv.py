"""Cross builds for Windows: the libraries a build links, and how to tell it.

PyO3's build script, cross-compiling for Windows, adds ``PYO3_CROSS_LIB_DIR``
to the linker's search path and links the library named after the Python
build (``python3`` for abi3 crates, else ``python312``, ``python313t``,
``libpypy3.10-c``), whose version it reads from ``PYO3_CROSS_PYTHON_VERSION``
and ``PYO3_CROSS_PYTHON_IMPLEMENTATION``. C builds want ``-L DIR -l NAME``
(MinGW gcc, clang) or the library's path (lld-link, link.exe, and zig cc,
whose ``-l`` never looks for ``NAME.dll.a``).

:func:`prepare` writes the libraries and returns both; :func:`format_env`
prints the variables for a shell or CI; :func:`target_from_command` finds the
target of a cargo/maturin command line, for ``implib run``.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import re
import shlex
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from .pythons import Kind, PythonBuild, PythonError, parse_python
from .targets import Target, TargetError, parse_target

__all__ = [
    "FORMATS",
    "CrossBuild",
    "append_github_env",
    "build_from_pyo3_env",
    "default_lib_dir",
    "format_env",
    "link_flags",
    "prepare",
    "pyo3_variables",
    "target_from_command",
    "windows_target",
]

#: The output formats of :func:`format_env` (``github`` appends to ``$GITHUB_ENV``).
FORMATS = ("sh", "fish", "powershell", "github", "json")


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

    @property
    def library(self) -> Path:
        """The library a C build links (the ``.lib`` or ``.dll.a`` file; zig cc wants this)."""
        return self.lib_dir / self.lib_names[0]

    def as_dict(self) -> dict[str, object]:
        """A JSON-ready summary (``implib env --format json``)."""
        return {
            "windows": True,
            "target": self.target.triple,
            "python": self.build.spec,
            "dll": self.dll,
            "lib_dir": str(self.lib_dir),
            "lib_names": list(self.lib_names),
            "library": str(self.library),
            "link_name": self.link_name,
            "link_flags": list(self.link_flags),
            "env": dict(self.env),
        }


# Zig and some other tools spell Windows triples without the vendor.
_VENDORLESS = re.compile(r"(x86_64|x86|i686|aarch64)-windows-(msvc|gnu|gnullvm)")


def windows_target(name: str) -> Target | None:
    """The Windows target ``name`` names, or None when it is not a Windows target.

    A name that says Windows but that implib does not support (another
    architecture, a UWP triple) raises a TargetError rather than being taken
    for a host build, so that a build is never run without its libraries.
    """
    text = name.strip().lower()
    try:
        return parse_target(text)
    except TargetError:
        pass
    match = _VENDORLESS.fullmatch(text)
    if match:
        arch = "i686" if match.group(1) == "x86" else match.group(1)
        return parse_target(f"{arch}-pc-windows-{match.group(2)}")
    parts = re.split(r"[-_]", text)
    if any(
        part == "win" or part.startswith(("windows", "win32", "win64", "mingw")) for part in parts
    ):
        parse_target(name)  # raises, listing the valid names
    if len(text.split("-")) < 2:
        # A single word is neither a Windows target nor a host triple: a typo.
        parse_target(name)
    return None


def _newest_cpython() -> tuple[int, int]:
    from .exportlists import available_builds

    versions = [b.version for b in available_builds() if b.kind is Kind.CPYTHON and b.version]
    return max(versions)


def pyo3_variables(build: PythonBuild, lib_dir: str | os.PathLike[str]) -> dict[str, str]:
    """The ``PYO3_CROSS_*`` variables for ``build`` with its libraries in ``lib_dir``.

    For abi3 the version is the minimum given (``abi3-3.9``), else the newest
    CPython implib knows, which PyO3 lowers to the crate's ``abi3-py3X``
    feature: no crate's minimum can be newer, so it never conflicts.
    """
    if build.kind is Kind.ABI3:
        major, minor = build.version or _newest_cpython()
        version = f"{major}.{minor}"
    else:
        assert build.version is not None
        version = f"{build.version[0]}.{build.version[1]}" + ("t" if build.freethreaded else "")
    return {
        "PYO3_CROSS_LIB_DIR": str(lib_dir),
        "PYO3_CROSS_PYTHON_VERSION": version,
        "PYO3_CROSS_PYTHON_IMPLEMENTATION": "PyPy" if build.kind is Kind.PYPY else "CPython",
    }


def build_from_pyo3_env(environ: Mapping[str, str]) -> PythonBuild | None:
    """The Python build that ``PYO3_CROSS_PYTHON_VERSION`` (and implementation) name.

    Lets ``implib run`` follow a CI that already sets PyO3's variables.
    """
    version = environ.get("PYO3_CROSS_PYTHON_VERSION", "").strip()
    if not version:
        return None
    implementation = environ.get("PYO3_CROSS_PYTHON_IMPLEMENTATION", "CPython").strip().lower()
    if implementation in ("", "cpython"):
        return parse_python(version)
    if implementation == "pypy":
        return parse_python("pypy" + version)
    raise PythonError(
        f"PYO3_CROSS_PYTHON_IMPLEMENTATION={implementation!r}: implib knows CPython and PyPy"
    )


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
    from .cache import default_cache_dir

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
) -> CrossBuild:
    """Write the import libraries for a cross build; return where and how to link.

    The one call for build backends and hooks (setuptools-rust,
    scikit-build-core, a ``build.py``)::

        build = prepare("x86_64-pc-windows-msvc", "3.12")
        os.environ.update(build.env)          # PyO3 cross builds
        linker_args += build.link_flags       # C builds

    ``out_dir`` defaults to a folder of its own in implib's cache folder.
    ``dll_name`` imports from a DLL of another name (MSYS2's
    ``libpython3.12.dll``). ``server`` fetches the libraries from an implib
    server or export (sha256-checked, generated locally when it cannot be
    reached); libraries for a renamed DLL are always generated here.
    """
    if isinstance(target, str):
        parsed = windows_target(target)
        if parsed is None:
            raise TargetError(f"{target!r} is not a Windows target: it links no import library")
        target = parsed
    build = python if isinstance(python, PythonBuild) else parse_python(python)
    lib_dir = Path(
        os.path.abspath(
            out_dir
            if out_dir is not None
            else default_lib_dir(target, build, dll_name=dll_name, tool=tool)
        )
    )
    builds = [build] + ([parse_python("abi3")] if _wants_abi3_too(build, dll_name) else [])
    if server and not dll_name:
        from .fetch import fetch

        report = fetch(server, target, builds, lib_dir, tool=tool)
        paths = [path for result in report.results for path in result.paths]
        origin = report.summary()
    else:
        from .generate import generate

        made = [
            generate(target, b, lib_dir, tool=tool, dll_name=dll_name, use_cache=use_cache)
            for b in builds
        ]
        paths = [path for lib in made for path in lib.paths]
        origin = "generated"
    names = tuple(dict.fromkeys(path.name for path in paths))
    link_name = build.stem
    flags = link_flags(target, lib_dir, link_name)
    env = pyo3_variables(build, lib_dir)
    env.update(
        {
            "IMPLIB_TARGET": target.triple,
            "IMPLIB_LIB_DIR": str(lib_dir),
            "IMPLIB_LIB_NAME": link_name,
            "IMPLIB_LIBRARY": str(lib_dir / names[0]),
            "IMPLIB_LDFLAGS": " ".join(flags),
        }
    )
    return CrossBuild(
        target=target,
        build=build,
        lib_dir=lib_dir,
        lib_names=names,
        link_name=link_name,
        dll=dll_name or build.dll_name,
        env=env,
        link_flags=flags,
        origin=origin,
    )


def _fish_quote(value: str) -> str:
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _powershell_quote(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def format_env(
    env: Mapping[str, str], fmt: str, *, summary: Mapping[str, object] | None = None
) -> str:
    """The variables as ``fmt`` wants them: lines to eval, or JSON.

    ``github`` gives the lines for ``$GITHUB_ENV`` (see :func:`append_github_env`);
    ``json`` prints ``summary`` when given (the whole :class:`CrossBuild`).
    """
    if fmt == "json":
        return json.dumps(summary if summary is not None else dict(env), indent=2) + "\n"
    lines = []
    for name, value in env.items():
        if fmt == "sh":
            lines.append(f"export {name}={shlex.quote(value)}")
        elif fmt == "fish":
            lines.append(f"set -gx {name} {_fish_quote(value)}")
        elif fmt == "powershell":
            lines.append(f"$env:{name} = {_powershell_quote(value)}")
        elif fmt == "github":
            lines.append(_github_line(name, value))
        else:
            raise ValueError(f"unknown format {fmt!r}; formats: {', '.join(FORMATS)}")
    return "".join(line + "\n" for line in lines)


def _github_line(name: str, value: str) -> str:
    if "\n" not in value and "\r" not in value:
        return f"{name}={value}"
    # A multi-line value needs a delimiter that it does not contain.
    delimiter = "IMPLIB_EOF_" + hashlib.sha256(value.encode()).hexdigest()[:16]
    return f"{name}<<{delimiter}\n{value}\n{delimiter}"


def append_github_env(env: Mapping[str, str], environ: Mapping[str, str] | None = None) -> Path:
    """Append the variables to the file ``$GITHUB_ENV`` names, for the job's next steps."""
    environ = os.environ if environ is None else environ
    path = environ.get("GITHUB_ENV")
    if not path:
        raise RuntimeError(
            "GITHUB_ENV is not set: --format github works inside a GitHub Actions step "
            "(use --format sh elsewhere)"
        )
    with open(path, "a", encoding="utf-8") as stream:
        stream.write(format_env(env, "github"))
    return Path(path)


def _target_options(argv: Iterable[str]) -> list[str]:
    """The values of ``--target T``, ``--target=T`` and ``-target T`` before a ``--``."""
    values = []
    args = list(argv)
    for index, arg in enumerate(args):
        if arg == "--":
            break  # what follows goes to rustc, a test binary or a script
        if arg in ("--target", "-target") and index + 1 < len(args):
            values.append(args[index + 1])
        elif arg.startswith(("--target=", "-target=")):
            values.append(arg.split("=", 1)[1])
    return values


def target_from_command(
    argv: Sequence[str], environ: Mapping[str, str] | None = None
) -> str | None:
    """The target a build command builds for, as written; None for a host build.

    Reads ``--target T`` / ``--target=T`` (cargo, maturin, cargo-zigbuild,
    cargo-xwin; ``-target`` of zig cc and clang), then ``CARGO_BUILD_TARGET``.
    A command for several targets is refused: one set of PyO3 variables
    cannot serve them all.
    """
    environ = os.environ if environ is None else environ
    values = list(dict.fromkeys(_target_options(argv)))
    if len(values) > 1:
        raise TargetError(
            f"the command builds for several targets ({', '.join(values)}); "
            "run it once per target, or give implib --target"
        )
    if values:
        return values[0]
    return environ.get("CARGO_BUILD_TARGET") or None
