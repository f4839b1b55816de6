"""The errors implib raises on purpose, in one hierarchy.

Every error a user can cause (a bad target, a malformed ``.def``, a missing
tool, an unreachable server) derives from :class:`ImplibError`, and keeps the
built-in kind a caller would expect (:class:`ValueError` for bad input,
:class:`OSError` for files, :class:`RuntimeError` for tools and servers), so
that ``except ValueError`` in a build backend goes on working. Where a lower
error caused it, that error is chained (``__cause__``), and an
:class:`OutputError` keeps its ``errno`` and file name.

The CLI (:mod:`implib.cli`) turns an :class:`ImplibError` into one line and
exit status 1; any other exception is a bug and keeps its traceback.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = [
    "ArchiveError",
    "BackendError",
    "ConfigError",
    "DefError",
    "DllError",
    "FetchError",
    "ImplibError",
    "IntegrityError",
    "LibraryError",
    "ListenError",
    "OptionError",
    "OutputError",
    "OutputNameError",
    "PythonError",
    "ServerError",
    "TargetError",
    "WriterError",
]


class ImplibError(Exception):
    """Base of every error implib raises on purpose; its message is one line for users."""

    def __str__(self) -> str:
        # OSError's own __str__ would print "[Errno N] None: 'file'" once errno is set.
        return str(self.args[0]) if self.args else ""


# -- bad input -------------------------------------------------------------


class TargetError(ImplibError, ValueError):
    """A target name that is not a Windows target implib knows."""


class PythonError(ImplibError, ValueError):
    """A Python build name that implib does not know, or has no export list for."""


class DefError(ImplibError, ValueError):
    """A ``.def`` text that cannot be parsed; the message names file:line."""


class ArchiveError(ImplibError, ValueError):
    """A file that is not a well-formed archive (``.lib``/``.a``)."""


class LibraryError(ImplibError, ValueError):
    """A file that is not an import library implib can read; the message names it."""


class DllError(ImplibError, ValueError):
    """A file that is not a readable DLL with exports; the message names it."""


class WriterError(ImplibError, ValueError):
    """An export list that cannot be written as an import library."""


class OptionError(ImplibError, ValueError):
    """An option's value that implib does not take (a size, a timeout, a URL, a format)."""


class OutputNameError(ImplibError, ValueError):
    """An output file name that is not a plain base name (``../x.lib``, ``/x.lib``, ``.lib``).

    Output names come from ``LIBRARY`` lines and ``--dll-name``; a name that
    would land outside the output folder, or hidden in it, is refused.
    """


# -- tools, files, servers ---------------------------------------------------


class BackendError(ImplibError, RuntimeError):
    """A tool that is missing, or that failed; the message says which and why."""


class ConfigError(ImplibError, RuntimeError):
    """A setting of the environment that a command needs and lacks (``$GITHUB_ENV``)."""


class OutputError(ImplibError, OSError):
    """An output folder or file that cannot be written.

    ``errno`` and ``strerror`` are those of the OSError that caused it (also
    chained as ``__cause__``), so that callers can tell a full disk from a
    read-only one; ``filename`` is the file meant, never a temporary name.
    """

    def __init__(
        self,
        message: str,
        *,
        errno: int | None = None,
        strerror: str | None = None,
        filename: str | None = None,
    ) -> None:
        super().__init__(message)
        self.errno = errno
        self.strerror = strerror
        self.filename = filename

    def __reduce__(self) -> tuple[Any, ...]:  # keep the attributes through pickling
        return (_output_error, (str(self), self.errno, self.strerror, self.filename))


def _output_error(
    message: str, errno: int | None, strerror: str | None, filename: str | None
) -> OutputError:
    return OutputError(message, errno=errno, strerror=strerror, filename=filename)


class ListenError(ImplibError, OSError):
    """An address ``implib serve`` cannot listen on: a port in use, a host that does not resolve."""


class FetchError(ImplibError, RuntimeError):
    """A server that could not be used, with no fallback allowed or possible."""


class ServerError(FetchError):
    """A server that answered, but wrongly: never papered over by the local fallback.

    Protocol garbage, a redirect loop or to another scheme, a body that does
    not decode, an index that is not one.
    """


class IntegrityError(ServerError):
    """A server that sent bytes other than those its index promises."""
