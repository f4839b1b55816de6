"""The folder of upstream inputs (``upstream/`` in the repository) that the bundled lists are made from.

Everything ``scripts/make_defs.py`` reads lives here, so that a clone
regenerates ``implib/exportlists/`` byte for byte, with no network::

    exports/<dll>.txt            export tables read off real DLLs (python313.txt,
                                 libpypy3.11-c.txt; python3-3.10.txt is python3.dll of 3.10)
    cpython/stable_abi.toml      CPython's Misc/stable_abi.toml (kinds, 'added')
    cpython/3.X/include/         a release's headers (Debian libpython3.X-dev)
    cpython/3.X/test_stable_abi_ctypes.py   its Stable ABI names (libpython3.X-testsuite)
    cpython/3.X/SOURCE           where the two came from: package, version, sha256
    pypy/<dll>.so.nm             ``nm -D --defined-only`` of PyPy's libpypy3.X-c.so (Debian)

README.md in that folder names the origin of each file.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

__all__ = ["Upstream"]

_VERSION_FOLDER = re.compile(r"3\.(\d+)")
_PYTHON3_TABLE = re.compile(r"(python3t?)-3\.(\d+)")


@dataclasses.dataclass(frozen=True)
class Upstream:
    """Paths into one upstream folder."""

    root: Path

    @property
    def manifest(self) -> Path:
        return self.root / "cpython" / "stable_abi.toml"

    def relative(self, path: Path) -> str:
        """``path`` as the generated headers name it: ``upstream/...``."""
        try:
            return f"{self.root.name}/{path.relative_to(self.root).as_posix()}"
        except ValueError:
            return path.name

    def tables(self) -> dict[str, Path]:
        """The DLL export tables by DLL stem (``python313``), python3.dll's per-release ones left out."""
        folder = self.root / "exports"
        return {
            path.stem: path
            for path in sorted(folder.glob("*.txt"))
            if not _PYTHON3_TABLE.fullmatch(path.stem)
        }

    def python3_tables(self, stem: str = "python3") -> dict[tuple[int, int], Path]:
        """Real python3.dll (or python3t.dll) tables by release: ``python3-3.10.txt``."""
        found = {}
        for path in sorted((self.root / "exports").glob(f"{stem}-3.*.txt")):
            match = _PYTHON3_TABLE.fullmatch(path.stem)
            if match and match.group(1) == stem:
                found[(3, int(match.group(2)))] = path
        return found

    def releases(self) -> dict[tuple[int, int], Path]:
        """The CPython releases with a folder under ``cpython/``, by version."""
        found = {}
        for path in sorted((self.root / "cpython").glob("3.*")):
            match = _VERSION_FOLDER.fullmatch(path.name)
            if match and path.is_dir():
                found[(3, int(match.group(1)))] = path
        return dict(sorted(found.items()))

    def include(self, version: tuple[int, int]) -> Path:
        return self.root / "cpython" / f"{version[0]}.{version[1]}" / "include"

    def abi_test(self, version: tuple[int, int]) -> Path:
        return self.root / "cpython" / f"{version[0]}.{version[1]}" / "test_stable_abi_ctypes.py"

    def source_line(self, version: tuple[int, int]) -> str:
        """The first line of the release folder's SOURCE file (what Debian version it is)."""
        path = self.root / "cpython" / f"{version[0]}.{version[1]}" / "SOURCE"
        if not path.is_file():
            return f"{version[0]}.{version[1]}"
        return path.read_text(encoding="utf-8").splitlines()[0].strip()

    def patch_release(self, version: tuple[int, int]) -> str:
        """The release's full version (``3.15.2``), from its patchlevel.h."""
        header = self.include(version) / "patchlevel.h"
        if header.is_file():
            match = re.search(r'#define PY_VERSION\s+"([^"]+)"', header.read_text("utf-8"))
            if match:
                return match.group(1)
        return f"{version[0]}.{version[1]}"

    def pypy_symbols(self) -> dict[str, Path]:
        """PyPy's symbol listings by DLL stem: ``pypy/libpypy3.11-c.so.nm``."""
        folder = self.root / "pypy"
        return {path.name[: -len(".so.nm")]: path for path in sorted(folder.glob("*.so.nm"))}
