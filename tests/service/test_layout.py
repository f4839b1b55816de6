"""index.json, read as a hostile server may send it: only ServerError comes out, never wrong entries.

The fuzzing is hypothesis's, bounded in examples (a few seconds) and
derandomized (a failure repeats): JSON of every shape, a real index with one
value replaced, and raw bytes.
"""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from implib.errors import ServerError
from implib.pythons import parse_python
from implib.service.layout import (
    MAX_LIBRARY_BYTES,
    IndexEntry,
    Library,
    build_index,
    index_bytes,
    parse_index,
)
from implib.targets import parse_target

SOURCE = "http://fuzz.test/v1/index.json"


def _real_index() -> dict[str, object]:
    target = parse_target("x86_64-pc-windows-gnu")
    libraries = [
        Library(
            target, parse_python(spec), ("a.dll.a", "b.dll.a"), "x.dll", "builtin", spec.encode()
        )
        for spec in ("abi3", "3.12", "pypy3.10")
    ]
    return build_index(libraries)


REAL = _real_index()

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=10), inner, max_size=5)
    ),
    max_leaves=25,
)


def _replace(index: object, path: list[int], value: object) -> object:
    """``index`` with the value reached by following ``path`` (indices into keys) replaced."""
    if not path or not isinstance(index, dict) or not index:
        return value
    keys = sorted(index)
    key = keys[path[0] % len(keys)]
    return {**index, key: _replace(index[key], path[1:], value)}


MUTATED = st.builds(_replace, st.just(REAL), st.lists(st.integers(0, 50), max_size=4), JSON)


def test_the_real_index_is_read() -> None:
    entries = parse_index(index_bytes(REAL), SOURCE)
    assert len(entries) == 6
    assert entries["x86_64-pc-windows-gnu/abi3/a.dll.a"] == IndexEntry(
        REAL["files"]["x86_64-pc-windows-gnu/abi3/a.dll.a"]["sha256"],
        4,  # type: ignore[index]
    )


def _check(data: bytes) -> None:
    try:
        entries = parse_index(data, SOURCE)
    except ServerError as exc:
        message = str(exc)
        assert message.startswith(f"{SOURCE} is not an implib index: ")
        assert "\n" not in message and len(message) < 400
        return
    for path, entry in entries.items():  # whatever is accepted is what the client relies on
        assert isinstance(path, str)
        assert isinstance(entry.sha256, str) and len(entry.sha256) == 64
        assert type(entry.size) is int and 0 < entry.size <= MAX_LIBRARY_BYTES


@settings(
    max_examples=1000,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(JSON)
def test_any_json(value: object) -> None:
    _check(json.dumps(value).encode())


@settings(
    max_examples=1000,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(MUTATED)
def test_a_real_index_with_one_value_replaced(index: object) -> None:
    _check(json.dumps(index).encode())


@settings(max_examples=500, deadline=None, database=None, derandomize=True)
@given(
    st.binary(max_size=200)
    | st.builds(
        lambda d, cut: index_bytes(REAL)[:cut] + d, st.binary(max_size=20), st.integers(0, 2000)
    )
)
def test_raw_bytes(data: bytes) -> None:
    _check(data)


def test_nesting_deeper_than_the_parser_goes() -> None:
    _check(b"[" * 200_000)
    _check(b'{"format": 1, "files": {"a": ' + b"{" * 200_000 + b"}")
