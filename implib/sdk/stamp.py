"""An SDK folder's stamp: what was asked and what was written, for the second call.

``DIR/.implib-sdk`` holds the request (implib's version, target, build,
``--include``, the header store's size and time) and each file written
with its size. When a call asks the same and every file is there at its
size, the folder is the answer: nothing is read or made. This module
imports nothing heavy (not even json, whose ``re`` costs more than the
check), so that ``implib sdk``'s fast path (:func:`implib.cli.sdk.fast_path`)
answers a repeated call in about an interpreter's start-up.

Format: UTF-8 lines of tab-separated fields, the first field saying what
the line is: ``request`` (the request's fields), ``headers``, ``origin``,
``library`` (a path relative to DIR, the linked one first) and ``file``
(size, path relative to DIR).
"""

from __future__ import annotations

import os

from .. import __version__
from ..fileio import atomic_write
from ..records import Record

__all__ = ["STAMP", "Stamp", "read_stamp", "request", "write_stamp"]

STAMP = ".implib-sdk"
_STORE = os.path.join(os.path.dirname(__file__), "headers.pack")


def request(target: str, python: str, include: str | None) -> tuple[str, ...]:
    """What a call asks for (``target`` a triple, ``python`` a canonical spec)."""
    stat = os.stat(_STORE)
    store = f"{stat.st_size}:{stat.st_mtime_ns}"
    return (__version__, target, python, include or "", store)


class Stamp(Record):
    """What a stamp says."""

    headers: str  # the headers' patch release
    origin: str
    libraries: list[str]  # relative to the folder, the linked one first
    files: dict[str, int]  # relative path -> size


def write_stamp(root: str, asked: tuple[str, ...], stamp: Stamp) -> None:
    lines = ["\t".join(("request", *asked)), f"headers\t{stamp.headers}"]
    lines.append(f"origin\t{stamp.origin}")
    lines += [f"library\t{name}" for name in stamp.libraries]
    lines += [f"file\t{size}\t{name}" for name, size in stamp.files.items()]
    text = "\n".join(line.replace("\n", " ") for line in lines) + "\n"
    atomic_write(os.path.join(root, STAMP), text.encode())


def read_stamp(root: str, asked: tuple[str, ...]) -> Stamp | None:
    """The stamp in ``root`` if it answers ``asked`` and every file is there; else None."""
    try:
        with open(os.path.join(root, STAMP), encoding="utf-8") as file:
            lines = file.read().splitlines()
        if not lines or tuple(lines[0].split("\t")[1:]) != asked:
            return None
        headers = origin = ""
        libraries: list[str] = []
        files: dict[str, int] = {}
        for line in lines[1:]:
            kind, _, rest = line.partition("\t")
            if kind == "headers":
                headers = rest
            elif kind == "origin":
                origin = rest
            elif kind == "library":
                libraries.append(rest)
            elif kind == "file":
                count, _, name = rest.partition("\t")
                files[name] = int(count)
        for name, size in files.items():
            if os.stat(os.path.join(root, name)).st_size != size:
                return None
    except (OSError, ValueError):
        return None
    if not (headers and libraries and files):
        return None
    return Stamp(headers, origin, libraries, files)
