"""``implib-dlltool`` and ``implib-lib``: implib in the place of dlltool and lib.

rustc runs a ``dlltool`` for raw-dylib on ``*-windows-gnu`` targets,
python3-dll-a runs dlltool, llvm-dlltool or lib.exe: with these command
lines any of them can be pointed at implib instead. They always write with
the built-in writer (never a backend chosen by ``ZIG_COMMAND`` or
``PYO3_MINGW_DLLTOOL``, which may name these very programs) and print
nothing on success: rustc fails a build on any output of its dlltool.

What the dlltool writes: llvm-dlltool's bytes for every ``.def`` that has no
CONSTANT, EXPORTAS or ``==`` rename and names a ``*.dll`` — all that rustc
and python3-dll-a pass. For the others it writes what GNU ld links (see
docs/def-features.md), since a dlltool's library goes to a GNU toolchain;
under a name containing ``llvm-dlltool`` it writes llvm-dlltool's bytes
exactly (``gnu_ld=False``). The lib writes the bytes of ``llvm-lib /def``.
"""

from __future__ import annotations

import os
import sys

from ..argv import Option, scan
from ..errors import ImplibError, OptionError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from ..coff.deffile import ModuleDefinition
    from ..coff.structs import Machine

__all__ = ["dlltool", "dlltool_main", "lib", "lib_main"]

#: dlltool's options, in GNU's and LLVM's spellings. -f, -t and -S (the
#: assembler rustc names) mean nothing for a short-import library.
_DLLTOOL = (
    Option("def", ("-d", "--input-def")),
    Option("out", ("-l", "--output-lib")),
    Option("dll", ("-D", "--dllname")),
    Option("machine", ("-m", "--machine")),
    Option("kill_at", ("-k", "--kill-at"), 0),
    Option("no_underscore", ("--no-leading-underscore",), 0),
    Option("as_flags", ("-f", "--as-flags")),
    Option("temp_prefix", ("-t", "--temp-prefix")),
    Option("as", ("-S", "--as")),
)

#: ``-m`` names of GNU dlltool and llvm-dlltool → Rust's architecture.
_MACHINES = {"i386": "i686", "i386:x86-64": "x86_64", "arm64": "aarch64"}
#: The architecture a GNU target prefix names (i686-w64-mingw32-dlltool).
_PREFIXES = {
    "x86_64": "x86_64", "amd64": "x86_64", "i386": "i686", "i486": "i686", "i586": "i686",
    "i686": "i686", "aarch64": "aarch64", "arm64": "aarch64",
}  # fmt: skip

_LIB = (
    Option("def", ("/def:", "-def:")),
    Option("out", ("/out:", "-out:")),
    Option("machine", ("/machine:", "-machine:")),
    Option("name", ("/name:", "-name:")),
    Option("nologo", ("/nologo", "-nologo"), 0),
)
_LIB_MACHINES = {"x64": "x86_64", "amd64": "x86_64", "x86": "i686", "arm64": "aarch64"}


def _program(argv0: str) -> str:
    name = os.path.basename(argv0)
    return name[:-4] if name.lower().endswith(".exe") else name


def _arch_from_name(program: str) -> str | None:
    """The architecture a GNU tool's target prefix names, as ``i686-w64-mingw32-dlltool``."""
    prefix, dash, _ = program.partition("-")
    return _PREFIXES.get(prefix.lower()) if dash else None


def _required(value: str | None, what: str) -> str:
    if not value:
        raise OptionError(what)
    return value


def _machine(arch: str) -> Machine:
    from ..coff.structs import Machine

    return {"x86_64": Machine.AMD64, "i686": Machine.I386, "aarch64": Machine.ARM64}[arch]


def _read(path: str) -> ModuleDefinition:
    from ..coff.deffile import read_def

    return read_def(path)


def dlltool(argv: Sequence[str], program: str = "implib-dlltool") -> None:
    """Write the import library a dlltool command line asks for; raise on bad input."""
    args = scan(argv, _DLLTOOL, strict=True, stop_at_dashes=False)
    if args.positionals:
        raise OptionError(f"unexpected argument {args.positionals[0]}")
    def_path = _required(args.last("def"), "no .def file given (-d/--input-def)")
    out = _required(args.last("out"), "no output library given (-l/--output-lib)")
    machine_name = args.last("machine")
    if machine_name is not None:
        arch = _MACHINES.get(machine_name.lower())
        if arch is None:
            known = ", ".join(_MACHINES)
            raise OptionError(f"unknown machine {machine_name!r} (give {known})")
    else:
        arch = _arch_from_name(program)
        if arch is None:
            raise OptionError(
                "no machine: give -m i386, i386:x86-64 or arm64 "
                "(or run it under a target-prefixed name, such as x86_64-w64-mingw32-dlltool)"
            )
    definition = _read(def_path)
    dll = args.last("dll")
    if dll:
        definition = definition.replace(library=dll)
    if not definition.library:
        raise OptionError(f"no DLL name: {def_path} has no LIBRARY line and no -D")
    decorated = any("@" in export.name[1:] for export in definition.exports)
    if arch == "i686" and "kill_at" in args.flags and decorated:
        raise OptionError("-k (--kill-at) on i386 decorated names is not supported")
    from ..coff.writer import write_import_library

    data = write_import_library(
        definition,
        _machine(arch),
        mingw=True,
        gnu_ld=False if "llvm-dlltool" in program.lower() else None,
        leading_underscore="no_underscore" not in args.flags,
    )
    _write(out, data)


def lib(argv: Sequence[str], program: str = "implib-lib") -> None:
    """Write the import library a ``lib /def:`` command line asks for; raise on bad input."""
    args = scan(argv, _LIB, strict=True, fold=True)
    for arg in args.positionals:  # lib's options start with "/", as absolute paths do
        kind = "unknown option" if arg.startswith("/") else "unexpected argument"
        raise OptionError(f"{kind} {arg} (implib-lib writes libraries from /def: only)")
    def_path = _required(args.last("def"), "no /def: given")
    machine_name = _required(args.last("machine"), "no /machine: given (X64, X86, ARM64)")
    arch = _LIB_MACHINES.get(machine_name.lower())
    if arch is None:
        raise OptionError(f"unknown machine {machine_name!r} (give X64, X86 or ARM64)")
    definition = _read(def_path)
    name = args.last("name")
    if name:
        definition = definition.replace(library=name)
    out = _required(args.last("out"), "no /out: given")
    if not definition.library:
        raise OptionError(f"no DLL name: {def_path} has no LIBRARY line and no /name:")
    from ..coff.writer import write_import_library

    _write(out, write_import_library(definition, _machine(arch), mingw=False))


def _write(path: str, data: bytes) -> None:
    from ..fileio import atomic_write

    atomic_write(path, data)


def _main(run: Callable[[Sequence[str], str], None], argv: list[str] | None) -> None:
    args = sys.argv if argv is None else argv
    program = _program(args[0]) if args else "implib"
    try:
        run(args[1:], program)
    except ImplibError as exc:
        sys.stderr.write(f"{program}: error: {exc}\n")
        sys.exit(1)


def dlltool_main(argv: list[str] | None = None) -> None:
    """The ``implib-dlltool`` program (argv with the program's name first)."""
    _main(dlltool, argv)


def lib_main(argv: list[str] | None = None) -> None:
    """The ``implib-lib`` program (argv with the program's name first)."""
    _main(lib, argv)
