"""The layout that ``implib serve`` serves and ``implib export`` writes, and its index.

Both speak the same URL space, so that a client cannot tell an ``implib
serve`` from a stock web server in front of an export::

    v1/index.json                       what there is, with digests
    v1/<triple>/<python>/<file name>    e.g. v1/x86_64-pc-windows-msvc/3.12/python312.lib

Only canonical names appear (Rust triples, :attr:`PythonBuild.spec`), so
every library has exactly one URL per file name. The index is built here and
nowhere else; it is deterministic (no dates), so every server worker and
every export of the same selection gives the same bytes and the same digest.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Iterable
from typing import Any

from .. import __version__
from ..pythons import PythonBuild
from ..targets import Target

__all__ = [
    "API_VERSION",
    "INDEX_FORMAT",
    "INDEX_NAME",
    "Library",
    "build_index",
    "file_path",
    "index_bytes",
]

#: The first segment of every URL and of the export's layout.
API_VERSION = "v1"
#: Bump when the index's shape changes in a way old clients would misread.
INDEX_FORMAT = 1
INDEX_NAME = "index.json"


@dataclasses.dataclass(frozen=True)
class Library:
    """One produced library and every file name it goes by."""

    target: Target
    build: PythonBuild
    names: tuple[str, ...]
    dll: str
    backend: str
    data: bytes = dataclasses.field(repr=False)
    sha256: str = ""

    def __post_init__(self) -> None:
        if not self.sha256:
            object.__setattr__(self, "sha256", hashlib.sha256(self.data).hexdigest())

    @property
    def size(self) -> int:
        return len(self.data)

    def file_paths(self) -> list[str]:
        """Each name's path under ``v1/``."""
        return [file_path(self.target, self.build, name) for name in self.names]


def file_path(target: Target, build: PythonBuild, name: str) -> str:
    """Where a library file lives under ``v1/``: ``<triple>/<python>/<name>``."""
    return f"{target.triple}/{build.spec}/{name}"


def build_index(libraries: Iterable[Library]) -> dict[str, Any]:
    """The index of ``libraries``: every file path with its digest, size and origin."""
    files: dict[str, dict[str, Any]] = {}
    for library in libraries:
        for path in library.file_paths():
            files[path] = {
                "sha256": library.sha256,
                "size": library.size,
                "target": library.target.triple,
                "python": library.build.spec,
                "dll": library.dll,
                "backend": library.backend,
            }
    return {
        "format": INDEX_FORMAT,
        "generator": f"implib {__version__}",
        "files": dict(sorted(files.items())),
    }


def index_bytes(index: dict[str, Any]) -> bytes:
    """The index as served and written: sorted, stable JSON."""
    return json.dumps(index, indent=1, sort_keys=True).encode() + b"\n"
