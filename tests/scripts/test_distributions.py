"""Downloads of CPython distributions, from a local HTTP server that stands in for
python.org and NuGet (this network reaches neither): zips built here, a 404, a
body that is no zip, a server that does not answer in time.
"""

from __future__ import annotations

import http.server
import io
import shutil
import subprocess
import sys
import threading
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from implib.coff.deffile import read_def
from implib.coff.pe import definition_from_dll

from defgen.distributions import (
    DistributionError,
    download,
    embed_url,
    extract_dlls,
    fetch_embeddable,
    fetch_nuget,
    nuget_url,
)
from defgen.stable_abi import StableAbiError, load_stable_abi
from support import LISTS, ROOT, UPSTREAM, fetch_embedded_python


class _Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        routes: dict[str, bytes | float] = self.server.routes  # type: ignore[attr-defined]
        body = routes.get(self.path)
        if isinstance(body, float):  # a slow server: sleep, then answer
            time.sleep(body)
            body = b"late"
        if body is None:
            self.send_error(404, "Not Found")
            return
        try:
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):  # the client gave up (timeout)
            pass

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[tuple[str, dict[str, bytes | float]]]:
    """A threaded HTTP server on 127.0.0.1: (base URL, path -> body or delay)."""
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.daemon_threads = True
    httpd.routes = {}  # type: ignore[attr-defined]
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", httpd.routes  # type: ignore[attr-defined]
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()


