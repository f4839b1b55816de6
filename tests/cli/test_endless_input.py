"""Inputs without end or size (devices, pipes), and huge ones, under a memory limit.

``stat`` says 0 bytes for ``/dev/zero``, a FIFO or ``/dev/stdin``: every
command that reads a file must stop at its limit while reading, and say so in
one line, fast, in a process whose memory is capped well below what reading
the input to its end would take.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from implib.coff.source import WHOLE_FILE_LIMIT
from implib.coff.structs import MAX_NAME

from support import require_tool

#: Far less than reading /dev/zero to its end, or the 1.6 GB a 64 MiB .def once took.
MEMORY = 512 << 20

COMMANDS = {
    "gen": ["gen", "-t", "x86_64-pc-windows-gnu", "-o", "out", "--def", "{input}"],
    "inspect": ["inspect", "{input}"],
    "verify": ["verify", "{input}", "--dll", "{input}"],
    "from-dll": ["defs", "from-dll", "{input}"],
    "diff": ["defs", "diff", "{input}", "3.12"],
}
#: What each command calls its input in the message.
KINDS = {"gen": ".def", "diff": ".def"}


def _limited(argv: list[str], cwd: Path, **kwargs: object) -> subprocess.CompletedProcess[str]:
    import resource

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))

    return subprocess.run(  # type: ignore[call-overload, no-any-return]
        [sys.executable, "-m", "implib", *argv],
        cwd=cwd,
        capture_output=True,
        text=True,
        preexec_fn=limit,
        timeout=120,
        **kwargs,
    )


def _check_refused(result: subprocess.CompletedProcess[str], name: str, shown: str) -> None:
    kind = KINDS.get(name, "pipe or device input")
    expected = (
        f"Error: {shown}: more than {WHOLE_FILE_LIMIT} bytes is larger than any {kind} "
        f"implib reads ({WHOLE_FILE_LIMIT >> 20} MiB)\n"
    )
    assert (result.returncode, result.stdout, result.stderr) == (1, "", expected)


@pytest.mark.parametrize("name", COMMANDS)
def test_dev_zero_is_refused_at_the_limit(tmp_path: Path, name: str) -> None:
    argv = [part.format(input="/dev/zero") for part in COMMANDS[name]]
    _check_refused(_limited(argv, tmp_path), name, "/dev/zero")
    assert list(tmp_path.iterdir()) == []  # nothing written


@pytest.fixture
def endless_fifo(tmp_path: Path) -> Iterator[Path]:
    """A FIFO that `yes` writes into without end (until its reader goes)."""
    yes = require_tool("yes")
    fifo = tmp_path / "endless"
    os.mkfifo(fifo)
    writer = subprocess.Popen(f'exec "{yes}" > "{fifo}"', shell=True)
    yield fifo
    writer.kill()
    try:  # a writer still blocked in open() needs a reader to go
        fd = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
        os.close(fd)
    except OSError:
        pass
    writer.wait(timeout=10)


@pytest.mark.parametrize("name", COMMANDS)
def test_an_endless_fifo_is_refused_at_the_limit(
    tmp_path: Path, endless_fifo: Path, name: str
) -> None:
    work = tmp_path / "work"
    work.mkdir()
    argv = [part.format(input=str(endless_fifo)) for part in COMMANDS[name]]
    if name == "verify":  # a FIFO is read once: the DLL is another file
        argv[-1] = "/dev/zero"
    _check_refused(_limited(argv, work), name, str(endless_fifo))
    assert list(work.iterdir()) == []


def test_stdin_that_never_ends_is_refused(tmp_path: Path) -> None:
    with open("/dev/zero", "rb") as zero:
        result = _limited([*COMMANDS["inspect"][:1], "/dev/stdin"], tmp_path, stdin=zero)
    _check_refused(result, "inspect", "/dev/stdin")


def test_a_small_def_from_a_pipe_is_read(tmp_path: Path) -> None:
    """Below the limit a pipe is an ordinary input (`--def <(cmd)`)."""
    text = "LIBRARY p.dll\nEXPORTS\n  one\n  two DATA\n"
    argv = [part.format(input="/dev/stdin") for part in COMMANDS["gen"]]
    result = _limited(argv, tmp_path, input=text)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("out/p.dll.a  (p.dll,")


def test_a_64_mib_def_of_comment_lines_is_read_in_proportion(tmp_path: Path) -> None:
    """64 MiB of comments (once 1.6 GB of memory) under the 512 MiB cap: the library is written."""
    line = "; a comment of a line of its own\n"
    body = "LIBRARY c.dll\nEXPORTS\n  first ; its comment\n"
    count = ((64 << 20) - 64 - len(body)) // len(line)
    source = tmp_path / "comments.def"
    source.write_text(body + line * count + "  last\n")
    argv = [part.format(input=str(source)) for part in COMMANDS["gen"]] + ["--no-cache"]
    result = _limited(argv, tmp_path)
    assert result.returncode == 0, result.stderr
    listed = _limited(["inspect", "--json", "out/c.dll.a"], tmp_path)
    assert '"first"' in listed.stdout and '"last"' in listed.stdout


@pytest.mark.parametrize("target", ["x86_64-pc-windows-gnu", "i686-pc-windows-gnu", "win-amd64"])
def test_the_writer_writes_no_name_the_reader_refuses(tmp_path: Path, target: str) -> None:
    """MAX_NAME is one limit: a name of that length is written and read; one more is refused."""
    longest, too_long = "n" * MAX_NAME, "m" * (MAX_NAME + 1)
    (tmp_path / "ok.def").write_text(f"LIBRARY ok.dll\nEXPORTS\n  {longest}\n  short DATA\n")
    (tmp_path / "bad.def").write_text(f"LIBRARY bad.dll\nEXPORTS\n  {too_long}\n")
    gen = ["gen", "-t", target, "-o", "out", "--no-cache", "--def"]
    assert _limited([*gen, "ok.def"], tmp_path).returncode == 0
    written = next((tmp_path / "out").iterdir())
    listed = _limited(["inspect", str(written)], tmp_path)
    assert listed.returncode == 0, listed.stderr
    assert longest in listed.stdout
    refused = _limited([*gen, "bad.def"], tmp_path)
    assert refused.returncode == 1
    assert refused.stderr == (
        f"Error: bad.def: the name {'m' * 40 + '...'!r} is {MAX_NAME + 1} bytes long: "
        f"longer than the {MAX_NAME} implib writes and reads\n"
    )
    assert [p.name for p in (tmp_path / "out").iterdir()] == [written.name]
