"""implib: Windows import libraries for Python, generated anywhere.

The public API for build backends and hooks::

    import implib

    lib = implib.generate("x86_64-pc-windows-msvc", "abi3", "build/libs")
    build = implib.prepare("x86_64-pc-windows-gnu", "3.12")  # + PyO3's variables
    path = implib.cached_library("aarch64-pc-windows-msvc", "3.13")
    sdk = implib.sdk("x86_64-pc-windows-gnu", "3.13", "sdk")  # headers + libs

Names are imported on first use, so that ``import implib`` (and the CLI's
start-up) stays cheap.
"""

from __future__ import annotations

TYPE_CHECKING = False  # no typing (nor importlib) at start-up: see implib.cli
if TYPE_CHECKING:
    from typing import Any

__version__ = "0.1.0"

#: Public name -> the module that defines it.
_API = {
    "generate": "api",
    "generate_from_def": "api",
    "cached_library": "api",
    "GeneratedLibrary": "api",
    "prepare": "cross",
    "SDK": "sdk",
    "CrossBuild": "cross",
    "parse_target": "targets",
    "parse_python": "pythons",
    "verify_library": "verify",
    "read_import_library": "coff.reader",
    "ImplibError": "errors",
}

__all__ = [
    "SDK",
    "CrossBuild",
    "GeneratedLibrary",
    "ImplibError",
    "__version__",
    "cached_library",
    "generate",
    "generate_from_def",
    "parse_python",
    "parse_target",
    "prepare",
    "read_import_library",
    "sdk",
    "verify_library",
]

if TYPE_CHECKING:
    from .api import GeneratedLibrary, cached_library, generate, generate_from_def
    from .coff.reader import read_import_library
    from .cross import CrossBuild, prepare
    from .errors import ImplibError
    from .pythons import parse_python
    from .sdk import SDK, sdk
    from .targets import parse_target
    from .verify import verify_library


def __getattr__(name: str) -> Any:
    if name == "sdk":  # the package itself, callable: see implib.sdk
        return __import__(f"{__name__}.sdk", fromlist=["sdk"])
    if name in _API:
        module = __import__(f"{__name__}.{_API[name]}", fromlist=[name])
        return getattr(module, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
