"""The built-in writer as a backend: nothing to install."""

from __future__ import annotations

from .. import __version__
from .base import Backend, ToolInfo

TYPE_CHECKING = False
if TYPE_CHECKING:
    from ..coff.deffile import ModuleDefinition
    from ..targets import Target


class BuiltinBackend(Backend):
    """implib's own pure-Python writer (``implib.coff.writer``)."""

    name = "builtin"

    def info(self) -> ToolInfo:
        return ToolInfo(
            self.name, True, "implib.coff.writer", __version__, "pure Python, always there"
        )

    def supports(self, target: Target) -> bool:
        return True

    def write_library(self, definition: ModuleDefinition, target: Target) -> bytes:
        from ..coff.writer import write_import_library  # not needed on a cache hit

        # MSVC targets read i386 names as lib.exe does, GNU ones as dlltool.
        return write_import_library(definition, target.machine, mingw=target.flavour.mingw)

    def identity(self) -> str:
        return f"{self.name}/{__version__}"
