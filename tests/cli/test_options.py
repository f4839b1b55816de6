"""The CLI's error policy, in one place (cli/options.py ImplibGroup), through the real command.

implib's own errors are one line and status 1; click's usage errors are
click's; a closed stdout is quiet; Ctrl-C is 130; anything else is a bug
and shows its traceback.
"""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from implib.cli import main


def implib(*args: str, **kwargs: object) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "implib", *args],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        **kwargs,  # type: ignore[call-overload]
    )


def test_a_closed_stdout_is_a_quiet_exit(tmp_path: Path) -> None:
    """``implib inspect X | head -1``: no "Error: [Errno 32] Broken pipe", status 141 like a shell tool."""
    assert (
        CliRunner()
        .invoke(main, ["gen", "-t", "win-amd64", "--abi3", "-o", str(tmp_path)])
        .exit_code
        == 0
    )
    process = implib("inspect", str(tmp_path / "python3.lib"))
    assert process.stdout is not None and process.stderr is not None
    first = process.stdout.readline()
    process.stdout.close()  # what head does after its line
    status = process.wait(timeout=60)
    stderr = process.stderr.read()
    assert first.startswith(f"{tmp_path / 'python3.lib'}: python3.dll")
    assert stderr == ""
    assert status == 141


def _as_in_a_terminal() -> None:
    """SIGINT as a terminal's foreground job has it. A job a script starts with ``&``
    (scripts/test.sh's other interpreters, a CI runner's) inherits SIGINT ignored,
    and a program must leave it so: Python then installs no handler."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def test_ctrl_c_is_status_130_without_a_traceback(tmp_path: Path) -> None:
    with socket.socket() as silent:  # accepts connections (the backlog), never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        port = silent.getsockname()[1]
        process = implib(
            "fetch", "--server", f"http://127.0.0.1:{port}", "-t", "win-amd64", "--abi3",
            "--timeout", "60", "-o", str(tmp_path / "libs"),
            preexec_fn=_as_in_a_terminal,
        )  # fmt: skip
        silent.settimeout(30)
        connection, _ = silent.accept()  # implib waits for the answer now, for up to 60 s
        with connection:
            time.sleep(0.2)
            process.send_signal(signal.SIGINT)
            _, stderr = process.communicate(timeout=30)
    assert process.returncode == 130
    assert "Traceback" not in stderr and "Aborted" not in stderr
    assert not (tmp_path / "libs").exists()


def test_a_ctrl_c_python_drops_in_a_finaliser_still_ends_the_command() -> None:
    """Python drops a KeyboardInterrupt raised in a weakref callback (seen: the import
    system's, when Ctrl-C comes while ``implib fetch`` starts); it must arrive again."""
    code = (  # a command that drops one, then waits as fetch waits for a silent server
        "import time, weakref\n"
        "import implib.cli, implib.cli.group\n"
        "class Thing: pass\n"
        "def dropped(_): raise KeyboardInterrupt\n"
        "def command(**_):\n"
        "    thing = Thing(); ref = weakref.ref(thing, dropped); del thing\n"
        "    time.sleep(30)\n"
        "implib.cli.group.main = command\n"
        "implib.cli.entry(['tools'])\n"
    )
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 130, result.stderr
    assert time.monotonic() - started < 20  # not the 30 s sleep
    assert "Exception ignored" not in result.stderr and "Traceback" not in result.stderr


def test_other_unraisable_errors_go_to_the_hook_that_was_there(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Embedding implib's CLI (or pytest's own hook) must not lose what else Python drops."""
    import weakref

    from implib.cli import exits

    seen: list[BaseException | None] = []
    monkeypatch.setattr(sys, "unraisablehook", lambda unraisable: seen.append(unraisable.exc_value))
    monkeypatch.setattr(exits, "_previous_hook", exits._previous_hook)
    exits.keep_interrupts()
    exits.keep_interrupts()  # twice: still one hook, chained once

    class Thing:
        pass

    def dropped(_: object) -> None:
        raise ValueError("dropped")

    thing = Thing()
    ref = weakref.ref(thing, dropped)
    del thing
    assert ref() is None
    assert [type(exc) for exc in seen] == [ValueError]


def test_an_error_that_is_not_implibs_is_a_bug_with_its_traceback(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import implib.api

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("an unexpected state")  # a RuntimeError, but not an ImplibError

    monkeypatch.setattr(implib.api.Producer, "plan", broken)
    result = CliRunner().invoke(main, ["gen", "-t", "win-amd64", "--abi3"])
    assert result.exit_code == 1
    assert isinstance(result.exception, RuntimeError)  # not swallowed into "Error: ..."
    assert "this is a bug, please report it" in result.stderr
    assert "Error: an unexpected state" not in result.stderr


def test_a_bug_in_a_real_process_shows_the_traceback(tmp_path: Path) -> None:
    code = (
        "import implib.api, sys\n"
        "def broken(*a, **k): raise KeyError('state')\n"
        "implib.api.Producer.plan = broken\n"
        "from implib.cli import main\n"
        "sys.argv = ['implib', 'gen', '-t', 'win-amd64', '--abi3', '-o', sys.argv[1]]\n"
        "main()\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True
    )
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert "this is a bug, please report it" in lines[0]
    assert lines[1] == "Traceback (most recent call last):"
    assert lines[-1] == "KeyError: 'state'"


def test_implib_errors_are_one_line_and_status_1(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["inspect", str(tmp_path / "missing.lib")])
    assert result.exit_code == 1
    assert (
        result.stderr
        == f"Error: {tmp_path / 'missing.lib'}: cannot read: No such file or directory\n"
    )
    # click's own: usage errors keep status 2 and click's wording
    usage = CliRunner().invoke(main, ["gen", "-t", "win-amd64"])
    assert usage.exit_code == 2 and "say what to generate" in usage.stderr
