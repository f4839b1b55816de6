"""Windows targets, named as Rust triples or Python platform tags.

A target decides two things about an import library: the machine its
members are written for, and the flavour, which sets the file names
consumers look for (``.lib`` for MSVC, ``.dll.a`` for MinGW) and the reading
of i386 names in a ``.def`` (MSVC's ``lib.exe`` or GNU's ``dlltool``).
"""

from __future__ import annotations

from .errors import TargetError
from .records import Choice, Record

TYPE_CHECKING = False
if TYPE_CHECKING:
    from .coff.structs import Machine

__all__ = [
    "Flavour",
    "Target",
    "TargetError",
    "parse_target",
    "shown",
    "valid_targets",
    "windows_target",
]


class Flavour(Choice):
    """The toolchain family: Rust's target environment."""

    __slots__ = ()
    MSVC: Flavour
    GNU: Flavour  # MinGW-w64 with GNU binutils
    GNULLVM: Flavour  # MinGW-w64 with LLVM (clang, lld)

    @property
    def mingw(self) -> bool:
        return self is not Flavour.MSVC


Flavour.MSVC = Flavour.member("MSVC", "msvc")
Flavour.GNU = Flavour.member("GNU", "gnu")
Flavour.GNULLVM = Flavour.member("GNULLVM", "gnullvm")

_ARCHES = ("x86_64", "i686", "aarch64")
_LLVM_MACHINE_NAMES = {"x86_64": "i386:x86-64", "i686": "i386", "aarch64": "arm64"}

#: What users type for a target, besides the Rust triples themselves.
ALIASES = {
    "win-amd64": "x86_64-pc-windows-msvc",
    "win32": "i686-pc-windows-msvc",
    "win-arm64": "aarch64-pc-windows-msvc",
    "x86_64-w64-mingw32": "x86_64-pc-windows-gnu",
    "i686-w64-mingw32": "i686-pc-windows-gnu",
    "x86_64-windows-gnu": "x86_64-pc-windows-gnu",
    "x86-windows-gnu": "i686-pc-windows-gnu",
    "aarch64-windows-gnu": "aarch64-pc-windows-gnullvm",
}


class Target(Record):
    """A Windows target: an architecture and a flavour."""

    arch: str  # x86_64, i686 or aarch64
    flavour: Flavour

    @property
    def triple(self) -> str:
        return f"{self.arch}-pc-windows-{self.flavour.value}"

    @property
    def machine(self) -> Machine:
        from .coff.structs import Machine  # only when a library is made, not on a cache hit

        return {"x86_64": Machine.AMD64, "i686": Machine.I386, "aarch64": Machine.ARM64}[self.arch]

    @property
    def llvm_machine(self) -> str:
        """The ``-m`` name of llvm-dlltool, zig dlltool and GNU dlltool."""
        return _LLVM_MACHINE_NAMES[self.arch]

    @property
    def lib_machine(self) -> str:
        """The ``/MACHINE:`` name of lib.exe."""
        return {"x86_64": "X64", "i686": "X86", "aarch64": "ARM64"}[self.arch]

    def __str__(self) -> str:
        return self.triple


def valid_targets() -> list[str]:
    return [f"{arch}-pc-windows-{flavour}" for flavour in Flavour.members for arch in _ARCHES]


#: Zig and some other tools spell Windows triples without the vendor (and x86 for i686).
_VENDORLESS_ARCHES = {"x86_64": "x86_64", "x86": "i686", "i686": "i686", "aarch64": "aarch64"}


def shown(text: str, limit: int = 80) -> str:
    """``text`` quoted for a message, cut after ``limit`` characters (input can be huge)."""
    if len(text) <= limit:
        return repr(text)
    return f"{text[:limit]!r}... ({len(text):,} characters)"


def parse_target(name: str) -> Target:
    """The target a user named; a TargetError lists the valid names.

    Rust triples, Python platform tags, MinGW triples and zig's vendorless
    triples (``x86-windows-msvc``) all name the same targets.
    """
    if not isinstance(name, str):
        raise TargetError(f"a target is a name such as 'win-amd64', not {type(name).__name__}")
    text = name.strip().lower()
    triple = ALIASES.get(text, text)
    parts = triple.split("-")
    if len(parts) == 3 and parts[1] == "windows" and parts[0] in _VENDORLESS_ARCHES:
        parts = [_VENDORLESS_ARCHES[parts[0]], "pc", "windows", parts[2]]
    known = len(parts) == 4 and parts[1:3] == ["pc", "windows"] and parts[0] in _ARCHES
    if known and parts[3] in Flavour.members:
        return Target(parts[0], Flavour.lookup(parts[3]))
    raise TargetError(
        f"unknown target {shown(name)}; valid targets: {', '.join(valid_targets())}"
        f" (or {', '.join(list(ALIASES)[:3])})"
    )


def windows_target(name: str) -> Target | None:
    """The Windows target ``name`` names, or None when it is not a Windows target.

    For build commands, whose target may be any platform's. A name that says
    Windows but that implib does not support (another architecture, a UWP
    triple) raises a TargetError rather than being taken for a host build,
    so that a build is never run without its libraries. An empty name
    (``CARGO_BUILD_TARGET`` unset) is no target: a host build.
    """
    if not name.strip():
        return None
    try:
        return parse_target(name)
    except TargetError:
        pass
    text = name.strip().lower()
    parts = text.replace("_", "-").split("-")
    if any(
        part == "win" or part.startswith(("windows", "win32", "win64", "mingw")) for part in parts
    ):
        parse_target(name)  # raises, listing the valid names
    if len(text.split("-")) < 2:
        # A single word is neither a Windows target nor a host triple: a typo.
        parse_target(name)
    return None
