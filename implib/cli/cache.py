"""``implib cache``: look after the cache of produced libraries."""

from __future__ import annotations

import re

import click

from .options import CONTEXT

__all__ = ["cache"]


@click.group(context_settings=CONTEXT)
def cache() -> None:
    """The cache of produced libraries (IMPLIB_CACHE_DIR overrides its place).

    \b
    Examples:
      implib cache list
      implib cache prune --max-size 50M
    """


@cache.command("path", context_settings=CONTEXT)
def cache_path() -> None:
    """Print the cache folder."""
    from ..cache import Cache

    click.echo(Cache().root)


@cache.command("list", context_settings=CONTEXT)
def cache_list() -> None:
    """List the entries: target, Python build, backend, size, last use."""
    import datetime

    from ..cache import Cache

    store = Cache()
    entries = sorted(store.entries(), key=lambda e: e.last_used, reverse=True)
    for entry in entries:
        try:
            used = datetime.datetime.fromtimestamp(entry.last_used).strftime("%Y-%m-%d %H:%M")
        except (OverflowError, ValueError, OSError):  # a time stamp no calendar holds
            used = "?"
        target, python, backend = (str(entry.meta.get(k, "?")) for k in _COLUMNS)
        digest = entry.sha256[:12] or "(damaged)"
        click.echo(f"{target:<28} {python:<10} {backend:<13} {entry.size:>9,} B  {used}  {digest}")
    click.echo(f"{len(entries)} entries, {store.size():,} bytes in {store.root}")


@cache.command("verify", context_settings=CONTEXT)
def cache_verify() -> None:
    """Check every entry's digest; remove the bad ones."""
    from ..cache import Cache

    checked, removed = Cache().verify()
    click.echo(f"{checked} entries checked, {len(removed)} bad removed")


@cache.command("clear", context_settings=CONTEXT)
def cache_clear() -> None:
    """Remove every entry."""
    from ..cache import Cache

    click.echo(f"{Cache().clear()} entries removed")


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
    from ..cache import Cache

    removed = Cache().prune(_size(max_size))
    click.echo(f"{len(removed)} entries removed")
