"""Zig's ``zig dlltool``: LLVM's dlltool built into the zig binary.

``zig dlltool -m MACHINE -d X.def -l X.lib``, the flags of llvm-dlltool.
The command is ``ZIG_COMMAND`` when set, as maturin and PyO3 read it, and it
may be several words (``python -m ziglang``); else ``zig`` on PATH; else the
``ziglang`` package from pip, run with this Python.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shlex
import sys
from typing import TYPE_CHECKING

from .base import Backend, BackendError, ToolInfo
from .external import capture, file_names, find_program, install_hint, missing_tool, run_tool

if TYPE_CHECKING:  # not imported to pick a backend or on a cache hit
    from ..coff.deffile import ModuleDefinition
    from ..targets import Target

#: The variable maturin and PyO3 read: a command, possibly of several words.
ENV = "ZIG_COMMAND"

_VERSION = re.compile(r"\d+\.\d+\.\d+\S*")


def split_command(command: str) -> list[str]:
    """The words of a command line, by the host's rules (Windows keeps backslashes)."""
    if os.name != "nt":
        return shlex.split(command)
    words = shlex.split(command, posix=False)
    return [w[1:-1] if len(w) > 1 and w[0] == w[-1] == '"' else w for w in words]


class ZigBackend(Backend):
    """``zig dlltool``, found through ZIG_COMMAND, PATH or the ziglang package."""

    name = "zig"

    def __init__(self, command: str | None = None) -> None:
        #: A command to use instead of ZIG_COMMAND and the search.
        self.command = command

    def _find(self) -> tuple[list[str] | None, str]:
        """The command's words, program resolved, and how it was chosen."""
        asked = self.command or os.environ.get(ENV, "").strip()
        if asked:
            by = "the caller" if self.command else f"{ENV}={asked}"
            try:
                words = split_command(asked)
            except ValueError as exc:
                raise BackendError(f"{by}: cannot split the command: {exc}") from None
            program = find_program(words[0]) if words else None
            return ([program, *words[1:]] if program else None), by
        program = find_program("zig")
        if program:
            return [program], "zig on PATH"
        if importlib.util.find_spec("ziglang") is not None:
            return [sys.executable, "-m", "ziglang"], "the ziglang package"
        return None, "--tool zig"

    def _require(self) -> list[str]:
        command, by = self._find()
        if command is None:
            asked = self.command or os.environ.get(ENV, "").strip()
            looked_for = (
                f"no program {(split_command(asked) or [''])[0]!r}"
                if asked
                else "no zig on PATH and no ziglang package"
            )
            raise missing_tool(self.name, looked_for, by)
        return command

    def _version(self, command: list[str]) -> str | None:
        lines = capture((*command, "version")).strip().splitlines()
        return lines[-1].strip() if lines and _VERSION.fullmatch(lines[-1].strip()) else None

    def info(self) -> ToolInfo:
        try:
            command, by = self._find()
        except BackendError as exc:
            return ToolInfo(self.name, False, note=str(exc))
        if command is None:
            problem = f"{by} names no program; " if by.startswith(ENV) else ""
            return ToolInfo(self.name, False, note=problem + install_hint(self.name))
        # zig ar is llvm-ar: it tells the LLVM inside, which decides the bytes.
        llvm = capture((*command, "ar", "--version"))
        words = llvm.split("LLVM version", 1)[1].split() if "LLVM version" in llvm else []
        note = f"chosen by {by}" + (f"; LLVM {words[0]}" if words else "")
        return ToolInfo(self.name, True, shlex.join(command), self._version(command), note)

    def identity(self) -> str:
        # The zig version fixes its LLVM; no need for the second probe of info().
        try:
            command, _ = self._find()
        except BackendError:
            command = None
        version = self._version(command) if command else None
        return f"{self.name}/{version or 'unknown'}"

    def supports(self, target: Target) -> bool:
        return target.arch in ("x86_64", "i686", "aarch64")

    def write_library(self, definition: ModuleDefinition, target: Target) -> bytes:
        if not self.supports(target):
            raise BackendError(f"{self.name} cannot write libraries for {target}")
        command = self._require()
        def_name, lib_name = file_names(definition, ".dll.a" if target.flavour.mingw else ".lib")
        argv = [*command, "dlltool", "-m", target.llvm_machine, "-d", def_name, "-l", lib_name]
        return run_tool("zig dlltool", argv, definition, def_name, lib_name)
