"""GNU dlltool from MinGW-w64 binutils: libraries in the long import format.

``x86_64-w64-mingw32-dlltool -m i386:x86-64 -f --64 --input-def X.def
--output-lib X.dll.a``. Each import is a small object, and the head and tail
objects are assembled by running the matching ``as``, so the library differs
from LLVM's in form but links to the same imports.

The machine is always passed: ``PYO3_MINGW_DLLTOOL`` may name a dlltool made
for the other x86 machine, and an x86_64 dlltool does write i386 libraries,
but only with ``-m i386`` and with ``--32`` for its assembler; otherwise it
silently mixes x86-64 head objects into an i386 library. GNU dlltool
stamps times into its archives unless ``--deterministic-libraries`` (binutils
2.36+) is given, which is passed when its ``--help`` lists it.
"""

from __future__ import annotations

import os
import re
from typing import TYPE_CHECKING

from .base import Backend, BackendError, ToolInfo
from .external import (
    capture,
    file_names,
    find_program,
    install_hint,
    llvm_version,
    missing_tool,
    run_tool,
)

if TYPE_CHECKING:  # not imported to pick a backend or on a cache hit
    from ..coff.deffile import ModuleDefinition
    from ..targets import Target

#: The variable PyO3 reads: a program name or path.
ENV = "PYO3_MINGW_DLLTOOL"

#: Programs to try per architecture, in order; an x86_64 one can do i386.
PROGRAMS = {
    "x86_64": ("x86_64-w64-mingw32-dlltool", "x86_64-w64-mingw32ucrt-dlltool", "dlltool"),
    "i686": (
        "i686-w64-mingw32-dlltool",
        "i686-w64-mingw32ucrt-dlltool",
        "x86_64-w64-mingw32-dlltool",
        "x86_64-w64-mingw32ucrt-dlltool",
        "dlltool",
    ),
}
_AS_FLAGS = {"x86_64": "--64", "i686": "--32"}
_GNU_VERSION = re.compile(r"\)\s*(\d+\.\d+(?:\.\d+)?)")


class DlltoolBackend(Backend):
    """MinGW-w64's GNU dlltool; ``PYO3_MINGW_DLLTOOL`` overrides which one."""

    name = "dlltool"

    def __init__(self, program: str | None = None) -> None:
        #: A program name or path to use instead of PYO3_MINGW_DLLTOOL and PATH.
        self.program = program

    def _chosen(self) -> tuple[str | None, str]:
        """The program asked for, if any, and what asked for it."""
        if self.program:
            return self.program, "the caller"
        value = os.environ.get(ENV, "").strip()
        return (value, f"{ENV}={value}") if value else (None, "--tool dlltool")

    def _find(self, arch: str) -> tuple[str | None, str]:
        asked, by = self._chosen()
        if asked:
            return find_program(asked), by
        for name in PROGRAMS[arch]:
            path = find_program(name)
            if path:
                return path, by
        return None, by

    def _require(self, arch: str) -> str:
        path, by = self._find(arch)
        if path is None:
            asked, _ = self._chosen()
            if asked:
                looked_for = f"no program {asked!r}"
            else:
                looked_for = f"none of {', '.join(PROGRAMS[arch])} is on PATH"
            raise missing_tool(self.name, looked_for, by)
        return path

    def info(self) -> ToolInfo:
        path, by = self._find("x86_64")
        if path is None:
            asked, _ = self._chosen()
            problem = f"{by} names no program; " if asked else ""
            return ToolInfo(self.name, False, note=problem + install_hint(self.name))
        how = f"chosen by {by}" if self._chosen()[0] else f"found on PATH; {ENV} chooses another"
        return ToolInfo(self.name, True, path, _version(path), how)

    def supports(self, target: Target) -> bool:
        return target.arch in PROGRAMS

    def write_library(self, definition: ModuleDefinition, target: Target) -> bytes:
        if not self.supports(target):
            raise BackendError(
                f"GNU dlltool cannot write libraries for {target} (x86_64 and i686 only);"
                " use --tool llvm-dlltool, zig or builtin"
            )
        program = self._require(target.arch)
        def_name, lib_name = file_names(definition, ".dll.a")
        argv = [program]
        if _deterministic(program):
            argv.append("--deterministic-libraries")
        argv += [
            "-m", target.llvm_machine,
            "-f", _AS_FLAGS[target.arch],
            "--input-def", def_name,
            "--output-lib", lib_name,
        ]  # fmt: skip
        return run_tool(self.name, argv, definition, def_name, lib_name)


def _version(path: str) -> str | None:
    first_line = (capture((path, "--version")).splitlines() or [""])[0]
    match = _GNU_VERSION.search(first_line)
    # MSYS2's clang environments install llvm-dlltool as "dlltool".
    return match.group(1) if match else llvm_version(path)


def _deterministic(path: str) -> bool:
    return "--deterministic-libraries" in capture((path, "--help"))
