"""The interface every backend implements."""

from __future__ import annotations

import abc
import dataclasses
from typing import TYPE_CHECKING

from ..errors import BackendError

if TYPE_CHECKING:  # the .def parser is not needed to pick a backend
    from ..coff.deffile import ModuleDefinition
    from ..targets import Target

__all__ = ["Backend", "BackendError", "ToolInfo"]


@dataclasses.dataclass(frozen=True)
class ToolInfo:
    """What ``implib tools`` shows of a backend."""

    name: str
    found: bool
    path: str | None = None
    version: str | None = None
    note: str = ""  # how it was chosen or how to install it


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
    def build(self, definition: ModuleDefinition, target: Target) -> bytes:
        """The bytes of the import library; raises BackendError."""

    def identity(self) -> str:
        """Name and version: part of a cache key, since they decide the bytes."""
        info = self.info()
        return f"{self.name}/{info.version or 'unknown'}/{info.path or ''}"
