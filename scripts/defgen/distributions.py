"""Official Windows CPython builds, downloaded to read their DLLs' exports.

Two sources publish them as zip archives: python.org's embeddable
distribution (``python-3.13.0-embed-amd64.zip``, DLLs at the top) and the
NuGet packages ``python``, ``pythonx86``, ``pythonarm64`` and
``python-freethreaded`` (a ``.nupkg`` is a zip; DLLs under ``tools/``).
Only python3.dll and python3X(t).dll are extracted. Base URLs are
parameters so that a mirror, or a test's local server, can stand in.

httpx is imported when needed.
"""

from __future__ import annotations

import io
import os
import re
import zipfile
from pathlib import Path

from implib.errors import ImplibError

__all__ = [
    "EMBED_ARCHES",
    "NUGET",
    "NUGET_PACKAGES",
    "PYTHON_ORG",
    "DistributionError",
    "download",
    "embed_url",
    "extract_dlls",
    "fetch_embeddable",
    "fetch_nuget",
    "nuget_url",
]

PYTHON_ORG = "https://www.python.org/ftp/python"
NUGET = "https://api.nuget.org/v3-flatcontainer"
EMBED_ARCHES = ("amd64", "win32", "arm64")
NUGET_PACKAGES = ("python", "pythonx86", "pythonarm64", "python-freethreaded")

#: python3.dll, python3t.dll, python313.dll, python313t.dll; not the _d ones.
_DLL = re.compile(r"python3(\d{1,2})?t?\.dll", re.IGNORECASE)
_EMBED_VERSION = re.compile(r"(3\.\d+\.\d+)((?:a|b|rc)\d+)?")


class DistributionError(ImplibError, OSError):
    """A download or an archive that did not give the DLLs; the message names it."""


def embed_url(version: str, arch: str = "amd64", *, base_url: str = PYTHON_ORG) -> str:
    """The URL of an embeddable zip; a pre-release lives in its release's folder."""
    match = _EMBED_VERSION.fullmatch(version)
    if match is None:
        raise DistributionError(f"bad CPython version {version!r} (expected e.g. 3.13.0)")
    if arch not in EMBED_ARCHES:
        raise DistributionError(f"unknown arch {arch!r} (expected {', '.join(EMBED_ARCHES)})")
    return f"{base_url.rstrip('/')}/{match.group(1)}/python-{version}-embed-{arch}.zip"


def nuget_url(package: str, version: str, *, base_url: str = NUGET) -> str:
    """The URL of a ``.nupkg`` in NuGet's flat container (which wants lower case)."""
    if package not in NUGET_PACKAGES:
        raise DistributionError(
            f"unknown NuGet package {package!r} (expected {', '.join(NUGET_PACKAGES)})"
        )
    if not re.fullmatch(r"3\.\d+\.\d+(-[0-9A-Za-z.]+)?", version):
        raise DistributionError(f"bad CPython version {version!r} (expected e.g. 3.13.0)")
    version = version.lower()
    return f"{base_url.rstrip('/')}/{package}/{version}/{package}.{version}.nupkg"


def download(url: str, *, timeout: float = 60.0) -> bytes:
    """The body of a successful GET, following redirects."""
    try:
        import httpx
    except ImportError:
        raise DistributionError(f"{url}: downloading needs httpx (pip install httpx)") from None
    try:
        response = httpx.get(url, timeout=timeout, follow_redirects=True)
    except httpx.TimeoutException:
        raise DistributionError(f"{url}: timed out after {timeout:g} s") from None
    except httpx.HTTPError as exc:
        raise DistributionError(f"{url}: {str(exc) or type(exc).__name__}") from None
    if response.status_code != 200:
        raise DistributionError(f"{url}: HTTP {response.status_code} {response.reason_phrase}")
    return response.content


def extract_dlls(
    archive: bytes, dest: str | os.PathLike[str], *, source: str = "<archive>"
) -> list[Path]:
    """Write the archive's python3*.dll files into ``dest`` (flat); their paths, sorted."""
    try:
        zipped = zipfile.ZipFile(io.BytesIO(archive))
    except zipfile.BadZipFile:
        raise DistributionError(f"{source}: not a zip archive") from None
    folder = Path(dest)
    written = []
    with zipped:
        for member in zipped.infolist():
            base = member.filename.replace("\\", "/").rsplit("/", 1)[-1]
            if member.is_dir() or not _DLL.fullmatch(base):
                continue
            folder.mkdir(parents=True, exist_ok=True)
            try:
                data = zipped.read(member)
            except (zipfile.BadZipFile, OSError, NotImplementedError, RuntimeError) as exc:
                # a bad CRC, an unknown compression method, encryption
                raise DistributionError(f"{source}: {member.filename}: {exc}") from None
            target = folder / base
            target.write_bytes(data)
            written.append(target)
    if not written:
        raise DistributionError(f"{source}: no python3*.dll in the archive")
    return sorted(written)


def fetch_embeddable(
    version: str,
    dest: str | os.PathLike[str],
    *,
    arch: str = "amd64",
    base_url: str = PYTHON_ORG,
    timeout: float = 60.0,
) -> list[Path]:
    """Download python.org's embeddable zip of ``version`` and extract its DLLs."""
    url = embed_url(version, arch, base_url=base_url)
    return extract_dlls(download(url, timeout=timeout), dest, source=url)


def fetch_nuget(
    version: str,
    dest: str | os.PathLike[str],
    *,
    package: str = "python",
    base_url: str = NUGET,
    timeout: float = 60.0,
) -> list[Path]:
    """Download a CPython NuGet package of ``version`` and extract its DLLs."""
    url = nuget_url(package, version, base_url=base_url)
    return extract_dlls(download(url, timeout=timeout), dest, source=url)
