"""The binary formats of import libraries, and the text format they are made from.

* :mod:`.structs`: COFF constants and ``struct`` layouts (PE/COFF specification);
* :mod:`.archive`: the archive container (``.lib``/``.a``);
* :mod:`.deffile`: module-definition (``.def``) files, LLVM's grammar;
* :mod:`.writer`: the built-in writer of short-import libraries;
* :mod:`.reader`: reading any import library back;
* :mod:`.pe`: reading a DLL's export table.

This layer knows nothing of Python builds, targets or tools: it imports
nothing of implib above :mod:`implib.errors` and :mod:`implib.fileio`.
"""
