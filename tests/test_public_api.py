"""The public API as a user calls it: in a fresh interpreter, twice, after other imports."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import implib

from support import ROOT

README = ROOT / "README.md"


def run_python(code: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """``code`` in a new interpreter: nothing imported before it but what it imports."""
    return subprocess.run(
        [sys.executable, "-c", code], cwd=cwd, capture_output=True, text=True, env=os.environ.copy()
    )


def test_every_name_of_the_api_is_listed_and_no_module_shadows_one() -> None:
    assert set(implib.__all__) <= set(dir(implib))
    for name in implib.__all__:
        # a submodule of that name would replace the function once imported
        assert not (ROOT / "implib" / f"{name}.py").exists(), name
        if name == "sdk":  # the package is the function: callable, whichever import came first
            continue
        assert not (ROOT / "implib" / name).is_dir(), name


def test_sdk_is_callable_whichever_import_came_first(tmp_path: Path) -> None:
    code = """
import implib.cross  # imports implib.sdk.builddetails, binding implib.sdk to the package
import implib
made = implib.sdk("x86_64-pc-windows-gnu", "3.13", "s")
assert isinstance(made, implib.SDK) and made.library.name == "python313.dll.a", made
assert implib.sdk("x86_64-pc-windows-gnu", "3.13", "s") == made
"""
    result = run_python(code, tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "s" / "include" / "pyconfig.h").is_file()


def test_called_twice_and_after_other_imports(tmp_path: Path) -> None:
    code = """
import implib
first = implib.generate("x86_64-pc-windows-msvc", "abi3", "a")
second = implib.generate("x86_64-pc-windows-msvc", "abi3", "b")
assert first.sha256 == second.sha256, (first, second)
import implib.api, implib.cli, implib.cross, implib.coff.reader
third = implib.generate("x86_64-pc-windows-gnu", "3.12", "c", use_cache=False)
build = implib.prepare("x86_64-pc-windows-gnu", "3.12", "d")
again = implib.prepare("x86_64-pc-windows-gnu", "3.12", "d")
assert build.env == again.env
path = implib.cached_library("aarch64-pc-windows-msvc", "3.13")
assert path == implib.cached_library("aarch64-pc-windows-msvc", "3.13")
lib = implib.read_import_library(third.path)
assert lib.dlls == ["python312.dll"], lib.dlls
assert callable(implib.generate) and callable(implib.prepare)
print(sorted(p.name for p in third.paths))
"""
    result = run_python(code, tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "['python3.12.dll.a', 'python312.dll.a']"


def test_errors_are_implibs_and_keep_their_kind(tmp_path: Path) -> None:
    code = """
import implib
for call in (lambda: implib.generate("x86_64-linux-gnu"), lambda: implib.generate("win32", "2.7")):
    try:
        call()
    except implib.ImplibError as exc:
        assert isinstance(exc, ValueError), type(exc)
        print(type(exc).__name__)
"""
    result = run_python(code, tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["TargetError", "PythonError"]


def test_the_readme_example_runs(tmp_path: Path) -> None:
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), re.DOTALL)
    (example,) = [block for block in blocks if "import implib" in block]
    result = run_python(example, tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "build" / "libs" / "python3.lib").is_file()
    # a comment showing output with a digest cut short ("4f0c…") is what was printed
    printed = result.stdout.splitlines()
    shown = re.findall(r"^print\(.*?\)\s+# (.+)$", example, re.MULTILINE)
    assert len(shown) == len(printed)
    for comment, line in zip(shown, printed):
        if "…" in comment:
            expected = comment.split()
            actual = line.split()[: len(expected)]
            assert expected[:-1] == actual[:-1], (comment, line)
            assert actual[-1].startswith(expected[-1].rstrip("…")), (comment, line)


def test_a_python_build_that_is_no_string_is_one_clear_error(tmp_path: Path) -> None:
    import implib

    with pytest.raises(implib.ImplibError, match=r"a Python build is a string such as '3\.12'"):
        implib.generate("win-amd64", 3.12, tmp_path)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="a target is a name such as 'win-amd64'"):
        implib.generate(None, "3.12", tmp_path)  # type: ignore[arg-type]
    assert list(tmp_path.iterdir()) == []
