"""The interface every backend implements."""

from __future__ import annotations

import abc

from ..errors import BackendError
from ..records import Record

TYPE_CHECKING = False
if TYPE_CHECKING:  # the .def parser is not needed to pick a backend
    from ..coff.deffile import ModuleDefinition
    from ..targets import Target

__all__ = ["Backend", "BackendError", "ToolInfo"]


class ToolInfo(Record):
    """What ``implib tools`` shows of a backend."""

    name: str
    found: bool
    path: str | None = None
    version: str | None = None
    note: str = ""  # how it was chosen or how to install it

    def as_dict(self) -> dict[str, object]:
        """A JSON-ready form (``implib tools --json``)."""
        return self._asdict()


class Backend(abc.ABC):
    """Writes the import library of one export list for one target."""

    #: The name ``--tool`` takes.
    name: str = ""

    @abc.abstractmethod
    def info(self) -> ToolInfo:
        """Whether the tool is there, where, and its version."""

    @abc.abstractmethod
    def supports(self, target: Target) -> bool:
        """Whether the tool can write libraries for ``target``."""

    @abc.abstractmethod
    def write_library(self, definition: ModuleDefinition, target: Target) -> bytes:
        """The bytes of the import library; raises BackendError."""

    def identity(self) -> str:
        """Name and version: part of a cache key, since they decide the bytes."""
        info = self.info()
        return f"{self.name}/{info.version or 'unknown'}/{info.path or ''}"
