"""The packed header store: :mod:`implib.sdk.store` and ``scripts/make_sdk_headers.py``."""

from __future__ import annotations

import pytest

from implib.sdk.headers import STORE
from implib.sdk.store import Release, StoreError, pack, releases_in, unpack

from support import UPSTREAM


def test_the_committed_store_is_what_the_script_makes() -> None:
    from make_sdk_headers import build_store

    assert STORE.read_bytes() == build_store(), (
        "implib/sdk/headers.pack differs from upstream/: run python scripts/make_sdk_headers.py"
    )


def test_every_upstream_header_comes_back_byte_for_byte() -> None:
    releases = unpack(STORE.read_bytes())
    folders = sorted(p.parent.name for p in (UPSTREAM / "cpython").glob("*/include"))
    assert sorted(releases) == folders
    for minor, release in releases.items():
        include = UPSTREAM / "cpython" / minor / "include"
        on_disk = {
            p.relative_to(include).as_posix(): p.read_bytes()
            for p in include.rglob("*")
            if p.is_file()
        }
        assert release.files == on_disk, minor
        assert "pyconfig.h" not in release.files
        assert any(name.startswith("internal/") for name in release.files)
        source = (UPSTREAM / "cpython" / minor / "SOURCE").read_text()
        assert release.source in source.splitlines()


def test_patch_releases_read_from_patchlevel_h() -> None:
    # 3.13's are 3.13.18 (Debian sid's libpython3.13-dev 3.13.18-1)
    assert releases_in(STORE.read_bytes()) == {
        "3.9": "3.9.2", "3.11": "3.11.2", "3.13": "3.13.18", "3.14": "3.14.10", "3.15": "3.15.2",
    }  # fmt: skip


def test_mimalloc_headers_are_bundled_from_313_on() -> None:
    releases = unpack(STORE.read_bytes())
    for minor in ("3.13", "3.14", "3.15"):
        assert "internal/mimalloc/mimalloc.h" in releases[minor].files
        assert "internal/pycore_mimalloc.h" in releases[minor].files


def test_each_content_is_stored_once() -> None:
    a = Release("3.1.0", "a", {"x.h": b"same", "y.h": b"one"})
    b = Release("3.2.0", "b", {"x.h": b"same", "z/y.h": b"two"})
    both = pack({"3.1": a, "3.2": b})
    bigger = pack({"3.1": a, "3.2": Release("3.2.0", "b", {"x.h": b"diff", "z/y.h": b"two"})})
    import json
    import lzma
    import struct

    def blobs(data: bytes) -> int:
        (length,) = struct.unpack_from("<I", data, 8)
        payload = lzma.decompress(data[12 + length :])
        (size,) = struct.unpack_from("<I", payload)
        return len(json.loads(payload[4 : 4 + size])["blobs"])

    assert blobs(both) == 3 and blobs(bigger) == 4
    assert unpack(both)["3.2"].files == b.files
    assert pack({"3.2": b, "3.1": a}) == both  # deterministic


@pytest.mark.parametrize(
    "data", [b"", b"PK\x03\x04", STORE.read_bytes()[:40], STORE.read_bytes()[:-10]]
)
def test_a_damaged_store_is_one_error(data: bytes) -> None:
    with pytest.raises(StoreError):
        unpack(data)


def test_the_store_stays_small() -> None:
    size = STORE.stat().st_size
    raw = sum(
        p.stat().st_size for p in (UPSTREAM / "cpython").glob("*/include/**/*") if p.is_file()
    )
    assert size < 1_000_000 and raw > 10 * size, (size, raw)
