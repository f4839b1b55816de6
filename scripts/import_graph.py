#!/usr/bin/env python3
"""The import graph between implib's layers, and every import that runs upward.

    python scripts/import_graph.py           # the graph, then the verdict
    python scripts/import_graph.py --longest 10   # also the longest functions

Each layer may import only the layers below it (and its own modules). Every
import counts: at the top of a module, inside a function (a lazy import is
still a dependency) and under ``TYPE_CHECKING``. ``from implib import
__version__`` is allowed everywhere: the package's ``__init__`` imports
nothing eagerly. Exits 1 when an import runs upward.
"""

from __future__ import annotations

import argparse
import ast
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "implib"

#: Bottom first. A module belongs to the first entry that is its name or a prefix of it.
LAYERS: list[tuple[str, ...]] = [
    ("implib.errors", "implib.fileio", "implib.records", "implib.argv"),
    ("implib.coff",),
    ("implib.targets",),
    ("implib.pythons",),
    ("implib.exportlists",),
    ("implib.backends", "implib.cache"),
    ("implib.api", "implib.verify"),
    ("implib.service",),
    ("implib.sdk",),
    ("implib.cross",),
    ("implib.cli",),
    ("implib", "implib.__main__"),
]

#: Imports that the layers allow but the design does not: the client of the
#: service must not load the producer stack (it imports it lazily, to fall back).
FORBIDDEN = {
    ("implib.service.client", "implib.service.produce"),
    ("implib.service.client", "implib.service.site"),
}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def group(module: str) -> str:
    """The layer entry a module belongs to (its package, for packages)."""
    for layer in LAYERS:
        for name in layer:
            if name != "implib" and (module == name or module.startswith(name + ".")):
                return name
    return "implib" if module in ("implib", "implib.__main__") else module


def rank(module: str) -> int:
    name = group(module)
    for index, layer in enumerate(LAYERS):
        if name in layer:
            return index
    raise SystemExit(f"import_graph.py: {module} is in no layer; add it to LAYERS")


def imports(path: Path) -> Iterator[tuple[int, str, list[str]]]:
    """(line, imported module, names) for every import of implib in a file."""
    module = module_name(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "implib":
                    yield node.lineno, alias.name, []
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.split(".")[0] != "implib":
                continue
            names = [alias.name for alias in node.names]
            if not node.module:  # from . import a, b: submodules, if they are files
                for name in names:
                    candidate = f"{target}.{name}"
                    if _exists(candidate):
                        yield node.lineno, candidate, []
                    else:
                        yield node.lineno, target, [name]
            else:
                yield node.lineno, target, names


def _exists(module: str) -> bool:
    path = ROOT.joinpath(*module.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def check() -> tuple[dict[str, set[str]], list[str]]:
    """The graph between layer entries, and the upward imports."""
    graph: dict[str, set[str]] = {}
    problems = []
    for path in sorted(PACKAGE.rglob("*.py")):
        source = module_name(path)
        for line, target, names in imports(path):
            if target == "implib" and names == ["__version__"]:
                continue
            a, b = group(source), group(target)
            if a != b:
                graph.setdefault(a, set()).add(b)
            where = f"{path.relative_to(ROOT)}:{line}"
            if rank(target) > rank(source):
                problems.append(f"{where}: {source} imports {target}, a higher layer")
            if (source, target) in FORBIDDEN:
                problems.append(f"{where}: {source} must not import {target}")
    return graph, problems


def longest(count: int) -> list[tuple[int, str]]:
    rows = []
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                rows.append((length, f"{path.relative_to(ROOT)}:{node.lineno} {node.name}"))
    return sorted(rows, reverse=True)[:count]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--longest", type=int, default=0, help="also list the N longest functions")
    args = parser.parse_args(argv)
    graph, problems = check()
    for index, layer in enumerate(LAYERS):
        for name in layer:
            below = sorted(graph.get(name, ()), key=lambda n: (rank(n), n))
            print(f"{index:>2} {name:<20} -> {', '.join(below) or '-'}")
    for length, where in longest(args.longest):
        print(f"{length:>4} lines  {where}")
    for problem in problems:
        print(problem, file=sys.stderr)
    print("no import runs upward" if not problems else f"{len(problems)} upward imports")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
