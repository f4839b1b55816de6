"""The binary formats of import libraries, and the text format they are made from.

* :mod:`.structs`: COFF and PE constants and ``struct`` layouts (PE/COFF specification);
* :mod:`.source`: binary inputs read by range, bounded by their real size;
* :mod:`.archive`: the archive container (``.lib``/``.a``), COFF and GNU forms;
* :mod:`.deffile`: module-definition (``.def``) files, LLVM's grammar;
* :mod:`.writer`: the built-in writer of short-import libraries;
* :mod:`.longformat`: GNU dlltool's long import format, for what GNU ld cannot read otherwise;
* :mod:`.objfile`: COFF objects (regular and bigobj), for the reader;
* :mod:`.reader`: reading any import library back;
* :mod:`.pe`: reading a DLL's export table.

This layer knows nothing of Python builds, targets or tools: it imports
nothing of implib above :mod:`implib.errors` and :mod:`implib.fileio`.
"""
