"""A CMake initial cache for an SDK: FindPython's artifact variables.

``cmake -C DIR/python.cmake`` sets what CMake's FindPython takes in place of
asking a Python for the target (there is none to run): ``Python_INCLUDE_DIR``,
``Python_SABI_LIBRARY`` (the Stable ABI's, CMake 3.26's
``Development.SABIModule``) and, for a version-specific SDK,
``Python_LIBRARY`` (its library; not python3's, which CMake 4.4 then takes
for a free-threaded build's) and ``Python_SOABI``, the tag
``Python_add_library(... WITH_SOABI)`` puts in a module's name
(build-details.json's ``extension_suffix`` without its dots and ``.pyd``).
The same again as ``Python3_*``, for FindPython3. Paths go
through ``CMAKE_CURRENT_LIST_DIR`` (the file's own folder), so the SDK can
move. The compilers are the toolchain file's business, not this file's.
"""

from __future__ import annotations

from pathlib import Path

from ..fileio import write_unless_same
from ..pythons import Kind

TYPE_CHECKING = False
if TYPE_CHECKING:
    from .assemble import SDK

__all__ = ["FILENAME", "cmake_cache", "write_cmake_cache"]

FILENAME = "python.cmake"


def cmake_cache(made: SDK, details: dict[str, object]) -> str:
    """The file's text, from the SDK's ``build-details.json`` (``details``)."""
    abi, libpython, c_api = details["abi"], details["libpython"], details["c_api"]
    assert isinstance(abi, dict) and isinstance(libpython, dict) and isinstance(c_api, dict)
    here = "${CMAKE_CURRENT_LIST_DIR}"
    entries = [("INCLUDE_DIR", "PATH", f"{here}/{c_api['headers']}")]
    if "dynamic_stableabi" in libpython:
        entries.append(("SABI_LIBRARY", "FILEPATH", f"{here}/{libpython['dynamic_stableabi']}"))
    if made.build.kind is not Kind.ABI3:
        entries.append(("LIBRARY", "FILEPATH", f"{here}/{libpython['dynamic']}"))
        suffix = str(abi["extension_suffix"])  # .cp313-win_amd64.pyd
        entries.append(("SOABI", "STRING", suffix.removesuffix(".pyd").lstrip(".")))
    lines = [
        f"# Written by implib sdk for {made.target.triple}, Python {made.build.spec}.",
        "# cmake -C this-file: FindPython's artifact variables for a cross build.",
    ]
    for prefix in ("Python", "Python3"):
        for name, kind, value in entries:
            lines.append(f'set({prefix}_{name} "{value}" CACHE {kind} "")')
    return "\n".join(lines) + "\n"


def write_cmake_cache(made: SDK, details: dict[str, object]) -> Path:
    """Write ``DIR/python.cmake``; its path."""
    path = made.root / FILENAME
    write_unless_same(path, cmake_cache(made, details).encode())
    return path
