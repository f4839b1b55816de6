"""The CPython headers of a release: bundled, or an installed CPython's.

implib bundles the headers ``upstream/cpython/3.X/include`` holds (Debian's
``libpython3.X-dev``: see each release's ``SOURCE``) in ``headers.pack``
(:mod:`.store`). For a release it lacks, the headers of an installed CPython
of that minor version serve (any patch release: extension modules build the
same), looked for in this order: ``--include DIR``; pyenv's versions
(``$PYENV_ROOT``, else ``~/.pyenv``); uv's managed Pythons
(``$UV_PYTHON_INSTALL_DIR``, else ``~/.local/share/uv/python``); Debian's
``/usr/include/python3.X``; ``python3.X`` on PATH (asked for its include
folder). A folder's ``pyconfig.h`` (Linux's) is never taken: implib writes
the Windows one.

Bundled headers are read from the store into memory (about 40 ms for the
whole store): a repeated ``implib sdk`` never gets here (the folder's stamp
answers it), and unpacking them into a cache folder as well would cost more
in file creations than it saves.
"""

from __future__ import annotations

import dataclasses
import os
import re
import shutil
from pathlib import Path

from ..errors import ImplibError

__all__ = ["STORE", "HeaderSet", "HeadersError", "bundled_releases", "find_headers"]

STORE = Path(__file__).with_name("headers.pack")
#: Linux's; implib writes its own.
_LEFT_OUT = frozenset({"pyconfig.h"})


class HeadersError(ImplibError, LookupError):
    """No headers for a release, or a folder that holds none."""


@dataclasses.dataclass(frozen=True)
class HeaderSet:
    """A release's headers: where they come from, and their files."""

    folder: Path | None  # an include folder (its pyconfig.h is ignored); None: bundled
    version: str  # the patch release: 3.13.18
    origin: str  # "bundled (Debian ...)" or the folder's path
    bundled: dict[str, bytes] | None = dataclasses.field(default=None, repr=False)

    def files(self) -> list[Path]:
        """Every header, relative to the include folder, ``pyconfig.h`` left out."""
        if self.bundled is not None:
            return [Path(name) for name in sorted(self.bundled) if name not in _LEFT_OUT]
        assert self.folder is not None
        found = []
        for root, dirs, names in os.walk(self.folder):
            dirs.sort()
            base = Path(root).relative_to(self.folder)
            for name in sorted(names):
                relative = base / name
                if relative.as_posix() not in _LEFT_OUT:
                    found.append(relative)
        return found

    def read(self, header: Path) -> bytes:
        """One header's bytes (``header`` as :meth:`files` gives it)."""
        if self.bundled is not None:
            return self.bundled[header.as_posix()]
        assert self.folder is not None
        return (self.folder / header).read_bytes()


def _minor(version: tuple[int, int]) -> str:
    return f"{version[0]}.{version[1]}"


def bundled_releases() -> dict[str, str]:
    """Minor version -> patch release of each bundled header set."""
    from .store import releases_in

    with open(STORE, "rb") as file:
        head = file.read(4096)  # the summary comes first
    return releases_in(head)


def _patch_release(folder: Path) -> str | None:
    try:
        text = (folder / "patchlevel.h").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    match = re.search(r'#define\s+PY_VERSION\s+"([^"]+)"', text)
    return match.group(1) if match else None


def _release_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", version)[:3])


def _candidates(minor: str) -> list[Path]:
    """Include folders an installed CPython ``minor`` may have, most likely first."""
    home = Path.home()
    found: list[Path] = []
    pyenv = Path(os.environ.get("PYENV_ROOT") or home / ".pyenv") / "versions"
    uv = Path(os.environ.get("UV_PYTHON_INSTALL_DIR") or home / ".local/share/uv/python")
    for root, pattern in ((pyenv, f"{minor}.*"), (uv, f"cpython-{minor}.*")):
        if root.is_dir():
            for install in sorted(root.glob(pattern), key=lambda p: p.name, reverse=True):
                found += sorted((install / "include").glob(f"python{minor}*"))
    found.append(Path(f"/usr/include/python{minor}"))
    return found


def _from_path(minor: str) -> Path | None:
    """The include folder of ``python3.X`` on PATH, asked through sysconfig."""
    import subprocess

    program = shutil.which(f"python{minor}")
    if program is None:
        return None
    try:
        result = subprocess.run(
            [program, "-c", "import sysconfig; print(sysconfig.get_path('include'))"],
            capture_output=True,
            text=True,
            timeout=30,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    text = result.stdout.strip()
    return Path(text) if result.returncode == 0 and text else None


def _checked(folder: Path, minor: str, what: str) -> HeaderSet | None:
    version = _patch_release(folder)
    if version is None or not (folder / "Python.h").is_file():
        return None
    if _release_key(version)[:2] != _release_key(minor)[:2]:
        raise HeadersError(f"{what} {folder} holds CPython {version}'s headers, not {minor}'s")
    return HeaderSet(folder, version, str(folder))


def find_headers(version: tuple[int, int], include: Path | None = None) -> HeaderSet:
    """The headers of CPython ``version``: ``include``, else bundled, else installed ones."""
    minor = _minor(version)
    if include is not None:
        if not (include / "Python.h").is_file():
            raise HeadersError(f"--include {include}: no Python.h there (a CPython include folder)")
        found = _checked(include, minor, "--include")
        if found is None:
            raise HeadersError(f"--include {include}: no patchlevel.h with PY_VERSION there")
        return found
    bundled = bundled_releases()
    if minor in bundled:
        from .store import unpack

        release = unpack(STORE.read_bytes(), minor)[minor]
        return HeaderSet(None, release.version, f"bundled ({release.source})", release.files)
    for folder in _candidates(minor):
        if folder.is_dir():
            found = _checked(folder, minor, "installed")
            if found is not None:
                return found
    asked = _from_path(minor)
    if asked is not None and asked.is_dir():
        found = _checked(asked, minor, f"python{minor}'s")
        if found is not None:
            return found
    raise HeadersError(
        f"no headers for CPython {minor}: implib bundles {', '.join(bundled)}; "
        f"install CPython {minor} (pyenv install {minor}, uv python install {minor}, "
        f"apt-get install python{minor}-dev) or give --include DIR"
    )
