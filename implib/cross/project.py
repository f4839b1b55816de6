"""The Python build a PyO3 project is for, when ``implib run`` is not told.

PyO3 builds for the stable ABI when the crate turns on its ``abi3`` feature,
and ``abi3-py3X`` also names the oldest CPython the module runs on; without
it, PyO3 builds for the one version in ``PYO3_CROSS_PYTHON_VERSION``. So the
crate's manifest answers "which Python" for most PyO3 builds:

* the package's features come from ``cargo metadata --no-deps`` (workspace
  inheritance and renamed dependencies resolved by cargo itself), the
  command line (``--features``, ``--no-default-features``, ``--all-features``,
  ``-p``) and, for maturin, ``[tool.maturin]`` in ``pyproject.toml``;
* the features of its ``pyo3`` / ``pyo3-ffi`` dependency follow from those
  (``abi3 = ["pyo3/abi3-py38"]``, ``dep:``, ``pyo3?/…``).

Only the package's own manifest is read: a feature that another crate of the
graph turns on for pyo3 is not seen.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from ..errors import PythonError
from ..pythons import Kind, PythonBuild, parse_python
from .command import BuildCommand
from .pyo3 import build_from_pyo3_env

__all__ = ["ChosenPython", "CrateAbi", "choose_python", "maturin_argv", "read_crate"]

#: The crates whose abi3 features decide what PyO3 links.
PYO3_CRATES = ("pyo3", "pyo3-ffi")

_ABI3_VERSION = re.compile(r"abi3-py(\d)(\d+)")
#: PyO3 0.29's free-threaded stable ABI (PEP 803): ``abi3t``, ``abi3t-py315``.
_ABI3T_VERSION = re.compile(r"abi3t-py(\d)(\d+)")


def _lowest(pattern: re.Pattern[str], features: frozenset[str]) -> tuple[int, int] | None:
    versions = [(int(m.group(1)), int(m.group(2))) for m in map(pattern.fullmatch, features) if m]
    return min(versions) if versions else None


class _Unreadable(Exception):
    """The project could not be read; the message says why (used in the final error only)."""


@dataclasses.dataclass(frozen=True)
class CrateAbi:
    """What one package's manifest turns on in PyO3."""

    manifest: Path
    package: str
    uses_pyo3: bool  # a normal (not dev/build) dependency on pyo3 or pyo3-ffi, turned on
    pyo3_features: frozenset[str]
    maturin: bool = False  # pyproject.toml's [tool.maturin] settings were applied

    @property
    def abi3(self) -> bool:
        return any(f == "abi3" or _ABI3_VERSION.fullmatch(f) for f in self.pyo3_features)

    @property
    def abi3t(self) -> bool:
        return any(f == "abi3t" or _ABI3T_VERSION.fullmatch(f) for f in self.pyo3_features)

    @property
    def min_version(self) -> tuple[int, int] | None:
        """The oldest CPython of the lowest ``abi3-py3X`` feature (PyO3 takes that one)."""
        return _lowest(_ABI3_VERSION, self.pyo3_features)

    @property
    def abi3t_min_version(self) -> tuple[int, int] | None:
        """The oldest CPython of the lowest ``abi3t-py3X`` feature."""
        return _lowest(_ABI3T_VERSION, self.pyo3_features)

    def where(self, cwd: Path) -> str:
        """The manifest, as short as it can be said, for messages."""
        try:
            shown = os.path.relpath(self.manifest, cwd)
        except ValueError:  # another drive (Windows)
            shown = str(self.manifest)
        if shown.startswith(".."):
            shown = str(self.manifest)
        return f"{shown} (package {self.package})"


@dataclasses.dataclass(frozen=True)
class ChosenPython:
    """The Python build to prepare, and where that came from (for the user's note)."""

    build: PythonBuild
    reason: str = ""  # "" when the command line said it


# -- pyproject.toml -----------------------------------------------------------------------


def _load_toml(path: Path) -> dict[str, Any]:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - depends on the interpreter
        try:
            import tomli as tomllib  # type: ignore[import-not-found, unused-ignore]
        except ImportError:
            raise _Unreadable(f"{path}: reading it needs Python 3.11+ or tomli") from None
    try:
        with open(path, "rb") as stream:
            data: dict[str, Any] = tomllib.load(stream)
    except (OSError, ValueError) as exc:
        raise _Unreadable(f"{path}: {exc}") from None
    return data


