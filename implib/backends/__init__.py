"""The programs that turn an export list into an import library.

Each backend is one module here behind the small interface of
:class:`~implib.backends.base.Backend`; adding a tool is adding a file and a
line in :data:`BACKENDS`.
"""

from __future__ import annotations

import os

from ..errors import BackendError, OptionError
from ..targets import Target
from .base import Backend, ToolInfo

__all__ = [
    "BACKENDS",
    "Backend",
    "BackendError",
    "ToolInfo",
    "default_tool",
    "get_backend",
    "select_backend",
    "tool_infos",
]

#: Backend name -> "module:class", imported only when asked for.
BACKENDS = {
    "builtin": "builtin:BuiltinBackend",
    "llvm-dlltool": "llvm_dlltool:LlvmDlltoolBackend",
    "lib": "lib:LibBackend",
    "dlltool": "dlltool:DlltoolBackend",
    "zig": "zig:ZigBackend",
}


def get_backend(name: str) -> Backend:
    """The backend called ``name``; an OptionError (bad input) lists the known ones."""
    try:
        module_name, class_name = BACKENDS[name].split(":")
    except KeyError:
        known = ", ".join(BACKENDS)
        raise OptionError(f"unknown tool {name[:100]!r}; choose one of: {known}") from None
    module = __import__(f"{__name__}.{module_name}", fromlist=[class_name])
    backend: Backend = getattr(module, class_name)()
    return backend


def select_backend(target: Target, name: str | None = None) -> Backend:
    """The backend to use: ``name`` if given, else the rules PyO3's users expect.

    ``ZIG_COMMAND`` set selects zig; a GNU target with ``PYO3_MINGW_DLLTOOL``
    set selects that dlltool; otherwise the built-in writer.
    """
    return get_backend(name or default_tool(target)[0])


def default_tool(target: Target) -> tuple[str, str]:
    """The tool a command without ``--tool`` uses for ``target``, and why.

    As python3-dll-a (PyO3's) does: ``ZIG_COMMAND`` set selects zig for every
    target, MSVC ones too; else ``PYO3_MINGW_DLLTOOL`` set selects that dlltool
    for GNU targets; else the built-in writer.
    """
    if os.environ.get("ZIG_COMMAND"):
        return "zig", "ZIG_COMMAND is set"
    if target.flavour.value == "gnu" and os.environ.get("PYO3_MINGW_DLLTOOL"):
        return "dlltool", "PYO3_MINGW_DLLTOOL is set, a GNU target"
    if os.environ.get("PYO3_MINGW_DLLTOOL"):
        return "builtin", "PYO3_MINGW_DLLTOOL is for GNU targets only"
    return "builtin", "neither ZIG_COMMAND nor PYO3_MINGW_DLLTOOL is set"


def tool_infos() -> list[ToolInfo]:
    """What ``implib tools`` lists: every backend, found or not, in BACKENDS order."""
    infos = []
    for name in BACKENDS:
        try:
            infos.append(get_backend(name).info())
        except Exception as exc:  # a broken backend must not hide the others
            infos.append(ToolInfo(name, False, note=f"cannot load: {exc}"))
    return infos
