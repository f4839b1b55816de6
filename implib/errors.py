"""The errors implib raises on purpose, in one hierarchy.

Every error a user can cause (a bad target, a malformed ``.def``, a missing
tool, an unreachable server) derives from :class:`ImplibError`, and keeps the
built-in kind a caller would expect (:class:`ValueError` for bad input,
:class:`OSError` for files, :class:`RuntimeError` for tools and servers), so
that ``except ValueError`` in a build backend goes on working. The CLI turns
an :class:`ImplibError` into one line and exit status 1; any other exception
is a bug and keeps its traceback.
"""

from __future__ import annotations

__all__ = [
    "ArchiveError",
    "BackendError",
    "DefError",
    "DllError",
    "FetchError",
    "ImplibError",
    "IntegrityError",
    "LibraryError",
    "OutputError",
    "PythonError",
    "TargetError",
    "WriterError",
]


class ImplibError(Exception):
    """Base of every error implib raises on purpose; its message is one line for users."""


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


# -- tools, files, servers ---------------------------------------------------


class BackendError(ImplibError, RuntimeError):
    """A tool that is missing, or that failed; the message says which and why."""


class OutputError(ImplibError, OSError):
    """An output folder or file that cannot be written."""


class FetchError(ImplibError, RuntimeError):
    """A server that could not be used, with no fallback allowed or possible."""


class IntegrityError(FetchError):
    """A server that sent bytes other than those its index promises."""