def _pyproject_for(command: BuildCommand, cwd: Path) -> Path | None:
    """The pyproject.toml maturin reads: next to ``-m``'s Cargo.toml or one up, else cwd's."""
    if command.manifest_path:
        folder = (cwd / command.manifest_path).parent
        for candidate in (folder / "pyproject.toml", folder.parent / "pyproject.toml"):
            if candidate.is_file():
                return candidate
        return None
    candidate = cwd / "pyproject.toml"
    return candidate if candidate.is_file() else None


@dataclasses.dataclass(frozen=True)
class _MaturinSettings:
    manifest_path: Path | None = None
    features: tuple[str, ...] = ()
    all_features: bool = False
    no_default_features: bool = False


def _maturin_settings(command: BuildCommand, cwd: Path) -> _MaturinSettings | None:
    """``[tool.maturin]``, when the build runs maturin (directly or as the PEP 517 backend)."""
    path = _pyproject_for(command, cwd)
    if path is None:
        return None
    data = _load_toml(path)
    backend = str(data.get("build-system", {}).get("build-backend", ""))
    if command.tool != "maturin" and not (command.tool is None and backend == "maturin"):
        return None
    settings = data.get("tool", {}).get("maturin", {})
    if not isinstance(settings, dict):
        raise _Unreadable(f"{path}: [tool.maturin] is not a table")
    features = settings.get("features", [])
    if not isinstance(features, list) or not all(isinstance(f, str) for f in features):
        raise _Unreadable(f"{path}: [tool.maturin] features is not a list of strings")
    manifest = settings.get("manifest-path")
    return _MaturinSettings(
        manifest_path=path.parent / manifest if isinstance(manifest, str) else None,
        features=tuple(features),
        all_features=settings.get("all-features") is True,
        no_default_features=settings.get("no-default-features") is True,
    )


# -- Cargo.toml, through cargo metadata ---------------------------------------------------


def _nearest_manifest(cwd: Path) -> Path | None:
    """The Cargo.toml cargo would use: in cwd or the nearest folder above."""
    for folder in (cwd, *cwd.parents):
        candidate = folder / "Cargo.toml"
        if candidate.is_file():
            return candidate
    return None


def _cargo_metadata(manifest: Path, environ: Mapping[str, str]) -> dict[str, Any]:
    cargo = environ.get("CARGO") or shutil.which("cargo", path=environ.get("PATH"))
    if not cargo:
        raise _Unreadable("cargo was not found to read the crate's features")
    argv = [cargo, "metadata", "--no-deps", "--format-version", "1"]
    argv += ["--manifest-path", str(manifest)]
    try:
        result = subprocess.run(
            argv, capture_output=True, text=True, env=dict(environ), timeout=120, check=False
        )
    except (OSError, subprocess.SubprocessError) as exc:
        raise _Unreadable(f"cannot run {cargo} metadata: {exc}") from None
    if result.returncode != 0:
        lines = [line for line in result.stderr.splitlines() if line.strip()]
        raise _Unreadable(f"cargo metadata failed: {lines[0] if lines else result.returncode}")
    try:
        data: dict[str, Any] = json.loads(result.stdout)
    except ValueError:
        raise _Unreadable("cargo metadata printed no JSON") from None
    return data


def _enabled_dependency_features(
    package: Mapping[str, Any], requested: Sequence[str], all_features: bool, no_default: bool
) -> dict[str, set[str]]:
    """The features each turned-on dependency gets from ``package``'s own features.

    Cargo's rules: a feature names other features, ``dep:NAME`` (turn the
    optional dependency on), ``NAME/FEAT`` (turn it on, with FEAT) and
    ``NAME?/FEAT`` (FEAT only if something else turns NAME on). An optional
    dependency without any ``dep:`` mention is also a feature of its name.
    """
    table: dict[str, list[str]] = {k: list(v) for k, v in package.get("features", {}).items()}
    dependencies = [d for d in package.get("dependencies", []) if d.get("kind") is None]
    key_of = {id(d): d.get("rename") or d["name"] for d in dependencies}
    optional = {key_of[id(d)] for d in dependencies if d.get("optional")}
    explicit = {f[4:] for values in table.values() for f in values if f.startswith("dep:")}
    for name in optional - explicit - set(table):
        table[name] = [f"dep:{name}"]  # the implicit feature of an optional dependency
    own = package["name"]
    stack = list(table) if all_features else list(requested)
    if not no_default and not all_features and "default" in table:
        stack.append("default")
    enabled: set[str] = set()
    active: set[str] = set()
    extra: dict[str, set[str]] = {}
    weak: dict[str, set[str]] = {}
    while stack:
        feature = stack.pop()
        if feature.startswith("dep:"):
            active.add(feature[4:])
        elif "/" in feature:
            name, _, sub = feature.partition("/")
            if name == own:
                stack.append(sub)
            elif name.endswith("?"):
                weak.setdefault(name[:-1], set()).add(sub)
            else:
                extra.setdefault(name, set()).add(sub)
                active.add(name)
                if name in table and name in optional and name not in enabled:
                    stack.append(name)
        elif feature not in enabled:
            enabled.add(feature)
            stack.extend(table.get(feature, []))
    result: dict[str, set[str]] = {}
    for dep in dependencies:
        key = key_of[id(dep)]
        if dep.get("optional") and key not in active:
            continue
        features = result.setdefault(dep["name"], set())
        features.update(dep.get("features", []), extra.get(key, ()), weak.get(key, ()))
    return result


