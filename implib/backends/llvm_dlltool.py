"""LLVM's ``llvm-dlltool``: ``llvm-dlltool -m MACHINE -d X.def -l X.lib``.

It reads i386 names as GNU dlltool does (a leading underscore added, ``@``
kept), whatever the target's flavour. LLVM 19's output is byte for byte the
built-in writer's with a GNU target.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .base import Backend, BackendError, ToolInfo
from .external import (
    file_names,
    find_program,
    install_hint,
    llvm_version,
    missing_tool,
    run_tool,
    versioned_programs,
)

if TYPE_CHECKING:  # not imported to pick a backend or on a cache hit
    from ..coff.deffile import ModuleDefinition
    from ..targets import Target

#: The LLVM taken first when several are installed: the built-in writer's reference.
PREFERRED_LLVM = 19


class LlvmDlltoolBackend(Backend):
    """``llvm-dlltool`` of LLVM 19 or newer first, under any of its names; else any."""

    name = "llvm-dlltool"

    def __init__(self, program: str | None = None) -> None:
        #: A program name or path to use instead of searching PATH.
        self.program = program

    def _find(self) -> str | None:
        """The program named, else the first LLVM 19 or newer found, else the first found.

        As ``lib`` does: a plain ``llvm-dlltool`` is often an older LLVM (Debian's
        default) beside an installed ``llvm-dlltool-19``, whose output is the one
        the built-in writer matches.
        """
        if self.program:
            return find_program(self.program)
        found = versioned_programs("llvm-dlltool")
        for path in found:
            match = re.match(r"\d+", llvm_version(path) or "")
            if match and int(match.group()) >= PREFERRED_LLVM:
                return path
        return found[0] if found else None

    def _require(self) -> str:
        path = self._find()
        if path is None:
            looked_for = (
                repr(self.program) if self.program else "llvm-dlltool or llvm-dlltool-NN on PATH"
            )
            raise missing_tool(self.name, f"no {looked_for}", "--tool llvm-dlltool")
        return path

    def info(self) -> ToolInfo:
        path = self._find()
        if path is None:
            return ToolInfo(self.name, False, note=install_hint(self.name))
        version = llvm_version(path)
        return ToolInfo(self.name, True, path, version, f"LLVM {version or '(version unknown)'}")

    def supports(self, target: Target) -> bool:
        return target.arch in ("x86_64", "i686", "aarch64")

    def write_library(self, definition: ModuleDefinition, target: Target) -> bytes:
        if not self.supports(target):
            raise BackendError(f"{self.name} cannot write libraries for {target}")
        program = self._require()
        def_name, lib_name = file_names(definition, ".dll.a" if target.flavour.mingw else ".lib")
        argv = [program, "-m", target.llvm_machine, "-d", def_name, "-l", lib_name]
        return run_tool(self.name, argv, definition, def_name, lib_name)
