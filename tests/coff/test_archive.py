"""Archives: LLVM's COFF and GNU forms (bytes in test_writer.py); reading bounded and terminating."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from implib.coff import archive
from implib.coff.archive import Member, read_members, write_archive
from implib.errors import ArchiveError


def _header(name: bytes, size: int) -> bytes:
    return (
        name.ljust(16) + b"0".ljust(12) + b"0".ljust(6) * 2 + b"644".ljust(8) + b"%-10d`\n" % size
    )


def test_gnu_and_llvm_long_names() -> None:
    names = b"a_very_long_member_name.o/\nanother_long_member_name\0"
    data = b"!<arch>\n" + _header(b"//", len(names)) + names
    data += _header(b"/0", 2) + b"hi" + _header(b"/27", 1) + b"x\n" + _header(b"short.o/", 0)
    got = [(m.name, m.data) for m in read_members(data)]
    assert got == [("a_very_long_member_name.o", b"hi"), ("another_long_member_name", b"x"),
                   ("short.o", b"")]  # fmt: skip


def test_member_cap(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(archive, "MAX_MEMBERS", 3)
    data = b"!<arch>\n" + _header(b"m/", 0) * 4
    with pytest.raises(ArchiveError, match="more than 3 members: not an import library"):
        list(read_members(data))


def test_gnu_form_past_0xfffe_members() -> None:
    members = [Member("m.o", b"x", (b"s%d" % i,)) for i in range(0xFFFF)]
    data = write_archive(members)
    assert data[8:10] == b"/ " and data[68:72] == (0xFFFF).to_bytes(4, "big")
    second = 8 + 60 + int(data[56:66])
    assert data[second : second + 4] == b"m.o/"  # no second linker member
    assert len(list(read_members(data))) == 0xFFFF
    with pytest.raises(ArchiveError, match="at most 65534 members"):
        archive.write_coff_archive(members)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.binary(max_size=80), max_size=6))
def test_any_bytes_after_the_signature_terminate_with_archive_error(chunks: list[bytes]) -> None:
    """Headers of random bytes: the loop always moves forward, or stops with one error."""
    data = b"!<arch>\n" + b"".join(chunks)
    try:
        members = list(read_members(data))
    except ArchiveError as error:
        assert "\n" not in str(error)
    else:
        assert all(m.offset < len(data) for m in members)