def _select_packages(
    metadata: Mapping[str, Any], manifest: Path, names: Sequence[str]
) -> list[dict[str, Any]]:
    members = set(metadata.get("workspace_members", []))
    packages = [p for p in metadata.get("packages", []) if p.get("id") in members]
    if names:
        chosen = [p for p in packages if p["name"] in names]
        if not chosen:
            raise _Unreadable(f"no package {', '.join(names)} in {manifest}")
        return chosen
    own = [p for p in packages if Path(p["manifest_path"]).resolve() == manifest.resolve()]
    return own or packages  # a virtual workspace: every member


def read_crate(command: BuildCommand, cwd: Path, environ: Mapping[str, str]) -> CrateAbi | None:
    """What the crate the command builds turns on in PyO3; None when there is no crate.

    Raises an internal error (its message the reason) when the crate is there
    but cannot be read.
    """
    maturin = _maturin_settings(command, cwd)
    if command.manifest_path:
        manifest: Path | None = cwd / command.manifest_path
    elif maturin and maturin.manifest_path:
        manifest = maturin.manifest_path
    else:
        manifest = _nearest_manifest(cwd)
    if manifest is None:
        return None
    metadata = _cargo_metadata(manifest, environ)
    features = list(command.features) + list(maturin.features if maturin else ())
    all_features = command.all_features or bool(maturin and maturin.all_features)
    no_default = command.no_default_features or bool(maturin and maturin.no_default_features)
    crates = []
    for package in _select_packages(metadata, manifest, command.packages):
        deps = _enabled_dependency_features(package, features, all_features, no_default)
        pyo3 = set().union(*(deps[name] for name in PYO3_CRATES if name in deps))
        uses = any(name in deps for name in PYO3_CRATES)
        crates.append(
            CrateAbi(
                Path(package["manifest_path"]),
                package["name"],
                uses,
                frozenset(pyo3),
                maturin is not None,
            )
        )
    users = [c for c in crates if c.uses_pyo3] or crates
    answers = {(c.uses_pyo3, c.abi3, c.min_version, c.abi3t) for c in users}
    if len(answers) > 1:
        names = ", ".join(c.package for c in users)
        raise _Unreadable(f"the workspace's PyO3 packages ({names}) differ; give -p PACKAGE")
    return users[0] if users else None


# -- the choice ---------------------------------------------------------------------------


def _interpreter_build(name: str) -> PythonBuild | None:
    """The build a maturin ``-i`` names (``python3.12``, ``pypy3.10``, ``3.13t``), if any.

    A path or a bare ``python3`` names only a host interpreter: None.
    """
    base = os.path.basename(name).lower()
    if base.endswith(".exe"):
        base = base[:-4]
    match = re.fullmatch(r"(python|pypy)?-?(3\.\d+t?)", base)
    if not match:
        return None
    return parse_python(("pypy" if match.group(1) == "pypy" else "") + match.group(2))