def _zip(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_urls() -> None:
    assert embed_url("3.13.0") == (
        "https://www.python.org/ftp/python/3.13.0/python-3.13.0-embed-amd64.zip"
    )
    assert embed_url("3.14.0rc2", "arm64", base_url="http://mirror/py/") == (
        "http://mirror/py/3.14.0/python-3.14.0rc2-embed-arm64.zip"
    )
    assert nuget_url("pythonx86", "3.12.7") == (
        "https://api.nuget.org/v3-flatcontainer/pythonx86/3.12.7/pythonx86.3.12.7.nupkg"
    )
    assert nuget_url("python", "3.14.0-RC2", base_url="http://m") == (
        "http://m/python/3.14.0-rc2/python.3.14.0-rc2.nupkg"
    )
    with pytest.raises(DistributionError, match="unknown arch 'x64'"):
        embed_url("3.13.0", "x64")
    with pytest.raises(DistributionError, match=r"bad CPython version '3\.13'"):
        embed_url("3.13")
    with pytest.raises(DistributionError, match="unknown NuGet package 'pythonx64'"):
        nuget_url("pythonx64", "3.13.0")


def test_embeddable_zip(server: tuple[str, dict[str, bytes | float]], tmp_path: Path) -> None:
    base, routes = server
    routes["/3.13.0/python-3.13.0-embed-amd64.zip"] = _zip({
        "python3.dll": b"abi3 dll", "python313.dll": b"main dll", "python.exe": b"exe",
        "vcruntime140.dll": b"crt", "python313.zip": b"stdlib", "_ssl.pyd": b"pyd",
    })  # fmt: skip
    paths = fetch_embeddable("3.13.0", tmp_path / "out", base_url=base)
    assert paths == [tmp_path / "out/python3.dll", tmp_path / "out/python313.dll"]
    assert [p.read_bytes() for p in paths] == [b"abi3 dll", b"main dll"]
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["python3.dll", "python313.dll"]


def test_nuget_package(server: tuple[str, dict[str, bytes | float]], tmp_path: Path) -> None:
    base, routes = server
    routes["/python-freethreaded/3.13.1/python-freethreaded.3.13.1.nupkg"] = _zip({
        "python-freethreaded.nuspec": b"<xml/>", "tools/python3t.dll": b"t abi3",
        "tools/python313t.dll": b"t main", "tools/python313t_d.dll": b"debug",
        "tools/DLLs/_ssl.pyd": b"pyd", "tools/Lib/test/python3.dll.txt": b"not a dll",
    })  # fmt: skip
    paths = fetch_nuget("3.13.1", tmp_path, package="python-freethreaded", base_url=base)
    assert [p.name for p in paths] == ["python313t.dll", "python3t.dll"]
    assert paths[0].read_bytes() == b"t main"


def test_failures_are_distribution_errors(
    server: tuple[str, dict[str, bytes | float]], tmp_path: Path
) -> None:
    base, routes = server
    routes["/3.13.0/python-3.13.0-embed-win32.zip"] = b"<html>not a zip</html>"
    routes["/3.13.0/python-3.13.0-embed-arm64.zip"] = _zip({"README.txt": b"no DLLs"})
    routes["/slow"] = 3.0

    with pytest.raises(DistributionError) as info:
        fetch_embeddable("3.12.0", tmp_path, base_url=base)
    assert str(info.value) == (f"{base}/3.12.0/python-3.12.0-embed-amd64.zip: HTTP 404 Not Found")
    with pytest.raises(DistributionError, match=r"embed-win32\.zip: not a zip archive$"):
        fetch_embeddable("3.13.0", tmp_path, arch="win32", base_url=base)
    with pytest.raises(DistributionError, match=r"embed-arm64\.zip: no python3\*\.dll in the"):
        fetch_embeddable("3.13.0", tmp_path, arch="arm64", base_url=base)
    with pytest.raises(DistributionError, match=r"/slow: timed out after 0\.5 s$"):
        download(f"{base}/slow", timeout=0.5)
    with pytest.raises(DistributionError, match=r"^x\.zip: not a zip archive$"):
        extract_dlls(b"", tmp_path, source="x.zip")
    assert not any(tmp_path.iterdir())


def test_connection_refused(tmp_path: Path) -> None:
    import socket

    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(DistributionError, match=rf"^http://127\.0\.0\.1:{port}/x: "):
        download(f"http://127.0.0.1:{port}/x", timeout=5)


def test_stable_abi_from_a_url(server: tuple[str, dict[str, bytes | float]]) -> None:
    base, routes = server
    routes["/stable_abi.toml"] = b"[function.Py_Initialize]\n    added = '3.2'\n"
    abi = load_stable_abi(f"{base}/stable_abi.toml")
    assert [item.name for item in abi.items] == ["Py_Initialize"]
    assert abi.source == f"{base}/stable_abi.toml"
    with pytest.raises(StableAbiError, match=r"/missing\.toml: HTTP 404"):
        load_stable_abi(f"{base}/missing.toml")


def test_make_defs_download_adds_a_release(
    server: tuple[str, dict[str, bytes | float]], tmp_path: Path
) -> None:
    """``make_defs.py --download VERSION``: a release's real DLLs into upstream/, then its lists."""
    folder = fetch_embedded_python("3.13.0")
    base, routes = server
    routes["/3.13.0/python-3.13.0-embed-amd64.zip"] = _zip(
        {name: (folder / name).read_bytes() for name in ("python3.dll", "python313.dll")}
    )
    upstream = tmp_path / "upstream"
    shutil.copytree(UPSTREAM, upstream)
    (upstream / "exports" / "python3-3.13.txt").unlink()
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts/make_defs.py"), "--download", "3.13.0",
         "--base-url", base, "--upstream", str(upstream), "--out", str(tmp_path / "defs"),
         "--date", "2024-10-07"],
        capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in (tmp_path / "defs").iterdir()) == ["python3.def", "python313.def"]

    url = f"{base}/3.13.0/python-3.13.0-embed-amd64.zip"
    table = (upstream / "exports" / "python313.txt").read_text()
    assert table.startswith(f"# Export table of python313.dll in {url}, sha256 ")
    made = read_def(tmp_path / "defs/python313.def")
    assert made.exports == definition_from_dll(folder / "python313.dll").exports
    assert made.header[0] == "python313.dll: CPython 3.13"
    assert made.header[1].startswith("Made from upstream/exports/python313.txt (sha256 ")
    assert made.header[-1] == "Generated by scripts/make_defs.py on 2024-10-07"

    # python3.dll's table of 3.13, read again: python3.def is the bundled one.
    abi3 = (upstream / "exports" / "python3-3.13.txt").read_text()
    assert abi3.startswith(f"# Export table of python3.dll of CPython 3.13 in {url}, sha256 ")
    assert (
        read_def(tmp_path / "defs/python3.def").exports == read_def(LISTS / "python3.def").exports
    )

    failed = subprocess.run(
        [sys.executable, str(ROOT / "scripts/make_defs.py"), "--download", "3.99.0",
         "--base-url", base, "--upstream", str(upstream), "--out", str(tmp_path / "none")],
        capture_output=True, text=True,
    )  # fmt: skip
    assert failed.returncode == 1
    assert (
        failed.stderr
        == f"make_defs.py: error: {base}/3.99.0/python-3.99.0-embed-amd64.zip: HTTP 404 Not Found\n"
    )
    assert not (tmp_path / "none").exists()
