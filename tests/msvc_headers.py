"""C runtime headers for clang's MSVC targets, when no MSVC or Windows SDK is at hand.

MinGW-w64's headers stand in for the MSVC C runtime's, made to parse in
MSVC mode (clang ``--target=*-windows-msvc`` defines ``_MSC_VER``, so the
code under test takes its MSVC paths). What this checks is the code that
includes them (CPython's headers and implib's pyconfig.h), not the C
runtime: sizes the C runtime decides (``time_t``) are MinGW's here.
"""

from __future__ import annotations

#: The flags that make MinGW-w64's headers parse under clang's MSVC mode.
MSVC_SHIM = [
    "-D__MINGW32__",
    "-D__GNUC__=12",
    "-D__GNUC_MINOR__=0",
    "-D_PID_T_",  # MSVC has no pid_t: CPython's pyconfig.h gives it
    "-D__declspec(x)=__declspec(x)",  # as GCC has it, for _mingw.h's tests
    "-D__CRT__NO_INLINE",  # no bodies of MinGW's inline math (they would call its runtime)
]
#: ... and what MinGW's gcc predefines for the machine.
MSVC_SHIM_MACHINE = {"x86_64": [], "i686": ["-D_X86_=1"], "aarch64": []}
#: Where the headers are (Debian's mingw-w64-*-dev; aarch64 borrows x86_64's).
MINGW_INCLUDE = {
    "x86_64": "/usr/x86_64-w64-mingw32/include",
    "i686": "/usr/i686-w64-mingw32/include",
    "aarch64": "/usr/x86_64-w64-mingw32/include",
}


def msvc_shim(arch: str) -> list[str]:
    """clang flags: the stand-in C runtime headers for ``arch``."""
    return [*MSVC_SHIM, *MSVC_SHIM_MACHINE[arch], "-isystem", MINGW_INCLUDE[arch]]
