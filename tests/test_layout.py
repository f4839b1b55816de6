"""The layers: every import runs downward, and the CLI's start-up imports little."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import import_graph


def test_no_import_runs_upward() -> None:
    graph, problems = import_graph.check()
    assert problems == []
    # the format layer knows nothing of Python builds, targets or tools
    assert graph["implib.coff"] <= {"implib.errors", "implib.fileio", "implib.records"}


def test_a_layer_violation_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    package = tmp_path / "implib"
    (package / "coff").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "coff" / "__init__.py").write_text("")
    (package / "coff" / "bad.py").write_text("from ..api import generate\n")
    (package / "api.py").write_text("from .coff import bad\n")
    monkeypatch.setattr(import_graph, "ROOT", tmp_path)
    monkeypatch.setattr(import_graph, "PACKAGE", package)
    _, problems = import_graph.check()
    assert problems == ["implib/coff/bad.py:1: implib.coff.bad imports implib.api, a higher layer"]


def test_the_client_imports_no_producer() -> None:
    code = (
        "import sys, implib.service.client; "
        "print(sorted(m for m in sys.modules if m.startswith('implib.')))"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    heavy_modules = ("implib.api", "implib.service.produce", "implib.service.site")
    for heavy in (*heavy_modules, "implib.backends", "implib.coff.writer"):
        assert repr(heavy) not in loaded