def choose_python(
    explicit: PythonBuild | None,
    command: BuildCommand,
    environ: Mapping[str, str],
    cwd: str | os.PathLike[str] | None = None,
) -> ChosenPython:
    """The Python build of a cross build: the command line, else the project says it.

    In order: implib's ``--abi3``/``--python``; ``PYO3_CROSS_PYTHON_VERSION``;
    the crate's PyO3 ``abi3-py3X`` feature; maturin's ``-i python3.X``. An
    ``--abi3`` for a crate that turns on no abi3 feature is refused: PyO3
    would build for one version and look for ``python3XY``, not ``python3``.
    """
    where = Path(os.path.abspath(cwd if cwd is not None else os.getcwd()))
    crate: CrateAbi | None = None
    problem = ""
    if explicit is None or explicit.kind is Kind.ABI3:
        try:
            crate = read_crate(command, where, environ)
        except _Unreadable as exc:
            problem = str(exc)
    if explicit is not None:
        if explicit.kind is Kind.ABI3 and crate is not None and crate.uses_pyo3:
            _check_abi3_features(explicit, crate, where)
        return ChosenPython(explicit)
    from_env = build_from_pyo3_env(environ)
    if from_env is not None:
        return ChosenPython(from_env, "PYO3_CROSS_PYTHON_VERSION")
    interpreters = [b for b in map(_interpreter_build, command.interpreters) if b]
    if crate is not None and (crate.abi3t or crate.abi3):
        return _from_features(crate, interpreters, where)
    if len({b.spec for b in interpreters}) > 1:
        names = ", ".join(command.interpreters)
        raise PythonError(
            f"maturin builds for several interpreters ({names}); "
            "run implib once per interpreter, each with its --python"
        )
    if interpreters:
        return ChosenPython(interpreters[0], f"maturin's --interpreter {command.interpreters[0]}")
    if problem:
        why = problem
    elif crate is None:
        why = "no Cargo.toml here to read PyO3's features from"
    elif not crate.uses_pyo3:
        why = f"{crate.where(where)} has no PyO3 dependency"
    else:
        why = f"{crate.where(where)} turns on no abi3-py3X feature of PyO3"
    raise PythonError(
        f"say which Python the build is for: --abi3, or --python 3.X "
        f"(or set PYO3_CROSS_PYTHON_VERSION); {why}"
    )


def _check_abi3_features(explicit: PythonBuild, crate: CrateAbi, where: Path) -> None:
    """``--abi3``/``--abi3t`` for a PyO3 crate whose features build for the same."""
    if explicit.freethreaded and not crate.abi3t:
        raise PythonError(
            f"--abi3t, but {crate.where(where)} turns on no abi3t feature of PyO3, so "
            "PyO3 does not link python3t; give --abi3 or --python 3.X, or turn on "
            "pyo3's abi3t-py3X feature"
        )
    if not explicit.freethreaded and not crate.abi3:
        raise PythonError(
            f"--abi3, but {crate.where(where)} turns on no abi3 feature of PyO3, so "
            "PyO3 builds for one CPython version and links python3XY, not python3; "
            "give --python 3.X, or turn on pyo3's abi3-py3X feature"
        )


def _from_features(crate: CrateAbi, interpreters: list[PythonBuild], where: Path) -> ChosenPython:
    """The build a crate's PyO3 abi3t or abi3 feature says (its minimum, else maturin's -i)."""
    if crate.abi3t:
        # PyO3 0.29 builds for abi3t from 3.15 on whenever the feature is on,
        # even with abi3 on too.
        low = crate.abi3t_min_version
        feature = f"abi3t-py{low[0]}{low[1]}" if low else "abi3t"
        spec = f"abi3t-{low[0]}.{low[1]}" if low else "abi3t"
        return ChosenPython(parse_python(spec), f"PyO3's {feature} feature in {crate.where(where)}")
    minimum = crate.min_version or (interpreters[0].version if interpreters else None)
    if minimum is None:
        raise PythonError(
            f"{crate.where(where)} turns on PyO3's abi3 feature without a minimum "
            "version: give --abi3 --min-python 3.X (or turn on abi3-py3X)"
        )
    feature = f"abi3-py{minimum[0]}{minimum[1]}" if crate.min_version else "abi3"
    return ChosenPython(
        parse_python(f"abi3-{minimum[0]}.{minimum[1]}"),
        f"PyO3's {feature} feature in {crate.where(where)}",
    )


def maturin_argv(
    argv: Sequence[str], command: BuildCommand, build: PythonBuild, host_python: str
) -> list[str]:
    """``argv`` with ``--interpreter HOST_PYTHON`` added where maturin needs one.

    For a version-specific Windows cross build, maturin takes the target's
    Python from ``build-details.json`` but still runs a host interpreter,
    which it looks for the way it would on Windows (the ``py`` launcher)
    unless ``-i`` names one. Nothing is added when the command names an
    interpreter itself, builds for abi3, or is not ``maturin build/publish``.
    """
    wanted = (
        command.tool == "maturin"
        and command.subcommand in ("build", "publish")
        and build.kind is Kind.CPYTHON
        and not command.interpreters
        and not command.find_interpreter
    )
    if not wanted:
        return list(argv)
    at = list(argv).index(str(command.subcommand), command.start) + 1
    return [*argv[:at], "--interpreter", host_python, *argv[at:]]
