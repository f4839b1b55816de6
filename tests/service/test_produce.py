"""service/produce.py: the libraries that serve and export share, as gen makes them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from implib.api import generate
from implib.pythons import parse_python
from implib.service.layout import build_index, index_bytes
from implib.service.produce import produce
from implib.targets import parse_target


def test_the_index_is_built_in_one_place() -> None:
    target, build = parse_target("aarch64-pc-windows-gnullvm"), parse_python("3.13")
    library = produce(target, build)
    index = build_index([library])
    assert list(index["files"]) == [
        "aarch64-pc-windows-gnullvm/3.13/python3.13.dll.a",
        "aarch64-pc-windows-gnullvm/3.13/python313.dll.a",
    ]
    assert index_bytes(index) == index_bytes(json.loads(index_bytes(index)))


def test_produce_without_a_writable_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_bytes(b"")
    monkeypatch.setenv("IMPLIB_CACHE_DIR", str(blocker / "cache"))
    library = produce(parse_target("i686-pc-windows-msvc"), parse_python("abi3"))
    reference = generate("i686-pc-windows-msvc", "abi3", tmp_path / "ref", use_cache=False)
    assert library.data == reference.path.read_bytes()
    assert library.sha256 == reference.sha256
