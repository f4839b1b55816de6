"""Cross builds for Windows: the libraries a build links, and how to tell it.

* :mod:`.crossbuild`: :func:`prepare` writes the libraries and says how to link them;
* :mod:`.pyo3`: the ``PYO3_CROSS_*`` variables, and reading them back;
* :mod:`.shells`: the variables for a shell, JSON or ``$GITHUB_ENV``;
* :mod:`.command`: the target of a cargo/maturin command line (``implib run``).
"""

from __future__ import annotations

from .crossbuild import CrossBuild, prepare

__all__ = ["CrossBuild", "prepare"]
