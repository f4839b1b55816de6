"""What C, C++ and Cython cross builds compile against: headers, pyconfig.h, libraries.

``implib.sdk(target, build, out_dir)`` writes an SDK folder (see
:mod:`.assemble`); the layer below :mod:`implib.cross` and above
:mod:`implib.api`:

* :mod:`.store` -- the packed header store (``headers.pack``) and its format
* :mod:`.headers` -- a release's headers: bundled, an installed CPython's, ``--include``
* :mod:`.pyconfig` -- the Windows ``pyconfig.h``, from one table of facts
* :mod:`.builddetails` -- PEP 739 ``build-details.json``
* :mod:`.assemble` -- the folder, and the :class:`SDK` value that says where each part is

``implib.sdk`` is both this package and the function: the package is
callable (``implib.sdk("x86_64-pc-windows-gnu", "3.13", "sdk")``), because
importing a submodule binds the package's name over any function of that
name in ``implib``.
"""

from __future__ import annotations

import sys
import types

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from .assemble import SDK, sdk

__all__ = ["SDK", "sdk"]


class _CallableModule(types.ModuleType):
    """This package, callable as :func:`.assemble.sdk`."""

    def __call__(self, *args: Any, **kwargs: Any) -> SDK:
        from .assemble import sdk

        return sdk(*args, **kwargs)


def __getattr__(name: str) -> Any:
    # Imported on first use: implib sdk's fast path reads only .stamp.
    if name in __all__:
        from . import assemble

        return getattr(assemble, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


sys.modules[__name__].__class__ = _CallableModule
