"""``implib cache``: look after the cache of produced libraries."""

from __future__ import annotations

import re
from typing import Any

import click

from .options import CONTEXT, counted

__all__ = ["cache"]


@click.group(context_settings=CONTEXT)
def cache() -> None:
    """The cache of produced libraries (IMPLIB_CACHE_DIR overrides its place).

    \b
    Examples:
      implib cache list
      implib cache prune --max-size 50M
    """


def _store() -> Any:
    """The cache, once its folder is known to be one (or not there yet)."""
    from ..cache import Cache

    store = Cache()
    store.check()
    return store


@cache.command("path", context_settings=CONTEXT)
def cache_path() -> None:
    """Print the cache folder."""
    from ..cache import Cache

    click.echo(Cache().root)


@cache.command("list", context_settings=CONTEXT)
def cache_list() -> None:
    """List the entries: target, Python build, backend, size, last use."""
    import datetime

    store = _store()

    def when(stamp: float) -> str:
        try:
            return datetime.datetime.fromtimestamp(stamp).strftime("%Y-%m-%d %H:%M")
        except (OverflowError, ValueError, OSError):  # a time stamp no calendar holds
            return "?"

    entries = sorted(store.entries(), key=lambda e: e.last_used, reverse=True)
    for entry in entries:
        target, python, backend = (str(entry.meta.get(k, "?")) for k in _COLUMNS)
        digest = entry.sha256[:12] or "(damaged)"
        used = when(entry.last_used)
        click.echo(f"{target:<28} {python:<10} {backend:<13} {entry.size:>9,} B  {used}  {digest}")
    lib_dirs = sorted(store.lib_dirs(), key=lambda d: d.last_used, reverse=True)
    for lib_dir in lib_dirs:  # implib env's folders
        target, _, python = lib_dir.name.partition("/")
        used = when(lib_dir.last_used)
        click.echo(f"{target:<28} {python:<10} {'(env folder)':<13} {lib_dir.size:>9,} B  {used}")
    count = counted(len(entries) + len(lib_dirs), "entry", "entries")
    folders = f" ({counted(len(lib_dirs), 'env folder', 'env folders')})" if lib_dirs else ""
    click.echo(f"{count}{folders}, {store.size():,} bytes in {store.root}")


@cache.command("verify", context_settings=CONTEXT)
def cache_verify() -> None:
    """Check every entry's digest; remove the bad ones."""

    checked, removed = _store().verify()
    click.echo(f"{counted(checked, 'entry', 'entries')} checked, {len(removed)} bad removed")


@cache.command("clear", context_settings=CONTEXT)
def cache_clear() -> None:
    """Remove every entry."""

    click.echo(f"{counted(_store().clear(), 'entry', 'entries')} removed")


_COLUMNS = ("target", "python", "backend")
_SIZE = re.compile(r"(\d+(?:\.\d*)?|\.\d+)\s*([KMGT]?)(?:I?B)?", re.IGNORECASE)
_UNITS = {"": 1, "K": 1024, "M": 1024**2, "G": 1024**3, "T": 1024**4}


def _size(text: str) -> int:
    """A size such as 500K, 50M, 1.5G or 0 in bytes; no sign, no inf, no nan."""
    match = _SIZE.fullmatch(text.strip())
    if match is None:
        raise click.BadParameter(
            f"{text!r} is not a size such as 0, 500K, 50M or 1G", param_hint="'--max-size'"
        )
    return int(float(match.group(1)) * _UNITS[match.group(2).upper()])


@cache.command("prune", context_settings=CONTEXT)
@click.option("--max-size", required=True, help="Keep at most this much: 500K, 50M, 1G.")
def cache_prune(max_size: str) -> None:
    """Remove the least recently used entries until the cache fits."""

    removed = _store().prune(_size(max_size))
    click.echo(f"{counted(len(removed), 'entry', 'entries')} removed")
