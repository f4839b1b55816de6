"""The ``implib`` command: a thin click shell over the library API.

One module per command group; they share their options through
:mod:`.options`. Heavy modules (httpx, the server, the writer, the PE reader) are
imported inside the commands that use them, so that ``implib gen`` inside
every build starts fast.
"""

from __future__ import annotations

import click

from .. import __version__
from . import cache, cross, defs, gen, library, sdk, service, standin, tools
from .options import CONTEXT, ImplibGroup

__all__ = ["main"]


@click.group(cls=ImplibGroup, context_settings=CONTEXT)
@click.version_option(__version__, "-V", "--version", prog_name="implib")
def main() -> None:
    """Windows import libraries for Python, generated anywhere.

    \b
    Example:
      implib gen --target x86_64-pc-windows-msvc --abi3
      implib gen --target x86_64-pc-windows-gnu --python 3.12 -o libs
      implib inspect python3.lib
    """


# The modules keep their names; only the group knows the commands.
for _command in (
    gen.command(),
    library.inspect,
    defs.defs,
    library.verify,
    tools.tools,
    cache.cache,
    service.serve,
    service.export,
    service.fetch,
    cross.env,
    cross.run,
    sdk.command(),
    standin.dlltool,
    standin.lib,
):
    main.add_command(_command)

if __name__ == "__main__":  # pragma: no cover
    main()
