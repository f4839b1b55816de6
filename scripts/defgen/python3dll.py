"""python3.dll and python3t.dll: their names, kinds, and since when each is exported.

The names are the newest release's Stable ABI as python3.dll exports it
(:meth:`.stable_abi.AbiTest.python3_names`). Each export's comment says the
oldest release from which on *every* python3.dll exports it (``since 3.X``),
so that ``--min-python 3.X`` (:mod:`implib.exportlists.abi3`) keeps exactly
the names that 3.X's python3.dll and all later ones export, and a module
linked against it loads on each of them. That version is read off the
releases' python3.dll lists, oldest first: the real python3.dll of 3.8 to
3.13 (official embeddable builds), then each newer release's
``test_stable_abi_ctypes.py``. A name every list has is dated by the
manifest's ``added`` when that is older than the oldest list, and
python3X.dll of that release exports it (the oldest python3.dll at hand is
3.8's; for 3.2 to 3.7 the manifest is all there is).

python3t.dll, the free-threaded Stable ABI (abi3t, PEP 803), exists from
3.15 on, and exports the *same* names as python3.dll: CPython builds both
from PC/python3dll.c (PCbuild/python3tdll.vcxproj; in the GIL build as
``abi3t-compat\\python3t.dll``, forwarding to python315.dll), which
Tools/build/stable_abi.py generates from the manifest's functions and data
without regard to abi3t, and 3.15's manifest and test mark no name as
abi3t-only or abi3-only. abi3t hides PyObject's layout in the headers
(``_Py_OPAQUE_PYOBJECT``); it removes no export. Its names are dated
``since 3.15`` at the earliest.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection, Mapping

from implib.coff.deffile import Export, ModuleDefinition
from implib.errors import ImplibError

__all__ = ["ABI3T_FIRST", "Python3Error", "Release", "python3_definition_for"]

#: The first release with python3t.dll (PEP 803).
ABI3T_FIRST = (3, 15)


class Python3Error(ImplibError, ValueError):
    """Inputs that do not make a python3.dll list (a name of unknown kind)."""


@dataclasses.dataclass(frozen=True)
class Release:
    """What one release's python3.dll exports, and where that was read."""

    version: tuple[int, int]
    names: frozenset[str]
    source: str  # "python3.dll 3.10.0", "test_stable_abi_ctypes.py 3.14.10"


def _since(
    name: str,
    releases: list[Release],
    added: Mapping[str, tuple[int, int]],
    oldest_main: Collection[str] | None,
) -> tuple[tuple[int, int], str]:
    """The release from which on every list has ``name``, and what says so."""
    index = len(releases) - 1
    while index > 0 and name in releases[index - 1].names:
        index -= 1
    first = releases[index]
    manifest = added.get(name)
    older = index == 0 and manifest is not None and manifest < first.version
    if older and (oldest_main is None or name in oldest_main):
        assert manifest is not None
        return manifest, "stable_abi.toml"
    return first.version, first.source


def python3_definition_for(
    releases: Collection[Release],
    kinds: Mapping[str, str],
    *,
    library: str = "python3.dll",
    added: Mapping[str, tuple[int, int]] | None = None,
    oldest_main: Collection[str] | None = None,
    floor: tuple[int, int] | None = None,
) -> ModuleDefinition:
    """The newest release's names, each commented ``since 3.X: <source>``.

    ``kinds`` maps names to ``code`` or ``data`` (the manifest's kind, else
    the headers'). ``added`` is the manifest's ``added`` of each name, used
    for releases older than the oldest list if ``oldest_main`` (the names
    python3X.dll of the release before the oldest list exports) has the name.
    ``floor`` dates no name before it (python3t.dll: 3.15).
    """
    ordered = sorted(releases, key=lambda release: release.version)
    if not ordered:
        raise Python3Error(f"{library}: no release lists its names")
    exports = []
    for name in sorted(ordered[-1].names):
        kind = kinds.get(name)
        if kind not in ("code", "data"):
            raise Python3Error(f"{library}: no kind (code or data) known for {name}")
        version, source = _since(name, ordered, added or {}, oldest_main)
        if floor is not None and version < floor:
            version = floor
            source = next(r.source for r in ordered if r.version >= floor)
        comment = f"since {version[0]}.{version[1]}: {source}"
        exports.append(Export(name, data=kind == "data", comment=comment))
    return ModuleDefinition(library=library, exports=tuple(exports))
