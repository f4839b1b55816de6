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
import re
from collections.abc import Iterable
from typing import Any

from .. import __version__
from ..errors import ServerError
from ..pythons import PythonBuild
from ..targets import Target

__all__ = [
    "API_VERSION",
    "DIGEST",
    "INDEX_FORMAT",
    "INDEX_NAME",
    "IndexEntry",
    "Library",
    "build_index",
    "file_path",
    "index_bytes",
    "parse_index",
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


#: The most a library listed in an index may weigh (the largest is about
#: 400 kB): an index's word is not enough to read more.
MAX_LIBRARY_BYTES = 64 * 1024 * 1024

#: A sha256 as index.json (and implib serve's ETags) give it.
DIGEST = re.compile(r"[0-9a-f]{64}")


@dataclasses.dataclass(frozen=True)
class IndexEntry:
    """What an index promises about one file: its digest and size."""

    sha256: str
    size: int


def _kind(value: object) -> str:
    """How JSON calls a value, for messages: ``true``, ``a list``, ``the string 'x'``."""
    if value is None or isinstance(value, bool):
        return json.dumps(value)
    if isinstance(value, str):
        return f"the string {value[:40]!r}"
    if isinstance(value, (int, float)):
        return f"the number {value!r}"
    return "a list" if isinstance(value, list) else "an object"


def parse_index(data: bytes, source: str) -> dict[str, IndexEntry]:
    """The files an ``index.json`` lists, checked; ServerError says what is wrong.

    ``source`` (its URL) starts every message. Only ``format`` and each
    file's ``sha256`` and ``size`` are read; other keys are the server's.
    """

    def wrong(what: str) -> ServerError:
        return ServerError(f"{source} is not an implib index: {what}")

    try:
        index = json.loads(data)
    except RecursionError:
        raise wrong("JSON nested too deeply") from None
    except UnicodeDecodeError:
        raise wrong("not UTF-8 text") from None
    except ValueError as exc:
        raise wrong(f"not JSON ({exc})") from None
    if not isinstance(index, dict):
        raise wrong(f"the document is {_kind(index)}, expected an object")
    if "format" not in index:
        raise wrong("no 'format'")
    fmt = index["format"]
    if fmt != INDEX_FORMAT or isinstance(fmt, bool):
        raise wrong(f"'format' is {_kind(fmt)}, expected {INDEX_FORMAT} (a newer implib's?)")
    files = index.get("files")
    if not isinstance(files, dict):
        what = _kind(files) if "files" in index else "missing"
        raise wrong(f"'files' is {what}, expected an object")
    entries = {}
    for path, entry in files.items():
        where = f"files[{path[:80]!r}]"
        if not isinstance(entry, dict):
            raise wrong(f"{where} is {_kind(entry)}, expected an object")
        sha256, size = entry.get("sha256"), entry.get("size")
        if not (isinstance(sha256, str) and DIGEST.fullmatch(sha256)):
            raise wrong(f"{where}['sha256'] is {_kind(sha256)}, expected 64 hex digits")
        if isinstance(size, bool) or not isinstance(size, int):
            raise wrong(f"{where}['size'] is {_kind(size)}, expected a whole number of bytes")
        if not 0 < size <= MAX_LIBRARY_BYTES:
            raise wrong(f"{where}['size'] is {size} bytes, expected 1 to {MAX_LIBRARY_BYTES}")
        entries[path] = IndexEntry(sha256, size)
    return entries
