"""Exit statuses and the output streams, shared by the click group and the fast path.

Besides click's own (0; 1 for errors; 2 for usage), implib exits as a
shell's tool does when killed by SIGINT (130) or by SIGPIPE (141, when the
reader of its output has gone: ``implib inspect X | head``). Importing this
module imports nothing, so that the fast path can use it.

A Ctrl-C can land while Python runs a finaliser (a weakref callback of the
import system, a ``__del__``): Python then prints "Exception ignored" and
drops it, and ``implib fetch`` would go on waiting for a silent server.
:func:`keep_interrupts` makes such an interrupt arrive again, in ordinary code.
"""

from __future__ import annotations

import errno
import os
import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = [
    "EXIT_BROKEN_PIPE",
    "EXIT_INTERRUPTED",
    "is_output_error",
    "keep_interrupts",
    "output_error",
    "print_lines",
    "silence_stdout",
]

EXIT_INTERRUPTED = 130
EXIT_BROKEN_PIPE = 141

#: What writing to a full or failing disk raises: not a bug of implib's.
_OUTPUT_ERRNOS = frozenset(
    getattr(errno, name) for name in ("ENOSPC", "EDQUOT", "EIO", "EFBIG") if hasattr(errno, name)
)


def is_output_error(exc: BaseException) -> bool:
    """Whether ``exc`` is a stream's write failing for want of room (a file has a name)."""
    return isinstance(exc, OSError) and exc.errno in _OUTPUT_ERRNOS and exc.filename is None


def output_error(exc: OSError) -> str:
    """The one line for output that could not be written (stdout on a full disk)."""
    return f"cannot write the output: {exc.strerror or exc}"


def silence_stdout() -> None:
    """Point stdout at /dev/null, so that the flush at exit does not fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):  # no real stdout (tests' CliRunner)
        pass


def _printable(lines: list[str]) -> bool:
    """Whether click would print ``lines`` as they are: plain ASCII, no escapes to strip."""
    return all(line.isascii() and line.isprintable() for line in lines)


def print_lines(out: list[str], err: list[str]) -> int | None:
    """Print as ``click.echo`` would, for the fast paths: the exit status.

    None (let click do it) while nothing is printed yet: click's echo deals
    with missing streams, escapes and encodings.
    """
    if sys.stdout is None or (err and sys.stderr is None) or not _printable(out + err):
        return None
    try:
        sys.stdout.write("".join(line + "\n" for line in out))
        sys.stdout.flush()
        if err:
            sys.stderr.write("".join(line + "\n" for line in err))
            sys.stderr.flush()
    except BrokenPipeError:  # as the click group ends it: quietly
        silence_stdout()
        return EXIT_BROKEN_PIPE
    except OSError as exc:  # a full disk, say: the click group's one line
        if not is_output_error(exc):
            raise
        sys.stderr.write(f"Error: {output_error(exc)}\n")
        return 1
    return 0


_previous_hook = sys.unraisablehook
_previous_alarm: Any = None


def _interrupt(signum: int, frame: object) -> None:
    import signal

    # once: the alarm is its owner's again
    signal.signal(signal.SIGALRM, signal.SIG_DFL if _previous_alarm is None else _previous_alarm)
    raise KeyboardInterrupt


def _redeliver(unraisable: sys.UnraisableHookArgs) -> None:
    """Deliver a dropped KeyboardInterrupt again, soon and outside the finaliser."""
    global _previous_alarm
    if not isinstance(unraisable.exc_value, KeyboardInterrupt):
        _previous_hook(unraisable)
        return
    import signal  # here: importing it costs every start-up a little

    if hasattr(signal, "setitimer"):  # POSIX: a timer's signal, 10 ms later
        previous = signal.signal(signal.SIGALRM, _interrupt)
        if previous is not _interrupt:
            _previous_alarm = previous
        signal.setitimer(signal.ITIMER_REAL, 0.01)
    else:  # Windows: no timers; the main thread's next check
        import _thread

        _thread.interrupt_main()


def keep_interrupts() -> None:
    """Make a Ctrl-C that Python would drop in a finaliser end the command anyway."""
    global _previous_hook
    if sys.unraisablehook is not _redeliver:
        _previous_hook = sys.unraisablehook
        sys.unraisablehook = _redeliver
