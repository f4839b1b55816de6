"""Every import library mingw-w64 ships, read by implib and by LLVM: the same imports?

    python scripts/mingw_corpus.py                 # all of /usr/{x86_64,i686}-w64-mingw32/lib/*.a
    python scripts/mingw_corpus.py --sample 40     # the deterministic sample the test suite reads
    python scripts/mingw_corpus.py LIB.a ...       # some files

Debian's mingw-w64 libraries are GNU dlltool's long format, which LLVM's tools
show only as objects: ``llvm-objdump-19 -h -t -r -s`` prints each member's
sections, symbols, relocations and bytes, and the imports are worked out
from that text the way a linker would (entry -> ``.idata$7`` relocation ->
head -> NameRVA relocation -> tail -> DLL name; ``.idata$5`` -> ``.idata$6``
hint/name; the plain symbol's section -> kind). ``implib inspect``'s reader
must give the same DLL, name, hint, kind and symbol for every import, in
order. Short-import members, if any, are read with ``llvm-readobj-19
--coff-imports`` (name, kind and symbol: it prints no DLL or hint).

The whole corpus (about 1,300 files, 170,000 imports) takes about a minute;
tests/coff/test_reader.py reads the sample.
"""

from __future__ import annotations

import argparse
import re
import shutil
import struct
import subprocess
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from implib.coff.reader import read_import_library
from implib.errors import LibraryError

CORPUS_DIRS = (Path("/usr/x86_64-w64-mingw32/lib"), Path("/usr/i686-w64-mingw32/lib"))
#: Always in the sample: several DLLs in one library, the largest ones.
ALWAYS = ("libucrt.a", "libkernel32.a", "libmsvcrt.a", "libws2_32.a")

#: (dll, name, hint, kind, symbol) of one import; None for what a reading cannot know.
Row = tuple[str | None, str, int | None, str, str]

_MEMBER = re.compile(r"^(?P<archive>.+)\((?P<member>[^()]*)\):\s+file format (?P<format>\S+)$")
_SECTION = re.compile(r"^\s*(?P<index>\d+) (?P<name>\S+)\s+[0-9a-f]{8} ")
_SYMBOL = re.compile(
    r"^\[\s*(?P<index>\d+)\]\(sec\s+(?P<sec>-?\d+)\)\(fl 0x[0-9a-f]+\)\(ty\s+[0-9a-f]+\)"
    r"\(scl\s+(?P<scl>\d+)\) \(nx \d+\) 0x(?P<value>[0-9a-f]+) (?P<name>.*)$"
)
_RELOCS = re.compile(r"^RELOCATION RECORDS FOR \[(?P<section>.*)\]:$")
_RELOC = re.compile(r"^(?P<offset>[0-9a-f]{8,16}) (?P<type>\S+)\s+(?P<value>.*)$")
_CONTENTS = re.compile(r"^Contents of section (?P<section>.*):$")


class _Member:
    def __init__(self, name: str, form: str) -> None:
        self.name, self.format = name, form
        self.sections: dict[int, str] = {}  # 1-based index -> name
        self.symbols: list[tuple[str, int, int, int]] = []  # name, section, class, value
        self.relocations: dict[str, dict[int, str]] = {}  # section -> offset -> symbol
        self.contents: dict[str, bytearray] = {}

    def defined(self, name: str) -> tuple[int, int] | None:
        for symbol, section, storage, value in self.symbols:
            if symbol == name and storage == 2 and section > 0:
                return section, value
        return None


def _objdump(paths: Sequence[Path]) -> dict[str, list[_Member]]:
    tool = shutil.which("llvm-objdump-19") or "llvm-objdump-19"
    text = subprocess.run(
        [tool, "-h", "-t", "-r", "-s", *map(str, paths)], capture_output=True, check=False
    ).stdout.decode("utf-8", "replace")
    archives: dict[str, list[_Member]] = {str(p): [] for p in paths}
    member: _Member | None = None
    relocs: dict[int, str] | None = None
    contents: bytearray | None = None
    for line in text.splitlines():
        found = _MEMBER.match(line)
        if found:
            member = _Member(found["member"], found["format"])
            archives.setdefault(found["archive"], []).append(member)
            relocs = contents = None
            continue
        if member is None:
            continue
        if found := _SYMBOL.match(line):
            member.symbols.append(
                (found["name"], int(found["sec"]), int(found["scl"]), int(found["value"], 16))
            )
        elif found := _RELOCS.match(line):
            relocs = member.relocations.setdefault(found["section"], {})
            contents = None
        elif found := _CONTENTS.match(line):
            contents = member.contents.setdefault(found["section"], bytearray())
            relocs = None
        elif relocs is not None and (found := _RELOC.match(line)):
            relocs[int(found["offset"], 16)] = found["value"]
        elif contents is not None and line.startswith(" ") and len(line) > 6:
            start = line.index(" ", 1) + 1  # after the offset, however wide
            contents += bytes.fromhex(line[start : start + 35].replace(" ", ""))
        elif (found := _SECTION.match(line)) and not line.startswith("["):
            member.sections[int(found["index"]) + 1] = found["name"]
        elif not line.strip():
            relocs = contents = None
    return archives


