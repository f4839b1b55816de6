"""Where the bundled export lists come from: maintainers' code, not shipped in the wheel.

* :mod:`.stable_abi`: python3.dll's list from CPython's ``Misc/stable_abi.toml``;
* :mod:`.tables`: plain export tables (``NAME`` / ``NAME data`` per line);
* :mod:`.distributions`: official Windows CPython downloads, for their DLLs.

``scripts/make_defs.py`` drives them; the tests import them with ``scripts/``
on the path.
"""
