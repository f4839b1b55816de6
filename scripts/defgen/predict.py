"""A release's python3X.dll export table without the DLL: the previous table plus the headers' change.

No real python3X.dll of a new CPython can be had here, but its headers can
(Debian's ``libpython3.X-dev``). A name the DLL exports is one that a header
declares with ``PyAPI_FUNC``/``PyAPI_DATA`` (:mod:`.headers`), so::

    predicted = real(B)                      every name the base release B exports,
              - (declared(B) - declared(N))  less those whose declaration went away,
              + (declared(N) - declared(B))  plus the newly declared ones,
              + stable_abi(N)                plus the Stable ABI of N,

with ``declared`` evaluated for Windows (:func:`.headers.windows_macros`; with
``Py_GIL_DISABLED`` for a free-threaded build). Taking the *change* in
declarations, not the declarations themselves, keeps what the headers do not
show: functions exported by a ``.c`` file's own ``PyAPI_FUNC`` (the
``_SizeT`` compatibility functions) stay as the real table has them. The
Stable ABI of N (its ``test_stable_abi_ctypes.py``) is exported by
python3X.dll whatever the headers say: python3.dll forwards every one of its
names there, and functions removed from the C API (``PyEval_CallFunction``)
are kept in the ABI.

What this cannot see, and the tests measure against the real tables of 3.13
and 3.14 (tests/scripts/test_predict.py): a removal of a name that no header
declared, a declaration whose definition a ``#ifdef`` in the ``.c`` file
leaves out, and the exports patch releases add (the headers are of one patch
release, the base table of another).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection

from implib.coff.deffile import Export, ModuleDefinition

from .headers import HeaderScan

__all__ = ["Prediction", "predict_exports"]


@dataclasses.dataclass(frozen=True)
class Prediction:
    """A predicted export table, and how it differs from its base."""

    definition: ModuleDefinition
    added: tuple[str, ...]  # not in the base table
    removed: tuple[str, ...]  # in the base table, not predicted


def predict_exports(
    base: ModuleDefinition,
    old: HeaderScan,
    new: HeaderScan,
    stable_abi: Collection[str],
    *,
    library: str,
    base_name: str,
    new_release: str,
) -> Prediction:
    """Predict ``library``'s exports from ``base`` (a real table) and the headers ``old`` -> ``new``.

    ``stable_abi`` is the new release's Stable ABI names that python3X.dll
    defines (its feature macros as the new headers leave them). Each export's
    comment says where it comes from: ``base_name`` (kept from the real
    table), ``declared in <new_release> <header>:<line>``, or ``stable ABI
    <new_release>``.
    """
    abi = set(stable_abi)
    gone = (old.declarations.keys() - new.declarations.keys()) - abi
    exports: dict[str, Export] = {}
    for export in base.exports:
        if export.name in gone:
            continue
        note = base_name
        if export.name in abi and export.name not in new.declarations:
            note += " (stable ABI)"
        exports[export.name] = Export(export.name, data=export.data, comment=note)
    for name in sorted(new.declarations.keys() - old.declarations.keys() - exports.keys()):
        declaration = new.declarations[name]
        exports[name] = Export(
            name,
            data=declaration.kind == "data",
            comment=f"declared in {new_release} {declaration.where}",
        )
    for name in sorted(abi - exports.keys()):
        found = new.declarations.get(name)
        data = found is not None and found.kind == "data"
        exports[name] = Export(name, data=data, comment=f"stable ABI {new_release}")
    base_names = {export.name for export in base.exports}
    definition = ModuleDefinition(
        library=library, exports=tuple(exports[name] for name in sorted(exports))
    )
    return Prediction(
        definition,
        added=tuple(sorted(exports.keys() - base_names)),
        removed=tuple(sorted(base_names - exports.keys())),
    )