def llvm_reading(path: Path, members: list[_Member]) -> list[Row]:
    """The imports of one archive, worked out from llvm-objdump's text."""
    definers: dict[str, _Member] = {}
    for member in members:
        for name, section, storage, _ in member.symbols:
            if storage == 2 and section > 0:
                definers.setdefault(name, member)
    rows: list[Row] = []
    short = iter(readobj_short(path) if any("import" in m.format for m in members) else [])
    for member in members:
        if "import" in member.format:
            rows.append(next(short))
            continue
        imps = [s for s in member.symbols if s[0].startswith("__imp_") and s[2] == 2 and s[1] > 0]
        head_symbol = member.relocations.get(".idata$7", {}).get(0)
        if not imps or head_symbol is None:
            continue
        head = definers[head_symbol]
        iname = head.relocations[".idata$2"][12]
        tail = definers[iname]
        section, value = tail.defined(iname) or (0, 0)
        dll = bytes(tail.contents[tail.sections[section]][value:]).split(b"\0")[0].decode()
        imp_name, imp_section, _, _ = imps[0]
        slot = bytes(member.contents[member.sections[imp_section]])
        entry = int.from_bytes(slot, "little")
        symbol = imp_name[len("__imp_") :]
        plain = member.defined(symbol)
        plain_section = member.sections.get(plain[0]) if plain else None
        kind = "data" if plain_section is None else "code" if plain_section == ".text" else "const"
        if entry >> (8 * len(slot) - 1):
            rows.append((dll, "", entry & 0xFFFF, kind, symbol))
            continue
        target = member.relocations[member.sections[imp_section]][0]
        name_section, name_value = next(
            (member.sections[s], v) for n, s, _, v in member.symbols if n == target and s > 0
        )
        hint_name = bytes(member.contents[name_section])[name_value + entry :]
        (hint,) = struct.unpack_from("<H", hint_name)
        rows.append((dll, hint_name[2:].split(b"\0")[0].decode(), hint, kind, symbol))
    return rows


def readobj_short(path: Path) -> list[Row]:
    """The short imports of a library, as ``llvm-readobj-19 --coff-imports`` lists them."""
    tool = shutil.which("llvm-readobj-19") or "llvm-readobj-19"
    text = subprocess.run(
        [tool, "--coff-imports", str(path)], capture_output=True, check=True
    ).stdout.decode("utf-8", "replace")
    rows: list[Row] = []
    for block in text.split("File: ")[1:]:
        if "COFF-import-file" not in block:
            continue  # an object: its imports, if any, come from llvm-objdump
        # Names may run over several lines: each field ends where the next begins.
        name = re.search(r"\nExport name: (.*?)\nSymbol: __imp_", block, re.S)
        kind = re.search(r"^Type: (\w+)$", block, re.M)
        symbol = re.search(r"\nSymbol: __imp_(.*?)(?:\nSymbol: |\n*\Z)", block, re.S)
        if kind is None or symbol is None:
            raise ValueError(f"{path}: llvm-readobj printed an import without type or symbol")
        rows.append((None, name.group(1) if name else "", None, kind.group(1), symbol.group(1)))
    return rows


def implib_reading(path: Path) -> list[Row]:
    """The same rows from implib's reader: DLL, name, hint (or ordinal), kind, symbol."""
    rows: list[Row] = []
    for imp in read_import_library(path).imports:
        hint = imp.ordinal if imp.name_type == "ordinal" else imp.hint
        rows.append((imp.dll, imp.name, hint, imp.kind, imp.symbol))
    return rows


def as_known(rows: Sequence[Row], reference: Sequence[Row]) -> list[Row]:
    """``rows`` with what ``reference`` does not know (None: short imports' DLL, hint) left out."""
    if len(rows) != len(reference):
        return list(rows)
    return [
        tuple(None if known is None else value for value, known in zip(row, ref))  # type: ignore[misc]
        for row, ref in zip(rows, reference)
    ]


def corpus() -> list[Path]:
    return sorted(p for folder in CORPUS_DIRS if folder.is_dir() for p in folder.glob("*.a"))


def sample(paths: Sequence[Path], count: int) -> list[Path]:
    """Every n-th file of ``paths`` (sorted), plus the ones in ALWAYS: the same every run."""
    step = max(1, len(paths) // max(1, count))
    chosen = {p for i, p in enumerate(paths) if i % step == 0} | {
        p for p in paths if p.name in ALWAYS
    }
    return sorted(chosen)


def compare(paths: Iterable[Path], batch: int = 40) -> tuple[int, int, int, list[str]]:
    """(files read, import libraries, imports, problems) for ``paths``."""
    paths = list(paths)
    files = libraries = imports = 0
    problems: list[str] = []
    for start in range(0, len(paths), batch):
        chunk = paths[start : start + batch]
        for path, members in zip(chunk, _objdump(chunk).values()):
            files += 1
            expected = llvm_reading(path, members)
            try:
                got = implib_reading(path)
            except LibraryError as exc:
                if expected or "no imports found" not in str(exc):
                    problems.append(f"{path}: implib: {exc} (LLVM: {len(expected)} imports)")
                continue
            libraries += 1
            imports += len(got)
            got = as_known(got, expected)
            if got != expected:
                wrong = (
                    next((i, a, b) for i, (a, b) in enumerate(zip(got, expected)) if a != b)
                    if len(got) == len(expected)
                    else (len(got), len(expected), "imports")
                )
                problems.append(f"{path}: differs: {wrong}")
    return files, libraries, imports, problems


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--sample", type=int, help="read a deterministic sample of this size")
    args = parser.parse_args()
    paths = args.files or corpus()
    if args.sample:
        paths = sample(paths, args.sample)
    files, libraries, imports, problems = compare(paths)
    for line in problems:
        print(line)
    print(f"{files} files, {libraries} import libraries, {imports} imports: "
          f"{len(problems)} mismatches")  # fmt: skip
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
