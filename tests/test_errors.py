"""The error hierarchy: one base, the built-in kinds kept, causes and errno kept."""

from __future__ import annotations

import errno
import inspect
import pickle
from pathlib import Path

import pytest

from implib import errors
from implib.api import generate
from implib.errors import ImplibError, OutputError


def test_every_error_is_an_implib_error_of_a_builtin_kind() -> None:
    classes = [
        c for _, c in inspect.getmembers(errors, inspect.isclass) if c.__module__ == errors.__name__
    ]
    assert {c.__name__ for c in classes} == set(errors.__all__)
    for cls in classes:
        assert issubclass(cls, ImplibError)
        if cls is not ImplibError:
            assert issubclass(cls, (ValueError, OSError, RuntimeError)), cls


def test_output_error_keeps_errno_cause_and_the_file_meant(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("not a folder")
    with pytest.raises(OutputError) as caught:
        generate("win-amd64", "abi3", tmp_path / "file" / "sub", use_cache=False)
    exc = caught.value
    assert isinstance(exc, OSError)
    assert exc.errno == errno.ENOTDIR
    assert isinstance(exc.__cause__, NotADirectoryError)
    assert exc.filename == str(tmp_path / "file" / "sub")
    assert str(exc) == f"cannot write to {tmp_path / 'file' / 'sub'}: Not a directory"


def test_output_error_reads_as_its_message_and_pickles() -> None:
    exc = OutputError(
        "cannot write to x: No space left on device", errno=errno.ENOSPC, filename="x"
    )
    assert str(exc) == "cannot write to x: No space left on device"  # not "[Errno 28] ..."
    again = pickle.loads(pickle.dumps(exc))
    assert (str(again), again.errno, again.strerror, again.filename) == (
        str(exc),
        exc.errno,
        exc.strerror,
        exc.filename,
    )
