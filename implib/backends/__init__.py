"""The programs that turn an export list into an import library.

Each backend is one module here behind the small interface of
:class:`~implib.backends.base.Backend`; adding a tool is adding a file and a
line in :data:`BACKENDS`.
"""

from __future__ import annotations

import os

from ..errors import BackendError
from ..targets import Target
from .base import Backend, ToolInfo

__all__ = [
    "BACKENDS",
    "Backend",
    "BackendError",
    "ToolInfo",
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
    """The backend called ``name``; a BackendError lists the known ones."""
    try:
        module_name, class_name = BACKENDS[name].split(":")
    except KeyError:
        raise BackendError(f"unknown tool {name!r}; choose one of: {', '.join(BACKENDS)}") from None
    module = __import__(f"{__name__}.{module_name}", fromlist=[class_name])
    backend: Backend = getattr(module, class_name)()
    return backend


def select_backend(target: Target, name: str | None = None) -> Backend:
    """The backend to use: ``name`` if given, else the rules PyO3's users expect.

    ``ZIG_COMMAND`` set selects zig; a GNU target with ``PYO3_MINGW_DLLTOOL``
    set selects that dlltool; otherwise the built-in writer.
    """
    if name:
        return get_backend(name)
    if os.environ.get("ZIG_COMMAND") and "zig" in BACKENDS:
        return get_backend("zig")
    if (
        target.flavour.value == "gnu"
        and os.environ.get("PYO3_MINGW_DLLTOOL")
        and "dlltool" in BACKENDS
    ):
        return get_backend("dlltool")
    return get_backend("builtin")


def tool_infos() -> list[ToolInfo]:
    """What ``implib tools`` lists: every backend, found or not, in BACKENDS order."""
    infos = []
    for name in BACKENDS:
        try:
            infos.append(get_backend(name).info())
        except Exception as exc:  # a broken backend must not hide the others
            infos.append(ToolInfo(name, False, note=f"cannot load: {exc}"))
    return infos
