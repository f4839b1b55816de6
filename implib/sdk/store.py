"""The packed header store: every bundled release's headers in one compressed file.

Why not a zip: a zip holds each member once per release, and the releases
share most of their headers, byte for byte or nearly. The store keeps each
distinct file content once and compresses them all as one xz stream, whose
window spans the releases, so that 3.14's ``object.h`` costs only its
difference from 3.13's. Five releases (1,186 files, 7.8 MB) pack into
about 0.45 MB.

Layout (all integers little-endian)::

    b"IMPLIBH1"                 magic and format version
    u32 n + n bytes             the summary, JSON: {"3.13": "3.13.18", ...} (read
                                without decompressing: which releases, which patch)
    xz stream of:
        u32 n + n bytes         the index, JSON (below)
        blob 0, blob 1, ...     each distinct file content, concatenated

    index = {"blobs": [[offset, size], ...],      offsets into the blob area
             "releases": {"3.13": {"version": "3.13.18",
                                   "source": "Debian sid libpython3.13-dev ...",
                                   "files": {"Python.h": 0, ...}}}}

``pack`` is deterministic (sorted names, blobs in first-use order, fixed xz
preset), so that ``scripts/make_sdk_headers.py`` reproduces the committed
store byte for byte.
"""

from __future__ import annotations

import dataclasses
import json
import lzma
import struct
from collections.abc import Mapping

from ..errors import ImplibError

__all__ = ["MAGIC", "Release", "StoreError", "pack", "releases_in", "unpack"]

MAGIC = b"IMPLIBH1"
_PRESET = 9 | lzma.PRESET_EXTREME


class StoreError(ImplibError, ValueError):
    """The store is not one this implib can read (damaged, or another format)."""


@dataclasses.dataclass(frozen=True)
class Release:
    """One release's headers as read from the store."""

    version: str  # the patch release, from patchlevel.h: 3.13.18
    source: str  # where the headers came from (package, version, sha256)
    files: dict[str, bytes]  # path inside include/ (with /) -> content


def pack(releases: Mapping[str, Release]) -> bytes:
    """The store holding ``releases`` (minor version -> headers)."""
    blobs: list[bytes] = []
    seen: dict[bytes, int] = {}
    index: dict[str, object] = {}
    for minor in sorted(releases, key=lambda m: tuple(int(p) for p in m.split("."))):
        release = releases[minor]
        files = {}
        for name in sorted(release.files):
            data = release.files[name]
            if data not in seen:
                seen[data] = len(blobs)
                blobs.append(data)
            files[name] = seen[data]
        index[minor] = {"version": release.version, "source": release.source, "files": files}
    offsets = []
    position = 0
    for blob in blobs:
        offsets.append([position, len(blob)])
        position += len(blob)
    header = json.dumps(
        {"blobs": offsets, "releases": index}, sort_keys=True, separators=(",", ":")
    ).encode()
    payload = struct.pack("<I", len(header)) + header + b"".join(blobs)
    summary = json.dumps(
        {minor: releases[minor].version for minor in index}, separators=(",", ":")
    ).encode()
    packed = lzma.compress(payload, format=lzma.FORMAT_XZ, preset=_PRESET)
    return MAGIC + struct.pack("<I", len(summary)) + summary + packed


def _summary(data: bytes) -> tuple[dict[str, str], int]:
    """The summary and where the xz stream starts."""
    if not data.startswith(MAGIC) or len(data) < len(MAGIC) + 4:
        raise StoreError("not an implib header store (bad magic)")
    (length,) = struct.unpack_from("<I", data, len(MAGIC))
    start = len(MAGIC) + 4
    try:
        summary = json.loads(data[start : start + length])
    except ValueError as exc:
        raise StoreError(f"damaged header store summary: {exc}") from None
    if not isinstance(summary, dict):
        raise StoreError("damaged header store summary")
    return {str(k): str(v) for k, v in summary.items()}, start + length


def _index(data: bytes) -> tuple[dict[str, object], memoryview]:
    _, start = _summary(data)
    try:
        payload = lzma.decompress(data[start:], format=lzma.FORMAT_XZ)
    except lzma.LZMAError as exc:
        raise StoreError(f"damaged header store: {exc}") from None
    (length,) = struct.unpack_from("<I", payload)
    try:
        index = json.loads(payload[4 : 4 + length])
    except ValueError as exc:
        raise StoreError(f"damaged header store index: {exc}") from None
    return index, memoryview(payload)[4 + length :]


def unpack(data: bytes, minor: str | None = None) -> dict[str, Release]:
    """The releases in a store (only ``minor``'s when given; {} if it has none)."""
    index, area = _index(data)
    blobs: list[list[int]] = index["blobs"]  # type: ignore[assignment]
    releases: dict[str, dict[str, object]] = index["releases"]  # type: ignore[assignment]
    result = {}
    for name, entry in releases.items():
        if minor is not None and name != minor:
            continue
        files: dict[str, int] = entry["files"]  # type: ignore[assignment]
        contents = {}
        for path, number in files.items():
            offset, size = blobs[number]
            contents[path] = bytes(area[offset : offset + size])
        result[name] = Release(str(entry["version"]), str(entry["source"]), contents)
    return result


def releases_in(data: bytes) -> dict[str, str]:
    """Minor version -> patch release of each release in a store (nothing decompressed)."""
    return _summary(data)[0]
