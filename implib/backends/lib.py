"""Microsoft's ``lib.exe``, or LLVM's ``llvm-lib`` with the same flags.

``lib /NOLOGO /DEF:X.def /OUT:X.lib /MACHINE:X64``. It reads i386 names as
MSVC does. On Windows ``lib.exe`` comes first (it is on PATH in a Developer
Command Prompt); elsewhere only ``llvm-lib`` can run, and only from LLVM 19
on: older ones do not take ``/DEF`` (LLVM 14's reads it as an input file
name), and 19 is the version whose output equals the built-in writer's
with an MSVC target.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
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
    versioned_programs,
)

if TYPE_CHECKING:  # not imported to pick a backend or on a cache hit
    from ..coff.deffile import ModuleDefinition
    from ..targets import Target

#: The oldest llvm-lib accepted.
MIN_LLVM = 19

_MSVC_VERSION = re.compile(r"Version\s+(\d+(?:\.\d+)+)")


def _is_msvc(path: str) -> bool:
    return Path(path).name.lower() in ("lib", "lib.exe")


def _major(version: str | None) -> int | None:
    match = re.match(r"\d+", version or "")
    return int(match.group()) if match else None


class LibBackend(Backend):
    """lib.exe on Windows, else llvm-lib (LLVM >= 19) under any of its names."""

    name = "lib"

    def __init__(self, program: str | None = None) -> None:
        #: A program name or path to use instead of searching PATH.
        self.program = program

    def _candidates(self) -> list[str]:
        if self.program:
            path = find_program(self.program)
            return [path] if path else []
        found = versioned_programs("llvm-lib")
        if os.name == "nt":
            msvc = find_program("lib.exe")
            found = ([msvc] if msvc else []) + found
        return found

    def _select(self) -> tuple[str | None, str | None, list[str]]:
        """The program, its version, and the programs refused for being too old."""
        refused = []
        for path in self._candidates():
            version = self._version(path)
            major = None if _is_msvc(path) else _major(version)
            if major is not None and major < MIN_LLVM:
                refused.append(f"{path} (LLVM {version})")
                continue
            return path, version, refused
        return None, None, refused

    @staticmethod
    def _version(path: str) -> str | None:
        if _is_msvc(path):
            match = _MSVC_VERSION.search(capture((path,)))
            return match.group(1) if match else None
        return llvm_version(path)

    def _require(self) -> str:
        path, _, refused = self._select()
        if path is not None:
            return path
        if refused:
            raise BackendError(
                f"{self.name}: {', '.join(refused)} is too old: llvm-lib before LLVM {MIN_LLVM}"
                f" cannot write import libraries from a .def; {install_hint(self.name)}."
            )
        if self.program:
            looked_for = repr(self.program)
        elif os.name == "nt":
            looked_for = "lib.exe, llvm-lib or llvm-lib-NN on PATH"
        else:
            looked_for = "llvm-lib or llvm-lib-NN on PATH"
        raise missing_tool(self.name, f"no {looked_for}", "--tool lib")

    def info(self) -> ToolInfo:
        path, version, refused = self._select()
        skipped = f"; skipped {', '.join(refused)}: LLVM {MIN_LLVM}+ needed" if refused else ""
        if path is None:
            return ToolInfo(self.name, False, note=install_hint(self.name) + skipped)
        kind = "MSVC lib.exe" if _is_msvc(path) else f"llvm-lib, LLVM {version or '(unknown)'}"
        return ToolInfo(self.name, True, path, version, kind + skipped)

    def identity(self) -> str:
        path, version, _ = self._select()
        kind = "msvc" if path and _is_msvc(path) else "llvm"
        return f"{self.name}/{kind}-{version or 'unknown'}"

    def supports(self, target: Target) -> bool:
        return target.arch in ("x86_64", "i686", "aarch64")

    def write_library(self, definition: ModuleDefinition, target: Target) -> bytes:
        if not self.supports(target):
            raise BackendError(f"{self.name} cannot write libraries for {target}")
        program = self._require()
        def_name, lib_name = file_names(definition, ".lib")
        argv = [
            program,
            "/NOLOGO",
            f"/DEF:{def_name}",
            f"/OUT:{lib_name}",
            f"/MACHINE:{target.lib_machine}",
        ]
        return run_tool(self.name, argv, definition, def_name, lib_name)
