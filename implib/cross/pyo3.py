"""The variables PyO3's build script reads when it cross-compiles for Windows.

PyO3 adds ``PYO3_CROSS_LIB_DIR`` to the linker's search path and links the
library named after the Python build, whose version and implementation it
reads from ``PYO3_CROSS_PYTHON_VERSION`` and ``PYO3_CROSS_PYTHON_IMPLEMENTATION``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from ..errors import PythonError
from ..pythons import Kind, PythonBuild, parse_python

__all__ = ["build_from_pyo3_env", "pyo3_variables"]


def pyo3_variables(build: PythonBuild, lib_dir: str | os.PathLike[str]) -> dict[str, str]:
    """The ``PYO3_CROSS_*`` variables for ``build`` with its libraries in ``lib_dir``.

    For abi3 the version is the minimum given (``abi3-3.9``), else the newest
    CPython implib knows, which PyO3 lowers to the crate's ``abi3-py3X``
    feature: no crate's minimum can be newer, so it never conflicts. For
    abi3t it is that version with a ``t`` (``3.15t``): PyO3 0.29 then builds
    for python3t.dll with the crate's ``abi3t-py3X`` feature, and never falls
    back to abi3 (whose python3.dll is not written for abi3t).
    """
    if build.kind is Kind.ABI3:
        from ..exportlists import newest_cpython

        major, minor = build.version or newest_cpython()
        version = f"{major}.{minor}" + ("t" if build.freethreaded else "")
    else:
        assert build.version is not None
        version = f"{build.version[0]}.{build.version[1]}" + ("t" if build.freethreaded else "")
    return {
        "PYO3_CROSS_LIB_DIR": str(lib_dir),
        "PYO3_CROSS_PYTHON_VERSION": version,
        "PYO3_CROSS_PYTHON_IMPLEMENTATION": "PyPy" if build.kind is Kind.PYPY else "CPython",
    }


def build_from_pyo3_env(environ: Mapping[str, str]) -> PythonBuild | None:
    """The Python build that ``PYO3_CROSS_PYTHON_VERSION`` (and implementation) name.

    Lets ``implib run`` follow a CI that already sets PyO3's variables.
    """
    version = environ.get("PYO3_CROSS_PYTHON_VERSION", "").strip()
    if not version:
        return None
    implementation = environ.get("PYO3_CROSS_PYTHON_IMPLEMENTATION", "CPython").strip().lower()
    if implementation in ("", "cpython"):
        return parse_python(version)
    if implementation == "pypy":
        return parse_python("pypy" + version)
    raise PythonError(
        f"PYO3_CROSS_PYTHON_IMPLEMENTATION={implementation!r}: implib knows CPython and PyPy"
    )
