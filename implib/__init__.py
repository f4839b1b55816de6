"""implib: Windows import libraries for Python, generated anywhere.

The public API for build backends and hooks is re-exported here; the CLI
(``implib.cli``) is a thin shell over it.
"""

from __future__ import annotations

__version__ = "0.1.0"
