"""Variables in the syntax of a shell, of JSON, or of GitHub Actions' ``$GITHUB_ENV``."""

from __future__ import annotations

import hashlib
import json
import os
import shlex
from collections.abc import Mapping
from pathlib import Path

from ..errors import ConfigError, OptionError, OutputError

__all__ = ["FORMATS", "append_github_env", "format_env"]

#: The output formats of :func:`format_env` (``github`` appends to ``$GITHUB_ENV``).
FORMATS = ("sh", "fish", "powershell", "github", "json")


def _fish_quote(value: str) -> str:
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _powershell_quote(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def format_env(
    env: Mapping[str, str], fmt: str, *, summary: Mapping[str, object] | None = None
) -> str:
    """The variables as ``fmt`` wants them: lines to eval, or JSON.

    ``github`` gives the lines for ``$GITHUB_ENV`` (see :func:`append_github_env`);
    ``json`` prints ``summary`` when given (the whole :class:`CrossBuild`).
    """
    if fmt == "json":
        return json.dumps(summary if summary is not None else dict(env), indent=2) + "\n"
    lines = []
    for name, value in env.items():
        if fmt == "sh":
            lines.append(f"export {name}={shlex.quote(value)}")
        elif fmt == "fish":
            lines.append(f"set -gx {name} {_fish_quote(value)}")
        elif fmt == "powershell":
            lines.append(f"$env:{name} = {_powershell_quote(value)}")
        elif fmt == "github":
            lines.append(_github_line(name, value))
        else:
            raise OptionError(f"unknown format {fmt!r}; formats: {', '.join(FORMATS)}")
    return "".join(line + "\n" for line in lines)


def _github_line(name: str, value: str) -> str:
    if "\n" not in value and "\r" not in value:
        return f"{name}={value}"
    # A multi-line value needs a delimiter that it does not contain.
    delimiter = "IMPLIB_EOF_" + hashlib.sha256(value.encode()).hexdigest()[:16]
    return f"{name}<<{delimiter}\n{value}\n{delimiter}"


def github_env_file(environ: Mapping[str, str] | None = None) -> str:
    """The file ``$GITHUB_ENV`` names; ConfigError outside a GitHub Actions step."""
    environ = os.environ if environ is None else environ
    path = environ.get("GITHUB_ENV")
    if not path:
        raise ConfigError(
            "GITHUB_ENV is not set: --format github works inside a GitHub Actions step "
            "(use --format sh elsewhere)"
        )
    return path


def append_github_env(env: Mapping[str, str], environ: Mapping[str, str] | None = None) -> Path:
    """Append the variables to the file ``$GITHUB_ENV`` names, for the job's next steps."""
    path = github_env_file(environ)
    try:
        with open(path, "a", encoding="utf-8") as stream:
            stream.write(format_env(env, "github"))
    except OSError as exc:
        message = f"cannot append to $GITHUB_ENV ({path}): {exc.strerror or exc}"
        reason = exc.strerror
        raise OutputError(message, errno=exc.errno, strerror=reason, filename=path) from exc
    return Path(path)
