"""Where the bundled export lists come from: maintainers' code, not shipped in the wheel.

* :mod:`.upstream`: the folder of inputs (``upstream/``), :mod:`.bundle`: every list from it;
* :mod:`.tables`: plain export tables (``NAME`` / ``NAME data`` per line);
* :mod:`.stable_abi`: CPython's ``Misc/stable_abi.toml`` and a release's Stable ABI test;
* :mod:`.python3dll`: python3.dll's and python3t.dll's lists, each name dated;
* :mod:`.headers`, :mod:`.predict`: a python3X.dll table from its predecessor and the headers;
* :mod:`.pypy`: PyPy's lists refreshed from a newer ``libpypy3.X-c.so``;
* :mod:`.debian`: a release's headers and Stable ABI test from Debian's packages;
* :mod:`.distributions`: official Windows CPython downloads, for their DLLs.

``scripts/make_defs.py`` drives them; the tests import them with ``scripts/``
on the path.
"""
