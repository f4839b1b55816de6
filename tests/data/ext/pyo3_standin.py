"""A stand-in for ``cargo build`` / ``maturin build`` of a PyO3 crate, for Windows.

It does what PyO3's build script and rustc do with implib's variables, with
no Rust toolchain: read ``PYO3_CROSS_*``, choose the library name by PyO3's
rules, and link a probe DLL with a real linker, passing the library the way
rustc passes ``cargo:rustc-link-search=native=DIR`` + ``cargo:rustc-link-lib=NAME``
(``/LIBPATH:DIR NAME.lib`` to lld-link, ``-L DIR -l NAME`` to a MinGW driver).

Only for what the real toolchain of the test machine cannot build: Debian's
Rust has the standard library of x86_64-pc-windows-gnu alone, so MSVC, i686,
aarch64 and gnullvm targets (and cargo-xwin, which downloads the MSVC
runtime) go through here. x86_64-pc-windows-gnu is built by the real cargo
and maturin (tests/cross/test_recipes.py).

Inputs besides the command line (``--target T``, ``--target=T``, else
``CARGO_BUILD_TARGET``): ``STANDIN_ABI3=1`` when the crate turns on PyO3's abi3
feature, ``STANDIN_PROBE`` the C source, ``STANDIN_REPORTS`` a folder where
each run writes what happened as ``N.json`` and links in ``N/``. Written
independently of implib.cross on purpose.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path


def _target(args: list[str]) -> str:
    for index, arg in enumerate(args):
        if arg == "--target":
            return args[index + 1]
        if arg.startswith("--target="):
            return arg.split("=", 1)[1]
    return os.environ["CARGO_BUILD_TARGET"]


def _lib_name(version: str, implementation: str, abi3: bool) -> str:
    """PyO3's name for a Windows cross build (never the MinGW-native python3.X)."""
    freethreaded = version.endswith("t")
    major, minor = version.rstrip("t").split(".")
    if implementation.lower() == "pypy":
        return f"libpypy{major}.{minor}-c"
    if abi3 and not freethreaded:
        return "python3"
    return f"python{major}{minor}" + ("t" if freethreaded else "")


def main() -> int:
    args = sys.argv[1:]
    target = _target(args)
    arch, _, _, env = target.split("-")
    lib_dir = os.environ["PYO3_CROSS_LIB_DIR"]
    version = os.environ["PYO3_CROSS_PYTHON_VERSION"]
    implementation = os.environ.get("PYO3_CROSS_PYTHON_IMPLEMENTATION", "CPython")
    name = _lib_name(version, implementation, os.environ.get("STANDIN_ABI3") == "1")
    reports = Path(os.environ["STANDIN_REPORTS"])
    run = len(list(reports.glob("*.json")))
    work = reports / str(run)
    work.mkdir(parents=True)
    probe = Path(os.environ["STANDIN_PROBE"])
    out = work / "probe.dll"
    if env == "msvc":
        obj = work / "probe.obj"
        compile_ = ["clang", f"--target={arch}-pc-windows-msvc", "-O1", "-c", str(probe)]
        link = ["lld-link", "/dll", "/noentry", "/nodefaultlib", f"/out:{out}", str(obj)]
        link += [f"/LIBPATH:{lib_dir}", f"{name}.lib"]
        steps = [[*compile_, "-o", str(obj)], link]
    elif env == "gnu":
        link = [f"{arch}-w64-mingw32-gcc", "-O1", "-shared", "-o", str(out), str(probe)]
        steps = [[*link, "-L", lib_dir, "-l", name]]
    else:  # gnullvm: clang + lld in MinGW mode, no C runtime needed by the probe
        link = ["clang", f"--target={arch}-w64-windows-gnu", "-fuse-ld=lld", "-shared"]
        link += ["-nostdlib", "-Wl,-e,probe", "-o", str(out), str(probe)]
        steps = [[*link, "-L", lib_dir, "-l", name]]
    for step in steps:
        result = subprocess.run(step, capture_output=True, text=True)
        if result.returncode != 0:
            sys.stderr.write(f"stand-in: {' '.join(step)} failed:\n{result.stderr}")
            return result.returncode
    report = {
        "argv": args,
        "target": target,
        "lib_name": name,
        "link": steps[-1],
        "dll": str(out),
        "env": {k: v for k, v in os.environ.items() if k.startswith(("PYO3_", "IMPLIB_"))},
    }
    (reports / f"{run}.json").write_text(json.dumps(report))
    print(f"stand-in: linked {out} against {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
