"""A meson cross file for an SDK: the Windows host machine, and the SDK's build-details.json.

``meson setup --cross-file DIR/meson-cross.ini`` builds a Python extension
for the SDK's target: ``[host_machine]`` says Windows and the machine,
``python.build_config`` names ``meson-build-details.json`` (build-details.json
with meson 1.12's ``dynamic-stableabi``, see :mod:`.builddetails`) through
meson's ``@DIRNAME@`` (the cross file's own folder). For
the ``gnu`` targets the file also names MinGW-w64's gcc tools; for the
others give your compilers in a cross file of your own, before this one
(``--cross-file mine.ini --cross-file DIR/meson-cross.ini``: later files
add to earlier ones).
"""

from __future__ import annotations

from pathlib import Path

from ..fileio import write_unless_same
from ..targets import Flavour

TYPE_CHECKING = False
if TYPE_CHECKING:
    from .assemble import SDK

__all__ = ["FILENAME", "meson_cross", "write_meson_cross"]

FILENAME = "meson-cross.ini"

#: meson's cpu_family, per architecture.
_CPU_FAMILIES = {"x86_64": "x86_64", "i686": "x86", "aarch64": "aarch64"}


def meson_cross(made: SDK) -> str:
    """The cross file's text."""
    arch = made.target.arch
    lines = [f"# Written by implib sdk for {made.target.triple}, Python {made.build.spec}.", ""]
    if made.target.flavour is Flavour.GNU:
        prefix = f"{arch}-w64-mingw32-"
        lines += [
            "[binaries]",
            *(
                f"{name} = '{prefix}{tool}'"
                for name, tool in (
                    ("c", "gcc"),
                    ("cpp", "g++"),
                    ("ar", "ar"),
                    ("strip", "strip"),
                    ("windres", "windres"),
                )
            ),
            "",
        ]
    lines += [
        "[host_machine]",
        "system = 'windows'",
        f"cpu_family = '{_CPU_FAMILIES[arch]}'",
        f"cpu = '{arch}'",
        "endian = 'little'",
        "",
        "[built-in options]",
        "python.build_config = '@DIRNAME@' / 'meson-build-details.json'",
        "",
    ]
    return "\n".join(lines)


def write_meson_cross(made: SDK) -> Path:
    """Write ``DIR/meson-cross.ini``; its path."""
    path = made.root / FILENAME
    write_unless_same(path, meson_cross(made).encode())
    return path
