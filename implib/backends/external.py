"""Running an external import-library tool, the same way for every tool.

A tool runs in a private temporary folder that is its working directory:
the export list is written there as a ``.def`` (with
:func:`~implib.coff.deffile.format_def`), the library is read back as bytes, and
the folder is removed whatever happens. GNU dlltool writes its temporary
objects into its working directory, and the caller writes the bytes
atomically, so a failed run leaves nothing in the user's output folder.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from .base import BackendError

if TYPE_CHECKING:
    from ..coff.deffile import ModuleDefinition

__all__ = [
    "INSTALL",
    "capture",
    "file_names",
    "find_program",
    "install_hint",
    "llvm_version",
    "missing_tool",
    "run_tool",
    "versioned_programs",
]

#: How to install each tool, per platform: the packages that provide it.
INSTALL: dict[str, tuple[tuple[str, str], ...]] = {
    "llvm-dlltool": (
        ("Debian/Ubuntu", "apt-get install llvm"),
        ("Fedora", "dnf install llvm"),
        ("macOS", "brew install llvm, then put $(brew --prefix llvm)/bin on PATH"),
        ("MSYS2", "pacman -S mingw-w64-ucrt-x86_64-llvm"),
    ),
    "lib": (
        ("Windows", "Visual Studio Build Tools (C++), from a Developer Command Prompt"),
        ("Debian/Ubuntu", "apt-get install llvm-19 (llvm-lib-19)"),
        ("Fedora", "dnf install llvm"),
        ("macOS", "brew install llvm, then put $(brew --prefix llvm)/bin on PATH"),
    ),
    "dlltool": (
        ("Debian/Ubuntu", "apt-get install binutils-mingw-w64"),
        ("Fedora", "dnf install mingw64-binutils mingw32-binutils"),
        ("macOS", "brew install mingw-w64"),
        ("MSYS2", "pacman -S mingw-w64-ucrt-x86_64-binutils"),
    ),
    "zig": (
        ("any platform", "pip install ziglang"),
        ("macOS", "brew install zig"),
        ("Fedora", "dnf install zig"),
        ("MSYS2", "pacman -S mingw-w64-ucrt-x86_64-zig"),
    ),
}

#: How long a tool may take; zig's first run in a fresh cache is the slow one.
RUN_TIMEOUT = 600.0
PROBE_TIMEOUT = 120.0
#: The most of a failing tool's output that an error message repeats.
_MAX_LINES = 20
_MAX_CHARS = 2000


def install_hint(tool: str) -> str:
    """One line per platform, for error messages and ``implib tools``."""
    ways = "; ".join(f"{where}: {how}" for where, how in INSTALL.get(tool, ()))
    return f"install it ({ways}), or use --tool builtin, which needs nothing"


def missing_tool(tool: str, looked_for: str, selected_by: str) -> BackendError:
    """The error for a tool that is not there: what, how it was chosen, how to get it."""
    return BackendError(
        f"{tool} not found: {looked_for}. It was selected by {selected_by}; {install_hint(tool)}."
    )


def find_program(name: str) -> str | None:
    """The absolute path of a program name or path, as the shell would find it.

    Absolute, because the tool then runs in another working directory.
    """
    found = shutil.which(name)
    return os.path.abspath(found) if found else None


def versioned_programs(base: str) -> list[str]:
    """``base`` on PATH, then ``base-NN`` (Debian's versioned LLVM names), highest first."""
    found: list[str] = []
    plain = find_program(base)
    if plain:
        found.append(plain)
    pattern = re.compile(rf"{re.escape(base)}-(\d+)(\.exe)?", re.IGNORECASE)
    versioned: dict[str, tuple[int, str]] = {}
    for folder in os.environ.get("PATH", "").split(os.pathsep):
        if not folder:  # as shutil.which: no current folder by accident
            continue
        try:
            entries = os.listdir(folder)
        except OSError:
            continue
        for entry in entries:
            match = pattern.fullmatch(entry)
            path = os.path.abspath(os.path.join(folder, entry))
            # The first folder on PATH wins for a name, as in a shell.
            if match and entry not in versioned and os.access(path, os.X_OK):
                versioned[entry] = (int(match.group(1)), path)
    found += [path for _, path in sorted(versioned.values(), key=lambda v: -v[0])]
    return list(dict.fromkeys(found))


_PROBED: dict[tuple[str, ...], str] = {}


def capture(argv: tuple[str, ...]) -> str:
    """The output (stdout, then stderr) of a short probe such as ``--version``.

    A probe runs once per tool, not once per library nor once per process:
    its output is remembered in the cache (:func:`_remembered`), keyed by the
    command and the size and time of the files it runs, so that replacing
    the tool probes it again. Empty if the program cannot be run.
    """
    if argv in _PROBED:
        return _PROBED[argv]
    path = _remembered(argv)
    output = None
    if path is not None:
        try:
            with open(path, encoding="utf-8") as stream:
                output = stream.read()
        except (OSError, ValueError):
            output = None
    if output is None:
        output = _probe(argv)
        if path is not None and output:
            from ..fileio import atomic_write

            try:
                os.makedirs(os.path.dirname(path), exist_ok=True)
                atomic_write(path, output.encode("utf-8"))
            except OSError:
                pass  # an unwritable cache only costs the probe next time
    _PROBED[argv] = output
    return output


def _probe(argv: tuple[str, ...]) -> str:
    try:
        result = subprocess.run(
            argv,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            errors="replace",
            timeout=PROBE_TIMEOUT,
        )
    except (OSError, subprocess.SubprocessError):
        return ""
    return result.stdout + result.stderr


def _stamp(path: str) -> list[object] | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return [os.path.abspath(path), info.st_size, info.st_mtime_ns]


def _remembered(argv: tuple[str, ...]) -> str | None:
    """Where the cache remembers ``argv``'s output, or None when it cannot know it is current.

    The key is the command with the size and modification time of its
    program and of every argument that names a file; ``python -m MODULE``
    with this interpreter also stamps the module's files. A program it
    cannot stat, or ``-m`` of another interpreter (whose module could change
    unseen), is probed every time.
    """
    import json
    import sys

    from ..cache import default_cache_root
    from ..fileio import sha256_hex

    program = shutil.which(argv[0]) if argv else None
    stamps = [_stamp(program)] if program else [None]
    if stamps[0] is None:
        return None
    stamps += [_stamp(arg) for arg in argv[1:] if os.path.isfile(arg)]
    if "-m" in argv[1:]:
        module = argv[argv.index("-m") + 1] if argv.index("-m") + 1 < len(argv) else ""
        if os.path.realpath(program or "") != os.path.realpath(sys.executable) or not module:
            return None
        import importlib.util

        try:
            spec = importlib.util.find_spec(module)
        except (ImportError, ValueError):
            return None
        if spec is None or not spec.origin:
            return None
        folder = os.path.dirname(spec.origin)
        stamps += [_stamp(os.path.join(folder, name)) for name in sorted(os.listdir(folder))]
    key = sha256_hex(json.dumps([list(argv), stamps]).encode())
    return os.path.join(default_cache_root(), "v1", "probes", key[:2], key + ".txt")


_LLVM_VERSION = re.compile(r"LLVM version (\d+\.\d+(?:\.\d+)?\S*)")
_BARE_VERSION = re.compile(r"(\d+\.\d+(?:\.\d+)?)\s*$")
_NAME_VERSION = re.compile(r"-(\d+)(?:\.exe)?$", re.IGNORECASE)


def llvm_version(program: str) -> str | None:
    """The LLVM version of an LLVM tool that has no ``--version`` of its own.

    llvm-dlltool and llvm-lib answer ``--version`` with their help, so ask a
    sibling that does answer: ``llvm-ar`` (they usually are links to it) or
    ``llvm-config``, in the folder of the program and in that of the file it
    links to. Failing that, the ``-NN`` of a Debian-style name: the major
    version only.
    """
    path = Path(program)
    suffix = _NAME_VERSION.search(path.name)
    tag = f"-{suffix.group(1)}" if suffix else ""
    exe = ".exe" if path.suffix.lower() == ".exe" else ""
    folders = list(dict.fromkeys([path.resolve().parent, path.parent]))
    for folder in folders:
        for sibling in (
            f"llvm-ar{tag}{exe}",
            f"llvm-ar{exe}",
            f"llvm-config{tag}{exe}",
            f"llvm-config{exe}",
        ):
            candidate = folder / sibling
            if not candidate.is_file():
                continue
            output = capture((str(candidate), "--version"))
            match = _LLVM_VERSION.search(output) or _BARE_VERSION.match(output.strip())
            if match:
                return match.group(1)
    return suffix.group(1) if suffix else None


def _safe_stem(dll: str) -> str:
    base = dll.replace("\\", "/").rsplit("/", 1)[-1]
    stem = base[: base.rfind(".")] if base.rfind(".") > 0 else base
    return re.sub(r"[^A-Za-z0-9._+-]", "_", stem) or "library"


def file_names(definition: ModuleDefinition, suffix: str) -> tuple[str, str]:
    """The ``.def`` and library file names a tool gets, after the DLL's stem.

    GNU dlltool names the archive members after its output file, so a stable
    name keeps its libraries the same from run to run.
    """
    if not definition.library:
        raise BackendError("no DLL name: the .def has no LIBRARY line (pass a DLL name)")
    stem = _safe_stem(definition.library)
    return f"{stem}.def", f"{stem}{suffix}"


def _trim(text: str, folder: str) -> str:
    text = text.replace(folder + os.sep, "").replace(folder, ".").strip()
    lines = text.splitlines()
    if len(lines) > _MAX_LINES:
        lines = ["...", *lines[-_MAX_LINES:]]
    text = "\n".join(lines)
    return text if len(text) <= _MAX_CHARS else "..." + text[-_MAX_CHARS:]


def run_tool(
    tool: str,
    argv: Sequence[str],
    definition: ModuleDefinition,
    def_name: str,
    output_name: str,
) -> bytes:
    """Run ``argv`` in a private folder holding ``def_name``; the bytes of ``output_name``.

    ``argv`` names the two files relative to that folder. A non-zero exit,
    or no output, raises BackendError with the tool's own message.
    """
    from ..coff.deffile import format_def

    try:
        work = tempfile.mkdtemp(prefix="implib-")
    except OSError as exc:
        where = tempfile.gettempdir()
        raise BackendError(f"{tool}: cannot make a folder in {where}: {exc.strerror}") from exc
    try:
        try:
            Path(work, def_name).write_text(format_def(definition), encoding="utf-8")
        except OSError as exc:
            raise BackendError(f"{tool}: cannot write its .def: {exc.strerror}") from exc
        try:
            result = subprocess.run(
                list(argv),
                cwd=work,
                stdin=subprocess.DEVNULL,
                capture_output=True,
                text=True,
                errors="replace",
                timeout=RUN_TIMEOUT,
            )
        except FileNotFoundError:
            raise BackendError(f"{tool}: cannot run {argv[0]}: no such file") from None
        except PermissionError:
            raise BackendError(f"{tool}: cannot run {argv[0]}: not executable") from None
        except subprocess.TimeoutExpired:
            raise BackendError(f"{tool} did not finish in {RUN_TIMEOUT:.0f} s") from None
        except OSError as exc:  # not an executable format, and the like
            raise BackendError(f"{tool}: cannot run {argv[0]}: {exc.strerror}") from exc
        # lib.exe reports its errors on stdout.
        message = _trim(result.stderr or result.stdout, work)
        command = shlex.join(argv)
        if result.returncode != 0:
            status = (
                f"was killed by signal {-result.returncode}"
                if result.returncode < 0
                else f"failed with exit status {result.returncode}"
            )
            raise BackendError(f"{tool} {status}: {message or '(no output)'}\n  command: {command}")
        output = Path(work, output_name)
        if not output.is_file():
            raise BackendError(
                f"{tool} succeeded but wrote no library: {message or '(no output)'}\n"
                f"  command: {command}"
            )
        try:
            return output.read_bytes()
        except OSError as exc:
            raise BackendError(f"{tool}: cannot read the library it wrote: {exc.strerror}") from exc
    finally:
        shutil.rmtree(work, ignore_errors=True)
